"""The DATE component: rule-found dates in ``doc.ents``, with normalized values.

It runs after any NER component. DATE spans come from the rules of
:mod:`pipeline.stages.dates` only: measured on People's Daily, a model's date spans
include the vague and time-of-day expressions the guide excludes, and a span still
needs the rules for its value (docs/dates.md). So a model's own DATE entities are
replaced. How a date and a name that overlap are settled:

- a date the grammar is sure of (a claim of :mod:`pipeline.stages.date_claims`:
  weekday, M月D日, 今天…, on token boundaries) always wins; a name that crosses it
  is cut back to its part outside the date (布林肯星期四 → 布林肯), which only happens
  with models that do not honour preset entities;
- any other date wins over names it contains (周四 read as a person named 周); a
  name that reaches outside it keeps its span (嫦娥5号);
- 周X that reads as a person's name (a byline, a list of names, a listed person) is
  no date at all.

Values live in ``doc._.date_values`` keyed by character offsets, resolved against
``doc._.published`` in ``doc._.timezone``.

A bug in the date rules (here or in the claims) never costs the article: it is
logged, the article keeps its names but gets no DATE, and ``doc._.date_error`` is
set, which the record turns into a ``date_rules_failed`` warning. Inside
:func:`raise_rule_errors` (``--debug``) the exception propagates instead.
"""

from __future__ import annotations

import logging
from bisect import bisect_left

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.stages.date_claims import claims, found_dates, not_names, reference_date
from pipeline.stages.date_errors import rules_failed
from pipeline.stages.docs import overlaps_any, shadow_text, split_doc, token_spans
from pipeline.stages.names import DATES

COMPONENT = DATES

logger = logging.getLogger(__name__)


def _outside(s: int, e: int, label: str, cut: tuple[int, int]) -> list[tuple[int, int, str]]:
    """The parts of name (s, e) outside the date ``cut``; one-character parts are dropped."""
    return [(a, b, label) for a, b in ((s, cut[0]), (cut[1], e)) if b - a >= 2]


class DatesComponent:
    """spaCy component adding DATE entities and their values."""

    def __init__(self, name: str = COMPONENT) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        if doc._.date_error is None:
            try:
                return self._settle(doc)
            except Exception as e:
                rules_failed(doc, e)
        # The rules failed on this article: its names stay, no DATE comes from anywhere.
        dates = [e for e in doc.ents if e.label_ == "DATE"]
        if dates:
            doc.ents = [e for e in doc.ents if e.label_ != "DATE"]
        doc._.date_values = {}
        return doc

    def _settle(self, doc: Doc) -> Doc:
        shadow = shadow_text(doc)
        found = found_dates(doc)
        preset = doc._.date_claims
        if preset is None:  # a pipeline without zh_news_date_claims: settle them now
            ref = reference_date(doc._.published, doc._.timezone)
            preset = claims(shadow, found, token_spans(doc), ref)
        sure = {(m.start, m.end) for m in preset}
        # Claims first; a found date that overlaps one (本礼拜日 across 墨尔本 | 礼拜日) yields.
        in_claim = overlaps_any([(m.start, m.end) for m in preset])
        known = set(preset)
        rest = [m for m in not_names(shadow, found) if m in known or not in_claim(m.start, m.end)]
        dates = sorted({*preset, *rest}, key=lambda m: m.start)
        names = sorted((e.start_char, e.end_char, e.label_) for e in doc.ents if e.label_ != "DATE")
        starts = [s for s, _, _ in names]
        dropped: set[int] = set()  # indexes of names that give way (cut or removed)
        pieces: list[tuple[int, int, str]] = []
        values: dict[tuple[int, int], str | None] = {}
        new: list[tuple[int, int, str]] = []
        for m in dates:
            # Names are disjoint and sorted: those overlapping the date are a run of them.
            i = bisect_left(starts, m.start)
            if i and names[i - 1][1] > m.start:
                i -= 1
            hit = []
            while i < len(names) and names[i][0] < m.end:
                hit.append(i)
                i += 1
            claimed = (m.start, m.end) in sure
            inside = all(m.start <= names[k][0] and names[k][1] <= m.end for k in hit)
            if not (claimed or inside):
                continue  # a name that reaches outside an unsure date keeps its span
            for k in hit:
                if k not in dropped:
                    dropped.add(k)
                    s, e, label = names[k]
                    pieces.extend(_outside(s, e, label, (m.start, m.end)))
            new.append((m.start, m.end, "DATE"))
            values[(m.start, m.end)] = m.value
        kept = [x for k, x in enumerate(names) if k not in dropped]
        if pieces:  # a piece of one name may still overlap another date
            taken = sorted(new)
            pieces = [
                p for p in pieces if not any(a < p[1] and p[0] < b for a, b, _ in _near(taken, p))
            ]
        if len(kept) + len(pieces) != len(doc.ents) or new:
            doc.ents = []
            out = split_doc(doc, sorted([*kept, *pieces, *new]))
        else:
            out = doc
        out._.date_values = values
        return out


def _near(
    spans: list[tuple[int, int, str]], piece: tuple[int, int, str]
) -> list[tuple[int, int, str]]:
    """The spans of a sorted, disjoint list that may overlap ``piece`` (by bisection)."""
    i = bisect_left(spans, (piece[0],))
    return spans[max(0, i - 1) : bisect_left(spans, (piece[1],), lo=i)]


@Language.factory(
    COMPONENT,
    assigns=["doc.ents", "doc._.date_values", "doc._.date_error"],
    requires=["token.text", "doc._.zhs", "doc._.published", "doc._.timezone"],
)
def make_dates(nlp: Language, name: str) -> DatesComponent:
    """Factory of the DATE component (no weights: rules and a lunar calendar)."""
    return DatesComponent(name)
