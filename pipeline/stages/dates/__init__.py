"""DATE stage: find calendar expressions in Chinese news text and normalize them.

Rule-based and pure Python. Recognition follows ../shared/ANNOTATION.md ("DATE and
its value"); values are resolved against the article's publication date, given
as a local calendar date (see :mod:`pipeline.stages.zones`).

The text is first mapped character by character (same length, so offsets hold)
to half-width digits and Simplified forms of the few Traditional characters the
patterns use; one precompiled alternation then finds candidate spans, and a
small parser per expression kind turns each span into a value.

Modules, in the order a span goes through them:

- :mod:`~pipeline.stages.dates.tables`: vocabulary (character map, numerals, holidays);
- :mod:`~pipeline.stages.dates.patterns`: the regular expressions;
- :mod:`~pipeline.stages.dates.parse`: a recognized span -> what it says (``Spec``);
- :mod:`~pipeline.stages.dates.resolve`: ``Spec`` + publication date -> a period;
- :mod:`~pipeline.stages.dates.values`: the DATE value grammar (writing and reading
  values), also used by the gold checker and the report;
- :mod:`~pipeline.stages.dates.find`: the whole pass over a text.
"""

from __future__ import annotations

from pipeline.stages.dates.find import DateMention, find_dates, normalize_date
from pipeline.stages.dates.patterns import FIRST_CHARS, PATTERNS
from pipeline.stages.dates.tables import FIXED_HOLIDAYS, LUNAR_HOLIDAYS, RULE_HOLIDAYS
from pipeline.stages.dates.values import value_interval, value_month, value_problem

__all__ = [
    "FIRST_CHARS",
    "FIXED_HOLIDAYS",
    "LUNAR_HOLIDAYS",
    "PATTERNS",
    "RULE_HOLIDAYS",
    "DateMention",
    "find_dates",
    "normalize_date",
    "value_interval",
    "value_month",
    "value_problem",
]
