"""Entity keys from one article: codes, folding, short forms, transliterations, aliases."""

from __future__ import annotations

import pycountry
import pytest

from pipeline.stages.keys import entity_key, fold, place_key, place_keys


@pytest.mark.parametrize(
    ("label", "forms", "key"),
    [
        ("LOC", {"美国": 1}, "iso:US"),
        ("LOC", {"美國": 2}, "iso:US"),
        ("LOC", {"美": 1}, "iso:US"),
        ("LOC", {"臺灣": 1}, "iso:TW"),
        ("LOC", {"台": 1}, "iso:TW"),
        ("LOC", {"华": 1}, "iso:CN"),
        ("LOC", {"United States": 1}, "iso:US"),
        ("LOC", {"沪": 1}, "gb:310000"),
        ("LOC", {"上海市": 1}, "gb:310000"),
        ("LOC", {"粤": 1}, "gb:440000"),
        ("LOC", {"武漢": 1}, "gb:420100"),
        ("LOC", {"香港": 1}, "iso:HK"),  # ISO wins over the GB code of 香港
        ("LOC", {"华盛顿": 1}, "loc:华盛顿"),
        ("LOC", {"台海": 1}, "loc:台湾海峡"),
        ("PERSON", {"習近平": 1}, "person:习近平"),
        ("PERSON", {"劳埃德·奥斯汀": 1, "奥斯汀": 4}, "person:劳埃德·奥斯汀"),
        ("PERSON", {"安格拉•默克尔": 1}, "person:安格拉·默克尔"),
        ("PERSON", {"唐纳德·川普": 1}, "person:唐纳德·特朗普"),
        ("PERSON", {"约翰逊": 2, "Jeh Johnson": 1}, "person:jeh johnson"),
        ("PERSON", {"Tammy  Duckworth": 1}, "person:tammy duckworth"),
        ("ORG", {"世卫": 2, "世界卫生组织": 1}, "org:世界卫生组织"),
        ("ORG", {"WHO": 1}, "org:世界卫生组织"),
        ("ORG", {"辉瑞公司": 1}, "org:辉瑞"),
        ("ORG", {"Pfizer": 1}, "org:辉瑞"),
        ("ORG", {"约翰·霍普金斯大学": 1}, "org:约翰霍普金斯大学"),
        ("ORG", {"Twitter": 1}, "org:推特"),
    ],
)
def test_entity_key(label: str, forms: dict[str, int], key: str) -> None:
    assert entity_key(label, forms) == key


def test_date_key_is_the_value() -> None:
    assert entity_key("DATE", {"周四": 1}, value="2022-01-06") == "date:2022-01-06"
    assert entity_key("DATE", {"周四": 1}) == "date:周四"


@pytest.mark.parametrize(
    ("context", "key"),
    [
        ("港澳两地", "iso:MO"),
        ("澳门回归", "iso:MO"),
        ("中澳关系，澳大利亚总理", "iso:AU"),
        ("中澳关系", None),  # nothing in the article decides: no code
        ("澳洲与澳门", None),
    ],
)
def test_ao_is_decided_by_the_article(context: str, key: str | None) -> None:
    assert place_key("澳", context) == key
    expected = key or "loc:澳"
    assert entity_key("LOC", {"澳": 1}, context=context) == expected


def test_labels_never_share_a_key() -> None:
    assert entity_key("ORG", {"中国": 1}) == "org:中国"
    assert entity_key("PERSON", {"美国": 1}) == "person:美国"


def test_fold() -> None:
    assert fold(" Ｔａｍｍｙ　Duckworth ") == "tammy duckworth"
    assert fold("蘇貞昌") == "苏贞昌"
    assert fold("劳埃德 奥斯汀") == "劳埃德奥斯汀"


def test_place_table_codes_are_real() -> None:
    """Every ISO key is a current ISO 3166-1 code; GB codes have six digits."""
    codes = {c.alpha_2 for c in pycountry.countries} | {"XK"}  # Kosovo: user-assigned, in the list
    table = place_keys()
    assert len(table) > 5000
    for name, key in table.items():
        scheme, _, code = key.partition(":")
        assert scheme in ("iso", "gb"), name
        if scheme == "iso":
            assert code in codes, (name, key)
        else:
            assert code.isdigit() and len(code) == 6, (name, key)
    # Ambiguous one-character forms stay out.
    for ambiguous in ("澳", "苏", "新", "蒙", "巴"):
        assert ambiguous not in table


def test_territory_with_a_designation_keys_like_the_territory() -> None:
    from pipeline.stages.keys import place_key

    assert place_key("台湾省") == place_key("台灣地區") == "iso:TW"
    assert place_key("香港特别行政区") == place_key("香港特區") == "iso:HK"
    assert place_key("澳门特别行政区") == "iso:MO"
    assert place_key("湖北省") == place_key("湖北")  # a province keeps its GB code
    assert place_key("元朗") != "iso:HK"  # a district of Hong Kong is not Hong Kong


def test_hong_kong_and_taiwan_variant_characters_fold() -> None:
    """衞 (Hong Kong) is 衛 is 卫; 僞 is 偽 is 伪: beyond OpenCC's character table."""
    from pipeline.stages.keys import fold

    assert fold("衞生署") == fold("衛生署") == "卫生署"
    assert fold("僞") == "伪"
    assert fold("只") == "只" and fold("着") == "着"  # Simplified characters stay
