"""The seed article end to end: the mentions issue #3 lists must all be found."""

from __future__ import annotations

import pytest

from pipeline.runner import Extractor
from tests.conftest import SEED

EXPECTED = {
    "PERSON": [
        "奥斯汀",
        "达克沃斯",
        "Tammy Duckworth",
        "科宁",
        "John Cornyn",
        "安倍晋三",
        "习近平",
        "蔡英文",
    ],
    "ORG": ["全民防卫动员署", "美国国务院", "日本外务省", "共同社", "美国之音"],
    "LOC": ["台湾", "华盛顿", "东京", "鹿儿岛县", "冲绳县"],
}
DATES = {"2022年1月6日": "2022-01-06", "去年11月": "2021-11"}


@pytest.fixture(scope="module")
def seed_record(extractor: Extractor):  # type: ignore[no-untyped-def]
    return extractor.extract_file(SEED)


def test_seed_header(seed_record) -> None:  # type: ignore[no-untyped-def]
    assert seed_record.published.isoformat().replace("+00:00", "Z") == "2022-01-05T20:45:01Z"
    assert (
        seed_record.title == "新年新气象 : 美日外长防长会将登场 台湾全民防卫动员署挂牌 - 要闻分析"
    )
    assert seed_record.url.startswith("https://www.rfi.fr/cn/")


@pytest.mark.parametrize(("label", "text"), [(lab, t) for lab, ts in EXPECTED.items() for t in ts])
def test_seed_mention_found(seed_record, label: str, text: str) -> None:  # type: ignore[no-untyped-def]
    found = {(m.label, m.text) for m in seed_record.mentions}
    assert (label, text) in found


@pytest.mark.parametrize(("text", "value"), sorted(DATES.items()))
def test_seed_dates(seed_record, text: str, value: str) -> None:  # type: ignore[no-untyped-def]
    assert any(
        m.label == "DATE" and m.text == text and m.value == value for m in seed_record.mentions
    )


def test_seed_alias_and_offsets(seed_record) -> None:  # type: ignore[no-untyped-def]
    entity = next(e for e in seed_record.entities if e.name == "达克沃斯")
    assert "Tammy Duckworth" in entity.aliases
    for m in seed_record.mentions:
        assert seed_record.text[m.start : m.end] == m.text
        assert seed_record.entities[m.entity].label == m.label
    for text in ("当天", "最近两年", "清晨"):
        assert not any(m.text == text for m in seed_record.mentions)
