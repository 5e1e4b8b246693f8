"""Corpus formats other than the project's gold JSONL, read one way for evaluation and training.

- Tagged tokens, one a line, a blank line between sentences: BIO/BIOES characters
  (MSRA, People's Daily: ``char<TAB>tag``) and IOB2 words (Universal NER: columns
  ``index<TAB>word<TAB>tag...`` with ``#`` comment lines). Word tokens are joined into
  the sentence text and their spans moved to character offsets.
- CLUENER JSON lines ``{"text", "label": {type: {surface: [[start, end_inclusive]]}}}``.

The core readers (:func:`iter_tagged`, :func:`iter_cluener`) yield the text with spans
of the *source's* types; :func:`map_spans` applies a label map from
:mod:`pipeline.evaluation.labels`. The ``read_*`` functions build gold documents for
scoring; :mod:`pipeline.training.data` builds its training sentences from the same cores.
:func:`tags_to_spans` is the one BIO decoder and :func:`s2tw` the one Simplified →
Traditional conversion.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from pipeline.evaluation.gold import GoldDoc, GoldFormatError, GoldLabel, GoldMention, iter_jsonl
from pipeline.evaluation.labels import BIO_LABEL_MAP, CLUENER_LABEL_MAP, NER_LABEL_MAP, map_label

if TYPE_CHECKING:
    from opencc import OpenCC

__all__ = [
    "Span",
    "Tagged",
    "iter_cluener",
    "iter_tagged",
    "map_spans",
    "read_bio",
    "read_cluener",
    "read_iob2",
    "s2tw",
    "tags_to_spans",
    "to_traditional",
    "trim_spans",
]

#: ``(start, end, type)``: character offsets (end exclusive) and a label or source type.
Span = tuple[int, int, str]


@dataclass(slots=True)
class Tagged:
    """One sentence of a corpus: its text and spans of the source's types."""

    text: str
    spans: list[Span] = field(default_factory=list)
    #: The raw JSON object of a CLUENER line (its ``id``, its ``label`` dict).
    raw: dict[str, Any] = field(default_factory=dict)


def tags_to_spans(tags: Sequence[str]) -> list[Span]:
    """Chunks of a BIO/BIOES/IOB2 tag sequence as ``(start, end, type)``, in order.

    conlleval's reading: ``B``/``S``/``U`` start a chunk, ``I``/``M``/``E``/``L`` of
    another type than the open chunk start one too (so ``I-X`` after ``O`` is a
    chunk), ``S``/``U``/``E``/``L`` end it, ``O`` (or a tag without type) closes it.
    """
    spans: list[Span] = []
    start: int | None = None
    kind: str | None = None

    def close(end: int) -> None:
        nonlocal start, kind
        if start is not None and kind is not None:
            spans.append((start, end, kind))
        start, kind = None, None

    for i, tag in enumerate(tags):
        prefix, _, t = tag.partition("-")
        prefix = prefix.upper()
        if tag == "O" or prefix == "O" or not t:
            close(i)
        elif prefix in {"B", "S", "U"} or (prefix in {"I", "M", "E", "L"} and t != kind):
            close(i)
            start, kind = i, t
        if prefix in {"S", "U", "E", "L"}:
            close(i + 1)
    close(len(tags))
    return spans


def map_spans(spans: Iterable[Span], label_map: Mapping[str, str]) -> list[Span]:
    """Spans with their types mapped to the guide's labels; unmapped types are dropped."""
    out: list[Span] = []
    for start, end, kind in spans:
        label = map_label(kind, label_map)
        if label is not None:
            out.append((start, end, label))
    return out


def trim_spans(text: str, spans: Iterable[Span]) -> list[Span]:
    """Spans without outer spaces (the guide's boundary rule); all-space spans dropped."""
    out: list[Span] = []
    for s, e, label in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            out.append((s, e, label))
    return out


def _columns(line: str) -> list[str]:
    if "\t" in line:
        return line.split("\t")
    token, _, tag = line.rpartition(" ")
    return [token, tag]


def iter_tagged(
    path: str | Path, *, token_col: int = 0, tag_col: int = -1, comments: bool = False
) -> Iterator[Tagged]:
    """Sentences of a token-per-line tagged file, spans of the source's tag types.

    Columns are split at tabs (else at the last space). A token wider than one
    character (a word file) adds all its characters to the text and its span covers
    them. ``comments``: lines starting with ``#`` are skipped (CoNLL-U style headers);
    off by default, since ``#`` is a character of character files.
    """
    path = Path(path)
    tokens: list[str] = []
    tags: list[str] = []

    def sentence() -> Tagged:
        ends: list[int] = []
        pos = 0
        for tok in tokens:
            pos += len(tok)
            ends.append(pos)
        spans = [(ends[s - 1] if s else 0, ends[e - 1], kind) for s, e, kind in tags_to_spans(tags)]
        return Tagged("".join(tokens), spans)

    with path.open(encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            line = raw.rstrip("\r\n")
            if not line.strip(" \t"):
                if tokens:
                    yield sentence()
                tokens.clear()
                tags.clear()
                continue
            if comments and line.startswith("#"):
                continue
            cols = _columns(line)
            try:
                token, tag = cols[token_col], cols[tag_col].strip()
            except IndexError:
                token, tag = "", ""
            if not token or not tag:
                raise GoldFormatError(f"{path}:{n}: expected 'token<TAB>tag', got {line!r}")
            if len(token) != 1:
                token = token.strip() or token
            tokens.append(token)
            tags.append(tag)
    if tokens:
        yield sentence()


def iter_cluener(path: str | Path) -> Iterator[Tagged]:
    """CLUENER lines: text and ``(start, end, type)`` spans, offsets made end-exclusive.

    Every span is checked against its surface; a mismatch raises GoldFormatError.
    """
    path = Path(path)
    for n, line in iter_jsonl(path):
        try:
            raw = json.loads(line)
            text = raw["text"]
            labels = raw.get("label") or {}
            spans: list[Span] = []
            for kind, surfaces in labels.items():
                for surface, offsets in surfaces.items():
                    for start, end_incl in offsets:
                        if text[start : end_incl + 1] != surface:
                            raise GoldFormatError(
                                f"{path}:{n}: {surface!r} is not at [{start}, {end_incl}]"
                            )
                        spans.append((start, end_incl + 1, kind))
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as e:
            if isinstance(e, GoldFormatError):
                raise
            raise GoldFormatError(f"{path}:{n}: not a CLUENER line: {e}") from e
        yield Tagged(text, spans, raw)


def _doc(doc_id: str, text: str, spans: Iterable[Span]) -> GoldDoc:
    return GoldDoc(
        id=doc_id,
        text=text,
        mentions=[
            GoldMention(start=s, end=e, label=cast(GoldLabel, label), text=text[s:e])
            for s, e, label in spans
        ],
    )


def read_bio(
    path: str | Path, *, label_map: Mapping[str, str] | None = None, id_prefix: str | None = None
) -> list[GoldDoc]:
    """Read a character-per-line BIO/BIOES file (MSRA, People's Daily style).

    Each line is ``char<TAB or space>tag``; a blank line ends a sentence, and each
    sentence becomes one document ``<prefix>:<n>`` (n from 1). Tag types are mapped
    with ``label_map`` (default :data:`~pipeline.evaluation.labels.BIO_LABEL_MAP`:
    PER→PERSON, TIME→DATE, ...); types missing from the map are dropped. ``I-X`` after
    ``O`` starts a mention (conlleval's lenient reading).
    """
    mapping = BIO_LABEL_MAP if label_map is None else label_map
    prefix = id_prefix if id_prefix is not None else Path(path).stem
    return [
        _doc(f"{prefix}:{i}", t.text, trim_spans(t.text, map_spans(t.spans, mapping)))
        for i, t in enumerate(iter_tagged(path), 1)
    ]


def read_iob2(
    path: str | Path, *, label_map: Mapping[str, str] | None = None, id_prefix: str = "uner"
) -> list[GoldDoc]:
    """Read a Universal NER IOB2 file (word tokens in column 2, tags in column 3).

    Types are mapped with ``label_map`` (default PER/ORG/LOC); documents are
    ``<prefix>:<n>``.
    """
    mapping = NER_LABEL_MAP if label_map is None else label_map
    return [
        _doc(f"{id_prefix}:{i}", t.text, trim_spans(t.text, map_spans(t.spans, mapping)))
        for i, t in enumerate(iter_tagged(path, token_col=1, tag_col=2, comments=True), 1)
    ]


def read_cluener(
    path: str | Path, label_map: Mapping[str, str] | None = None, *, id_prefix: str | None = None
) -> list[GoldDoc]:
    """Read CLUENER JSON lines ``{"text", "label": {label: {surface: [[s, e], ...]}}}``.

    Offsets in CLUENER are inclusive; labels are mapped with ``label_map`` (default
    :data:`~pipeline.evaluation.labels.CLUENER_LABEL_MAP`) and unmapped ones (position,
    book, game, movie) dropped.
    """
    mapping = CLUENER_LABEL_MAP if label_map is None else label_map
    prefix = id_prefix if id_prefix is not None else Path(path).stem
    docs: list[GoldDoc] = []
    for i, t in enumerate(iter_cluener(path), 1):
        spans = sorted(
            ((s, e, lb) for s, e, kind in t.spans if (lb := mapping.get(kind)) is not None),
            key=lambda sp: (sp[0], sp[1]),
        )
        docs.append(_doc(str(t.raw.get("id", f"{prefix}:{i}")), t.text, spans))
    return docs


@lru_cache(maxsize=1)
def _s2tw() -> OpenCC:
    from opencc import OpenCC

    return OpenCC("s2tw")


def s2tw(text: str) -> str:
    """``text`` in Traditional script (OpenCC s2tw), the same length, so offsets hold.

    When a phrase conversion changes the length, each character is converted on its
    own (a character whose conversion is longer stays as it is).
    """
    cc = _s2tw()
    trad: str = cc.convert(text)
    if len(trad) != len(text):
        trad = "".join(cc.convert(ch) if len(cc.convert(ch)) == 1 else ch for ch in text)
    return trad


def to_traditional(docs: Iterable[GoldDoc]) -> list[GoldDoc]:
    """The same documents in Traditional script (:func:`s2tw`), offsets unchanged."""
    out: list[GoldDoc] = []
    for d in docs:
        trad = s2tw(d.text or "")
        mentions = [
            GoldMention(start=m.start, end=m.end, label=m.label, text=trad[m.start : m.end])
            for m in d.mentions
        ]
        out.append(GoldDoc(id=d.id, text=trad, mentions=mentions))
    return out
