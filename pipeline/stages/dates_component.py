"""The DATE component: rule-found dates in ``doc.ents``, with normalized values.

It runs after any NER component. DATE spans come from the rules of
:mod:`pipeline.stages.dates` only: measured on People's Daily, a model's date spans
include the vague and time-of-day expressions the guide excludes, and a span still
needs the rules for its value (docs/dates.md). So a model's own DATE entities are
replaced, and rule dates are added unless a PERSON/ORG/LOC reaches outside them
(a name that lies inside a date, such as 周四 read as a person, gives way). Values
live in ``doc._.date_values`` keyed by character offsets, resolved against
``doc._.published`` in ``doc._.timezone``.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.stages.dates import find_dates, local_date
from pipeline.stages.ner import split_doc
from pipeline.stages.segment import doc_text

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
        others = [e for e in doc.ents if e.label_ != "DATE"]
        values: dict[tuple[int, int], str | None] = {}
        new: list[tuple[int, int, str]] = []
        text = doc_text(doc)
        owner = [-1] * len(text)  # character → index of the name covering it
        for k, e in enumerate(others):
            owner[e.start_char : e.end_char] = [k] * (e.end_char - e.start_char)
        for m in find_dates(text, published=ref):
            hit = {owner[i] for i in range(m.start, m.end)} - {-1}
            # A date wins over names it contains (周四 read as a person named 周);
            # a name that reaches outside the date keeps its span (嫦娥5号).
            if all(m.start <= others[k].start_char and others[k].end_char <= m.end for k in hit):
                new.append((m.start, m.end, "DATE"))
                values[(m.start, m.end)] = m.value
        if new or any(e.label_ == "DATE" for e in doc.ents):
            covered = {i for s, t, _ in new for i in range(s, t)}
            keep = [e for e in others if e.start_char not in covered]
            if len(keep) != len(doc.ents):
                doc.ents = keep
        out = split_doc(doc, new) if new else doc
        out._.date_values = values
        return out


@Language.factory(COMPONENT, assigns=["doc.ents", "doc._.date_values"], requires=["token.text"])
def make_dates(nlp: Language, name: str) -> DatesComponent:
    """Factory of the DATE component (no weights: rules and a lunar calendar)."""
    return DatesComponent(name)
