"""The team-written alias table (pipeline/data/aliases.tsv): its form and a few keys it makes."""

from __future__ import annotations

from collections import defaultdict
from importlib.resources import files
from pathlib import Path

import pytest

from pipeline.stages.keys import aliases, entity_key, fold, normal, place_key

LABELS = {"PERSON", "ORG", "LOC"}


def _rows() -> list[tuple[int, str, str, str]]:
    """(line number, label, canonical, alias) of every row, read from the file itself (the
    loaded table is a dict: a second row for one alias would silently replace the first)."""
    path = Path(str(files("pipeline") / "data" / "aliases.tsv"))
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line and not line.startswith("#"):
            parts = line.split("\t")
            assert len(parts) == 3, (number, line)
            rows.append((number, parts[0], parts[1], parts[2]))
    return rows


ROWS = _rows()


def test_table_parses() -> None:
    assert len(ROWS) >= 400
    assert {label for _, label, _, _ in ROWS} == LABELS
    assert len(aliases()) == len(ROWS)  # one entry per row: no alias listed twice
    for number, _, canonical, alias in ROWS:
        assert canonical and alias and canonical != alias, number
        assert canonical.strip() == canonical and alias.strip() == alias, number


def test_every_form_is_folded() -> None:
    """Keys compare folded forms: a Traditional or upper-case form in the table never matches."""
    for number, _, canonical, alias in ROWS:
        assert fold(canonical) == canonical, (number, canonical)
        assert fold(alias) == alias, (number, alias)


def test_no_alias_maps_to_two_canonical_forms() -> None:
    targets: dict[tuple[str, str], set[str]] = defaultdict(set)
    for _, label, canonical, alias in ROWS:
        targets[(label, alias)].add(canonical)
    assert {k: v for k, v in targets.items() if len(v) > 1} == {}


def test_no_alias_is_another_entrys_canonical_form() -> None:
    """The table is applied once: an alias is never itself a canonical form (no chains, no
    alias of one entity naming another)."""
    canonical = {(label, c) for _, label, c, _ in ROWS}
    assert [(n, label, a) for n, label, _, a in ROWS if (label, a) in canonical] == []


def test_every_row_takes_effect() -> None:
    """Each alias keys like its canonical form after the key rules (company suffixes, agency
    names, a country in front), and two canonical forms never key alike."""
    mismatched = [(n, a, c) for n, label, c, a in ROWS if normal(label, a) != normal(label, c)]
    assert mismatched == []
    entities: dict[tuple[str, str], set[str]] = defaultdict(set)
    for _, label, c, _ in ROWS:
        entities[(label, normal(label, c))].add(c)
    assert {k: v for k, v in entities.items() if len(v) > 1} == {}


@pytest.mark.parametrize(
    ("label", "form"),
    [
        # Bare forms that name different bodies in different countries, regions or texts.
        ("ORG", "国会"),
        ("ORG", "民主党"),
        ("ORG", "共和党"),
        ("ORG", "外交部"),
        ("ORG", "国防部"),
        ("ORG", "国务院"),
        ("ORG", "国安局"),
        ("ORG", "国安会"),
        ("ORG", "中联办"),  # Hong Kong's or Macau's
        ("ORG", "立法会"),
        ("ORG", "卫健委"),  # national or local
        ("ORG", "证监会"),  # the mainland's or Hong Kong's
        ("ORG", "北大"),  # Peking University, or National Taipei University in Taiwan
        ("ORG", "中大"),
        ("ORG", "行动党"),  # Singapore's PAP or Malaysia's DAP
        ("ORG", "民盟"),  # the mainland's 中国民主同盟 or Myanmar's NLD
        ("ORG", "工党"),
        ("ORG", "白宫"),  # its own ORG under the guide
        ("ORG", "cna"),  # Taiwan's 中央社 or Singapore's 亚洲新闻台
        ("ORG", "abc"),  # American or Australian
        ("LOC", "澳"),  # Macau or Australia
        ("LOC", "乌"),
        ("LOC", "马"),
        ("LOC", "德州"),  # Texas, or Dezhou in Shandong
        ("LOC", "钓鱼台"),  # also the state guesthouse in Beijing
        ("LOC", "维州"),  # Virginia or Victoria
        ("PERSON", "詹森"),  # Johnson in Taiwan, Jensen elsewhere
        # Left out of the second pass: a province's or city's body as well, or another
        # country's, or two bodies at once.
        ("ORG", "统战部"),
        ("ORG", "政法委"),
        ("ORG", "国资委"),
        ("ORG", "网信办"),
        ("ORG", "商务部"),
        ("ORG", "科技部"),  # the mainland's, or Taiwan's in 2020-21
        ("ORG", "移民署"),
        ("ORG", "环保署"),  # Taiwan's or Hong Kong's
        ("ORG", "金管局"),  # Hong Kong's or Macau's
        ("ORG", "央广"),  # the mainland's CNR or Taiwan's Radio Taiwan International
        ("ORG", "社民党"),
        ("ORG", "国民联盟"),  # France's or Malaysia's
        ("ORG", "南大"),
        ("ORG", "交大"),
        ("ORG", "bis"),  # the settlements bank or the US Commerce Department's bureau
        ("ORG", "csis"),  # the Washington think tank or Canada's intelligence service
        ("ORG", "cpc"),  # the Communist Party of China or Taiwan's CPC Corporation
        ("PERSON", "鲍尔"),  # Powell in Taiwan, Power on the mainland
        ("ORG", "中科院"),  # the Chinese Academy of Sciences, or Taiwan's NCSIST
    ],
)
def test_ambiguous_forms_are_left_out(label: str, form: str) -> None:
    assert (label, form) not in aliases()


@pytest.mark.parametrize(
    ("label", "forms", "key"),
    [
        ("ORG", ["世界衛生組織", "世卫", "世衛組織", "WHO"], "org:世界卫生组织"),
        ("ORG", ["联合国难民署", "聯合國難民署", "UNHCR"], "org:联合国难民事务高级专员署"),
        ("ORG", ["國際原子能總署", "国际原子能机构", "IAEA"], "org:国际原子能机构"),
        ("ORG", ["亞太經合會", "APEC", "亚太经合组织"], "org:亚太经济合作组织"),
        ("ORG", ["五角大楼", "五角大廈", "美國防部", "Pentagon"], "org:美国国防部"),
        ("ORG", ["聯準會", "美联储", "聯儲局", "Fed"], "org:美国联邦储备委员会"),
        ("ORG", ["陸委會", "行政院大陸委員會", "大陆委员会"], "org:大陆委员会"),
        ("ORG", ["國台辦", "国务院台办"], "org:国务院台湾事务办公室"),
        ("ORG", ["輝達", "英伟达", "NVIDIA"], "org:英伟达"),
        ("ORG", ["臺積公司", "台積電", "台湾积体电路制造股份有限公司", "TSMC"], "org:台积电"),
        ("ORG", ["聯發科技股份有限公司", "联发科", "MediaTek"], "org:联发科"),
        ("ORG", ["韓國聯合通訊社", "韩联社", "Yonhap"], "org:韩联社"),
        ("ORG", ["共軍", "解放军", "PLA"], "org:中国人民解放军"),
        ("PERSON", ["柴契爾", "戴卓爾", "撒切尔"], "person:撒切尔"),
        ("PERSON", ["納坦雅胡", "内塔尼亚胡"], "person:内塔尼亚胡"),
        ("PERSON", ["Xi Jinping", "習近平"], "person:习近平"),
        ("PERSON", ["Tsai Ing-wen", "蔡英文"], "person:蔡英文"),
        ("PERSON", ["Kim Jong Un", "Kim Jong-un", "金正恩"], "person:金正恩"),
        ("LOC", ["钓鱼岛", "尖閣諸島", "釣魚台列嶼", "尖閣列島"], "loc:钓鱼岛"),
        ("LOC", ["黃岩島", "民主礁", "斯卡伯勒浅滩"], "loc:黄岩岛"),
        ("LOC", ["加薩走廊", "加沙地带"], "loc:加沙地带"),
        ("LOC", ["密西根州", "密歇根州"], "loc:密歇根州"),
        # The second pass.
        ("ORG", ["食藥署", "食品藥物管理署", "衛福部食藥署", "TFDA"], "org:食品药物管理署"),
        ("ORG", ["中共國台辦", "国台办", "Taiwan Affairs Office"], "org:国务院台湾事务办公室"),
        ("ORG", ["中共中宣部", "中宣部", "中共中央宣传部"], "org:中共中央宣传部"),
        ("ORG", ["民建聯", "民主建港协进联盟", "DAB"], "org:民主建港协进联盟"),
        ("ORG", ["武漢病毒所", "中科院武汉病毒研究所"], "org:中国科学院武汉病毒研究所"),
        ("ORG", ["美國衛生部", "美国卫生与公众服务部", "HHS"], "org:美国卫生与公众服务部"),
        ("ORG", ["環時", "环球时报", "Global Times"], "org:环球时报"),
        ("ORG", ["螞蟻金服", "蚂蚁集团", "Ant Group"], "org:蚂蚁"),
        ("PERSON", ["莎琪", "普萨基"], "person:普萨基"),
        ("PERSON", ["Audrey Tang", "唐鳳"], "person:唐凤"),
        ("LOC", ["納卡", "纳戈尔诺-卡拉巴赫", "Nagorno-Karabakh"], "loc:纳戈尔诺-卡拉巴赫"),
        ("LOC", ["海參崴", "符拉迪沃斯托克"], "loc:符拉迪沃斯托克"),
    ],
)
def test_forms_of_one_entity_share_a_key(label: str, forms: list[str], key: str) -> None:
    assert {entity_key(label, {form: 1}) for form in forms} == {key}


def test_a_person_alias_applies_inside_a_full_name() -> None:
    assert entity_key("PERSON", {"奧薩瑪·賓拉登": 1}) == "person:奥萨马·本·拉登"
    assert entity_key("PERSON", {"安華·易卜拉欣": 1}) == "person:安瓦尔·易卜拉欣"


@pytest.mark.parametrize(
    ("form", "key"),
    [
        ("俄國", "iso:RU"),
        ("大馬", "iso:MY"),
        ("星洲", "iso:SG"),
        ("狮城", "iso:SG"),
        ("白俄", "iso:BY"),
        ("匈", "iso:HU"),
        ("墨", "iso:MX"),
        ("北朝鮮", "iso:KP"),
        ("南朝鮮", "iso:KR"),
        ("聖文森", "iso:VC"),
        ("教廷", "iso:VA"),
    ],
)
def test_a_country_alias_keys_by_the_countrys_code(form: str, key: str) -> None:
    assert place_key(form) == key


def test_continents_by_one_character() -> None:
    assert entity_key("LOC", {"亞": 1}) == entity_key("LOC", {"亚洲": 1}) == "loc:亚洲"
    # 欧 alone is Europe or the EU (中欧 relations): left apart.
    assert entity_key("LOC", {"欧": 1}) != entity_key("LOC", {"欧洲": 1})
    assert entity_key("LOC", {"非": 1}) == "loc:非洲"


@pytest.mark.parametrize(
    ("form", "folded"),
    [
        # An abbreviation after a country in front: the country stays, the name is resolved.
        ("日本自民党", "日本自由民主党"),
        ("德國自民黨", "德国自由民主党"),  # the same abbreviation, another country's party
        ("香港入境處", "香港入境事务处"),
        ("澳門廉署", "澳门廉政公署"),
        ("美国五角大楼", "美国国防部"),
        ("日本自衛隊", "日本自卫队"),
        # An alias that names one country's body is not applied after another country.
        ("越南劳动党", "越南劳动党"),
        ("韩国民众党", "韩国民众党"),
    ],
)
def test_aliases_after_a_country_in_front(form: str, folded: str) -> None:
    assert normal("ORG", form) == folded
