"""Tests for the DATE stage (pipeline/stages/dates/) and outlet zones (pipeline/stages/zones.py).

The case table ``date_cases.jsonl`` holds one case per line: ``text``,
``published`` (local date, or null), the expected ``mentions`` (text and value, in
order) and ``not_date`` expressions that no mention may overlap.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import random
import re
from pathlib import Path
from typing import Any

import pytest

from pipeline.stages.dates import (
    FIRST_CHARS,
    FIXED_HOLIDAYS,
    LUNAR_HOLIDAYS,
    RULE_HOLIDAYS,
    DateMention,
    find_dates,
    normalize_date,
)
from pipeline.stages.zones import OUTLET_ZONES, local_date, zone_for_url

CASES_PATH = Path(__file__).with_name("date_cases.jsonl")
CASES: list[dict[str, Any]] = [
    json.loads(line) for line in CASES_PATH.read_text(encoding="utf-8").splitlines() if line
]


def _pub(case: dict[str, Any]) -> dt.date | None:
    return dt.date.fromisoformat(case["published"]) if case["published"] else None


def _case_id(case: dict[str, Any]) -> str:
    return f"{CASES.index(case) + 1:03d}-{case['tag']}"


def test_case_table_size() -> None:
    assert len(CASES) >= 150
    assert sum(1 for c in CASES if c["not_date"]) >= 40


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_case(case: dict[str, Any]) -> None:
    mentions = find_dates(case["text"], published=_pub(case))
    got = [(m.text, m.value) for m in mentions]
    assert got == [(e["text"], e["value"]) for e in case["mentions"]]
    for expr in case["not_date"]:
        for hit in re.finditer(re.escape(expr), case["text"]):
            overlapping = [m for m in mentions if m.start < hit.end() and hit.start() < m.end]
            assert not overlapping, f"{expr!r} must not be (part of) a DATE: {overlapping}"


def test_case_table_scores() -> None:
    """Micro F1 of mention spans and value accuracy over the whole table."""
    tp = fp = fn = correct_values = 0
    for case in CASES:
        gold = [(e["text"], e["value"]) for e in case["mentions"]]
        pred = [(m.text, m.value) for m in find_dates(case["text"], published=_pub(case))]
        gold_texts = [t for t, _ in gold]
        for text, value in pred:
            if text in gold_texts:
                tp += 1
                i = gold_texts.index(text)
                correct_values += gold[i][1] == value
                gold_texts[i] = "\0"
            else:
                fp += 1
        fn += sum(1 for t in gold_texts if t != "\0")
    f1 = 2 * tp / (2 * tp + fp + fn)
    assert f1 >= 0.95
    assert correct_values / tp >= 0.97


def test_seed_article_values() -> None:
    text = (
        "日美外长防长2加2视讯会议将在华盛顿时间周四（2022年1月6日）、东京时间周五举行。"
        "去年11月，官员警告说。据日本媒体去年12月24日的报道，美方去年7月提出方案。"
        "台湾1月1日挂牌成立。朝鲜当天清晨发射导弹。双方合作在最近两年更加频繁。"
    )
    published = dt.datetime(2022, 1, 5, 20, 45, 1, tzinfo=dt.UTC)
    expected = {
        "周四": "2022-01-06",
        "2022年1月6日": "2022-01-06",
        "周五": "2022-01-07",
        "去年11月": "2021-11",
        "去年12月24日": "2021-12-24",
        "去年7月": "2021-07",
        "1月1日": "2022-01-01",
    }
    for tz in ("Asia/Shanghai", "Europe/Paris", "Asia/Taipei"):
        mentions = find_dates(text, published=local_date(published, tz))
        assert {m.text: m.value for m in mentions} == expected, tz


def test_mentions_are_consistent_with_text() -> None:
    for case in CASES:
        text = case["text"]
        mentions = find_dates(text, published=_pub(case))
        assert mentions == sorted(mentions, key=lambda m: m.start)
        for a, b in itertools.pairwise(mentions):
            assert a.end <= b.start
        for m in mentions:
            assert isinstance(m, DateMention)
            assert text[m.start : m.end] == m.text


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "年",
        "月日",
        "周",
        "民国年",
        "0" * 50,
        "2022年13月45日",
        "9999年12月31日",
        "民国9999年",
        "1月32日",
        "上上上上周",
        "\x00\ud800",
        "年" * 1000,
        "2月30日至2月31日",
        "1499年",
        "99991231",
        "第五季度",
        "十三月",
        "1月5日至1月3日",
    ],
)
def test_never_raises(text: str) -> None:
    for published in (dt.date(2022, 1, 5), dt.date(1, 1, 1), dt.date(9999, 12, 31), None):
        for m in find_dates(text, published=published):
            assert text[m.start : m.end] == m.text


def test_fuzz_never_raises() -> None:
    rng = random.Random(5)
    alphabet = "0123456789年月日号周星期上下本今去明前后至到-初底旬季度半春节民国〇一二十两元"
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 25)))
        published = dt.date(2000, 1, 1) + dt.timedelta(days=rng.randint(0, 20000))
        for m in find_dates(text, published=published):
            assert text[m.start : m.end] == m.text


def test_calendar_limits_give_null_not_silence() -> None:
    end = find_dates("明天和周四", published=dt.date(9999, 12, 31))
    assert [(m.text, m.value) for m in end] == [("明天", None), ("周四", "9999-12-30")]
    start = find_dates("昨天", published=dt.date(1, 1, 1))
    assert [(m.text, m.value) for m in start] == [("昨天", None)]


def test_invalid_explicit_date_is_null() -> None:
    [m] = find_dates("2022年2月30日", published=dt.date(2022, 1, 5))
    assert m.value is None


@pytest.mark.parametrize(
    ("expression", "value"),
    [
        ("周四", "2022-01-06"),
        ("12月18日前", "2021-12-18"),
        ("去年12月24日", "2021-12-24"),
        ("上周", "2021-W52"),
        ("最近", None),
        ("当天", None),
        ("周四和周五", None),
    ],
)
def test_normalize_date(expression: str, value: str | None) -> None:
    assert normalize_date(expression, published=dt.date(2022, 1, 5)) == value


def test_local_date() -> None:
    instant = dt.datetime(2022, 1, 5, 20, 45, 1, tzinfo=dt.UTC)
    assert local_date(instant, "Asia/Shanghai") == dt.date(2022, 1, 6)
    assert local_date(instant, "Europe/Paris") == dt.date(2022, 1, 5)
    assert local_date(instant, "America/New_York") == dt.date(2022, 1, 5)
    assert local_date(instant.replace(tzinfo=None), "Asia/Taipei") == dt.date(2022, 1, 6)
    with pytest.raises(ValueError, match="unknown time zone"):
        local_date(instant, "Mars/Olympus")


@pytest.mark.parametrize(
    ("url", "zone"),
    [
        ("https://www.cna.com.tw/news/firstnews/202008060211.aspx", "Asia/Taipei"),
        ("https://www.rti.org.tw/news/view/id/1", "Asia/Taipei"),
        ("https://www.epochtimes.com.tw/n1/x.html", "Asia/Taipei"),
        ("https://www.epochtimes.com/gb/20/12/8/n1.htm", "America/New_York"),
        ("https://www.voachinese.com/a/x.html", "America/New_York"),
        ("https://www.rfa.org/mandarin/x.html", "America/New_York"),
        ("https://www.rfi.fr/cn/x", "Europe/Paris"),
        ("https://www.zaobao.com/news/china/story.html", "Asia/Singapore"),
        ("http://www.xinhuanet.com/x.htm", "Asia/Shanghai"),
        ("https://notcna.com.tw/x", "Asia/Shanghai"),
        ("not a url", "Asia/Shanghai"),
        ("", "Asia/Shanghai"),
        (None, "Asia/Shanghai"),
        ("http://[::1", "Asia/Shanghai"),
    ],
)
def test_zone_for_url(url: str | None, zone: str) -> None:
    assert zone_for_url(url) == zone


def test_outlet_zones_are_valid() -> None:
    for zone in set(OUTLET_ZONES.values()):
        local_date(dt.datetime(2022, 1, 1, tzinfo=dt.UTC), zone)


def test_every_holiday_is_found() -> None:
    """Each holiday name can start a match (FIRST_CHARS is complete) and has a value."""
    first = re.compile(f"[{FIRST_CHARS}]")
    names = [*FIXED_HOLIDAYS, *LUNAR_HOLIDAYS, *RULE_HOLIDAYS]
    for name in names:
        assert first.match(name), name
        mentions = find_dates(f"在{name}期间", published=dt.date(2022, 1, 5))
        assert [m.text for m in mentions] == [name], name
        assert mentions[0].value is not None, name


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2020年8月4日周二", [("2020年8月4日周二", "2020-08-04")]),
        ("2020年8月4日（周二）", [("2020年8月4日", "2020-08-04"), ("周二", "2020-08-04")]),
        ("周二（8月4日）会谈", [("周二", "2020-08-04"), ("8月4日", "2020-08-04")]),
        ("8月7日周四", [("8月7日", "2020-08-07"), ("周四", "2020-08-13")]),
        ("行政院109年8月15日宣布", [("109年8月15日", "2020-08-15")]),
        ("110年第一季", [("110年第一季", "2021-Q1")]),
        ("共有120年历史", []),
    ],
)
def test_weekday_with_date_and_bare_roc_year(text: str, expected: list[tuple[str, str]]) -> None:
    got = [(m.text, m.value) for m in find_dates(text, published=dt.date(2020, 8, 10))]
    assert got == expected
