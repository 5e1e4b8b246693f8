"""DATE stage against the jionlp and Duckling test corpora, mapped to the guide.

The corpora live in ../shared/corpora/time_cases (never copied into this repo);
the module skips when ../shared is absent. Their semantics differ from the guide
(../shared/ANNOTATION.md, "DATE and its value"), so each case is first mapped to
the guide and kept only where the two semantics agree.

Mapping (corpus answer -> guide value, compared as calendar intervals):
- Duckling ``datetime`` with grain Day/Week/Month/Year: the value's day, its
  Monday-Sunday week, its month or its year. Reference 2013-02-12T04:30-02:00
  gives the publication date 2013-02-12.
- Duckling ``datetimeHoliday`` (grain Day) for holidays in the project's table.
- jionlp ``parse_time`` cases with type time_point/time_span, definition
  "accurate", a range aligned to whole days (00:00:00 to 23:59:59) and a
  reference (``time_base``) that is a full date.
- Our answer: the union of the intervals of the mentions found in the text.

Excluded case kinds (the guide defines no DATE value for them, or defines another):
- times of day, hours, minutes, seconds (guide: outside DATE);
- durations and offsets from now (两天前, 三年之后, 上两周, 近30天), recurring
  times (每周六), vague or open-ended times (blur, 至今), jionlp time_delta/period;
- year-less expressions whose corpus answer is not the nearest occurrence
  (Duckling resolves to the next one, jionlp to the current year; the guide to
  the nearest): excluded when the same expression one year (or, for a bare
  weekday, one week) earlier or later is nearer to the reference;
- "next/this <weekday>" where Duckling means the next occurrence rather than a
  day of the next/current calendar week (下周三 = tomorrow in Duckling);
- lunar-calendar dates (八月十五, 五月廿二, 腊月) and ordinal sub-periods the
  guide does not define (十月第一个星期一, 当月第三周, 上月最后五天, 第十天);
- holidays outside the project's table (religious and foreign calendars) and
  the national day, whose date depends on the locale (10-01 or 10-10);
- seasons (jionlp uses other season boundaries than the guide's months);
- numeric formats not used in Chinese news (10/31/1974, 3/3/15, 20240307, 2022 11 23, 6·30,
  1994.01-19, 09-01) and a bare number (2018);
- parts of a period (本月初, 一季度末: jionlp narrows to days, the guide gives the
  containing month or quarter) and lists of several dates (9月10号，11号);
- 这一年 (anaphoric in news text), and cases whose reference is not a full date.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from pipeline.stages.dates import (
    FIXED_HOLIDAYS,
    LUNAR_HOLIDAYS,
    RULE_HOLIDAYS,
    find_dates,
    value_interval,
)

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
CASES_DIR = SHARED / "corpora" / "time_cases"

pytestmark = pytest.mark.skipif(
    not CASES_DIR.is_dir(), reason="../shared/corpora/time_cases is not available"
)

Interval = tuple[dt.date, dt.date]

OUR_HOLIDAYS = {*FIXED_HOLIDAYS, *LUNAR_HOLIDAYS, *RULE_HOLIDAYS}
TIME_OF_DAY = re.compile(r"[点點时時分秒:：]|早上|上午|中午|下午|晚上|凌晨|傍晚|午后|午夜|夜里")
OFFSET = re.compile(
    r"[前后後]$|之[前后後]|以[前后後来內内]|[前后後上下近过過未][0-9一二两兩三四五六七八九十几幾]+[个個]?"
    r"(?:天|日|周|週|星期|礼拜|禮拜|月|年|季度)|[0-9一二两兩三四五六七八九十几幾]+[个個]?"
    r"(?:天|日|周|週|星期|礼拜|禮拜|月|年)[前后後内內]|每|至今|迄今|以来|以來|全天|今明两年"
)
LUNAR = re.compile(
    r"初[一二三四五六七八九十]|[正腊臘冬]月|月[十廿二三][一二三四五六七八九十]?$|廿|农历|農曆|阴历|陰曆"
    r"|年大年三十|年除夕"
)
ORDINAL = re.compile(
    r"第.+[周週天日星月礼禮]|最后|最後|前[两二三四五六七八九十0-9]+天|头|伊始|当月|當月|首月"
)
PART = re.compile(r"[初底末]$|[上中下]旬|季度?[初末底]")
FOREIGN_FORMAT = re.compile(
    r"^\d{1,2}/\d{1,2}(/\d{2,4})?$|^\d{8}$|^\d{4} \d{1,2} \d{1,2}$|·|^\d{4}\.\d|^\d\d-\d\d$|^\d{4}$"
)
LIST = re.compile(r"[，,、]")
YEAR_IN_TEXT = re.compile(
    r"\d{2,4}年|[〇零一二三四五六七八九]{2,4}年|[今去明前后後来上下]年|民[国國]"
)
BARE_DAY = re.compile(r"^(?:\d{1,2}|[一二三四五六七八九十廿]{1,3})[日号號]$")
SEASON = re.compile(r"[春夏秋冬][天季]|暑假|寒假")
BARE_WEEKDAY = re.compile(r"^(?:周|週|星期|礼拜|禮拜)[一二三四五六日天]$")
NEXT_THIS_WEEKDAY = re.compile(
    r"^(?:下|这|這|今[个個]?|今個)(?:周|週|星期|礼拜|禮拜)[一二三四五六日天]$"
)
NATIONAL_DAY = re.compile(r"[国國][庆慶]")


def _distance(ref: dt.date, iv: Interval) -> int:
    return max((iv[0] - ref).days, (ref - iv[1]).days, 0)


def _shift(iv: Interval, *, years: int = 0, days: int = 0) -> Interval | None:
    try:
        if years:
            return iv[0].replace(year=iv[0].year + years), iv[1].replace(year=iv[1].year + years)
        return iv[0] + dt.timedelta(days=days), iv[1] + dt.timedelta(days=days)
    except ValueError:
        return None


def _shift_month(day: dt.date, months: int) -> Interval | None:
    k = day.year * 12 + day.month - 1 + months
    try:
        d = day.replace(year=k // 12, month=k % 12 + 1)
    except ValueError:
        return None
    return d, d


def _not_nearest(text: str, ref: dt.date, iv: Interval) -> bool:
    """True when the corpus answer is not the occurrence nearest to ``ref``."""
    if BARE_WEEKDAY.match(text):
        shifts = [_shift(iv, days=-7), _shift(iv, days=7)]
    elif BARE_DAY.match(text):
        shifts = [_shift_month(iv[0], -1), _shift_month(iv[0], 1)]
    elif not YEAR_IN_TEXT.search(text) and not re.search(r"\d{4}", text):
        shifts = [_shift(iv, years=-1), _shift(iv, years=1)]
    else:
        return False
    d = _distance(ref, iv)
    return any(s is not None and _distance(ref, s) < d for s in shifts)


def _exclusion(text: str, ref: dt.date | None, iv: Interval) -> str | None:
    """Why a case is outside the guide's semantics (None: it is kept)."""
    checks = [
        ("time of day", bool(TIME_OF_DAY.search(text))),
        ("duration/offset/recurring/open", bool(OFFSET.search(text))),
        ("lunar date", bool(LUNAR.search(text))),
        ("part of a period (jionlp narrows it)", bool(PART.search(text))),
        ("list of dates", bool(LIST.search(text))),
        ("ordinal sub-period", bool(ORDINAL.search(text))),
        ("non-news numeric format", bool(FOREIGN_FORMAT.search(text))),
        ("season", bool(SEASON.search(text))),
        ("national day (locale)", bool(NATIONAL_DAY.search(text))),
        ("anaphoric 这一年", "这一年" in text or "這一年" in text),
        ("reference is not a date", ref is None),
    ]
    for reason, hit in checks:
        if hit:
            return reason
    assert ref is not None
    if _not_nearest(text, ref, iv):
        return "not nearest occurrence"
    return None


def _predict(text: str, ref: dt.date) -> Interval | None:
    ivs = [value_interval(m.value) for m in find_dates(text, published=ref) if m.value]
    good = [iv for iv in ivs if iv is not None]
    if not good:
        return None
    return min(iv[0] for iv in good), max(iv[1] for iv in good)


def _duckling_cases() -> list[tuple[str, dt.date | None, Interval, str | None]]:
    out: list[tuple[str, dt.date | None, Interval, str | None]] = []
    path = CASES_DIR / "duckling" / "duckling_zh_time_cases.jsonl"
    for line in path.read_text(encoding="utf-8").splitlines():
        case: dict[str, Any] = json.loads(line)
        text, grain, kind = case["text"], case["grain"], case["kind"]
        ref = dt.date.fromisoformat(case["reference_time"][:10])
        dated = grain in ("Day", "Week", "Month", "Year")
        if kind not in ("datetime", "datetimeHoliday") or not dated:
            reason = "time of day" if grain in ("Hour", "Minute", "Second") else "duration/offset"
            out.append((text, ref, (ref, ref), reason))
            continue
        d = dt.date.fromisoformat(case["value"][:10])
        iv: Interval = {
            "Day": (d, d),
            "Week": (d, d + dt.timedelta(days=6)),
            "Month": (
                d.replace(day=1),
                (d.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1),
            ),
            "Year": (dt.date(d.year, 1, 1), dt.date(d.year, 12, 31)),
        }[grain]
        reason = _exclusion(text, ref, iv)
        if reason is None and kind == "datetimeHoliday" and case.get("holiday") not in OUR_HOLIDAYS:
            reason = "holiday outside the project's table"
        if reason is None and NEXT_THIS_WEEKDAY.match(text):
            monday = ref - dt.timedelta(days=ref.weekday())
            offset = 7 if text[0] == "下" else 0
            week = (monday + dt.timedelta(days=offset), monday + dt.timedelta(days=offset + 6))
            if not week[0] <= d <= week[1]:
                reason = "next/this weekday = next occurrence"
        out.append((text, ref, iv, reason))
    return out


def _jionlp_cases() -> list[tuple[str, dt.date | None, Interval, str | None]]:
    out: list[tuple[str, dt.date | None, Interval, str | None]] = []
    path = CASES_DIR / "jionlp" / "jionlp_time_parser_cases.jsonl"
    for line in path.read_text(encoding="utf-8").splitlines():
        case: dict[str, Any] = json.loads(line)
        text, exp = case["text"], case["expected"]
        ref: dt.date | None = None
        if case.get("time_base_utc8"):
            ref = dt.date.fromisoformat(case["time_base_utc8"][:10])
        elif isinstance(case.get("time_base"), list) and len(case["time_base"]) >= 3:
            ref = dt.date(*case["time_base"][:3])
        if (
            exp.get("type") not in ("time_point", "time_span")
            or exp.get("definition") != "accurate"
            or not isinstance(exp.get("time"), list)
        ):
            out.append((text, ref, (dt.date.min, dt.date.min), "duration/offset/recurring/open"))
            continue
        start, end = exp["time"]
        if not (str(start).endswith("00:00:00") and str(end).endswith("23:59:59")):
            out.append((text, ref, (dt.date.min, dt.date.min), "time of day"))
            continue
        iv = (dt.date.fromisoformat(start[:10]), dt.date.fromisoformat(end[:10]))
        out.append((text, ref, iv, _exclusion(text, ref, iv)))
    return out


def evaluate(
    cases: list[tuple[str, dt.date | None, Interval, str | None]],
) -> tuple[int, int, Counter[str], list[str]]:
    """(kept, agreeing, excluded counts by reason, disagreements)."""
    excluded: Counter[str] = Counter()
    kept = agree = 0
    misses: list[str] = []
    for text, ref, iv, reason in cases:
        if reason is not None:
            excluded[reason] += 1
            continue
        assert ref is not None
        kept += 1
        pred = _predict(text, ref)
        if pred == iv:
            agree += 1
        else:
            misses.append(f"{text} @ {ref}: expected {iv}, got {pred}")
    return kept, agree, excluded, misses


@pytest.mark.parametrize("corpus", ["duckling", "jionlp"])
def test_agreement_on_mapped_cases(corpus: str) -> None:
    cases = _duckling_cases() if corpus == "duckling" else _jionlp_cases()
    kept, agree, _excluded, misses = evaluate(cases)
    assert kept >= 40
    assert agree / kept >= 0.90, "\n".join(misses)


def test_value_interval() -> None:
    assert value_interval("2022-W01") == (dt.date(2022, 1, 3), dt.date(2022, 1, 9))
    assert value_interval("2021-Q4") == (dt.date(2021, 10, 1), dt.date(2021, 12, 31))
    assert value_interval("2021-H1") == (dt.date(2021, 1, 1), dt.date(2021, 6, 30))
    assert value_interval("199") == (dt.date(1990, 1, 1), dt.date(1999, 12, 31))
    assert value_interval("2019/2021") == (dt.date(2019, 1, 1), dt.date(2021, 12, 31))
