"""Names that stop where they end: a weekday after a name changes nothing about the name.

Property: for NAME + weekday (every form, both scripts, with and without a bracketed
date) + verb, the non-DATE mentions equal those of NAME + verb, and the weekday is
one DATE with the right value. Names come from the package's own lists
(pipeline/data/gazetteer.tsv and places.tsv), so the test runs without ../shared.
Sentences are built here, not taken from any corpus.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.stages.date_claims import zhou_is_name
from pipeline.stages.rules import load_gazetteer

PUBLISHED = dt.datetime(2023, 4, 12, 8, 0, tzinfo=dt.UTC)  # Wednesday 12 April in Beijing
#: The grammar's week runs Sunday (9 April) to Saturday (15 April) around the 12th.
SUNDAY = dt.date(2023, 4, 9)
DAYS = "日一二三四五六"
WEEKDAYS = [
    (prefix + day, DAYS.index(day) if day != "天" else 0)
    for prefix in ("星期", "礼拜", "禮拜", "周", "週")
    for day in "一二三四五六日天"
    if not (prefix in "周週" and day == "天")
]
VERBS = ["表示", "宣布", "宣佈", "发表声明", "發表聲明", "指出"]
TITLES = ["美国国务卿", "外交部发言人", "俄罗斯总统", "日本首相", "美國國務卿"]


@lru_cache(maxsize=1)
def names() -> dict[str, list[str]]:
    """PERSON, ORG and LOC names the package ships (Simplified)."""
    from pipeline.stages.rules import gazetteer_paths

    out: dict[str, list[str]] = {"PERSON": [], "ORG": [], "LOC": []}
    for name, label in load_gazetteer().items():
        if label in out:
            out[label].append(name)
    places = gazetteer_paths()[0].read_text(encoding="utf-8").splitlines()
    out["LOC"].extend(line.split("\t")[0] for line in places if line and not line.startswith("#"))
    return {k: sorted(set(v)) for k, v in out.items()}


def non_dates(record) -> list[tuple[int, int, str, str]]:  # type: ignore[no-untyped-def]
    return [(m.start, m.end, m.text, m.label) for m in record.mentions if m.label != "DATE"]


def check(extractor, head: str, weekday: tuple[str, int], bracket: bool, verb: str) -> None:  # type: ignore[no-untyped-def]
    word, index = weekday
    day = SUNDAY + dt.timedelta(days=index)
    tail = f"（{day.month}月{day.day}日）" if bracket else ""
    with_day = extractor.extract(f"{head}{word}{tail}{verb}。", published=PUBLISHED)
    without = extractor.extract(f"{head}{verb}。", published=PUBLISHED)
    assert non_dates(with_day) == non_dates(without), (with_day.text, with_day.mentions)
    dates = [(m.start, m.text, m.value) for m in with_day.mentions if m.label == "DATE"]
    expected = [(len(head), word, day.isoformat())]
    if bracket:
        expected.append((len(head) + len(word) + 1, f"{day.month}月{day.day}日", day.isoformat()))
    assert dates == expected, (with_day.text, dates)


@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    data=st.data(),
    label=st.sampled_from(["PERSON", "ORG", "LOC"]),
    weekday=st.sampled_from(WEEKDAYS),
    bracket=st.booleans(),
    verb=st.sampled_from(VERBS),
)
def test_weekday_changes_nothing_about_the_name(
    extractor, data, label, weekday, bracket, verb
) -> None:  # type: ignore[no-untyped-def]
    name = data.draw(st.sampled_from(names()[label]), label="name")
    check(extractor, name, weekday, bracket, verb)


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    data=st.data(),
    title=st.sampled_from(TITLES),
    weekday=st.sampled_from(WEEKDAYS),
    bracket=st.booleans(),
    verb=st.sampled_from(VERBS),
)
def test_title_name_weekday(extractor, data, title, weekday, bracket, verb) -> None:  # type: ignore[no-untyped-def]
    name = data.draw(st.sampled_from(names()["PERSON"]), label="name")
    check(extractor, title + name, weekday, bracket, verb)


def test_issue_sentences(extractor) -> None:  # type: ignore[no-untyped-def]
    """The sentences of the issue report (written for it, not from a corpus)."""
    r = extractor.extract(
        "美国国务卿布林肯星期四（4月13日）说，双方将继续对话。", published=PUBLISHED
    )
    got = [(m.text, m.label, m.value) for m in r.mentions]
    assert ("布林肯", "PERSON", None) in got
    assert ("星期四", "DATE", "2023-04-13") in got
    assert not any("星期" in m.text for m in r.mentions if m.label != "DATE")
    r = extractor.extract("中国国防部星期二（4月11日）发表声明。", published=PUBLISHED)
    assert [(m.text, m.label) for m in r.mentions][:2] == [
        ("中国国防部", "ORG"),
        ("星期二", "DATE"),
    ]


def test_zhou_as_a_name_in_a_byline(extractor) -> None:  # type: ignore[no-untyped-def]
    r = extractor.extract("本报记者周五报道：会议在北京举行。", published=PUBLISHED)
    assert not [m for m in r.mentions if m.label == "DATE"]


def test_zhou_in_a_list_of_names(extractor) -> None:  # type: ignore[no-untyped-def]
    r = extractor.extract("张伟、周五、李娜出席了会议。", published=PUBLISHED)
    assert not [m for m in r.mentions if m.label == "DATE"]
    r = extractor.extract("展馆周一、周三和周五开放。", published=PUBLISHED)
    assert [m.text for m in r.mentions if m.label == "DATE"] == ["周一", "周三", "周五"]


def test_zhou_rules() -> None:
    text = "记者周一摄"
    assert zhou_is_name(text, 2, 4)
    assert not zhou_is_name("记者周一在现场看到", 2, 4)  # a reporter on Monday
    assert not zhou_is_name("发言人周四表示", 3, 5)  # titles other than a byline's
    assert zhou_is_name("王强、周六", 3, 5)
    assert not zhou_is_name("周一、周三", 0, 2)
    assert zhou_is_name("周一围出演", 0, 2, frozenset({"周一围"}))  # a listed person
    assert not zhou_is_name("星期一、王强", 0, 3)  # only 周X is ever a name


def test_not_weekdays(extractor) -> None:  # type: ignore[no-untyped-def]
    """三星 and 星巴克 hold 星 but no weekday."""
    r = extractor.extract("三星和星巴克周二公布财报。", published=PUBLISHED)
    assert [m.text for m in r.mentions if m.label == "DATE"] == ["周二"]


def test_grammar_keeps_its_longer_date_after_an_unknown_word(extractor) -> None:  # type: ignore[no-untyped-def]
    """上周三 read across 李明 | 财上 | 周三 stays whole: 财上 is no word, so 上 is the date's."""
    r = extractor.extract("李明财上周三表示，谈判仍在继续。", published=PUBLISHED)
    assert [m.text for m in r.mentions if m.label == "DATE"] == ["上周三"]
    r = extractor.extract("访问团本周六启程。", published=PUBLISHED)
    assert [m.text for m in r.mentions if m.label == "DATE"] == ["本周六"]
