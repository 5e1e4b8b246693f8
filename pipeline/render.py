"""HTML rendering of a record with its entities highlighted (displacy's look).

One renderer serves three places: a record's ``_repr_html_`` in Jupyter, its
``render()`` for use outside notebooks, and the article sample of the batch report
(:mod:`pipeline.report`). Colors come from :data:`COLORS`, which the terminal view
(``pipeline show``) shares.

The highlights look like displacy's entity view, plus a tooltip on every mention
(label, canonical entity name, DATE value), a header with the article's metadata and
a legend with the counts per label. The markup is built here rather than by displacy
so that every piece of article data goes through the one escaping and linking path
(:mod:`pipeline.markup`). All styles are inline or in one ``<style>`` block scoped to
``.zhne``, so the markup is self-contained and does not leak into a notebook's other
cells; it holds no script, no event handler and links only to http(s) URLs.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pipeline.markup import HEAD_META, esc, link
from pipeline.urls import safe_url

if TYPE_CHECKING:
    from pipeline.schema import Mention, Record

#: One color per label, shared by notebooks, the terminal view and the report.
COLORS: dict[str, str] = {
    "PERSON": "#f6c28b",
    "ORG": "#9cc9f5",
    "LOC": "#a8e6a1",
    "DATE": "#d9b8f2",
}

#: Characters of text a notebook view (``_repr_html_``) shows at most; the rest is
#: announced, not drawn (a browser tab chokes on megabytes of marks).
HTML_MAX_CHARS = 20_000

#: Human names of the labels, for legends and headings.
LABEL_NAMES: dict[str, str] = {
    "PERSON": "People",
    "ORG": "Organizations",
    "LOC": "Places",
    "DATE": "Dates",
}

#: Fonts that hold both Chinese scripts on the usual systems, then generic fallbacks.
FONT_STACK = (
    '-apple-system, BlinkMacSystemFont, "Segoe UI", "PingFang SC", "Hiragino Sans GB", '
    '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Microsoft YaHei", '
    '"WenQuanYi Micro Hei", Helvetica, Arial, sans-serif'
)

# One line per mark (newlines inside <mark> would show as spaces between Chinese
# characters), with a tooltip (``title``); every value is escaped before it is filled in.
_MARK = (
    '<mark class="entity" data-label="{label}" title="{tip}" style="background: {bg}; '
    "color: #1d1d1f; padding: 0.2em 0.35em; margin: 0 0.1em; line-height: 1; "
    'border-radius: 0.35em; box-decoration-break: clone; -webkit-box-decoration-break: clone;">'
    "{text}"
    '<span style="font-size: 0.62em; font-weight: 700; line-height: 1; '
    'vertical-align: middle; margin-left: 0.3em; letter-spacing: 0.02em; opacity: 0.75;">'
    "{label}</span></mark>"
)
_DEFAULT_BG = "#dddddd"

#: Styles of the record view, scoped to ``.zhne`` (shared with the report).
RECORD_CSS = f"""
.zhne {{ font-family: {FONT_STACK}; color: #1d1d1f; max-width: 60rem; }}
.zhne-record {{ margin: 0 0 1.5rem 0; }}
.zhne-record .zhne-title {{ font-size: 1.25rem; font-weight: 700; margin: 0 0 0.35rem 0;
  line-height: 1.9; }}
.zhne-record .zhne-title .entities {{ line-height: 1.9 !important; }}
.zhne-record .zhne-meta {{ font-size: 0.82rem; color: #5f6368; margin: 0 0 0.6rem 0; }}
.zhne-record .zhne-meta a {{ color: #1a5fb4; text-decoration: none; }}
.zhne-record .zhne-legend {{ display: flex; flex-wrap: wrap; gap: 0.4rem; margin: 0 0 0.6rem 0; }}
.zhne-record .zhne-chip {{ font-size: 0.75rem; font-weight: 600; padding: 0.1rem 0.5rem;
  border-radius: 1rem; color: #1d1d1f; }}
.zhne-record .zhne-body {{ font-size: 1rem; }}
.zhne-record .zhne-body .entities {{ line-height: 2.1 !important; }}
.zhne-record mark.entity {{ cursor: help; }}
.zhne-record .zhne-caption {{ font-size: 0.9rem; font-style: italic; color: #3c3c43;
  border-left: 3px solid #c7c7cc; padding-left: 0.6rem; margin: 0.2rem 0; }}
.zhne-record .zhne-caption::before {{ content: "图说 caption"; font-style: normal;
  font-size: 0.7rem; color: #8e8e93; margin-right: 0.5rem; }}
"""


def _zone(name: str) -> dt.tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return dt.UTC


def format_published(record: Record) -> str | None:
    """The publication instant in the newsroom's zone, e.g. ``2022-01-06 04:45 (Asia/Shanghai)``."""
    if record.published is None:
        return None
    local = record.published.astimezone(_zone(record.timezone))
    return f"{local:%Y-%m-%d %H:%M} ({record.timezone})"


def mention_tip(record: Record, mention: Mention) -> str:
    """Tooltip text of one mention: label, entity name if different, DATE value."""
    parts: list[str] = [mention.label]
    entity = record.entities[mention.entity] if mention.entity < len(record.entities) else None
    if entity is not None and entity.name != mention.text:
        parts.append(f"→ {entity.name}")
    if mention.label == "DATE":
        parts.append(f"= {mention.value}" if mention.value else "(no value)")
    if entity is not None and entity.count > 1:
        parts.append(f"· {entity.count} mentions")
    return " ".join(parts)


class _Mark(NamedTuple):
    """One highlight: offsets relative to the rendered piece of text, label, tooltip."""

    start: int
    end: int
    label: str
    tip: str


def _text(text: str) -> str:
    """Escaped text with its line breaks kept."""
    return "<br>".join(esc(line) for line in text.split("\n"))


def highlight(text: str, marks: list[_Mark]) -> str:
    """``text`` with ``marks`` (sorted, non-overlapping) as displacy-style ``<mark>``s."""
    parts: list[str] = []
    pos = 0
    for m in marks:
        parts.append(_text(text[pos : m.start]))
        parts.append(
            _MARK.format(
                label=esc(m.label),
                tip=esc(m.tip),
                bg=COLORS.get(m.label, _DEFAULT_BG),
                text=_text(text[m.start : m.end]),
            )
        )
        pos = m.end
    parts.append(_text(text[pos:]))
    return (
        '<div class="entities" style="line-height: 2.5; direction: ltr">'
        + "".join(parts)
        + "</div>"
    )


def _marks(record: Record, lo: int, hi: int) -> list[_Mark]:
    """The marks of the mentions inside ``[lo, hi)``, shifted to start at ``lo``."""
    marks: list[_Mark] = []
    last_end = lo
    for m in sorted(record.mentions, key=lambda m: (m.start, -m.end)):
        if m.start < last_end or m.end > hi:
            continue  # overlapping or crossing the boundary: marks do not nest
        marks.append(_Mark(m.start - lo, m.end - lo, m.label, mention_tip(record, m)))
        last_end = m.end
    return marks


def _split_title(record: Record) -> int:
    """Length of the title line at the head of ``text`` (0 when the text has none)."""
    if record.title and record.text.startswith(record.title):
        end = len(record.title)
        if end == len(record.text) or record.text[end] == "\n":
            return end
    return 0


def _segments(record: Record, start: int) -> list[tuple[int, int, bool]]:
    """``text[start:]`` as runs of lines: ``(lo, hi, is_caption)``, captions apart."""
    runs: list[tuple[int, int, bool]] = []
    for block in record.blocks:
        if block.end < start:
            continue
        lo = max(block.start, start)
        caption = block.kind == "caption"
        if runs and not caption and not runs[-1][2]:
            runs[-1] = (runs[-1][0], block.end, False)
        else:
            runs.append((lo, block.end, caption))
    if not runs:
        return [(start, len(record.text), False)]
    return runs


def _legend(record: Record) -> str:
    counts: Counter[str] = Counter(m.label for m in record.mentions)
    entities: Counter[str] = Counter(e.label for e in record.entities)
    chips = []
    for label, color in COLORS.items():
        n = counts.get(label, 0)
        tip = f"{n} mentions of {entities.get(label, 0)} distinct {LABEL_NAMES[label].lower()}"
        chips.append(
            f'<span class="zhne-chip" style="background: {color}" title="{esc(tip)}">'
            f"{label} {n}</span>"
        )
    return f'<div class="zhne-legend">{"".join(chips)}</div>'


def _meta(record: Record) -> str:
    bits: list[str] = []
    when = format_published(record)
    if when:
        bits.append(esc(when))
    url = safe_url(record.url)  # a records file may hold any URL: link http(s) only
    if url is not None:
        bits.append(link(url, urlsplit(url).netloc or url))
    bits.append(f"<code>{esc(record.id)}</code>")
    return f'<div class="zhne-meta">{" · ".join(bits)}</div>'


def _hidden_note(record: Record, shown_end: int) -> str:
    """A line saying how much of the text and how many mentions a capped view leaves out."""
    chars = len(record.text) - shown_end
    mentions = sum(1 for m in record.mentions if m.end > shown_end)
    return (
        f'<div class="zhne-more" style="color: #5f6368; font-size: 0.85rem; margin-top: 0.6rem;">'
        f"… {chars:,} more characters and {mentions:,} more mentions not shown "
        f"(showing {shown_end:,} of {len(record.text):,} characters; "
        f"<code>record.render()</code> draws all)</div>"
    )


def record_fragment(record: Record, *, legend: bool = True, max_chars: int | None = None) -> str:
    """The record's HTML without a ``<style>`` block (the report includes :data:`RECORD_CSS`).

    ``max_chars`` caps the text drawn (the legend still counts every mention).
    """
    cut = _split_title(record)
    if cut:
        title = highlight(record.text[:cut], _marks(record, 0, cut))
        body_start = cut + 1
    else:
        title = esc(record.title or record.id)
        body_start = 0
    body_end = len(record.text)
    if max_chars is not None and body_end - body_start > max_chars:
        body_end = body_start + max_chars
    shown = [
        (lo, min(hi, body_end), caption)
        for lo, hi, caption in _segments(record, body_start)
        if lo < body_end
    ]
    body = "".join(
        f'<div class="zhne-caption">{highlight(record.text[lo:hi], _marks(record, lo, hi))}</div>'
        if caption
        else highlight(record.text[lo:hi], _marks(record, lo, hi))
        for lo, hi, caption in shown
    )
    if body_end < len(record.text):
        body += _hidden_note(record, body_end)
    return (
        f'<article class="zhne-record" data-id="{esc(record.id)}">'
        f'<div class="zhne-title">{title}</div>'
        f"{_meta(record)}"
        f"{_legend(record) if legend else ''}"
        f'<div class="zhne-body">{body}</div>'
        "</article>"
    )


def render_record(record: Record, *, page: bool = False, max_chars: int | None = None) -> str:
    """Return HTML of the record's text with its mentions highlighted; DATE values on hover.

    Args:
        record: The record to show.
        page: Return a complete HTML document instead of a fragment for embedding.
        max_chars: Draw at most this many characters of the body and say how much is
            hidden (notebooks pass :data:`HTML_MAX_CHARS`); None draws everything.
    """
    body = record_fragment(record, max_chars=max_chars)
    fragment = f'<div class="zhne"><style>{RECORD_CSS}</style>{body}</div>'
    if not page:
        return fragment
    return (
        f'<!DOCTYPE html>\n<html lang="zh"><head>{HEAD_META}'
        f"<title>{esc(record.title or record.id)}</title></head>"
        f'<body style="margin: 2rem;">{fragment}</body></html>\n'
    )
