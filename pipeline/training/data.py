"""Training sentences from the corpora, dev split and augmentation for the NER model.

The corpora are read by :mod:`pipeline.evaluation.corpora` (the same readers, label maps
and splits as ``make eval``); this module turns them into :class:`Sentence` objects,
splits long ones, attaches jieba words and swaps names for augmentation. Everything
here reads ``../shared/corpora`` at training time only; no corpus text is ever written
into the repository.
"""

from __future__ import annotations

import hashlib
import pickle
import random
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from pipeline.evaluation import corpora
from pipeline.evaluation.formats import Tagged, map_spans, trim_spans
from pipeline.evaluation.labels import CLUENER_LABEL_MAP, NER_LABEL_MAP

CORPORA = corpora.corpora_dir()
CACHE = Path.home() / ".cache" / "zh_news_ner"

MAX_LEN = 200
#: CLUENER sentences with an address longer than this are left out of training: full
#: postal addresses, which MSRA splits into places and CLUENER does not.
CLUENER_MAX_ADDRESS = 6


@dataclass
class Sentence:
    """One training/eval sentence: text and gold (start, end, label) spans."""

    text: str
    spans: list[tuple[int, int, str]]
    source: str = ""


def nfkc_char(c: str) -> str:
    """NFKC of one character when it stays one character (length-preserving)."""
    n = unicodedata.normalize("NFKC", c)
    return n if len(n) == 1 else c


def _sentences(tagged: Iterable[Tagged], source: str) -> list[Sentence]:
    """Sentences with the model's labels (PER/ORG/LOC mapped, other types dropped)."""
    return [
        Sentence(t.text, trim_spans(t.text, map_spans(t.spans, NER_LABEL_MAP)), source)
        for t in tagged
    ]


def read_msra() -> list[Sentence]:
    """MSRA train (50,658 sentences)."""
    return _sentences(corpora.msra_sentences(), "msra")


def msra_split(n_dev: int = corpora.MSRA_DEV_SIZE) -> tuple[list[Sentence], list[Sentence]]:
    """Train / dev: dev is the last ``n_dev`` sentences of MSRA train (a contiguous block)."""
    sents = read_msra()
    return sents[:-n_dev], sents[-n_dev:]


def read_cluener(split: str = "train") -> list[Sentence]:
    """CLUENER2020, labels mapped with CLUENER_LABEL_MAP; long-address sentences left out."""
    out: list[Sentence] = []
    for t in corpora.cluener_sentences(split):
        if any(kind == "address" and e - s > CLUENER_MAX_ADDRESS for s, e, kind in t.spans):
            continue
        out.append(Sentence(t.text, sorted(map_spans(t.spans, CLUENER_LABEL_MAP)), "cluener"))
    return out


def read_uner(split: str = "train") -> list[Sentence]:
    """Universal NER zh_gsdsimp (word tokens, IOB2) in characters."""
    return _sentences(corpora.uner_sentences(split), "uner")


def split_long(sents: Iterable[Sentence], max_len: int = MAX_LEN) -> Iterator[Sentence]:
    """Split sentences longer than ``max_len`` at punctuation outside entities."""
    for s in sents:
        if len(s.text) <= max_len:
            yield s
            continue
        inside = [False] * len(s.text)
        for a, b, _ in s.spans:
            for i in range(a, b):
                inside[i] = True
        start = 0
        while len(s.text) - start > max_len:
            cut = -1
            for i in range(start + max_len - 1, start + max_len // 4, -1):
                if s.text[i] in "。！？；，,;!?、 " and not inside[i]:
                    cut = i + 1
                    break
            if cut < 0:
                cut = start + max_len
                while cut > start + 1 and inside[cut - 1] and inside[cut]:
                    cut -= 1
            yield Sentence(
                s.text[start:cut],
                [(a - start, b - start, lab) for a, b, lab in s.spans if a >= start and b <= cut],
                s.source,
            )
            start = cut
        yield Sentence(
            s.text[start:],
            [(a - start, b - start, lab) for a, b, lab in s.spans if a >= start],
            s.source,
        )


def with_words(sents: list[Sentence], name: str) -> list[tuple[Sentence, list[tuple[int, int]]]]:
    """Attach jieba word spans (the product's segmenter), cached on disk by ``name``."""
    from pipeline.stages.segment import JiebaSegmenter

    CACHE.mkdir(parents=True, exist_ok=True)
    userdict = JiebaSegmenter().userdict
    stamp = userdict.read_bytes() if userdict.is_file() else b""
    digest = hashlib.sha1(stamp + "\n".join(s.text for s in sents).encode()).hexdigest()[:12]
    key = CACHE / f"words_{name}_{digest}.pkl"
    texts = [s.text for s in sents]
    if key.is_file():
        cached = pickle.loads(key.read_bytes())
        if cached[0] == texts:
            return list(zip(sents, cached[1], strict=True))
    seg = JiebaSegmenter()
    words = [seg.spans(t) for t in texts]
    key.write_bytes(pickle.dumps((texts, words)))
    return list(zip(sents, words, strict=True))


# ---------------------------------------------------------------- augmentation


def load_foreign_names() -> list[str]:
    """Transliterated Western names (Simplified) from CEDPANE: single-word English entries."""
    names: set[str] = set()
    path = CORPORA / "lexicons" / "cedpane" / "cedpane_2020-06-16.tsv"
    for i, line in enumerate(path.open(encoding="utf-8")):
        if i == 0:
            continue
        parts = line.rstrip("\n").split("\t")
        if len(parts) < 2:
            continue
        en, zh = parts[0], parts[1]
        if "(" in en or " " in en.strip() or not en[:1].isupper():
            continue
        if 2 <= len(zh) <= 5 and all("\u4e00" <= c <= "\u9fff" for c in zh):
            names.add(zh)
    return sorted(names)


def load_places() -> tuple[list[str], list[str]]:
    """(world places, Chinese places): countries, capitals, major cities; provinces to counties."""
    lex = CORPORA / "lexicons"
    world: set[str] = set()
    china: set[str] = set()
    for i, line in enumerate((lex / "world_countries" / "world_countries_capitals_zh.tsv").open()):
        if i == 0:
            continue
        p = line.rstrip("\n").split("\t")
        world.update(x for x in p[1:4] if x)
        if len(p) > 4:
            world.update(x for x in p[4].split("/") if x)
    for i, line in enumerate((lex / "iso_countries" / "countries_zh.tsv").open()):
        if i:
            world.update(x for x in line.rstrip("\n").split("\t")[3].split("|") if x)
    for i, line in enumerate((lex / "china_admin" / "china_admin_prov_city_county.tsv").open()):
        if i:
            p = line.rstrip("\n").split("\t")
            china.update(x for x in (p[1], p[3]) if x and len(x) >= 2)

    def ok(x: str) -> bool:
        return 2 <= len(x) <= 8 and all("\u4e00" <= c <= "\u9fff" for c in x)

    return sorted(x for x in world if ok(x)), sorted(x for x in china if ok(x))


def substitute(s: Sentence, rng: random.Random, pools: dict[str, list[str]], p: float) -> Sentence:
    """Replace each PERSON/LOC span with a random pool name with probability ``p``."""
    text = s.text
    out_spans: list[tuple[int, int, str]] = []
    pieces: list[str] = []
    pos = 0
    shift = 0
    changed = False
    for a, b, lab in s.spans:
        new = text[a:b]
        pool = pools.get(lab)
        if pool and rng.random() < p:
            new = rng.choice(pool)
            changed = True
        pieces.append(text[pos:a])
        pieces.append(new)
        out_spans.append((a + shift, a + shift + len(new), lab))
        shift += len(new) - (b - a)
        pos = b
    pieces.append(text[pos:])
    if not changed:
        return s
    return Sentence("".join(pieces), out_spans, s.source + "+aug")
