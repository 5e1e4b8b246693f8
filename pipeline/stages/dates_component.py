"""The DATE component: rule-found dates in ``doc.ents``, with normalized values.

It runs after any NER component. DATE spans come from the rules of
:mod:`pipeline.stages.dates` only: measured on People's Daily, a model's date spans
include the vague and time-of-day expressions the guide excludes, and a span still
needs the rules for its value (docs/dates.md). So a model's own DATE entities are
replaced, and rule dates are added wherever no PERSON/ORG/LOC overlaps them. Values
live in ``doc._.date_values`` keyed by character offsets, resolved against
``doc._.published`` in ``doc._.timezone``.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.stages.dates import find_dates, local_date
from pipeline.stages.ner import split_doc

COMPONENT = "zh_news_dates"
DEFAULT_TIMEZONE = "Asia/Shanghai"

for _name in ("published", "timezone", "date_values"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


class DatesComponent:
    """spaCy component adding DATE entities and their values."""

    def __init__(self, name: str = COMPONENT) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        published = doc._.published
        ref = (
            local_date(published, doc._.timezone or DEFAULT_TIMEZONE)
            if published is not None
            else None
        )
        others = [(e.start_char, e.end_char) for e in doc.ents if e.label_ != "DATE"]
        values: dict[tuple[int, int], str | None] = {}
        new: list[tuple[int, int, str]] = []
        for m in find_dates(doc.text, published=ref):
            if all(m.end <= s or m.start >= e for s, e in others):
                new.append((m.start, m.end, "DATE"))
                values[(m.start, m.end)] = m.value
        if any(e.label_ == "DATE" for e in doc.ents):
            doc.ents = [e for e in doc.ents if e.label_ != "DATE"]
        out = split_doc(doc, new) if new else doc
        out._.date_values = values
        return out


@Language.factory(COMPONENT, assigns=["doc.ents", "doc._.date_values"], requires=["token.text"])
def make_dates(nlp: Language, name: str) -> DatesComponent:
    """Factory of the DATE component (no weights: rules and a lunar calendar)."""
    return DatesComponent(name)
