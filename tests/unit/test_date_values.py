"""The DATE value grammar (pipeline/stages/dates/values.py) and its three users.

The date rules write values, the gold checker (``evaluate.date_value_problem``) and the
report (``report.value_month``) read them: every value the rules produce on the case
table must be accepted by the checker, cover the days the rules resolved it to, and be
counted by the report by the same kind.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import pipeline.stages.dates.find as find_module
import pipeline.stages.dates.resolve as resolve_module
from pipeline.evaluate import date_value_problem
from pipeline.report import collect, value_month
from pipeline.stages.dates import find_dates
from pipeline.stages.dates.resolve import Resolved
from pipeline.stages.dates.values import (
    day_value,
    decade_value,
    half_value,
    interval_value,
    month_value,
    parse_period,
    parse_value,
    quarter_value,
    season_value,
    value_interval,
    value_problem,
    week_value,
    weekend_value,
    year_value,
)
from tests.report.helpers import make_record

CASES = [
    json.loads(line)
    for line in Path(__file__).with_name("date_cases.jsonl").read_text("utf-8").splitlines()
    if line
]
PUBLISHED = (dt.date(2022, 1, 6), dt.date(2021, 12, 31), dt.date(2020, 2, 29), dt.date(2015, 1, 1))
#: Expressions that reach the value kinds and interval shapes the case table may not.
EXTRA = (
    "上周末",
    "这个周末",
    "下周末至下下周",
    "上周至本周末",
    "2022年第一季度至2022年1月",
    "2021年上半年至下半年",
    "今年冬天",
    "去年秋天至今年春天",
    "90年代",
    "上世纪80年代至90年代",
    "1月5日至5日",
    "周一至周一",
    "2019年到2021年",
    "2022年3月到5月",
    "元旦至春节",
)


def _texts() -> list[str]:
    return [c["text"] for c in CASES] + list(EXTRA)


@pytest.fixture(scope="module")
def produced() -> dict[str, tuple[dt.date, dt.date]]:
    """Every value the rules produce on the texts, with the days the rules resolved it to."""
    seen: dict[str, tuple[dt.date, dt.date]] = {}
    original = find_module.resolve

    def spy(*args: Any, **kwargs: Any) -> Resolved | None:
        r = original(*args, **kwargs)
        if r is not None:
            assert seen.setdefault(r.value, (r.first, r.last)) == (r.first, r.last), r
        return r

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(find_module, "resolve", spy)
        patch.setattr(resolve_module, "resolve", spy)  # the ends of a range
        values = {
            m.value
            for text in _texts()
            for pub in (*PUBLISHED, None)
            for m in find_dates(text, published=pub)
            if m.value
        }
    out = {v: seen[v] for v in values if v in seen}
    for v in values - seen.keys():  # intervals: the days from the first end to the last
        a, b = v.split("/")
        out[v] = (seen[a][0], seen[b][1])
    return out


def test_the_rules_reach_every_kind(produced: dict[str, tuple[dt.date, dt.date]]) -> None:
    kinds = {parse_value(v)[0].kind for v in produced}
    assert kinds == {
        "day", "month", "year", "week", "weekend", "quarter", "half", "season", "decade"
    }  # fmt: skip
    assert any("/" in v for v in produced)


def test_checker_accepts_every_value_the_rules_produce(
    produced: dict[str, tuple[dt.date, dt.date]],
) -> None:
    problems = {v: date_value_problem(v) for v in produced}
    assert {v: p for v, p in problems.items() if p} == {}


def test_grammar_reads_the_days_the_rules_meant(
    produced: dict[str, tuple[dt.date, dt.date]],
) -> None:
    wrong = {v: (value_interval(v), days) for v, days in produced.items()}
    assert {v: pair for v, pair in wrong.items() if pair[0] != pair[1]} == {}


def test_report_counts_by_the_grammars_kind(produced: dict[str, tuple[dt.date, dt.date]]) -> None:
    for v in produced:
        start = parse_value(v)[0]
        month = value_month(v)
        if start.kind in ("day", "month", "week", "weekend"):
            assert month is not None, v
            assert f"{start.first:%Y-%m}" <= month <= f"{start.last:%Y-%m}", v  # a month it touches
        else:
            assert month is None, v


def test_writers_and_reader_round_trip() -> None:
    day = dt.date(2021, 1, 2)
    cases = {
        day_value(day): ("day", day, day),
        month_value(2021, 2): ("month", dt.date(2021, 2, 1), dt.date(2021, 2, 28)),
        year_value(2021): ("year", dt.date(2021, 1, 1), dt.date(2021, 12, 31)),
        week_value(2020, 53): ("week", dt.date(2020, 12, 28), dt.date(2021, 1, 3)),
        weekend_value(2020, 53): ("weekend", dt.date(2021, 1, 2), dt.date(2021, 1, 3)),
        quarter_value(2021, 4): ("quarter", dt.date(2021, 10, 1), dt.date(2021, 12, 31)),
        half_value(2021, 1): ("half", dt.date(2021, 1, 1), dt.date(2021, 6, 30)),
        season_value(2023, "WI"): ("season", dt.date(2023, 12, 1), dt.date(2024, 2, 29)),
        decade_value(1990): ("decade", dt.date(1990, 1, 1), dt.date(1999, 12, 31)),
    }
    for value, (kind, first, last) in cases.items():
        period = parse_period(value)
        assert (period.kind, period.first, period.last) == (kind, first, last), value
    assert interval_value("2021-01", "2021-03") == "2021-01/2021-03"
    assert interval_value("2021-01-05", "2021-01-05") == "2021-01-05"


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("2022-W01-WE", None),
        ("2022-Q1/2022-01", None),  # ends overlap: the interval runs January to March
        ("2021-W53-WE", "ISO year 2021 has no week 53"),
        ("2022-01-05/2022-01-05", "an interval of one value"),
        ("2022-03/2022-02", "the interval ends before it starts"),
        ("2022-H3", "no half 3"),
        ("000", "no decade"),
        ("0000", "out of range"),
    ],
)
def test_value_problems(value: str, problem: str | None) -> None:
    got = value_problem(value)
    assert got == problem if problem is None else got is not None and problem in got


def test_a_range_of_one_day_is_that_day() -> None:
    pub = dt.date(2022, 1, 10)
    assert [m.value for m in find_dates("1月5日至5日", published=pub)] == ["2022-01-05"]
    assert [m.value for m in find_dates("2022年至2022年", published=pub)] == ["2022"]


def test_report_counts_a_weekend_in_its_saturdays_month() -> None:
    # 2021-W52-WE is Saturday 1 and Sunday 2 January 2022 (the week's Thursday is in December)
    assert value_month("2021-W52-WE") == "2022-01"
    record = make_record("w", "周末", "上周末", [("上周末", "DATE", "2021-W52-WE")])
    stats = collect([record])
    assert stats.date_months == {"2022-01": 1}
    assert stats.date_coarse == 0


def test_parse_does_not_import_the_date_stage() -> None:
    code = (
        "import sys, pipeline.stages.parse\n"
        "print(sorted(m for m in sys.modules if m.startswith('pipeline.stages.dates')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
