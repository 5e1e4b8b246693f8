"""Resolution: a ``Spec`` and the publication date -> a period and its value.

Values are written by :mod:`pipeline.stages.dates.values`, the one owner of the grammar.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, replace

from lunardate import LunarDate

from pipeline.stages.dates.parse import Spec
from pipeline.stages.dates.tables import FIXED_HOLIDAYS, LUNAR_HOLIDAYS
from pipeline.stages.dates.values import (
    SEASON_MONTHS,
    day_value,
    decade_value,
    half_value,
    interval_value,
    month_value,
    quarter_value,
    season_value,
    week_value,
    weekend_value,
    year_value,
)


@dataclass(frozen=True, slots=True)
class Resolved:
    """A resolved period: its value and first/last day (for ranges)."""

    value: str
    first: datetime.date
    last: datetime.date


def _month_last(year: int, month: int) -> datetime.date:
    if month == 12:
        return datetime.date(year, 12, 31)
    return datetime.date(year, month + 1, 1) - datetime.timedelta(days=1)


def _distance(pub: datetime.date, first: datetime.date, last: datetime.date) -> int:
    if pub < first:
        return (first - pub).days
    if pub > last:
        return (pub - last).days
    return 0


def _shift_month(year: int, month: int, offset: int) -> tuple[int, int]:
    k = year * 12 + (month - 1) + offset
    return k // 12, k % 12 + 1


# --- holidays -------------------------------------------------------------


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> datetime.date:
    first = datetime.date(year, month, 1)
    return first + datetime.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _easter(year: int) -> datetime.date:
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    lx = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 19 * lx) // 433
    month = (h + lx - 7 * m + 90) // 25
    day = (h + lx - 7 * m + 33 * month + 19) % 32
    return datetime.date(year, month, day)


def _qingming(year: int) -> datetime.date:
    yy = year % 100
    c = 4.81 if year >= 2000 else 5.59
    return datetime.date(year, 4, int(yy * 0.2422 + c) - yy // 4)


_RULE_DATES: dict[str, Callable[[int], datetime.date]] = {
    "母亲节": lambda y: _nth_weekday(y, 5, 6, 2),
    "父亲节": lambda y: _nth_weekday(y, 6, 6, 3),
    "感恩节": lambda y: _nth_weekday(y, 11, 3, 4),
    "复活节": _easter,
    "清明节": _qingming,
    "清明": _qingming,
}


def holiday_date(name: str, year: int, *, traditional: bool) -> datetime.date | None:
    """Gregorian date of holiday ``name`` in Gregorian ``year`` (None if unknown)."""
    if name in ("国庆", "国庆节", "国庆日") and traditional:
        return datetime.date(year, 10, 10)  # 國慶 in Taiwanese usage: Double Ten
    if name in FIXED_HOLIDAYS:
        month, day = FIXED_HOLIDAYS[name]
        return datetime.date(year, month, day)
    if name in _RULE_DATES:
        return _RULE_DATES[name](year)
    if name in LUNAR_HOLIDAYS:
        month, day = LUNAR_HOLIDAYS[name]
        try:
            if month == 0:  # lunar new year's eve
                new_year: datetime.date = LunarDate(year, 1, 1).to_solar_date()
                return new_year - datetime.timedelta(days=1)
            solar: datetime.date = LunarDate(year, month, day).to_solar_date()
            return solar
        except ValueError:
            return None
    return None


def _nearest(
    pub: datetime.date,
    make: Callable[[int], Resolved | None],
    spread: int = 1,
) -> Resolved | None:
    best: Resolved | None = None
    best_d = 0
    for y in range(pub.year - spread, pub.year + spread + 1):
        r = make(y)
        if r is None:
            continue
        d = _distance(pub, r.first, r.last)
        if best is None or d < best_d:
            best, best_d = r, d
    return best


def _day(y: int, mo: int, d: int) -> Resolved | None:
    try:
        date = datetime.date(y, mo, d)
    except ValueError:
        return None
    return Resolved(day_value(date), date, date)


def _month(y: int, mo: int) -> Resolved | None:
    if not 1 <= mo <= 12 or not 1 <= y <= 9999:
        return None
    return Resolved(month_value(y, mo), datetime.date(y, mo, 1), _month_last(y, mo))


def _quarter(y: int, q: int) -> Resolved | None:
    if not 1 <= q <= 4:
        return None
    first = datetime.date(y, 3 * q - 2, 1)
    return Resolved(quarter_value(y, q), first, _month_last(y, 3 * q))


def _half(y: int, h: int) -> Resolved:
    first = datetime.date(y, 1 if h == 1 else 7, 1)
    return Resolved(half_value(y, h), first, _month_last(y, 6 if h == 1 else 12))


def _season(y: int, code: str) -> Resolved:
    a, b = SEASON_MONTHS[code]
    ey, em = _shift_month(y, 1, b - 1)
    return Resolved(season_value(y, code), datetime.date(y, a, 1), _month_last(ey, em))


def _year(y: int) -> Resolved | None:
    if not 1 <= y <= 9999:
        return None
    return Resolved(year_value(y), datetime.date(y, 1, 1), datetime.date(y, 12, 31))


def _holiday(y: int, name: str, traditional: bool) -> Resolved | None:
    date = holiday_date(name, y, traditional=traditional)
    return None if date is None else Resolved(day_value(date), date, date)


def resolve(
    spec: Spec,
    pub: datetime.date | None,
    *,
    ctx: Resolved | None = None,
    traditional: bool = False,
) -> Resolved | None:
    """Resolve ``spec``; None when out of the calendar's range (year 1 to 9999)."""
    try:
        return _resolve_unsafe(spec, pub, ctx=ctx, traditional=traditional)
    except (ValueError, OverflowError):
        return None


def _resolve_unsafe(
    spec: Spec,
    pub: datetime.date | None,
    *,
    ctx: Resolved | None = None,
    traditional: bool = False,
) -> Resolved | None:
    """Resolve ``spec``; ``ctx`` is the start of a range whose end ``spec`` is."""
    year = spec.year
    if year is None and spec.year_off is not None:
        if pub is None:
            return None
        year = pub.year + spec.year_off
    if year is None and spec.yy is not None:
        if pub is None:
            return None
        year = min(
            (c * 100 + spec.yy for c in range(pub.year // 100 - 1, pub.year // 100 + 2)),
            key=lambda y: abs(y - pub.year),
        )
    g = spec.grain
    if g == "day" or g == "month":
        mo = spec.month
        if spec.month_off is not None:
            if pub is None:
                return None
            year, mo = _shift_month(pub.year, pub.month, spec.month_off)
        if mo is None:
            return None
        day = spec.day

        def make(y: int) -> Resolved | None:
            assert mo is not None
            return _day(y, mo, day) if day is not None else _month(y, mo)

        if year is not None:
            return make(year)
        if ctx is not None:
            r = make(ctx.first.year)
            if r is not None and r.first < ctx.first:
                r = make(ctx.first.year + 1)
            return r
        if pub is None:
            return None
        return _nearest(pub, make) or _nearest(pub, make, spread=4)
    if g == "dayonly":
        d = spec.day
        if d is None:
            return None
        if ctx is not None:
            r = _day(ctx.first.year, ctx.first.month, d)
            if r is None or r.first < ctx.first:
                ny, nm = _shift_month(ctx.first.year, ctx.first.month, 1)
                r = _day(ny, nm, d)
            return r
        if pub is None:
            return None
        best: Resolved | None = None
        for off in (-1, 0, 1):
            y, mo2 = _shift_month(pub.year, pub.month, off)
            r = _day(y, mo2, d)
            if r is not None and (
                best is None or abs((r.first - pub).days) < abs((best.first - pub).days)
            ):
                best = r
        return best
    if g == "year":
        return _year(year) if year is not None else None
    if g == "decade":
        if year is None:
            if spec.num is None:
                return None
            n = spec.num
            ref = pub.year if pub is not None else 1999
            year = (ref // 100) * 100 + n
            if year > ref:
                year -= 100
        return Resolved(
            decade_value(year), datetime.date(year, 1, 1), datetime.date(year + 9, 12, 31)
        )
    if g in ("quarter", "half", "season", "holiday"):
        if g == "quarter" and spec.num == 0:  # 上季度 / 本季度 / 下季度
            if pub is None:
                return None
            k = pub.year * 4 + (pub.month - 1) // 3 + (spec.offset)
            return _quarter(k // 4, k % 4 + 1)
        num = spec.num or 0
        code = spec.code

        def make_p(y: int) -> Resolved | None:
            if g == "quarter":
                return _quarter(y, num)
            if g == "half":
                return _half(y, num)
            if g == "season":
                return _season(y, code)
            return _holiday(y, code, traditional)

        if year is not None:
            return make_p(year)
        if ctx is not None:
            r = make_p(ctx.first.year)
            if r is not None and r.first < ctx.first:
                r = make_p(ctx.first.year + 1)
            return r
        return None if pub is None else _nearest(pub, make_p)
    if g == "relday":
        if pub is None or spec.num is None:
            return None
        date = pub + datetime.timedelta(days=spec.num)
        return Resolved(day_value(date), date, date)
    if g == "weekday":
        wd = spec.num
        if wd is None:
            return None
        if spec.week_off is None and ctx is not None:
            date = ctx.first + datetime.timedelta(days=(wd - ctx.first.weekday()) % 7)
        elif pub is None:
            return None
        elif spec.week_off is None:
            date = pub + datetime.timedelta(days=(wd - pub.weekday() + 3) % 7 - 3)
        else:
            monday = pub - datetime.timedelta(days=pub.weekday())
            date = monday + datetime.timedelta(days=7 * spec.week_off + wd)
        return Resolved(day_value(date), date, date)
    if g in ("week", "weekend"):
        if pub is None or spec.week_off is None:
            return None
        monday = (
            pub
            - datetime.timedelta(days=pub.weekday())
            + datetime.timedelta(days=7 * spec.week_off)
        )
        iy, iw, _ = monday.isocalendar()
        if g == "week":
            return Resolved(week_value(iy, iw), monday, monday + datetime.timedelta(days=6))
        sat = monday + datetime.timedelta(days=5)
        return Resolved(weekend_value(iy, iw), sat, sat + datetime.timedelta(days=1))
    return None


def resolve_pair(
    first: Spec, second: Spec, pub: datetime.date | None, *, traditional: bool
) -> str | None:
    """Value of the range ``first``-``second``; ``second`` inherits missing fields.

    A year-less range takes the year that puts the whole range nearest to publication.
    """
    years: list[int | None] = [None]
    if (
        pub is not None
        and first.year is None
        and first.year_off is None
        and first.month_off is None
        and first.grain in ("day", "month", "quarter", "half", "season", "holiday")
    ):
        years = [pub.year - 1, pub.year, pub.year + 1]
    best: tuple[int, str] | None = None
    for y in years:
        spec = first if y is None else replace(first, year=y)
        ra = resolve(spec, pub, traditional=traditional)
        if ra is None:
            continue
        rb = resolve(second, pub, ctx=ra, traditional=traditional)
        if rb is None or rb.last < ra.first:
            continue
        d = 0 if pub is None else _distance(pub, ra.first, rb.last)
        if best is None or d < best[0]:
            best = (d, interval_value(ra.value, rb.value))
    return None if best is None else best[1]
