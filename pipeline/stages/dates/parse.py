"""Parsing: a recognized span (kind, normalized text) -> a ``Spec`` of what it says."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.stages.dates.patterns import (
    D_DAY,
    D_DAY_RE,
    D_DECADE,
    D_MON,
    D_MPART,
    D_NRANGE,
    D_WEEKPFX,
    D_YEARED,
    SP,
)
from pipeline.stages.dates.tables import (
    CN_DIGITS,
    D_RELMONTH,
    EN_MONTHS,
    RELDAYS,
    RELYEARS,
    SEASONS,
    WEEK_OFFSETS,
    WEEKDAYS,
)


@dataclass(slots=True)
class Spec:
    """What an expression says, before it is resolved against a date."""

    # day month year quarter half season decade week weekend weekday relday holiday dayonly
    grain: str
    year: int | None = None
    year_off: int | None = None
    month: int | None = None
    month_off: int | None = None
    day: int | None = None
    num: int | None = None  # quarter, half, weekday, day offset (relday), decade (2 digits)
    code: str = ""  # season code or holiday name
    week_off: int | None = None  # 上周 -1, 本周 0, 下周 +1
    offset: int = 0  # quarters from the current one (上季度 -1)
    yy: int | None = None  # two-digit year: century from publication


def cn_int(s: str) -> int | None:
    """Parse Arabic or Chinese numerals (二〇二二, 二十五, 一百一十); None if not a number."""
    if not s:
        return None
    if s.isascii():
        return int(s) if s.isdigit() else None
    if not any(c in "十百廿" for c in s):
        digits = [CN_DIGITS.get(c) for c in s]
        if any(d is None for d in digits):
            return None
        return int("".join(str(d) for d in digits))
    total, cur = 0, 0
    for c in s:
        if c in CN_DIGITS:
            cur = CN_DIGITS[c]
        elif c == "十":
            total += (cur or 1) * 10
            cur = 0
        elif c == "百":
            total += (cur or 1) * 100
            cur = 0
        elif c == "廿":
            total += 20
            cur = 0
        else:
            return None
    return total + cur


def _year_fields(m: re.Match[str], spec: Spec) -> None:
    if m.group("ya"):
        spec.year = cn_int(m.group("ya"))
    elif m.group("yroc") or m.group("yroc3"):
        roc = cn_int(m.group("yroc") or m.group("yroc3"))
        spec.year = roc + 1911 if roc else None
    elif m.group("yrel"):
        spec.year_off = RELYEARS[m.group("yrel")]
    elif m.group("yy"):
        spec.yy = cn_int(m.group("yy"))


def _parse_yeared(s: str) -> Spec | None:
    m = D_YEARED.fullmatch(s)
    if m is None:
        return None
    spec = Spec("year")
    _year_fields(m, spec)
    if m.group("m"):
        spec.month = cn_int(m.group("m"))
        spec.grain = "month"
        if m.group("d") or m.group("d2"):
            spec.day = cn_int(m.group("d") or m.group("d2"))
            spec.grain = "day"
    elif m.group("q") or m.group("qq") or "首季" in s:
        spec.grain = "quarter"
        spec.num = cn_int(m.group("q") or m.group("qq") or "1")
    elif m.group("h"):
        spec.grain = "half"
        spec.num = 1 if m.group("h") == "上" else 2
    elif m.group("hol"):
        spec.grain = "holiday"
        spec.code = m.group("hol")
    elif m.group("s"):
        spec.grain = "season"
        spec.code = SEASONS[m.group("s")]
    return spec


def _parse_monthed(s: str) -> Spec | None:
    m = re.fullmatch(rf"{D_MON}(?:{SP}{D_DAY}|{D_MPART})?", s)
    if m is None:
        return None
    spec = Spec("month", month=cn_int(m.group("m")))
    if m.group("d") or m.group("d2"):
        spec.grain = "day"
        spec.day = cn_int(m.group("d") or m.group("d2"))
    return spec


def parse_single(kind: str, s: str) -> Spec | None:
    """Parse one recognized (normalized) span ``s`` of pattern ``kind``."""
    if kind == "stamp":
        return Spec("day", year=int(s[:3]) + 1911, month=int(s[3:5]), day=int(s[5:7]))
    if kind == "iso":
        y, mo, d = re.split(r"[-/.]", s)
        return Spec("day", year=int(y), month=int(mo), day=int(d))
    if kind == "english":
        parts = re.findall(r"[A-Za-z]+|[0-9]+", s)
        name = next(x for x in parts if x.isalpha()).lower()
        d, y = (int(x) for x in parts if x.isdigit())
        mo = next(i for i, full in enumerate(EN_MONTHS, 1) if full.startswith(name[:3]))
        return Spec("day", year=y, month=mo, day=d)
    if kind == "dmy":
        d, mo, y = s.split("/")
        return Spec("day", year=int(y), month=int(mo), day=int(d))
    if kind == "decade":
        m = D_DECADE.match(s)
        if m is None:
            return None
        n = cn_int(m.group("n"))
        if n is None:
            return None
        cent = m.group("cent")
        if n >= 1000:
            return Spec("decade", year=n // 10 * 10)
        if cent:
            base = 1900 if cent in ("上", "上个", "二十", "20") else 2000
            return Spec("decade", year=base + n // 10 * 10)
        return Spec("decade", num=n // 10 * 10)  # century from publication
    if kind == "yeared":
        return _parse_yeared(s)
    if kind == "bareyear":
        spec = Spec("year", year=int(s[:4]))
        if len(s) > 4:
            spec.grain, spec.code = "holiday", s[4:]
        return spec
    if kind == "monthed":
        return _parse_monthed(s)
    if kind == "relmonth":
        for key, off in D_RELMONTH.items():
            if s.startswith(key):
                m = D_DAY_RE.match(s, len(key))
                if m is not None and m.group("d"):
                    return Spec("day", month_off=off, day=cn_int(m.group("d")))
                return Spec("month", month_off=off)
        return None
    if kind == "namedweek":
        m = D_WEEKPFX.fullmatch(s)
        if m is None:
            return None
        off = WEEK_OFFSETS[
            m.group("p")[:2] if m.group("p")[:2] in WEEK_OFFSETS else m.group("p")[:1]
        ]
        w = m.group("w")
        if w == "末":
            return Spec("weekend", week_off=off)
        if w in WEEKDAYS:
            return Spec("weekday", week_off=off, num=WEEKDAYS[w])
        return Spec("week", week_off=off)
    if kind == "weekday":
        return Spec("weekday", num=WEEKDAYS[s[-1]])
    if kind == "relday":
        return Spec("relday", num=RELDAYS[s])
    if kind == "holiday":
        return Spec("holiday", code=s)
    if kind == "quarter":
        if s.endswith("季度") and s[0] in "上下本这":
            return Spec("quarter", num=0, offset={"上": -1, "下": 1}.get(s[0], 0))
        return Spec("quarter", num=1 if s[0] == "首" else cn_int(s[1] if s[0] == "第" else s[0]))
    if kind == "half":
        return Spec("half", num=1 if s[0] == "上" else 2)
    if kind == "season":
        if len(s) == 2 and s[0] in "今去明":
            return Spec("season", year_off=RELYEARS[s[0]], code=SEASONS[s[1]])
        return Spec("season", code=SEASONS[s[0]])
    if kind == "ypart":
        return Spec("year", year_off=0)
    if kind == "mpart":
        return Spec("month", month_off=0)
    if kind == "day":
        return Spec("dayonly", day=cn_int(s.rstrip("日 ")))
    return None


def parse_nrange(s: str) -> tuple[Spec, Spec] | None:
    """Split a numeric range written with one unit (5至7日, 1至3月, 2019-2021年)."""
    m = D_NRANGE.fullmatch(s)
    if m is None:
        return None
    a, b, unit = cn_int(m.group("a")), cn_int(m.group("b")), m.group("unit")
    if a is None or b is None:
        return None
    first = Spec("year")
    _year_fields(m, first)
    if unit == "年":
        return Spec("year", year=a), Spec("year", year=b)
    if unit == "月":
        first.grain, first.month = "month", a
        return first, Spec("month", month=b)
    first.grain, first.month, first.day = "day", cn_int(m.group("m") or ""), a
    return first, Spec("dayonly", day=b)
