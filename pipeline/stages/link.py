"""Link stage: group an article's mentions into distinct entities.

Mentions with the same label and text are one entity; so are a name and the
other-script form written in brackets right after it (达克沃斯（Tammy Duckworth）),
a full foreign name and its last part (劳埃德·奥斯汀 / 奥斯汀), and dates with the
same value. The canonical name is the most frequent Chinese-script form; the key
(:mod:`pipeline.stages.keys`) identifies the entity across articles.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass, field

from pipeline.schema import Entity, Label
from pipeline.stages.keys import article_keys, entity_key

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_NAME_SEP = re.compile(r"[·•‧・]")


@dataclass(slots=True)
class Span:
    """A mention before linking: label, surface text, offsets and DATE value."""

    start: int
    end: int
    label: Label
    text: str
    value: str | None = None
    entity: int = -1


@dataclass(slots=True)
class _Group:
    label: Label
    forms: Counter[str] = field(default_factory=Counter)
    first: int = 0
    value: str | None = None


def has_han(text: str) -> bool:
    """True when the text holds a Chinese character."""
    return _HAN.search(text) is not None


#: Between a name and its bracketed other form: closing quotes or title marks around the
#: name (“南方共同市场”(MERCOSUR), 《国家邮报》（National Post）), the bracket, a cue that
#: says what follows (音译，Wang Ying; 英文：…; 简称…) and an opening quote.
_GAP_OPEN = re.compile(
    r"[”’\"'」』》〉]*\s*[(（\[【〔]\s*"
    r"(?:(?:英文|英語|英语)(?:名称|名稱|名|简称|簡稱)?|音译|音譯|原名|全称|全稱|"
    r"(?:以下|下)?(?:简称|簡稱|称|稱)|又称|又稱)?"
    r"\s*[，,：:]?\s*[“‘\"'「『《〈]?"
)
#: After the bracketed form: a closing quote, then the bracket's end or the next item of a
#: list (（WHO，总部在日内瓦）).
_GAP_CLOSE = re.compile(r"\.?\s*[”’\"'」』》〉]?\s*[)）\]】〕，,、；;]")


def _bracketed_after(text: str, a: Span, b: Span) -> bool:
    """``b`` is the first thing inside brackets right after ``a``: 名字（Name）, also with
    quotes around the name, a cue before ``b`` (音译，Wang Ying) or more items after it.
    (Surangel Whipps Jr.）: the abbreviation's dot is outside the mention.)"""
    return (
        _GAP_OPEN.fullmatch(text, a.end, b.start) is not None
        and _GAP_CLOSE.match(text, b.end) is not None
    )


def _alias_like(name: str, other: str) -> bool:
    """Another script (中文 / Latin), or an abbreviation whose characters all occur in order."""
    if has_han(name) != has_han(other):
        return True
    it = iter(name)
    return len(other) < len(name) and all(ch in it for ch in other)


def _key(span: Span) -> tuple[str, str]:
    if span.label == "DATE" and span.value:
        return ("DATE", span.value)
    return (span.label, span.text)


def link(text: str, spans: list[Span]) -> list[Entity]:
    """Assign ``span.entity`` for every span (sorted by offset) and return the entities."""
    parent: dict[tuple[str, str], tuple[str, str]] = {}

    def find(k: tuple[str, str]) -> tuple[str, str]:
        while parent.setdefault(k, k) != k:
            k = parent[k]
        return k

    def union(a: tuple[str, str], b: tuple[str, str]) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[rb] = ra

    for s in spans:
        find(_key(s))
    # Bracketed alias right after a name, same label, other script (or an abbreviation).
    for a, b in itertools.pairwise(spans):
        if (
            a.label == b.label
            and a.label != "DATE"
            and _bracketed_after(text, a, b)
            and _alias_like(a.text, b.text)
        ):
            union(_key(a), _key(b))
    # Foreign full names written with a middle dot, and their last part.
    persons = {s.text for s in spans if s.label == "PERSON"}
    for full in persons:
        parts = [p for p in _NAME_SEP.split(full) if p]
        if len(parts) > 1 and parts[-1] in persons:
            union(("PERSON", full), ("PERSON", parts[-1]))

    groups: dict[tuple[str, str], _Group] = {}
    order: list[tuple[str, str]] = []
    for s in spans:
        root = find(_key(s))
        g = groups.get(root)
        if g is None:
            g = groups[root] = _Group(label=s.label, first=s.start, value=s.value)
            order.append(root)
        g.forms[s.text] += 1
    index = {root: i for i, root in enumerate(order)}
    for s in spans:
        s.entity = index[find(_key(s))]

    entities: list[Entity] = []
    for root in order:
        g = groups[root]
        ranked = sorted(g.forms.items(), key=lambda kv: (not has_han(kv[0]), -kv[1], -len(kv[0])))
        name = ranked[0][0]
        entities.append(
            Entity(
                label=g.label,
                name=name,
                aliases=[f for f, _ in ranked[1:]],
                count=sum(g.forms.values()),
                value=g.value if g.label == "DATE" else None,
                key=entity_key(g.label, g.forms, value=g.value, context=text),
            )
        )
    # Short forms the article's other entities decide (蔡 / 蔡英文, 欧 / 欧洲).
    refined = article_keys(
        [(e.label, groups[r].forms, e.key or "") for e, r in zip(entities, order, strict=True)]
    )
    for e, key in zip(entities, refined, strict=True):
        e.key = key
    return entities
