"""The DATE component: rule-found dates merged into ``doc.ents``, with normalized values.

It runs after any NER component. Dates a model already proposed keep their span
and get a value from :func:`pipeline.stages.dates.normalize_date`; the rules add
every date no other entity overlaps. Values live in ``doc._.date_values``, keyed
by character offsets, resolved against ``doc._.published`` in ``doc._.timezone``.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.stages.dates import find_dates, local_date, normalize_date
from pipeline.stages.ner import split_doc

COMPONENT = "zh_news_dates"
DEFAULT_TIMEZONE = "Asia/Shanghai"

for _name, _default in (("published", None), ("timezone", None), ("date_values", None)):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)


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
        values: dict[tuple[int, int], str | None] = {}
        taken: list[tuple[int, int]] = []
        for ent in doc.ents:
            taken.append((ent.start_char, ent.end_char))
            if ent.label_ == "DATE":
                values[(ent.start_char, ent.end_char)] = normalize_date(ent.text, published=ref)
        new: list[tuple[int, int, str]] = []
        for m in find_dates(doc.text, published=ref):
            if all(m.end <= s or m.start >= e for s, e in taken):
                new.append((m.start, m.end, "DATE"))
                values[(m.start, m.end)] = m.value
        out = split_doc(doc, new) if new else doc
        out._.date_values = values
        return out


@Language.factory(COMPONENT, assigns=["doc.ents", "doc._.date_values"], requires=["token.text"])
def make_dates(nlp: Language, name: str) -> DatesComponent:
    """Factory of the DATE component (no weights: rules and a lunar calendar)."""
    return DatesComponent(name)
