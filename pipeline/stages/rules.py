"""The gazetteer component: modern news names the model rarely saw, and guide fixes.

``zh_news_rules`` runs after the NER component. Its data: ``pipeline/data/places.tsv``
(countries, capitals, cities, provinces; generated from the licensed lexicons by
scripts/build_userdict.py) and the team's ``pipeline/data/gazetteer.tsv`` (text,
label; ``-`` = never an entity), which wins where both list a name:

- a model entity whose text is listed gets the listed label (五角大楼 → ORG, as the
  guide asks for buildings that stand for an institution), or is dropped (月球);
- a listed name the model missed is added where it starts and ends on token
  boundaries and overlaps no model entity, or where it strictly contains the
  model's entities (the longest name wins: 台积 → 台积电);
- a span across a bracket or quote is cut there (克里（John Kerry → 克里, John Kerry);
- spans the guide never annotates are dropped: laws (香港国安法), cuts through a
  Latin word, lowercase English words, one-character places in ethnic, currency and
  language words (华裔, 美元, 中文);
- a Latin name or an abbreviation in brackets right after a name gets that name's
  label, and so do the abbreviation's later occurrences (全国律师联合会（全律会）);
- Latin words of one name tagged apart are joined (Kamala | Harris);
- a name the article tags twice with one label is tagged at its other free
  occurrences (one sense per article).

Matching runs on the Simplified shadow, so Traditional text is covered too.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.stages.docs import overlaps_any, shadow_text, split_doc, token_spans
from pipeline.stages.names import RULES
from pipeline.stages.simplified import to_simplified

COMPONENT = RULES
GAZETTEER_FILE = "gazetteer.tsv"
NOT_ENTITY = "-"


def gazetteer_paths() -> tuple[Path, ...]:
    """The lists shipped with the package: generated places first, the team's list last."""
    data = resources.files("pipeline") / "data"
    return (Path(str(data / "places.tsv")), Path(str(data / "gazetteer.tsv")))


def parse_gazetteer(text: str, table: dict[str, str] | None = None) -> dict[str, str]:
    """Read ``name<TAB>label`` lines into ``table`` (Simplified names; later lines win)."""
    table = {} if table is None else table
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, _, label = line.partition("\t")
        table[to_simplified(name.strip())] = label.strip()
    return table


def format_gazetteer(table: dict[str, str]) -> str:
    """The table as sorted ``name<TAB>label`` lines (the serialized form)."""
    return "".join(f"{name}\t{label}\n" for name, label in sorted(table.items()))


@lru_cache(maxsize=4)
def load_gazetteer(paths: tuple[Path, ...] | None = None) -> dict[str, str]:
    """name (Simplified) → label or ``-``; a later file overrides an earlier one."""
    table: dict[str, str] = {}
    for path in paths or gazetteer_paths():
        parse_gazetteer(path.read_text(encoding="utf-8"), table)
    return table


def _trie_regex(names: list[str]) -> str:
    """One regex for many literals, factored by prefix, longest alternative first.

    Python's ``re`` tries an alternation of literals one by one at every position;
    a prefix trie, behind a first-character test, makes most positions cost one
    character test (``make bench`` measures the scan).
    """
    trie: dict[str, dict] = {}  # type: ignore[type-arg]
    for name in names:
        node = trie
        for ch in name:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:  # type: ignore[type-arg]
        end = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if end else body

    return build(trie)


def _pattern(table: dict[str, str]) -> re.Pattern[str]:
    return _compile(tuple(sorted(n for n, lab in table.items() if lab != NOT_ENTITY)))


@lru_cache(maxsize=4)
def _compile(names: tuple[str, ...]) -> re.Pattern[str]:
    # Greedy optional groups give the longest listed name at each position; Latin names
    # must not sit inside a longer Latin word (BBC in BBCX, G7 in G77).
    firsts = "".join(sorted({re.escape(n[0]) for n in names}))
    return re.compile(
        rf"(?=[{firsts}])(?<![A-Za-z0-9])(?:{_trie_regex(list(names))})(?![A-Za-z0-9])"
    )


class RulesComponent:
    """spaCy component applying the gazetteer to ``doc.ents``."""

    def __init__(self, name: str = COMPONENT, *, paths: tuple[Path, ...] | None = None) -> None:
        self.name = name
        self._set_table(load_gazetteer(paths))

    def _set_table(self, table: dict[str, str]) -> None:
        self.table = table
        self.pattern = _pattern(table)

    # Serialization: the gazetteer travels with a saved pipeline (as spaCy's
    # EntityRuler keeps its patterns), so a model version pins its lists; a pipeline
    # saved without it falls back to the lists shipped with the package.
    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Write the gazetteer to ``path/gazetteer.tsv``."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / GAZETTEER_FILE).write_text(format_gazetteer(self.table), encoding="utf-8")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> RulesComponent:
        """Read ``path/gazetteer.tsv`` when present (else keep the shipped lists)."""
        src = Path(path) / GAZETTEER_FILE
        if src.is_file():
            self._set_table(parse_gazetteer(src.read_text(encoding="utf-8")))
        return self

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        """The gazetteer as UTF-8 ``name<TAB>label`` lines."""
        return format_gazetteer(self.table).encode("utf-8")

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> RulesComponent:
        """Replace the gazetteer with the one in ``data`` (as written by ``to_bytes``)."""
        self._set_table(parse_gazetteer(data.decode("utf-8")))
        return self

    def __call__(self, doc: Doc) -> Doc:
        shadow = shadow_text(doc)
        before = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
        # Dates already on the Doc (claimed before NER) are fixed: no rule moves them,
        # and no listed or repeated name may cover or cross them.
        fixed = [x for x in before if x[2] == "DATE"]
        blocked = overlaps_any(fixed)
        in_url = _url_chars(shadow)
        ents = [
            (s, e, self.table.get(shadow[s:e]) or label)
            for s, e, label in _complete_latin_words(
                shadow,
                _trimmed(
                    shadow,
                    self._split_scripts(
                        shadow, _split_at_brackets(shadow, [x for x in before if x[2] != "DATE"])
                    ),
                ),
            )
            if self.table.get(shadow[s:e]) != NOT_ENTITY
            and not _not_a_name(shadow, s, e)
            and not (label == "LOC" and _not_a_place(shadow, s, e))
            and not (in_url and any(i in in_url for i in range(s, e)))
        ]
        ents = _join_latin_words(shadow, _extend_latin_persons(shadow, ents))
        # A Latin name completed or joined above may now be a listed one (New York Times).
        ents = [
            (
                s,
                e,
                label
                if self.table.get(shadow[s:e], NOT_ENTITY) == NOT_ENTITY
                else self.table[shadow[s:e]],
            )
            for s, e, label in ents
        ]
        ents = self._add_listed(doc, shadow, ents, blocked)
        ents = _join_split_persons(shadow, ents, self.table)
        ents = _add_bracketed_aliases(shadow, ents)
        ents = _consistent_names(shadow, ents, fixed)
        # last: a model, listed or repeated name borrowed by a ship or a probe is dropped
        ents = [x for x in ents if not _names_a_vehicle(shadow, *x)]
        ents = sorted([*(x for x in ents if not blocked(x[0], x[1])), *fixed])
        if ents == before:
            return doc
        doc.ents = []
        return split_doc(doc, ents)

    def _split_scripts(
        self, text: str, ents: list[tuple[int, int, str]]
    ) -> list[tuple[int, int, str]]:
        """A span that joins Chinese and Latin words is cut where the script changes.

        悉尼Frazis Capital Partners资产 and 澳洲券商CommSec are a place or a description
        run into a Latin name; names that really mix scripts are listed (BBC News 中文)
        or hold a Latin initial between name dots (亚历克斯·M·阿扎二世) and stay whole.
        Pieces keep the label; the list may relabel them (悉尼 → LOC).
        """
        out: list[tuple[int, int, str]] = []
        for s, e, label in ents:
            span = text[s:e]
            if span in self.table or _MIDDLE_INITIAL.search(span):
                out.append((s, e, label))
                continue
            cuts = [(s + m.start(), s + m.start()) for m in _SCRIPT_CHANGE.finditer(span)]
            out.extend(_pieces(s, e, label, cuts) if cuts else [(s, e, label)])
        return out

    def _add_listed(
        self,
        doc: Doc,
        shadow: str,
        ents: list[tuple[int, int, str]],
        blocked: Callable[[int, int], bool] = lambda s, e: False,
    ) -> list[tuple[int, int, str]]:
        """Listed names the model missed, or cut into pieces, become entities.

        A listed name that would cover or cross a ``blocked`` span (a fixed date) is
        not added.
        """
        spans = token_spans(doc)
        starts = {a for a, _ in spans}
        ends = {b for _, b in spans}
        # Model entities never overlap each other: index them by start for the lookups.
        taken = {x[0]: x for x in ents}
        order = sorted(taken)
        added: list[tuple[int, int, str]] = []
        for m in self.pattern.finditer(shadow):
            s, e = m.span()
            if blocked(s, e):
                continue
            i = bisect_left(order, s)
            if i and taken[order[i - 1]][1] > s:
                i -= 1
            inside = []
            while i < len(order) and order[i] < e:
                inside.append(taken[order[i]])
                i += 1
            label = self.table[m.group()]
            if not inside:
                if s in starts and e in ends:
                    added.append((s, e, label))
            else:
                loose = len(inside) == 1 and _listed_org_in_loose_span(
                    shadow, (s, e, label), inside[0]
                )
                contains = all(s <= a and b <= e for a, b, _ in inside)
                if loose or (contains and inside != [(s, e, inside[0][2])]):
                    _remove(taken, order, inside)
                    added.append((s, e, label))
        return sorted([*taken.values(), *added])


def _remove(
    taken: dict[int, tuple[int, int, str]], order: list[int], gone: list[tuple[int, int, str]]
) -> None:
    """Remove entities from the start index and its sorted key list (by bisection)."""
    for x in gone:
        del taken[x[0]]
        del order[bisect_left(order, x[0])]


#: Last characters of an organization's own name (华为技术有限公司, 欧盟委员会, 民进党中央):
#: a model span ending in one of these is a longer name, not a listed name plus context.
_ORG_END = frozenset("司团会院部局署厅处办党委央府行校学所队军盟社台网报刊店厂组站馆")


def _listed_org_in_loose_span(
    text: str, listed: tuple[int, int, str], model: tuple[int, int, str]
) -> bool:
    """A listed organization that begins a longer model ORG/PERSON span with a tail that
    does not end like an organization: 推特帖文 is the listed 推特 with context;
    欧盟委员会, 中共西藏党委 and 华为技术有限公司 stay whole. A place or body before the
    listed name (香港医管局, 国务院港澳办) is often part of the name: left alone.
    """
    s, e, label = listed
    ms, me, mlabel = model
    if label != "ORG" or mlabel not in ("ORG", "PERSON") or ms != s or e >= me:
        return False
    return text[me - 1] not in _ORG_END


_LATIN = re.compile(r"[A-Za-zÀ-ÖØ-öø-ɏ]")  # with accented letters (Orbán, Peña)
_LATIN_WORD_AFTER = re.compile(r" [A-ZÀ-ÖØ-Þ][A-Za-zÀ-ÖØ-öø-ɏ'’.\-]*")
_LATIN_NAME = re.compile(r"[A-Z][A-Za-z0-9.'’&\- ]{0,60}[A-Za-z0-9.]|[A-Z]")
#: Capitalised English function words a model trained on Chinese may take for names.
_ENGLISH_WORDS = frozenset(
    {"the", "a", "an", "and", "or", "of", "in", "on", "at", "to", "for", "by", "with",
     "from", "as", "is", "are", "was", "were", "it", "its", "this", "that", "these",
     "those", "he", "she", "they", "we", "you", "i", "his", "her", "their", "our"}
)  # fmt: skip
_LAW = re.compile(r"(?<!司)法$|条例$")


_URL = re.compile(r"(?:https?://|www\.)[^\s\u3000-\u303f\uff00-\uffef\u4e00-\u9fff]+")


def _trimmed(text: str, ents: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Spans without the white space a model may take in at either end (' a ' → 'a')."""
    out = []
    for s, e, label in ents:
        span = text[s:e]
        lead = len(span) - len(span.lstrip())
        s2, e2 = s + lead, e - (len(span) - len(span.rstrip()))
        if s2 < e2:
            out.append((s2, e2, label))
    return out


_BRACKET = re.compile(r"[《》「」『』“”\"()（）【】\[\]<>@]")
_SPACE = re.compile(r"\s+")
_SCRIPT_CHANGE = re.compile(
    r"(?<=[\u4e00-\u9fff])(?=[A-Za-zÀ-ɏ])|(?<=[A-Za-zÀ-ɏ])(?=[\u4e00-\u9fff])"
)
_MIDDLE_INITIAL = re.compile(r"[·•‧][A-Za-z]\.?[·•‧]")
_LATIN_OR_DIGIT = re.compile(r"[A-Za-z0-9.]")


def _split_at_brackets(text: str, ents: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """A span that runs across a bracket, a quote or a space is cut there (克里（John Kerry).

    The guide keeps brackets, quotes and spaces outside names, so such a span is two
    names run together, or a name and its context. White space between two Latin
    words is part of a name (Tammy Duckworth) and no cut. The pieces keep the label
    (the bracketed-alias step may relabel a Latin piece); one-character pieces are
    dropped.
    """
    out: list[tuple[int, int, str]] = []
    for s, e, label in ents:
        cuts = [m.span() for m in _BRACKET.finditer(text, s, e)]
        cuts += [
            m.span()
            for m in _SPACE.finditer(text, s + 1, e - 1)
            if not (
                _LATIN_OR_DIGIT.match(text[m.start() - 1]) and _LATIN_OR_DIGIT.match(text[m.end()])
            )
        ]
        out.extend(_pieces(s, e, label, cuts) if cuts else [(s, e, label)])
    return out


def _pieces(s: int, e: int, label: str, cuts: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """The parts of span (s, e) between the cut intervals; one-character parts are dropped."""
    out: list[tuple[int, int, str]] = []
    a = s
    for c0, c1 in [*sorted(cuts), (e, e)]:
        if c0 - a >= 2:
            out.append((a, c0, label))
        a = max(a, c1)
    return out


def _complete_latin_words(
    text: str, ents: list[tuple[int, int, str]]
) -> list[tuple[int, int, str]]:
    """A Latin name of several words cut inside a word is completed to the word's ends
    (Viktor Orb|án). A single cut word is left to the junk filter (Perma|link)."""
    out: list[tuple[int, int, str]] = []
    for i, (s, e, label) in enumerate(ents):
        if " " in text[s:e] and _LATIN.match(text[s]) and _LATIN.match(text[e - 1]):
            limit = ents[i + 1][0] if i + 1 < len(ents) else len(text)
            while e < limit and _LATIN.match(text[e]):
                e += 1
            floor = out[-1][1] if out else 0
            while s > floor and _LATIN.match(text[s - 1]):
                s -= 1
        out.append((s, e, label))
    return out


def _extend_latin_persons(
    text: str, ents: list[tuple[int, int, str]]
) -> list[tuple[int, int, str]]:
    """A Latin PERSON runs over up to three following capitalized words (Tony | Sheldon,
    Santiago | Peña): the guide takes a Latin-script name whole."""
    out: list[tuple[int, int, str]] = []
    for i, (s, e, label) in enumerate(ents):
        if label == "PERSON" and _LATIN.match(text[e - 1]):
            limit = ents[i + 1][0] if i + 1 < len(ents) else len(text)
            for _ in range(3):
                m = _LATIN_WORD_AFTER.match(text, e)
                if m is None or m.end() > limit:
                    break
                e = m.end()
        out.append((s, e, label))
    return out


def _join_latin_words(text: str, ents: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Latin words of one name tagged apart become one mention (Kamala | Harris).

    The guide takes a Latin-script name whole; a character model may stop at the
    space. Two spans with the same label, both Latin at the joint, separated by one
    space, are joined.
    """
    out: list[tuple[int, int, str]] = []
    for s, e, label in sorted(ents):
        if out:
            ps, pe, pl = out[-1]
            if (
                pl == label
                and text[pe:s] == " "
                and _LATIN.match(text[pe - 1])
                and _LATIN.match(text[s])
            ):
                out[-1] = (ps, e, label)
                continue
        out.append((s, e, label))
    return out


_HAN = re.compile(r"[\u4e00-\u9fff]+")


def _join_split_persons(
    text: str, ents: list[tuple[int, int, str]], table: dict[str, str]
) -> list[tuple[int, int, str]]:
    """Two PERSON spans that touch, both in Han script, are one name the model cut in two.

    Two people are never written without a separator between them (、, 和, a space), so
    斯托尔|滕贝格 is one transliterated name. Two listed names stay apart (a list knows
    its names), and so does a join longer than any Han name (more than 10 characters).
    """
    out: list[tuple[int, int, str]] = []
    for s, e, label in sorted(ents):
        if out:
            ps, pe, plabel = out[-1]
            if (
                label == plabel == "PERSON"
                and pe == s
                and _HAN.fullmatch(text[ps:e])
                and e - ps <= 10
                and not (table.get(text[ps:pe]) == "PERSON" and table.get(text[s:e]) == "PERSON")
            ):
                out[-1] = (ps, e, label)
                continue
        out.append((s, e, label))
    return out


def _url_chars(text: str) -> set[int]:
    """Offsets inside web addresses (percent-escaped paths are not names)."""
    return {i for m in _URL.finditer(text) for i in range(m.start(), m.end())}


def _not_a_name(text: str, start: int, end: int) -> bool:
    """Model spans the guide never annotates: laws, cuts through a Latin word, lowercase words."""
    span = text[start:end]
    if len(span) > 1 and _LAW.search(span):  # laws (国安法), not 法 = France (中法, 法方)
        return True
    cut_left = start > 0 and _LATIN.match(text[start - 1]) and _LATIN.match(span[0])
    cut_right = end < len(text) and _LATIN.match(text[end]) and _LATIN.match(span[-1])
    if cut_left or cut_right:
        return True
    # "the", "The", "of": English words, not names
    return span.isascii() and (span[0].islower() or span.lower() in _ENGLISH_WORDS)


#: After a one-character place abbreviation these make an ethnic term, a currency or
#: a language, which the guide does not annotate (华裔, 美元, 日币, 中文, 英语).
_NOT_PLACE_AFTER = frozenset("裔侨元币文语")
#: 华人, 藏人, 汉人 are ethnic terms; 港人, 台人 are demonyms, whose place is LOC.
_ETHNIC = frozenset("华藏汉")


def _not_a_place(text: str, start: int, end: int) -> bool:
    """A one-character 'place' that is part of an ethnic, currency or language word."""
    if end - start != 1 or end >= len(text):
        return False
    nxt = text[end]
    return nxt in _NOT_PLACE_AFTER or (nxt == "人" and text[start] in _ETHNIC)


#: 号 after a name makes a ship, a probe or a spacecraft (罗纳德·里根号, 辽宁号), except
#: in words of its own (号召 call on, 号称 claim, 号令, 号码).
_SHIP_HAO = re.compile(r"号(?![召称令码])")
#: 舰 after a name of two or more characters makes a ship's name (辽宁舰); 舰队, 舰艇,
#: 舰只 and 舰长 are fleets, vessels and captains of the place (美国舰队 keeps 美国).
_SHIP_JIAN = re.compile(r"舰(?![队艇只长载船机])")
#: A numbered name is a spacecraft, a probe or a satellite (嫦娥五号, 天问一号); the
#: guide gives the thing no label and nothing inside it.
_NUMBERED = re.compile(r"[0-9一二三四五六七八九十〇零]+号")


def _names_a_vehicle(text: str, start: int, end: int, label: str) -> bool:
    """A name borrowed by a ship, a spacecraft or a probe (guide: no label inside it).

    The text is the Simplified shadow: 號 and 艦 read as 号 and 舰. A one-character place
    before 舰 stays (美舰: a US ship, 美 is a modifier); a numbered 号 after a place
    (中山路5号) is an address, so numbered names are judged for persons and
    organizations only.
    """
    if label == "DATE" or end >= len(text):
        return False
    if _SHIP_HAO.match(text, end):
        return True
    if end - start >= 2 and _SHIP_JIAN.match(text, end):
        return True
    return label != "LOC" and _NUMBERED.match(text, end) is not None


_HAN_ABBREV = re.compile(r"[\u4e00-\u9fff]{2,6}")


def _is_abbreviation(short: str, name: str) -> bool:
    """``short`` is made of ``name``'s characters in order (全律会 of 全国律师联合会)."""
    chars = iter(name)
    return len(short) < len(name) and all(ch in chars for ch in short)


def _add_bracketed_aliases(
    text: str, ents: list[tuple[int, int, str]]
) -> list[tuple[int, int, str]]:
    """A name's other form in brackets right after it has the name's label, everywhere.

    The guide makes the Latin form its own mention (达克沃斯（Tammy Duckworth）); an
    abbreviation defined the same way (全国律师联合会（全律会）, 美国航天局（NASA）) names the
    same body, so its later occurrences in the article get the label too. Linking then
    groups the forms under one entity.
    """
    aliases: dict[str, str] = {}
    starts = [x[0] for x in ents]
    removed: set[int] = set()
    added: list[tuple[int, int, str]] = []
    for s, e, label in ents:
        if e >= len(text) or text[e] not in "（(" or _LATIN.match(text[e - 1]):
            continue
        window = e + 66  # the closing bracket is looked for nearby only: linear in the text
        close = min(
            (i for i in (text.find("）", e, window), text.find(")", e, window)) if i > 0),
            default=-1,
        )
        if close < 0 or close - e > 64:
            continue
        inner = text[e + 1 : close].strip()
        latin = _LATIN_NAME.fullmatch(inner) is not None
        abbrev = (
            label in ("ORG", "LOC")
            and _HAN_ABBREV.fullmatch(inner) is not None
            and _is_abbreviation(inner, text[s:e])
        )
        if not inner or not (latin or abbrev):
            continue
        a = text.index(inner, e + 1)
        b = a + len(inner)
        j = bisect_left(starts, a)
        if j and ents[j - 1][1] > a:
            j -= 1
        parts = []
        while j < len(ents) and ents[j][0] < b:
            if j not in removed:
                parts.append(j)
            j += 1
        if all(a <= ents[k][0] and ents[k][1] <= b for k in parts):  # pieces (Tammy) give way
            removed.update(parts)
            added.append((a, b, label))
            aliases[inner] = label
    out = [x for k, x in enumerate(ents) if k not in removed]
    out.extend(added)
    return _add_occurrences(text, out, aliases)


def _add_occurrences(
    text: str,
    ents: list[tuple[int, int, str]],
    names: dict[str, str],
    fixed: Sequence[tuple[int, int, str]] = (),
) -> list[tuple[int, int, str]]:
    """Every other occurrence of each name that overlaps no entity gets the name's label.

    An occurrence never starts or ends inside a Latin word (BBC in BBCX), nor overlaps
    a ``fixed`` span (a claimed date). All names are found in one pass of one regex
    (longest name first at each position), and a character map says which
    characters are taken, so the cost is linear in the text, not names × text.
    """
    if not names:
        return sorted(ents)
    out = list(ents)
    taken = bytearray(len(text))
    for a, b, _ in [*ents, *fixed]:
        taken[a:b] = b"\x01" * (b - a)
    pattern = re.compile(_trie_regex(sorted(names)))
    for m in pattern.finditer(text):
        pos, end = m.span()
        name = m.group()
        free = taken.find(1, pos, end) < 0
        bounded = not (_LATIN.match(name[0]) and pos and _LATIN.match(text[pos - 1])) and not (
            _LATIN.match(name[-1]) and end < len(text) and _LATIN.match(text[end])
        )
        if free and bounded:
            out.append((pos, end, names[name]))
            taken[pos:end] = b"\x01" * (end - pos)
    return sorted(out)


def _consistent_names(
    text: str, ents: list[tuple[int, int, str]], fixed: Sequence[tuple[int, int, str]] = ()
) -> list[tuple[int, int, str]]:
    """A name the article tags twice is tagged everywhere in it (one sense per document).

    Models miss some repetitions of a name they tag elsewhere in the same article
    (成蕾 found 8 times of 19 in one report). A Chinese-script name of two or more
    characters that the article tags at least twice, always with the same label, is
    added at its other free occurrences. Requiring two tags keeps one slip from
    spreading (港府 tagged LOC once became 8 false alarms with one).
    """
    labels: dict[str, set[str]] = {}
    seen: Counter[str] = Counter()
    for s, e, label in ents:
        if label != "DATE" and e - s >= 2 and not _LATIN.match(text[s]):
            labels.setdefault(text[s:e], set()).add(label)
            seen[text[s:e]] += 1
    names = {n: next(iter(ls)) for n, ls in labels.items() if len(ls) == 1 and seen[n] >= 2}
    return _add_occurrences(text, ents, names, fixed) if names else ents


@Language.factory(
    COMPONENT,
    assigns=["doc.ents"],
    requires=["doc.ents", "doc._.zhs"],
    default_config={"gazetteer": None},
)
def make_rules(nlp: Language, name: str, gazetteer: list[str] | None) -> RulesComponent:
    """Factory of the gazetteer component.

    ``gazetteer``: ``name<TAB>label`` files, later ones winning (None: the package's
    places.tsv and gazetteer.tsv). A saved pipeline's own copy replaces them on load.
    """
    paths = tuple(Path(p) for p in gazetteer) if gazetteer is not None else None
    return RulesComponent(name, paths=paths)
