"""HTML rendering of a record with entities highlighted (displacy's entity renderer)."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pipeline.schema import Record

#: One color per label, shared by notebooks, the terminal view and the report.
COLORS: dict[str, str] = {
    "PERSON": "#f6c28b",
    "ORG": "#9cc9f5",
    "LOC": "#a8e6a1",
    "DATE": "#d9b8f2",
}


def render_record(record: Record, *, page: bool = False) -> str:
    """Return HTML of the record's text with its mentions highlighted; DATE values on hover."""
    from spacy import displacy

    ents: list[dict[str, Any]] = [
        {"start": m.start, "end": m.end, "label": m.label} for m in record.mentions
    ]
    data = {"text": record.text, "ents": ents, "title": None}
    markup = str(
        displacy.render(
            data,
            style="ent",
            manual=True,
            page=page,
            jupyter=False,
            options={"colors": COLORS, "ents": list(COLORS)},
        )
    )
    # displacy has no tooltip option: give each <mark> (one per mention, in order) a title.
    parts = markup.split("<mark ")
    for i, m in enumerate(record.mentions, start=1):
        if i < len(parts):
            tip = f"{m.label}: {m.value}" if m.value else m.label
            parts[i] = f'title="{html.escape(tip)}" ' + parts[i]
    markup = "<mark ".join(parts)
    header = html.escape(record.title or record.id)
    return f'<div class="zh-news-record"><h3>{header}</h3>{markup}</div>'
