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


def test_person_generational_suffix_is_left_out() -> None:
    from pipeline.stages.keys import normal

    assert normal("PERSON", "Peter Gowand Jr.") == "peter gowand"
    assert normal("PERSON", "Peter Gowand III") == "peter gowand"
    assert normal("PERSON", "Ivy Lee") == "ivy lee"  # a name part, not a suffix


@pytest.mark.parametrize(
    ("form", "folded"),
    [
        ("甲乙技术有限公司", "甲乙"),  # the legal name's descriptor and 有限公司
        ("甲乙科技股份有限公司", "甲乙"),
        ("丙丁房地产开发有限责任公司", "丙丁房地产开发"),
        ("甲乙技术", "甲乙技术"),  # a descriptor alone is part of the name
        ("第十三届全国人大", "全国人民代表大会"),  # term ordinal, then the alias table
        ("某国第5届议会", "某国议会"),
        ("中国全国人大", "中国全国人民代表大会"),  # an alias after the place in front
        ("中国人民银行", "中国人民银行"),  # not 中国 + 人民银行's alias again
        ("中国人大", "中国全国人民代表大会"),
        ("湖北省人大", "湖北省人大"),  # a province's congress: no alias after a GB place
        ("甲乙区人民法院", "甲乙区法院"),  # a local court's 人民 after its place
        ("甲乙市人民检察院", "甲乙市检察院"),
        ("最高人民法院", "最高人民法院"),  # not after 最高: 最高法院 is also another state's
        ("甲乙日报社", "甲乙日报"),  # a paper's office is the paper
        ("报社", "报社"),
        ("甲乙集团", "甲乙"),  # a group with or without 集团
        ("甲乙集团有限公司", "甲乙"),
        ("集团", "集团"),
        ("中共中宣部", "中共中央宣传部"),  # the alias opens with the 中共 in front already
    ],
)
def test_organization_forms(form: str, folded: str) -> None:
    from pipeline.stages.keys import normal

    assert normal("ORG", form) == folded


@pytest.mark.parametrize(
    ("name", "split"),
    [
        ("澳洲甲乙研究所", ("iso:AU", "甲乙研究所")),
        ("澳大利亚甲乙研究所", ("iso:AU", "甲乙研究所")),
        ("中共外交部", ("iso:CN", "外交部")),  # 中共 before a state body is China
        ("中共中央宣传部", (None, "中共中央宣传部")),  # the party's own organs are not
        ("美军太平洋舰队", ("iso:US", "太平洋舰队")),
        ("湖北省甲乙法院", ("gb:420000", "甲乙法院")),
        ("中华电信", (None, "中华电信")),  # 中华 opens Taiwanese names
        ("大陆航空", (None, "大陆航空")),
        ("美国", (None, "美国")),  # nothing after the place
    ],
)
def test_place_prefix_of_organizations(name: str, split: tuple[str | None, str]) -> None:
    from pipeline.stages.keys import place_prefix

    assert place_prefix(name) == split


def test_autonomous_area_without_its_designation_and_mainland() -> None:
    assert place_key("新疆维吾尔") == place_key("新疆") == "gb:650000"
    assert place_key("广西壮族") == place_key("广西")
    assert place_key("陆") == "iso:CN"  # 陆方, 陆媒: the mainland in Taiwan's press


def _article(*items: tuple[str, str, str]) -> list[str]:
    from pipeline.stages.keys import article_keys

    return article_keys([(label, {form: 1}, key) for label, form, key in items])


def test_article_person_short_forms() -> None:
    # A surname, or a two-character start of a four-character name, is the one person it starts.
    assert _article(("PERSON", "王小明", "person:王小明"), ("PERSON", "王", "person:王")) == [
        "person:王小明",
        "person:王小明",
    ]
    assert _article(("PERSON", "欧阳小明", "person:欧阳小明"), ("PERSON", "欧阳", "person:欧阳"))[
        1
    ] == ("person:欧阳小明")
    # Two people it could start, or a two-character full name inside a three-character one: kept.
    two = _article(
        ("PERSON", "王小明", "person:王小明"),
        ("PERSON", "王大力", "person:王大力"),
        ("PERSON", "王", "person:王"),
    )
    assert two[2] == "person:王"
    assert _article(("PERSON", "王小明", "person:王小明"), ("PERSON", "王小", "person:王小"))[
        1
    ] == ("person:王小")
    # Foreign names with a dot are left to the link stage's last-name rule.
    assert _article(("PERSON", "约翰·史密斯", "person:约翰·史密斯"), ("PERSON", "约", "person:约"))[
        1
    ] == ("person:约")


def test_article_one_character_places() -> None:
    assert _article(("LOC", "伊朗", "iso:IR"), ("LOC", "伊", "loc:伊"))[1] == "iso:IR"
    assert _article(("LOC", "欧洲", "loc:欧洲"), ("LOC", "欧", "loc:欧"))[1] == "loc:欧洲"
    # Two countries it could start: kept.
    both = _article(("LOC", "伊朗", "iso:IR"), ("LOC", "伊拉克", "iso:IQ"), ("LOC", "伊", "loc:伊"))
    assert both[2] == "loc:伊"
    # A railway, a sea or a city is not what a one-character place stands for.
    assert _article(("LOC", "川藏铁路", "loc:川藏铁路"), ("LOC", "川", "loc:川"))[1] == "loc:川"
    assert _article(("LOC", "苏州", "gb:320500"), ("LOC", "苏", "loc:苏"))[1] == "loc:苏"
    assert _article(("LOC", "南海", "loc:南海"), ("LOC", "南", "loc:南"))[1] == "loc:南"


def test_news_agency_suffix_variants() -> None:
    """X通讯社 / X通信社 / X社 are one agency; too short a name keeps its suffix."""
    from pipeline.stages.keys import normal

    assert normal("ORG", "山城通讯社") == normal("ORG", "山城通訊社") == "山城社"
    assert normal("ORG", "山城通信社") == normal("ORG", "山城社")
    assert normal("ORG", "和通讯社") == "和通讯社"
    assert normal("PERSON", "山城通讯社") == "山城通讯社"
