"""Link stage: mentions grouped into entities, canonical names and aliases."""

from __future__ import annotations

from pipeline.stages.link import Span, link


def spans_of(
    text: str, items: list[tuple[str, str]], values: dict[str, str] | None = None
) -> list[Span]:
    out: list[Span] = []
    pos = 0
    for surface, label in items:
        start = text.index(surface, pos)
        out.append(Span(start, start + len(surface), label, surface, (values or {}).get(surface)))  # type: ignore[arg-type]
        pos = start + len(surface)
    return out


def test_latin_alias_in_brackets() -> None:
    text = "参议员达克沃斯（Tammy Duckworth）说，达克沃斯将访台。"
    spans = spans_of(
        text,
        [
            ("达克沃斯", "PERSON"),
            ("Tammy Duckworth", "PERSON"),
            ("达克沃斯", "PERSON"),
            ("台", "LOC"),
        ],
    )
    entities = link(text, spans)
    assert len(entities) == 2
    person = entities[0]
    assert person.name == "达克沃斯" and person.aliases == ["Tammy Duckworth"] and person.count == 3
    assert [s.entity for s in spans] == [0, 0, 0, 1]


def test_same_text_other_label_is_another_entity() -> None:
    text = "华盛顿说华盛顿"
    spans = [Span(0, 3, "PERSON", "华盛顿"), Span(4, 7, "LOC", "华盛顿")]
    assert len(link(text, spans)) == 2


def test_abbreviation_in_brackets() -> None:
    text = "北大西洋公约组织（北约）成员国"
    spans = spans_of(text, [("北大西洋公约组织", "ORG"), ("北约", "ORG")])
    (entity,) = link(text, spans)
    assert entity.name == "北大西洋公约组织" and entity.aliases == ["北约"]


def test_unrelated_bracket_is_not_alias() -> None:
    text = "北京（中国）"
    spans = spans_of(text, [("北京", "LOC"), ("中国", "LOC")])
    assert len(link(text, spans)) == 2


def test_full_foreign_name_and_surname() -> None:
    text = "劳埃德·奥斯汀表示，奥斯汀随后离开。奥斯汀"
    spans = spans_of(
        text, [("劳埃德·奥斯汀", "PERSON"), ("奥斯汀", "PERSON"), ("奥斯汀", "PERSON")]
    )
    (entity,) = link(text, spans)
    assert entity.name == "奥斯汀" and entity.aliases == ["劳埃德·奥斯汀"] and entity.count == 3


def test_dates_grouped_by_value() -> None:
    text = "周四（1月6日）会谈，周四"
    spans = spans_of(
        text,
        [("周四", "DATE"), ("1月6日", "DATE"), ("周四", "DATE")],
        values={"周四": "2022-01-06", "1月6日": "2022-01-06"},
    )
    (entity,) = link(text, spans)
    assert entity.name == "周四" and entity.aliases == ["1月6日"] and entity.value == "2022-01-06"


def test_canonical_prefers_chinese_script() -> None:
    text = "Twitter 推特"
    spans = spans_of(text, [("Twitter", "ORG"), ("推特", "ORG")])
    # not bracketed: separate entities, each its own canonical name
    assert [e.name for e in link(text, spans)] == ["Twitter", "推特"]


def test_latin_name_ending_in_an_abbreviation_dot_in_brackets() -> None:
    # The extractor leaves the dot of "Jr." outside the name; the pair is still linked.
    text = "议员高文德（Peter Gowand Jr.）表示，高文德将出席。"
    spans = spans_of(
        text, [("高文德", "PERSON"), ("Peter Gowand Jr", "PERSON"), ("高文德", "PERSON")]
    )
    entities = link(text, spans)
    assert len(entities) == 1 and entities[0].aliases == ["Peter Gowand Jr"]


def test_short_form_of_the_one_person_it_starts() -> None:
    text = "王小明说，王表示同意。李四也来了。"
    spans = spans_of(text, [("王小明", "PERSON"), ("王", "PERSON"), ("李四", "PERSON")])
    entities = link(text, spans)
    assert [e.key for e in entities] == ["person:王小明", "person:王小明", "person:李四"]
    assert len(entities) == 3  # the record keeps the mentions' entities as linked


def test_latin_name_after_quoted_name() -> None:
    """Quotes or title marks around the name do not hide the bracketed other form."""
    text = "据“东方贸易联盟”（Eastern Trade Union）和《北方晨报》（Northern Morning）报道"
    spans = spans_of(
        text,
        [
            ("东方贸易联盟", "ORG"),
            ("Eastern Trade Union", "ORG"),
            ("北方晨报", "ORG"),
            ("Northern Morning", "ORG"),
        ],
    )
    entities = link(text, spans)
    assert [(e.name, e.aliases) for e in entities] == [
        ("东方贸易联盟", ["Eastern Trade Union"]),
        ("北方晨报", ["Northern Morning"]),
    ]


def test_cue_inside_brackets() -> None:
    """音译 / 以下简称 before the bracketed form, another item after it."""
    text = "刘小梅（音译，Liu Xiaomei）说，青年环保联合会（以下简称“青环联”，成立于2001年）回应"
    spans = spans_of(
        text,
        [
            ("刘小梅", "PERSON"),
            ("Liu Xiaomei", "PERSON"),
            ("青年环保联合会", "ORG"),
            ("青环联", "ORG"),
            ("2001年", "DATE"),
        ],
    )
    entities = link(text, spans)
    assert [(e.name, e.aliases) for e in entities[:2]] == [
        ("刘小梅", ["Liu Xiaomei"]),
        ("青年环保联合会", ["青环联"]),
    ]


def test_bracket_after_other_words_is_no_alias() -> None:
    """Words between the name and the bracket, or a second item, are not its other form."""
    text = "东方贸易联盟表示（Eastern Trade Union）；北方晨报（周刊，Northern Morning）"
    spans = spans_of(
        text,
        [
            ("东方贸易联盟", "ORG"),
            ("Eastern Trade Union", "ORG"),
            ("北方晨报", "ORG"),
            ("Northern Morning", "ORG"),
        ],
    )
    assert len(link(text, spans)) == 4
