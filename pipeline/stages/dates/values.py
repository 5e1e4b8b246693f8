"""The DATE value grammar: what a normalized DATE value may be, written and read in one place.

A value (TIMEX3-like, see ../shared/ANNOTATION.md "DATE and its value") is one period

``YYYY-MM-DD`` a day, ``YYYY-MM`` a month, ``YYYY`` a year, ``YYYY-Www`` an ISO week,
``YYYY-Www-WE`` the weekend (Saturday and Sunday) of an ISO week, ``YYYY-Qn`` a quarter,
``YYYY-Hn`` a half year, ``YYYY-SP|SU|FA|WI`` a season (winter runs December to February),
``YYY`` a decade (``199`` is 1990-1999),

or an interval ``a/b`` of two periods, ``b`` not ending before ``a`` starts and not ``a``.

The date rules write values with the ``*_value`` functions; the gold checker
(:func:`value_problem`), the report (:func:`value_month`) and the date-corpus comparison
(:func:`value_interval`) read them with :func:`parse_value`, so the three cannot disagree.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "FORMS",
    "Period",
    "PeriodKind",
    "day_value",
    "decade_value",
    "half_value",
    "interval_value",
    "month_value",
    "parse_period",
    "parse_value",
    "quarter_value",
    "season_value",
    "value_interval",
    "value_month",
    "value_problem",
    "week_value",
    "weekend_value",
    "year_value",
]

PeriodKind = Literal[
    "day", "month", "year", "week", "weekend", "quarter", "half", "season", "decade"
]

#: The forms of one period, for messages.
FORMS = "YYYY, YYYY-MM, YYYY-MM-DD, YYYY-Www, YYYY-Www-WE, YYYY-Qn, YYYY-Hn, YYYY-SP/SU/FA/WI, YYY"

#: Season code -> first and last month (14 = February of the next year).
SEASON_MONTHS: dict[str, tuple[int, int]] = {
    "SP": (3, 5),
    "SU": (6, 8),
    "FA": (9, 11),
    "WI": (12, 14),
}

_PERIOD = re.compile(
    r"(?:(?P<decade>\d{3})"
    r"|(?P<year>\d{4})"
    r"(?:-(?:(?P<month>\d{2})(?:-(?P<day>\d{2}))?"
    r"|W(?P<week>\d{2})(?P<we>-WE)?|Q(?P<quarter>\d)|H(?P<half>\d)|(?P<season>SP|SU|FA|WI)))?)"
)


@dataclass(frozen=True, slots=True)
class Period:
    """One period named by a value: its kind and its first and last calendar day."""

    kind: PeriodKind
    first: datetime.date
    last: datetime.date


# --------------------------------------------------------------------------- writing


def day_value(date: datetime.date) -> str:
    """``YYYY-MM-DD``."""
    return date.isoformat()


def month_value(year: int, month: int) -> str:
    """``YYYY-MM``."""
    return f"{year:04d}-{month:02d}"


def year_value(year: int) -> str:
    """``YYYY``."""
    return f"{year:04d}"


def week_value(iso_year: int, iso_week: int) -> str:
    """``YYYY-Www`` (ISO year and week)."""
    return f"{iso_year:04d}-W{iso_week:02d}"


def weekend_value(iso_year: int, iso_week: int) -> str:
    """``YYYY-Www-WE``: Saturday and Sunday of the ISO week."""
    return f"{week_value(iso_year, iso_week)}-WE"


def quarter_value(year: int, quarter: int) -> str:
    """``YYYY-Qn``."""
    return f"{year:04d}-Q{quarter}"


def half_value(year: int, half: int) -> str:
    """``YYYY-Hn``."""
    return f"{year:04d}-H{half}"


def season_value(year: int, code: str) -> str:
    """``YYYY-SP|SU|FA|WI``."""
    return f"{year:04d}-{code}"


def decade_value(first_year: int) -> str:
    """``YYY``: the decade starting at ``first_year`` (1990 -> ``199``)."""
    return f"{first_year // 10:03d}"


def interval_value(first: str, last: str) -> str:
    """``a/b``; one period when both ends are the same value."""
    return first if first == last else f"{first}/{last}"


# --------------------------------------------------------------------------- reading


def _month_span(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of a month; ``month`` may run past 12 into the next year."""
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    first = datetime.date(year, month, 1)
    nxt = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return first, nxt - datetime.timedelta(days=1)


def parse_period(value: str) -> Period:
    """The period one value (not an interval) names.

    Raises:
        ValueError: With the reason, when ``value`` is not one well-formed period.
    """
    m = _PERIOD.fullmatch(value)
    if m is None:
        raise ValueError(f"not one of {FORMS}")
    if m["decade"] is not None:
        start = int(m["decade"]) * 10
        if start < 1:
            raise ValueError(f"no decade {value}")
        return Period("decade", datetime.date(start, 1, 1), datetime.date(start + 9, 12, 31))
    year = int(m["year"])
    if year < 1:
        raise ValueError("year 0000 out of range")
    if m["day"] is not None:
        try:
            day = datetime.date(year, int(m["month"]), int(m["day"]))
        except ValueError:
            raise ValueError(f"no such day {value}") from None
        return Period("day", day, day)
    if m["month"] is not None:
        month = int(m["month"])
        if not 1 <= month <= 12:
            raise ValueError(f"month {m['month']} out of range")
        return Period("month", *_month_span(year, month))
    if m["week"] is not None:
        try:
            monday = datetime.date.fromisocalendar(year, int(m["week"]), 1)
        except ValueError:
            raise ValueError(f"ISO year {m['year']} has no week {m['week']}") from None
        sunday = monday + datetime.timedelta(days=6)
        if m["we"]:
            return Period("weekend", monday + datetime.timedelta(days=5), sunday)
        return Period("week", monday, sunday)
    if m["quarter"] is not None:
        q = int(m["quarter"])
        if not 1 <= q <= 4:
            raise ValueError(f"no quarter {q}")
        return Period("quarter", _month_span(year, 3 * q - 2)[0], _month_span(year, 3 * q)[1])
    if m["half"] is not None:
        h = int(m["half"])
        if not 1 <= h <= 2:
            raise ValueError(f"no half {h}")
        return Period("half", _month_span(year, 6 * h - 5)[0], _month_span(year, 6 * h)[1])
    if m["season"] is not None:
        a, b = SEASON_MONTHS[m["season"]]
        return Period("season", _month_span(year, a)[0], _month_span(year, b)[1])
    return Period("year", datetime.date(year, 1, 1), datetime.date(year, 12, 31))


def parse_value(value: str) -> tuple[Period, Period | None]:
    """The period of a value, or the two ends of an interval ``a/b``.

    Raises:
        ValueError: With the reason, when ``value`` is not a well-formed DATE value.
    """
    parts = value.split("/")
    if len(parts) > 2:
        raise ValueError("an interval has exactly one '/'")
    periods = []
    for part in parts:
        try:
            periods.append(parse_period(part))
        except ValueError as e:
            raise ValueError(f"{value!r}: {e}") from None
    if len(periods) == 1:
        return periods[0], None
    a, b = periods
    if parts[0] == parts[1]:
        raise ValueError(f"{value!r}: an interval of one value")
    if b.last < a.first:
        raise ValueError(f"{value!r}: the interval ends before it starts")
    return a, b


def value_problem(value: str) -> str | None:
    """Why ``value`` is not a well-formed DATE value, or None if it is."""
    try:
        parse_value(value)
    except ValueError as e:
        return str(e)
    return None


def value_interval(value: str) -> tuple[datetime.date, datetime.date] | None:
    """The calendar days a value covers, first and last (None for a malformed value).

    ``2022-W01`` → 2022-01-03…2022-01-09, ``2021-Q4`` → 2021-10-01…2021-12-31,
    ``199`` → 1990…1999, ``2022-WI`` → 2022-12-01…2023-02-28, ``a/b`` → a's first…b's last.
    """
    try:
        a, b = parse_value(value)
    except ValueError:
        return None
    return a.first, (b or a).last


def value_month(value: str | None) -> str | None:
    """``YYYY-MM`` of a value naming a day, a month, a week or a weekend, else None.

    An interval counts by its start; a week by its Thursday (the ISO rule for the
    month a week belongs to); a weekend by its Saturday.
    """
    if not value:
        return None
    try:
        period, _ = parse_value(value)
    except ValueError:
        return None
    if period.kind in ("day", "month", "weekend"):
        day = period.first
    elif period.kind == "week":
        day = period.first + datetime.timedelta(days=3)
    else:
        return None
    return f"{day:%Y-%m}"
