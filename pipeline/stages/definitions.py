"""Definitions in the text: the short or other form an article gives a name.

News writes a long name once with the form it uses from then on: 世界卫生组织（下称世卫）,
民主联盟（以下简称“民盟”）, 中华统一促进党，简称统促党, 北大西洋公约组织（北约）, 南方市场
（MERCOSUR）. :func:`definitions` finds such pairs from an article's text and mentions,
whether or not the extractor found the short form there; the entity table
(:mod:`pipeline.entities`) joins the short form to the long name across the batch when
no other long name of the batch claims it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, Protocol

from pipeline.stages.keys import fold

#: Words that say the next form is another name of the one before (简称 and its variants:
#: 以下简称, 下称, 簡稱; 又称; 英文名; 音译 for a person's Latin name).
_CUE = (
    r"(?:以下|下文|下)(?:简称|簡稱|称|稱)|简称|簡稱|又称|又稱|亦称|亦稱|通称|通稱|全称|全稱|"
    r"(?:英文|英語|英语)(?:名称|名稱|名|简称|簡稱)?|音译|音譯"
)
_CLOSE_QUOTES = "”’\"'」』》〉"
_OPEN_QUOTES = "“‘\"'「『《〈"
_HAN_RUN = r"[\u3400-\u9fff\uf900-\ufaff]"
_LATIN_NAME = re.compile(r"[A-Za-z][A-Za-z0-9.'’&\- ]*[A-Za-z.]|[A-Za-z]")
_HAN_NAME = re.compile(rf"{_HAN_RUN}[{_HAN_RUN[1:-1]}·]*")
#: The bracket after a name: closing quotes of the name, the bracket, its content.
_BRACKET = re.compile(
    rf"[{_CLOSE_QUOTES}]*\s*[(（【〔\[]([^()（）【】〔〕\[\]\n]{{1,80}})[)）】〕\]]"
)
#: A definition outside brackets: 中华统一促进党，简称统促党.
_OUTSIDE = re.compile(rf"[{_CLOSE_QUOTES}]*\s*[，,]\s*(?:{_CUE})\s*[：:]?\s*")
_ITEM_SEP = re.compile(r"\s*[，,、；;]\s*")
_LEADING_CUE = re.compile(rf"(?:{_CUE})\s*[：:]?\s*")
_ONLY_CUE = re.compile(rf"(?:{_CUE})")
#: Words left out of an acronym's letters (Assistance Association for Political Prisoners).
_MINOR_WORDS = frozenset({"of", "the", "and", "for", "in", "on", "de", "du", "la", "&"})
_LABELS = ("PERSON", "ORG", "LOC")

Kind = Literal["cue", "abbreviation", "latin", "acronym"]


class _Mention(Protocol):
    @property
    def text(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


@dataclass(frozen=True, slots=True)
class Definition:
    """``short`` is another form of the mention ``long`` in its article.

    ``kind`` is how it was said: ``cue`` (简称, 下称, 又称, 音译 …), ``abbreviation`` (a
    bracketed Chinese form whose characters occur in ``long`` in order), ``latin`` (a
    bracketed Latin name after a Chinese one), ``acronym`` (a bracketed Latin acronym,
    which needs the long name's Latin form to spell it: :func:`spells`). ``mention`` is
    the long name's position among the mentions given.
    """

    label: str
    long: str
    short: str
    kind: Kind
    mention: int = 0


def is_abbreviation(short: str, full: str) -> bool:
    """``short``'s characters all occur in ``full`` in order, and it is shorter."""
    it = iter(full)
    return len(short) < len(full) and all(ch in it for ch in short)


def spells(acronym: str, name: str) -> bool:
    """The acronym is the initials of a Latin name's words, with or without the minor
    words (WHO: World Health Organization; AAPP: Assistance Association for Political
    Prisoners)."""
    words = [w for w in re.split(r"[\s\-]+", name) if w]
    if len(words) < 2 or not acronym.isalpha():
        return False
    letters = acronym.casefold()
    full = "".join(w[0] for w in words).casefold()
    major = "".join(w[0] for w in words if w.casefold() not in _MINOR_WORDS).casefold()
    return letters in (full, major)


def _is_acronym(form: str) -> bool:
    return 2 <= len(form) <= 10 and form.isalpha() and form.isupper()


def _clean(item: str) -> str:
    return item.strip().strip(_OPEN_QUOTES + _CLOSE_QUOTES).strip()


def _form(item: str) -> str | None:
    """The name an item of a bracket is (all of it: Chinese or Latin), or None."""
    item = _clean(item)
    if _HAN_NAME.fullmatch(item) or _LATIN_NAME.fullmatch(item):
        return item
    return None


def _bracket_pairs(long: str, content: str) -> Iterable[tuple[str, Kind]]:
    items = [i for i in _ITEM_SEP.split(content.strip()) if i]
    for n, item in enumerate(items):
        cue = _LEADING_CUE.match(item)
        if cue is not None and cue.end() < len(item):
            form = _form(item[cue.end() :])
            if form is not None:
                yield form, "cue"
            continue
        if _ONLY_CUE.fullmatch(item) and n + 1 < len(items):
            # （音译，Wang Ying）: the cue is an item of its own.
            form = _form(items[n + 1])
            if form is not None:
                yield form, "cue"
            return
        if n > 0:
            return  # a later item without a cue is something else (a date, a place)
        form = _form(item)
        if form is None:
            return
        han = _HAN_NAME.fullmatch(form) is not None
        if han and _HAN_NAME.fullmatch(long):
            if len(form) >= 2 and is_abbreviation(fold(form), fold(long)):
                yield form, "abbreviation"
        elif not han and _HAN_NAME.fullmatch(long):
            yield form, "acronym" if _is_acronym(form) else "latin"
        elif not han and _is_acronym(form):
            yield form, "acronym"  # World Health Organization (WHO)


def _outside_pair(long: str, after: str) -> tuple[str, Kind] | None:
    """中华统一促进党，简称统促党的…: the Chinese run after the cue, cut where it stops
    being an abbreviation of the long name; a quoted or Latin form as it stands."""
    if after[:1] in _OPEN_QUOTES:
        end = next((i for i, ch in enumerate(after[1:], 1) if ch in _CLOSE_QUOTES), -1)
        form = _form(after[1:end]) if end > 1 else None
        return (form, "cue") if form is not None else None
    latin = _LATIN_NAME.match(after)
    if latin is not None:
        return latin.group(), "cue"
    run = _HAN_NAME.match(after)
    if run is None:
        return None
    text, full = run.group(), fold(long)
    for end in range(min(len(text), len(full) - 1), 1, -1):
        if is_abbreviation(fold(text[:end]), full):
            return text[:end], "cue"
    return None


def definitions(text: str, mentions: Iterable[_Mention]) -> list[Definition]:
    """The definitions an article gives its PERSON, ORG and LOC mentions (in order)."""
    out: list[Definition] = []
    seen: set[tuple[str, str, str]] = set()
    for index, m in enumerate(mentions):
        if m.label not in _LABELS:
            continue
        found: list[tuple[str, Kind]] = []
        bracket = _BRACKET.match(text, m.end)
        if bracket is not None:
            found.extend(_bracket_pairs(m.text, bracket.group(1)))
        else:
            outside = _OUTSIDE.match(text, m.end)
            if outside is not None:
                pair = _outside_pair(m.text, text[outside.end() : outside.end() + 40])
                if pair is not None:
                    found.append(pair)
        for short, kind in found:
            if fold(short) == fold(m.text) or (m.label, m.text, short) in seen:
                continue
            seen.add((m.label, m.text, short))
            out.append(Definition(m.label, m.text, short, kind, index))
    return out
