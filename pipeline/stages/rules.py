"""The gazetteer component: modern news names the model rarely saw, and guide fixes.

``zh_news_rules`` runs after the NER component. Its data: ``pipeline/data/places.tsv``
(countries, capitals, cities, provinces; generated from the licensed lexicons by
scripts/build_userdict.py) and the team's ``pipeline/data/gazetteer.tsv`` (text,
label; ``-`` = never an entity), which wins where both list a name:

- a model entity whose text is listed gets the listed label (五角大楼 → ORG, as the
  guide asks for buildings that stand for an institution), or is dropped (月球);
- a listed name the model missed is added where it starts and ends on token
  boundaries and overlaps no model entity, or where it strictly contains the
  model's entities (the longest name wins: 台积 → 台积电).

Matching runs on the Simplified shadow, so Traditional text is covered too.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.stages.ner import split_doc, token_spans
from pipeline.stages.segment import to_simplified

COMPONENT = "zh_news_rules"
NOT_ENTITY = "-"


def gazetteer_paths() -> tuple[Path, ...]:
    """The lists shipped with the package: generated places first, the team's list last."""
    data = resources.files("pipeline") / "data"
    return (Path(str(data / "places.tsv")), Path(str(data / "gazetteer.tsv")))


@lru_cache(maxsize=4)
def load_gazetteer(paths: tuple[Path, ...] | None = None) -> dict[str, str]:
    """name (Simplified) → label or ``-``; a later file overrides an earlier one."""
    table: dict[str, str] = {}
    for path in paths or gazetteer_paths():
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            text, _, label = line.partition("\t")
            table[to_simplified(text.strip())] = label.strip()
    return table


@lru_cache(maxsize=4)
def _pattern(paths: tuple[Path, ...] | None = None) -> re.Pattern[str]:
    names = sorted((n for n, lab in load_gazetteer(paths).items() if lab != NOT_ENTITY), key=len)
    alternation = "|".join(re.escape(n) for n in reversed(names))
    # Latin names must not sit inside a longer Latin word (BBC in BBCX, G7 in G77).
    return re.compile(rf"(?<![A-Za-z0-9])(?:{alternation})(?![A-Za-z0-9])")


class RulesComponent:
    """spaCy component applying the gazetteer to ``doc.ents``."""

    def __init__(self, name: str = COMPONENT, *, paths: tuple[Path, ...] | None = None) -> None:
        self.name = name
        self.table = load_gazetteer(paths)
        self.pattern = _pattern(paths)

    def __call__(self, doc: Doc) -> Doc:
        shadow = doc._.zhs if doc._.zhs is not None else to_simplified(doc.text)
        ents: list[tuple[int, int, str]] = []
        for ent in doc.ents:
            listed = self.table.get(shadow[ent.start_char : ent.end_char])
            if listed == NOT_ENTITY:
                continue
            ents.append((ent.start_char, ent.end_char, listed or ent.label_))
        spans = token_spans(doc)
        starts = {a for a, _ in spans}
        ends = {b for _, b in spans}
        added: list[tuple[int, int, str]] = []
        for m in self.pattern.finditer(shadow):
            s, e = m.span()
            inside = [x for x in ents if x[0] < e and s < x[1]]
            if not inside:
                if s in starts and e in ends:
                    added.append((s, e, self.table[m.group()]))
            elif all(s <= a and b <= e for a, b, _ in inside) and any(
                (a, b) != (s, e) for a, b, _ in inside
            ):
                ents = [x for x in ents if x not in inside]
                added.append((s, e, self.table[m.group()]))
        if (
            not added
            and len(ents) == len(doc.ents)
            and all(
                (x.start_char, x.end_char, x.label_) == y
                for x, y in zip(doc.ents, ents, strict=True)
            )
        ):
            return doc
        doc.ents = []
        return split_doc(doc, sorted(ents + added))


@Language.factory(COMPONENT, assigns=["doc.ents"], requires=["doc.ents"])
def make_rules(nlp: Language, name: str) -> RulesComponent:
    """Factory of the gazetteer component (data: places.tsv and gazetteer.tsv)."""
    return RulesComponent(name)
