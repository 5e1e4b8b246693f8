"""The gazetteer component: relabel, drop, add listed names, bracketed Latin names."""

from __future__ import annotations

import pytest
from spacy.language import Language

from pipeline.stages.docs import split_doc
from pipeline.stages.rules import RulesComponent
from pipeline.stages.segment import blank_nlp


@pytest.fixture(scope="module")
def nlp() -> Language:
    return blank_nlp()


def run(nlp: Language, text: str, ents: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Put the given (text, label) ents on the doc like a model would, then apply the rules."""
    doc = nlp.make_doc(text)
    spans, pos = [], 0
    for surface, label in ents:
        start = text.index(surface, pos)
        span = doc.char_span(start, start + len(surface), label=label, alignment_mode="expand")
        assert span is not None
        spans.append(span)
        pos = start + len(surface)
    doc.ents = spans
    out = RulesComponent()(doc)
    return [(e.text, e.label_) for e in out.ents]


def test_building_relabelled_org(nlp: Language) -> None:
    assert run(nlp, "五角大楼发表声明", [("五角大楼", "LOC")]) == [("五角大楼", "ORG")]


def test_never_entities_dropped(nlp: Language) -> None:
    assert run(nlp, "探测器登上月球背面", [("月球", "LOC")]) == []


def test_listed_name_added_and_longest_wins(nlp: Language) -> None:
    assert ("推特", "ORG") in run(nlp, "他在推特上说", [])
    assert run(nlp, "台积电公布财报", [("台积", "ORG")]) == [("台积电", "ORG")]


def test_traditional_text_matches_via_shadow(nlp: Language) -> None:
    assert run(nlp, "五角大樓發表聲明", [("五角大樓", "LOC")]) == [("五角大樓", "ORG")]


def test_law_and_cut_latin_word_dropped(nlp: Language) -> None:
    got = run(
        nlp,
        "香港国安法生效，Tamil Nadu the",
        [("香港国安法", "ORG"), ("Tam", "PERSON"), ("the", "ORG")],
    )
    assert (
        ("香港国安法", "ORG") not in got
        and ("Tam", "PERSON") not in got
        and ("the", "ORG") not in got
    )


def test_bracketed_latin_name_takes_the_label(nlp: Language) -> None:
    got = run(
        nlp, "富士康（Foxconn Technology）和达克沃斯（Tammy Duckworth）", [("达克沃斯", "PERSON")]
    )
    assert ("Foxconn Technology", "ORG") in got
    assert ("Tammy Duckworth", "PERSON") in got


def test_defined_abbreviation_labels_later_mentions(nlp: Language) -> None:
    text = "全国律师联合会（全律会）发表声明。全律会还说，美国航天局（NASA）与NASA合作。"
    got = run(nlp, text, [("全国律师联合会", "ORG"), ("美国航天局", "ORG")])
    assert got.count(("全律会", "ORG")) == 2
    assert got.count(("NASA", "ORG")) == 2
    # not an abbreviation: characters not taken from the name
    assert run(nlp, "北京（首都）", [("北京", "LOC")]) == [("北京", "LOC")]


def test_nothing_inside_a_web_address(nlp: Language) -> None:
    text = "原文见https://www.rfi.fr/cn/%E4%B8%AD%E5%9B%BD/20200212-AB%E6%83 北京"
    start = text.index("%E4%B8%AD")
    fake = text[start : start + 12]
    assert run(nlp, text, [(fake, "ORG"), ("北京", "LOC")]) == [("北京", "LOC")]


def test_name_tagged_twice_is_tagged_everywhere(nlp: Language) -> None:
    text = "记者成蕾被拘。成蕾的家人说，成蕾没有律师。澳方关注成蕾案。"
    got = run(nlp, text, [("成蕾", "PERSON"), ("成蕾", "PERSON")])
    assert got.count(("成蕾", "PERSON")) == 4


def test_one_slip_does_not_spread(nlp: Language) -> None:
    # tagged once: a single (possibly wrong) tag is not copied to other occurrences
    text = "协助筹备临时实验室。临时实验室未有公布。"
    assert run(nlp, text, [("临时实验室", "ORG")]) == [("临时实验室", "ORG")]
    # tagged twice with two labels: ambiguous, nothing added
    text = "张家湾说。张家湾表示。张家湾认为。"
    got = run(nlp, text, [("张家湾", "LOC"), ("张家湾", "PERSON")])
    assert len(got) == 2


def test_spread_never_overlaps_or_cuts_latin(nlp: Language) -> None:
    text = "美国众议院民主党表示，民主党和共和党都说，民主党"
    got = run(nlp, text, [("美国众议院民主党", "ORG"), ("民主党", "ORG"), ("民主党", "ORG")])
    assert got == [("美国众议院民主党", "ORG"), ("民主党", "ORG"), ("民主党", "ORG")]
    got = run(nlp, text + "称", [("民主党", "ORG"), ("民主党", "ORG")])
    assert got.count(("民主党", "ORG")) == 3  # the third, not inside the longer name
    # Latin names are not spread (Taylor of Taylor Swift)
    text = "Taylor说，Taylor和Taylor Swift"
    got = run(nlp, text, [("Taylor", "PERSON"), ("Taylor", "PERSON")])
    assert got == [("Taylor", "PERSON"), ("Taylor", "PERSON")]


def test_white_space_trimmed_before_checks(nlp: Language) -> None:
    # a model span " and " is the English word 'and', never a name
    assert run(nlp, "history, and memory", [(" and ", "PERSON")]) == []


def run_chars(nlp: Language, text: str, ents: list[tuple[int, int, str]]) -> list[tuple[str, str]]:
    """Like ``run`` with character spans (a model may tag inside a jieba token)."""
    doc = split_doc(nlp.make_doc(text), ents)
    return [(e.text, e.label_) for e in RulesComponent()(doc).ents]


def test_ethnic_currency_language_words_are_not_places(nlp: Language) -> None:
    text = "华裔作家用中文写作，获美元奖金"
    got = run_chars(nlp, text, [(0, 1, "LOC"), (5, 6, "LOC"), (11, 12, "LOC")])
    assert got == []
    # demonyms keep their place (港人 gives LOC 港), and so does 访华
    assert run_chars(nlp, "港人关注访华行程", [(0, 1, "LOC"), (5, 6, "LOC")]) == [
        ("港", "LOC"),
        ("华", "LOC"),
    ]


def test_latin_words_of_one_name_are_joined(nlp: Language) -> None:
    text = "美国副总统Kamala Harris说，Michael和 Frazis"
    got = run_chars(nlp, text, [(5, 11, "PERSON"), (12, 18, "PERSON"), (20, 27, "PERSON")])
    # 美国 comes from the place list; Frazis after "和 " stays untagged
    assert got == [("美国", "LOC"), ("Kamala Harris", "PERSON"), ("Michael", "PERSON")]


def test_span_across_a_bracket_is_cut_there(nlp: Language) -> None:
    text = "美国特使克里（John Kerry）和《综艺》杂志"
    a, b = text.index("克里"), text.index("Kerry") + len("Kerry")
    c = text.index("综艺")
    got = run_chars(nlp, text, [(a, b, "PERSON"), (c, c + 5, "ORG")])
    assert ("克里", "PERSON") in got and ("John Kerry", "PERSON") in got
    assert ("综艺", "ORG") in got  # the pieces keep the label
    assert not any("（" in t or "》" in t for t, _ in got)


def test_span_across_a_space_between_chinese_words_is_cut(nlp: Language) -> None:
    text = "國道車潮湧現 高公局表示，Tammy Duckworth說"
    a, b = 0, text.index("局") + 1
    c = text.index("Tammy")
    got = run_chars(nlp, text, [(a, b, "ORG"), (c, c + 15, "PERSON")])
    assert ("高公局", "ORG") in got and ("Tammy Duckworth", "PERSON") in got
    assert not any(" " in t and not t.isascii() for t, _ in got)


def test_listed_org_with_a_tail_of_context_is_cut_to_the_name(nlp: Language) -> None:
    text = "他的推特帖文提到欧盟委员会和华为技术有限公司"
    a = text.index("推特")
    b = text.index("欧盟委员会")
    c = text.index("华为")
    got = run_chars(nlp, text, [(a, a + 4, "ORG"), (b, b + 5, "ORG"), (c, c + 8, "ORG")])
    assert got == [("推特", "ORG"), ("欧盟委员会", "ORG"), ("华为技术有限公司", "ORG")]


def test_cut_latin_names_are_completed(nlp: Language) -> None:
    text = "匈牙利总理欧尔班（Viktor Orbán）与Santiago Peña会面，Tony说"
    a = text.index("Viktor")
    b = text.index("Santiago")
    c = text.index("Tony")
    got = run_chars(nlp, text, [(a, a + 10, "PERSON"), (b, b + 8, "PERSON"), (c, c + 4, "PERSON")])
    assert ("Viktor Orbán", "PERSON") in got and ("Santiago Peña", "PERSON") in got
    assert ("Tony", "PERSON") in got  # no capitalized word after it: unchanged


def test_france_abbreviation_is_not_a_law(nlp: Language) -> None:
    text = "中法建交六十周年，法方希望香港国安法不影响"
    law = text.index("香港国安法")
    got = run_chars(
        nlp, text, [(0, 1, "LOC"), (1, 2, "LOC"), (9, 10, "LOC"), (law, law + 5, "ORG")]
    )
    assert got.count(("法", "LOC")) == 2 and ("香港国安法", "ORG") not in got


def test_spans_joining_chinese_and_latin_are_cut(nlp: Language) -> None:
    text = "澳洲券商CommSec称，亚历克斯·M·阿扎二世说，BBC News 中文报道"
    a = 0
    b = text.index("亚历克斯")
    c = text.index("BBC")
    got = run_chars(nlp, text, [(a, 11, "ORG"), (b, b + 11, "PERSON"), (c, c + 11, "ORG")])
    assert ("CommSec", "ORG") in got and ("澳洲券商CommSec", "ORG") not in got
    assert ("亚历克斯·M·阿扎二世", "PERSON") in got  # a Latin initial between name dots
    assert ("BBC News 中文", "ORG") in got  # listed: mixes scripts on purpose


@pytest.mark.parametrize(
    ("text", "ents", "kept"),
    [
        (
            "罗纳德·里根号航母驶入南海",
            [("罗纳德·里根", "PERSON"), ("南海", "LOC")],
            [("南海", "LOC")],
        ),
        ("辽宁舰编队通过宫古海峡", [("辽宁", "LOC"), ("宫古海峡", "LOC")], [("宫古海峡", "LOC")]),
        ("遼寧艦編隊通過宮古海峽", [("遼寧", "LOC"), ("宮古海峽", "LOC")], [("宮古海峽", "LOC")]),
        ("嫦娥五号带回月壤", [("嫦娥", "PERSON")], []),
        ("天问一号着陆", [("天问", "ORG")], []),
        # not vehicles: a modifier place, a fleet, a call, an address
        ("日本舰艇驶过", [("日本", "LOC")], [("日本", "LOC")]),
        ("美国舰队抵达", [("美国", "LOC")], [("美国", "LOC")]),
        ("习近平号召团结", [("习近平", "PERSON")], [("习近平", "PERSON")]),
        ("他住在中山路5号", [("中山路", "LOC")], [("中山路", "LOC")]),
    ],
)
def test_names_borrowed_by_vehicles_get_no_label(
    nlp: Language, text: str, ents: list[tuple[str, str]], kept: list[tuple[str, str]]
) -> None:
    assert run(nlp, text, ents) == kept


def test_generic_unit_alone_is_no_org(nlp: Language) -> None:
    assert run(nlp, "海军发表声明", [("海军", "ORG")]) == []
    assert run(nlp, "委员会决定", [("委员会", "ORG")]) == []
    # a name in front keeps its label
    assert run(nlp, "英国海军发表声明", [("英国海军", "ORG")]) == [("英国海军", "ORG")]


def test_touching_person_halves_are_one_name(nlp: Language) -> None:
    text = "秘书长斯托尔滕贝格表示"
    doc = nlp.make_doc(text)
    halves = [(3, 6), (6, 9)]
    doc = split_doc(doc, [(a, b, "PERSON") for a, b in halves])
    out = RulesComponent()(doc)
    assert [(e.text, e.label_) for e in out.ents] == [("斯托尔滕贝格", "PERSON")]


def test_separated_or_listed_persons_stay_apart() -> None:
    from pipeline.stages.rules import _join_split_persons

    table = {"习近平": "PERSON", "李克强": "PERSON"}
    text = "习近平李克强和王五、赵六"
    ents = [(0, 3, "PERSON"), (3, 6, "PERSON"), (7, 9, "PERSON"), (10, 12, "PERSON")]
    assert _join_split_persons(text, ents, table) == ents
    # a LOC next to a PERSON, and two places, are never joined
    text = "法国巴黎马克龙"
    ents = [(0, 2, "LOC"), (2, 4, "LOC"), (4, 7, "PERSON")]
    assert _join_split_persons(text, ents, {}) == ents
