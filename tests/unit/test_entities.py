"""The archive entity table: batch merges, their limits, and the reduction's invariance."""

from __future__ import annotations

import csv
import io
import json
import random
from pathlib import Path

from pipeline.entities import EntityRow, EntityTable, collect_entities, entity_table, write_table
from pipeline.schema import Record
from tests.report.helpers import make_record


def _batch() -> list[Record]:
    """Four short articles written by the team: one entity in several scripts and forms."""
    return [
        make_record(
            "a",
            "参议员表态",
            "美国联邦参议员达克沃斯（Tammy Duckworth）周四在华盛顿表示，美方将继续支持台湾。",
            [
                ("达克沃斯", "PERSON", None),
                ("Tammy Duckworth", "PERSON", None),
                ("华盛顿", "LOC", None),
                ("美", "LOC", None),
                ("台湾", "LOC", None),
            ],
            aliases={"达克沃斯": ["Tammy Duckworth"]},
            published="2022-01-05T20:45:01Z",
        ),
        make_record(
            "b",
            "Duckworth visits",
            "Tammy Duckworth 昨天抵達臺灣，會見美國在台協會官員。",
            [
                ("Tammy Duckworth", "PERSON", None),
                ("臺灣", "LOC", None),
                ("美國", "LOC", None),
            ],
            published="2022-02-01T08:00:00Z",
        ),
        make_record(
            "c",
            "国防部长访日",
            "美国国防部长劳埃德·奥斯汀抵达东京。奥斯汀表示，美日同盟牢固。达克沃斯随行。",
            [
                ("美国国防部", "ORG", None),
                ("劳埃德·奥斯汀", "PERSON", None),
                ("东京", "LOC", None),
                ("奥斯汀", "PERSON", None),
                ("美", "LOC", None),
                ("日", "LOC", None),
                ("达克沃斯", "PERSON", None),
            ],
            aliases={"劳埃德·奥斯汀": ["奥斯汀"]},
            published="2021-12-30T01:00:00Z",
        ),
        make_record(
            "d",
            "奥斯汀谈中国",
            "奥斯汀说，中方应当遵守规则。Lloyd Austin 也提到沪港两地。",
            [
                ("奥斯汀", "PERSON", None),
                ("中", "LOC", None),
                ("Lloyd Austin", "PERSON", None),
                ("沪", "LOC", None),
                ("港", "LOC", None),
            ],
            published="2022-03-01T00:00:00Z",
        ),
    ]


def _rows(records: list[Record]) -> dict[str, dict[str, object]]:
    return {r.key: r.model_dump() for r in entity_table(records)}


def test_one_person_in_both_scripts_across_articles() -> None:
    rows = _rows(_batch())
    duck = next(r for r in rows.values() if r["name"] == "达克沃斯")
    assert duck["label"] == "PERSON"
    assert duck["articles"] == 3  # a (both forms), b (Latin only), c (Chinese only)
    assert duck["mentions"] == 4
    forms = {a["form"]: a["count"] for a in duck["aliases"]}  # type: ignore[union-attr]
    assert forms == {"Tammy Duckworth": 2}
    assert str(duck["first_published"]).startswith("2021-12-30")
    assert str(duck["last_published"]).startswith("2022-02-01")


def test_countries_and_places_by_code() -> None:
    rows = _rows(_batch())
    us = rows["iso:US"]
    assert us["articles"] == 3 and us["name"] == "美"
    assert {a["form"] for a in us["aliases"]} == {"美國"}  # type: ignore[union-attr]
    assert rows["iso:TW"]["articles"] == 2
    assert rows["gb:310000"]["name"] == "沪"
    assert rows["iso:HK"]["articles"] == 1
    assert rows["iso:CN"]["articles"] == 1


def test_last_name_joins_the_one_full_name() -> None:
    rows = _rows(_batch())
    austin = rows["person:劳埃德·奥斯汀"]
    assert austin["articles"] == 2  # c (full and last name), d (last name, Latin full name)
    # Lloyd Austin by its transliteration, 奥斯汀 alone as the batch's one such last name.
    assert set(austin["keys"]) == {  # type: ignore[arg-type]
        "person:劳埃德·奥斯汀",
        "person:lloyd austin",
        "person:奥斯汀",
    }


def test_two_people_with_one_last_name_stay_apart() -> None:
    records = [
        *_batch(),
        make_record(
            "e",
            "另一位奥斯汀",
            "歌手约翰·奥斯汀说，奥斯汀家族很大。",
            [("约翰·奥斯汀", "PERSON", None), ("奥斯汀", "PERSON", None)],
            aliases={"约翰·奥斯汀": ["奥斯汀"]},
        ),
    ]
    rows = _rows(records)
    assert rows["person:奥斯汀"]["articles"] == 1  # d's 奥斯汀 alone is ambiguous now
    assert rows["person:劳埃德·奥斯汀"]["articles"] == 2  # c, and d's Lloyd Austin
    assert rows["person:约翰·奥斯汀"]["articles"] == 1


def test_merging_never_crosses_labels() -> None:
    records = [
        make_record("x", "华盛顿", "华盛顿说。", [("华盛顿", "PERSON", None)]),
        make_record("y", "华盛顿", "在华盛顿。", [("华盛顿", "LOC", None)]),
    ]
    rows = _rows(records)
    assert {"person:华盛顿", "loc:华盛顿"} <= set(rows)


def test_two_organizations_with_one_abbreviation_stay_apart() -> None:
    """A short form bracketed after two different full names merges nothing."""
    records = [
        make_record(
            "p",
            "甲",
            "美国国防部（国防部）说。",
            [("美国国防部", "ORG", None), ("国防部", "ORG", None)],
            aliases={"美国国防部": ["国防部"]},
        ),
        make_record(
            "q",
            "乙",
            "台湾国防部（国防部）说。",
            [("台湾国防部", "ORG", None), ("国防部", "ORG", None)],
            aliases={"台湾国防部": ["国防部"]},
        ),
        make_record("r", "丙", "国防部说。", [("国防部", "ORG", None)]),
    ]
    rows = _rows(records)
    assert rows["org:美国国防部"]["articles"] == 1
    assert rows["org:台湾国防部"]["articles"] == 1
    assert rows["org:国防部"]["articles"] == 1


def test_one_latin_full_name_joins_two_renderings() -> None:
    records = [
        make_record(
            "p",
            "甲",
            "迈克·蓬佩奥（Mike Pompeo）说。",
            [("迈克·蓬佩奥", "PERSON", None), ("Mike Pompeo", "PERSON", None)],
            aliases={"迈克·蓬佩奥": ["Mike Pompeo"]},
        ),
        make_record(
            "q",
            "乙",
            "麦克·蓬佩奥（Mike Pompeo）说。",
            [("麦克·蓬佩奥", "PERSON", None), ("Mike Pompeo", "PERSON", None)],
            aliases={"麦克·蓬佩奥": ["Mike Pompeo"]},
        ),
    ]
    (row,) = entity_table(records)
    assert row.articles == 2 and row.mentions == 4


def test_reduction_is_independent_of_order_and_grouping(tmp_path: Path) -> None:
    records = _batch()
    one = entity_table(records)
    shuffled = records[:]
    random.Random(0).shuffle(shuffled)
    assert entity_table(shuffled) == one
    # Partial tables per file, merged: the way a distributed run reduces its parts.
    paths = []
    for i, part in enumerate((records[:1], records[1:3], records[3:])):
        path = tmp_path / f"part{i}.jsonl"
        path.write_text("".join(r.model_dump_json() + "\n" for r in part), encoding="utf-8")
        paths.append(path)
    assert entity_table(paths) == one
    assert entity_table(list(reversed(paths))) == one
    merged = EntityTable()
    for part in (records[2:], records[:2]):
        merged.update(collect_entities(part))
    assert merged.rows() == one


def test_records_with_keys_and_without_agree() -> None:
    """Older records (no key) get the key the link stage would have written."""
    records = _batch()
    from pipeline.entities import record_keys

    keyed = []
    for r in records:
        copy = r.model_copy(deep=True)
        for e, k in zip(copy.entities, record_keys(r), strict=True):
            e.key = k
        keyed.append(copy)
    assert entity_table(keyed) == entity_table(records)


def test_write_jsonl_and_csv() -> None:
    rows = entity_table(_batch())
    out = io.StringIO()
    assert write_table(rows, out, fmt="jsonl") == len(rows)
    first = json.loads(out.getvalue().splitlines()[0])
    assert set(first) == {
        "key",
        "label",
        "name",
        "aliases",
        "keys",
        "articles",
        "mentions",
        "first_published",
        "last_published",
    }
    out = io.StringIO()
    write_table(rows, out, fmt="csv")
    table = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert len(table) == len(rows)
    us = next(r for r in table if r["key"] == "iso:US")
    assert json.loads(us["keys"]) == ["iso:US"]
    assert {a["form"] for a in json.loads(us["aliases"])} == {"美國"}


def test_org_abbreviation_joins_the_one_full_name_named_with_it() -> None:
    """世卫 keeps the first character of 世界卫生组织; an article names both."""
    records = [
        make_record(
            "p",
            "甲",
            "世界卫生组织周一开会，世卫称疫情趋缓。",
            [("世界卫生组织", "ORG", None), ("世卫", "ORG", None)],
        ),
        make_record("q", "乙", "世卫再次示警。", [("世卫", "ORG", None)]),
    ]
    rows = _rows(records)
    who = next(r for r in rows.values() if r["name"] == "世卫")
    assert who["articles"] == 2 and who["mentions"] == 3
    assert {a["form"] for a in who["aliases"]} == {"世界卫生组织"}  # type: ignore[union-attr]


def test_org_abbreviation_of_two_full_names_stays_apart() -> None:
    """国会 could shorten 美国国会 or 韩国国会: ambiguity keeps it apart."""
    records = [
        make_record(
            "p",
            "甲",
            "美国国会与韩国国会，国会表决。",
            [("美国国会", "ORG", None), ("韩国国会", "ORG", None), ("国会", "ORG", None)],
        ),
    ]
    rows = _rows(records)
    assert {"org:美国国会", "org:韩国国会", "org:国会"} <= set(rows)


def test_org_name_followed_by_more_is_another_body() -> None:
    """苹果 is not 苹果日报, 欧盟 is not 欧盟委员会; an edition is its outlet."""
    records = [
        make_record(
            "p",
            "甲",
            "苹果日报报道，苹果发布新机；欧盟委员会与欧盟表态。德国之声中文网消息。",
            [
                ("苹果日报", "ORG", None),
                ("苹果", "ORG", None),
                ("欧盟委员会", "ORG", None),
                ("欧盟", "ORG", None),
                ("德国之声中文网", "ORG", None),
            ],
        ),
        make_record("q", "乙", "德国之声报道。", [("德国之声", "ORG", None)]),
    ]
    rows = _rows(records)
    assert rows["org:苹果"]["articles"] == 1 and "org:苹果日报" in rows
    assert "org:欧盟委员会" in rows
    dw = next(r for r in rows.values() if r["name"] in {"德国之声", "德国之声中文网"})
    assert dw["articles"] == 2


def test_org_without_its_country_prefix_needs_the_context() -> None:
    """国务院 joins 美国国务院 only where every article naming it names 美国 or the full name."""
    us = make_record("p", "甲", "美国国务院周一发表声明。", [("美国国务院", "ORG", None)])
    with_context = make_record(
        "q", "乙", "美国官员说，国务院将回应。", [("美国", "LOC", None), ("国务院", "ORG", None)]
    )
    without = make_record("r", "丙", "国务院常务会议召开。", [("国务院", "ORG", None)])
    (row,) = [r for r in entity_table([us, with_context]) if r.label == "ORG"]
    assert row.articles == 2 and set(row.keys) == {"org:美国国务院", "org:国务院"}
    rows = _rows([us, with_context, without])
    assert rows["org:国务院"]["articles"] == 2  # r's 国务院 may be China's State Council
    assert rows["org:美国国务院"]["articles"] == 1


def test_two_short_forms_that_disagree_join_nothing() -> None:
    """民主党 and 民进党 both fit 民主进步党 but are not short forms of one another."""
    records = [
        make_record(
            "p",
            "甲",
            "民主进步党（民进党）与民主党会谈。",
            [("民主进步党", "ORG", None), ("民主党", "ORG", None)],
        ),
        make_record(
            "q",
            "乙",
            "民进党团表示。民主进步党回应。",
            [("民进党", "ORG", None), ("民主进步党", "ORG", None)],
        ),
    ]
    rows = _rows(records)
    assert rows["org:民主党"]["articles"] == 1


def test_place_with_and_without_designation() -> None:
    """东京 / 东京都 and 金门 / 金门县 merge; 纽约 with 纽约市 and 纽约省 stays apart."""
    records = [
        make_record(
            "p",
            "甲",
            "东京都知事说，东京将解封。金门县与金门。",
            [
                ("东京都", "LOC", None),
                ("东京", "LOC", None),
                ("金门县", "LOC", None),
                ("金门", "LOC", None),
            ],
        ),
        make_record(
            "q",
            "乙",
            "纽约市与纽约省，纽约。",
            [("纽约市", "LOC", None), ("纽约省", "LOC", None), ("纽约", "LOC", None)],
        ),
    ]
    rows = _rows(records)
    tokyo = next(r for r in rows.values() if r["name"] in {"东京", "东京都"})
    assert tokyo["mentions"] == 2 and len(tokyo["keys"]) == 2  # type: ignore[arg-type]
    kinmen = next(r for r in rows.values() if r["name"] in {"金门", "金门县"})
    assert kinmen["mentions"] == 2
    assert {"loc:纽约", "loc:纽约市", "loc:纽约省"} <= set(rows)


def test_place_designations_never_join_two_codes() -> None:
    """吉林 (a province code) does not join 吉林市 (a city code)."""
    records = [
        make_record(
            "p", "甲", "吉林省与吉林市。", [("吉林省", "LOC", None), ("吉林市", "LOC", None)]
        ),
        make_record("q", "乙", "吉林下雪。", [("吉林", "LOC", None)]),
    ]
    rows = _rows(records)
    assert len([k for k in rows if k.startswith("gb:")]) >= 2


def test_abbreviation_from_several_words_needs_no_shared_article() -> None:
    """中新社 takes one character from each word of 中国新闻社 and keeps 社: it joins the
    one such name of the batch even in another article. 美国空军 is 美国太空军 with a
    character left out, not an abbreviation: it stays apart without an article naming both."""
    records = [
        make_record("p", "甲", "中国新闻社报道。", [("中国新闻社", "ORG", None)]),
        make_record("q", "乙", "据中新社消息。", [("中新社", "ORG", None)]),
        make_record("r", "丙", "美国太空军成立。", [("美国太空军", "ORG", None)]),
        make_record("s", "丁", "美国空军出动。", [("美国空军", "ORG", None)]),
    ]
    rows = _rows(records)
    news = next(r for r in rows.values() if r["name"] in {"中新社", "中国新闻社"})
    assert news["articles"] == 2
    assert rows["org:美国空军"]["articles"] == 1
    assert rows["org:美国太空军"]["articles"] == 1


def test_pieces_counts_the_runs_a_short_form_takes() -> None:
    from pipeline.entities import _pieces

    assert _pieces("中新社", "中国新闻社") == 3
    assert _pieces("国台办", "国务院台湾事务办公室") == 3
    assert _pieces("新华社", "新华通讯社") == 2
    assert _pieces("美国空军", "美国太空军") == 2
    assert _pieces("世卫", "世界卫生组织") == 2
    assert _pieces("美卫", "世界卫生组织") > 2  # no subsequence


def test_latin_acronym_bracketed_in_one_article_joins_elsewhere() -> None:
    """美国在台协会（AIT） in one article links AIT alone in another (shared forms)."""
    records = [
        make_record(
            "p",
            "甲",
            "美国在台协会（AIT）发表声明。",
            [("美国在台协会", "ORG", None), ("AIT", "ORG", None)],
            aliases={"美国在台协会": ["AIT"]},
        ),
        make_record("q", "乙", "AIT处长表示。", [("AIT", "ORG", None)]),
    ]
    (row,) = entity_table(records)
    assert row.name == "美国在台协会" and row.articles == 2


def test_org_place_written_two_ways_in_front() -> None:
    """澳洲… and 澳大利亚… name one body; 中共外交部 is 中国外交部; different places stay apart."""
    records = [
        make_record("p", "甲", "澳洲甲乙研究所发布报告。", [("澳洲甲乙研究所", "ORG", None)]),
        make_record("q", "乙", "澳大利亚甲乙研究所称。", [("澳大利亚甲乙研究所", "ORG", None)]),
        make_record("r", "丙", "中共外交部回应。", [("中共外交部", "ORG", None)]),
        make_record("s", "丁", "中国外交部表示。", [("中国外交部", "ORG", None)]),
        make_record("t", "戊", "美国外交部否认。", [("美国外交部", "ORG", None)]),
    ]
    rows = _rows(records)
    institute = next(r for r in rows.values() if "org:澳洲甲乙研究所" in r["keys"])  # type: ignore[operator]
    assert institute["articles"] == 2
    ministry = next(r for r in rows.values() if "org:中共外交部" in r["keys"])  # type: ignore[operator]
    assert ministry["articles"] == 2
    assert rows["org:美国外交部"]["articles"] == 1


def test_org_without_its_parent_body_named_in_the_article() -> None:
    """甲乙理事会 joins 联合国甲乙理事会 where the article names 联合国, not elsewhere."""
    full = make_record("p", "甲", "联合国甲乙理事会开会。", [("联合国甲乙理事会", "ORG", None)])
    short = make_record(
        "q",
        "乙",
        "联合国官员说，甲乙理事会将表决。",
        [("联合国", "ORG", None), ("甲乙理事会", "ORG", None)],
    )
    alone = make_record("r", "丙", "甲乙理事会召开会议。", [("甲乙理事会", "ORG", None)])
    (council, _) = sorted(entity_table([full, short]), key=lambda r: -len(r.keys))
    assert set(council.keys) == {"org:甲乙理事会", "org:联合国甲乙理事会"}
    assert council.articles == 2
    rows = _rows([full, short, alone])
    assert rows["org:甲乙理事会"]["articles"] == 2  # r's may be another council
    assert rows["org:联合国甲乙理事会"]["articles"] == 1


def test_org_inside_a_longer_body_is_no_candidate() -> None:
    """丙丁委员会's 委员会 in 中国丙丁委员会甲地分局 names a branch: it leaves 中国丙丁委员会 the
    one candidate of 丙丁委员会."""
    records = [
        make_record(
            "p",
            "甲",
            "中国官员说，中国丙丁委员会与中国丙丁委员会甲地分局表示，丙丁委员会将处理。",
            [
                ("中国", "LOC", None),
                ("中国丙丁委员会", "ORG", None),
                ("中国丙丁委员会甲地分局", "ORG", None),
                ("丙丁委员会", "ORG", None),
            ],
        ),
    ]
    rows = _rows(records)
    assert set(rows["org:丙丁委员会"]["keys"]) == {"org:丙丁委员会", "org:中国丙丁委员会"}  # type: ignore[arg-type]
    assert rows["org:中国丙丁委员会甲地分局"]["keys"] == ["org:中国丙丁委员会甲地分局"]


def test_state_with_and_without_state_designation() -> None:
    """甲乙丙 / 甲乙丙州 and 丁州 / 丁戊己庚州 merge; 纽约 / 纽约州 (a city and a state) and 墨西哥 /
    墨西哥州 (a country and a state) stay apart."""
    records = [
        make_record("p", "甲", "甲乙丙州州长说。", [("甲乙丙州", "LOC", None)]),
        make_record(
            "q",
            "乙",
            "甲乙丙的选民。丁州与丁戊己庚州。",
            [("甲乙丙", "LOC", None), ("丁州", "LOC", None), ("丁戊己庚州", "LOC", None)],
        ),
        make_record(
            "r",
            "丙",
            "纽约州与纽约，墨西哥州与墨西哥。",
            [
                ("纽约州", "LOC", None),
                ("纽约", "LOC", None),
                ("墨西哥州", "LOC", None),
                ("墨西哥", "LOC", None),
            ],
        ),
    ]
    rows = _rows(records)
    state = next(r for r in rows.values() if r["name"] in {"甲乙丙", "甲乙丙州"})
    assert state["articles"] == 2
    assert next(r for r in rows.values() if r["name"] == "丁州")["mentions"] == 2
    assert {"loc:纽约", "loc:纽约州", "loc:墨西哥州", "iso:MX"} <= set(rows)


def test_district_with_and_without_designation() -> None:
    records = [
        make_record("p", "甲", "甲乙区的居民。", [("甲乙区", "LOC", None)]),
        make_record("q", "乙", "甲乙发生抗议。", [("甲乙", "LOC", None)]),
    ]
    (row,) = entity_table(records)
    assert row.articles == 2


def test_person_short_form_joins_across_articles_through_its_article() -> None:
    """王 is 王小明 in the article naming him; elsewhere a bare 王 stays apart."""
    records = [
        make_record(
            "p",
            "甲",
            "王小明说，王表示同意。",
            [("王小明", "PERSON", None), ("王", "PERSON", None)],
        ),
        make_record("q", "乙", "王小明访问。", [("王小明", "PERSON", None)]),
        make_record("r", "丙", "王说。", [("王", "PERSON", None)]),
    ]
    rows = _rows(records)
    assert rows["person:王小明"]["articles"] == 2 and rows["person:王小明"]["mentions"] == 3
    assert rows["person:王"]["articles"] == 1


def test_paper_team_and_ship_suffixes_after_a_long_name() -> None:
    """甲乙丙 / 甲乙丙时报 and 丁戊己 / 丁戊己队 are one body; after a two-character name
    the suffix names another one (甲乙 / 甲乙时报)."""
    records = [
        make_record("p", "甲", "甲乙丙时报报道。", [("甲乙丙时报", "ORG", None)]),
        make_record(
            "q",
            "乙",
            "甲乙丙称。丁戊己队获胜。",
            [("甲乙丙", "ORG", None), ("丁戊己队", "ORG", None)],
        ),
        make_record("r", "丙", "丁戊己主帅说。", [("丁戊己", "ORG", None)]),
        make_record(
            "s", "丁", "甲乙时报与甲乙。", [("甲乙时报", "ORG", None), ("甲乙", "ORG", None)]
        ),
    ]
    rows = _rows(records)
    paper = next(r for r in rows.values() if "org:甲乙丙时报" in r["keys"])  # type: ignore[operator]
    assert paper["articles"] == 2
    team = next(r for r in rows.values() if "org:丁戊己队" in r["keys"])  # type: ignore[operator]
    assert team["articles"] == 2
    assert rows["org:甲乙"]["keys"] == ["org:甲乙"]


def test_defined_short_form_joins_across_the_batch() -> None:
    """简称 in one article (the short form not extracted there) joins it elsewhere."""
    records = [
        make_record(
            "p",
            "甲",
            "山城自行车促进会，简称车促会的会长周一发言。",
            [("山城自行车促进会", "ORG", None)],
        ),
        make_record("q", "乙", "车促会再次呼吁。", [("车促会", "ORG", None)]),
        make_record(
            "r", "丙", "东方航运协会（以下简称“东航协”）成立。", [("东方航运协会", "ORG", None)]
        ),
        make_record("s", "丁", "东航协表示反对。", [("东航协", "ORG", None)]),
    ]
    rows = _rows(records)
    assert rows["org:山城自行车促进会"]["articles"] == 2
    assert rows["org:东方航运协会"]["articles"] == 2


def test_short_form_defined_for_two_long_names_joins_neither() -> None:
    records = [
        make_record("p", "甲", "东方航运协会（下称东会）成立。", [("东方航运协会", "ORG", None)]),
        make_record("q", "乙", "东亚合作协会（下称东会）开会。", [("东亚合作协会", "ORG", None)]),
        make_record("r", "丙", "东会表示反对。", [("东会", "ORG", None)]),
    ]
    rows = _rows(records)
    assert rows["org:东会"]["articles"] == 1 and len(rows) == 3


def test_bracketed_acronym_needs_the_latin_name_it_spells() -> None:
    """山城快报（MEX）: MEX joins only when the batch writes the paper's Latin name."""
    base = [
        make_record("p", "甲", "山城快报（MEX）称。", [("山城快报", "ORG", None)]),
        make_record("q", "乙", "MEX reported.", [("MEX", "ORG", None)]),
    ]
    assert len(_rows(base)) == 2
    latin = make_record(
        "r",
        "丙",
        "山城快报（Mountain Express X）称。",
        [("山城快报", "ORG", None), ("Mountain Express X", "ORG", None)],
        aliases={"山城快报": ["Mountain Express X"]},
    )
    rows = _rows([*base, latin])
    assert rows["org:山城快报"]["articles"] == 3


def test_short_form_resolved_alike_in_two_articles() -> None:
    """自协 names 自行车协会 in two articles that name both; the batch also holds
    山城自行车协会 (so the batch alone leaves 自协 ambiguous). One article is not enough,
    and an article resolving it to another body keeps it apart."""

    def entity_of(rows: list[EntityRow], key: str) -> list[str]:
        return next(r.keys for r in rows if key in r.keys)

    both = [
        make_record(
            i,
            "甲",
            "自行车协会周一开会，自协称将改选。",
            [("自行车协会", "ORG", None), ("自协", "ORG", None)],
        )
        for i in ("p", "q")
    ]
    other = make_record("r", "乙", "山城自行车协会成立。", [("山城自行车协会", "ORG", None)])
    lone = make_record("s", "丙", "自协表示反对。", [("自协", "ORG", None)])
    rows = entity_table([*both, other, lone])
    assert entity_of(rows, "org:自协") == ["org:自协", "org:自行车协会"]
    assert entity_of(entity_table([both[0], other, lone]), "org:自协") == ["org:自协"]
    contrary = make_record(
        "t",
        "丁",
        "山城自行车协会开会，自协称将改选。",
        [("山城自行车协会", "ORG", None), ("自协", "ORG", None)],
    )
    assert entity_of(entity_table([*both, other, lone, contrary]), "org:自协") == ["org:自协"]


def test_last_name_joins_a_latin_full_name_by_its_transliteration() -> None:
    """梅多斯 alone joins Mark Meadows (the shipped list gives meadows → 梅多斯); a Latin
    'full name' not written as a name (It meadows) or a second Meadows keeps it apart."""
    lone = make_record("p", "甲", "梅多斯周一表示反对。", [("梅多斯", "PERSON", None)])
    latin = make_record("q", "乙", "Mark Meadows said no.", [("Mark Meadows", "PERSON", None)])
    rows = entity_table([lone, latin])
    assert len(rows) == 1 and rows[0].key == "person:mark meadows"
    odd = make_record("r", "丙", "It meadows.", [("It meadows", "PERSON", None)])
    assert len(entity_table([lone, odd])) == 2
    other = make_record("s", "丁", "Anna Meadows said yes.", [("Anna Meadows", "PERSON", None)])
    assert len(entity_table([lone, latin, other])) == 3


def test_place_and_another_body_of_it_are_no_abbreviation() -> None:
    """美国会 (美 + 国会) shares only the place with 美国白宫国安会: no merge, though its
    characters occur in order and one article names both; 美国务院 (美 + 国务院) still
    shortens 美国国务院."""
    from pipeline.entities import _other_body

    records = [
        make_record(
            "p",
            "甲",
            "美国白宫国安会与美国会议员会面。",
            [("美国白宫国安会", "ORG", None), ("美国会", "ORG", None)],
        ),
        make_record("q", "乙", "美国国会表决。", [("美国国会", "ORG", None)]),
    ]
    rows = _rows(records)
    congress = next(r for r in rows.values() if r["name"] in {"美国会", "美国国会"})
    assert congress["articles"] == 2  # the place written two ways in front
    council = next(r for r in rows.values() if r["name"] == "美国白宫国安会")
    assert council["articles"] == 1
    assert _other_body("美国会", "美国白宫国安会")
    assert not _other_body("美国务院", "美国国务院")
    assert not _other_body("世卫", "世界卫生组织")  # no place in front


def test_court_paper_and_group_forms_join_across_articles() -> None:
    """甲乙区人民法院 / 甲乙区法院, 丙丁日报社 / 丙丁日报, 戊己集团 / 戊己 are one body each."""
    records = [
        make_record(
            "p",
            "甲",
            "甲乙区人民法院判决；丙丁日报社发文；戊己集团回应。",
            [
                ("甲乙区人民法院", "ORG", None),
                ("丙丁日报社", "ORG", None),
                ("戊己集团", "ORG", None),
            ],
        ),
        make_record(
            "q",
            "乙",
            "甲乙区法院；丙丁日报；戊己。",
            [("甲乙区法院", "ORG", None), ("丙丁日报", "ORG", None), ("戊己", "ORG", None)],
        ),
    ]
    rows = _rows(records)
    assert len(rows) == 3
    assert all(r["articles"] == 2 for r in rows.values())


def test_county_designation() -> None:
    """A county written with and without 郡 is one place."""
    records = [
        make_record("p", "甲", "庚辛郡的海岸。", [("庚辛郡", "LOC", None)]),
        make_record("q", "乙", "庚辛的海岸。", [("庚辛", "LOC", None)]),
    ]
    rows = _rows(records)
    assert len(rows) == 1 and next(iter(rows.values()))["articles"] == 2
