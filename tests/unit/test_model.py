"""The bundled NER model on sentences written for these tests (not from any corpus).

Each case lists mentions the model must find (a subset check: other mentions may be
predicted too). Traditional Chinese goes through the product's character-by-character
conversion, so offsets are those of the original text.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from pipeline.stages.segment import JiebaSegmenter

MODEL = Path(__file__).resolve().parents[2] / "models" / "zh_news_ner"
NER_DIR = MODEL / "zh_news_ner"

pytestmark = pytest.mark.skipif(
    not (NER_DIR / "weights.npz").is_file(), reason="bundled model not built"
)

CASES: list[tuple[str, list[tuple[str, str]]]] = [
    # foreign names in transliteration, buildings standing for institutions
    ("美国国防部长奥斯汀周四在五角大楼会见来访的日本防卫大臣。",
     [("美国国防部", "ORG"), ("奥斯汀", "PERSON"), ("五角大楼", "ORG"), ("日本", "LOC")]),
    ("参议员达克沃斯和科宁联名致信白宫，要求加快对台军售。",
     [("达克沃斯", "PERSON"), ("科宁", "PERSON"), ("白宫", "ORG")]),
    ("联合国秘书长古特雷斯呼吁各方保持克制。", [("联合国", "ORG"), ("古特雷斯", "PERSON")]),
    ("北约秘书长斯托尔滕贝格在布鲁塞尔举行记者会。",
     [("北约", "ORG"), ("斯托尔滕贝格", "PERSON"), ("布鲁塞尔", "LOC")]),
    ("日本首相岸田文雄与美国总统拜登举行电话会谈。",
     [("日本", "LOC"), ("岸田文雄", "PERSON"), ("美国", "LOC"), ("拜登", "PERSON")]),
    ("据共同社报道，日本外务省当天召见了中国驻日大使。",
     [("共同社", "ORG"), ("日本外务省", "ORG"), ("中国", "LOC")]),
    ("美国之音记者在华盛顿采访了国务院发言人。", [("美国之音", "ORG"), ("华盛顿", "LOC")]),
    ("日本自卫队将在鹿儿岛县的西南诸岛部署导弹部队。",
     [("日本自卫队", "ORG"), ("鹿儿岛县", "LOC"), ("西南诸岛", "LOC")]),
    ("中国海警船只连续多日进入东中国海争议海域。", [("东中国海", "LOC")]),
    ("俄罗斯总统在克里姆林宫接见了来访的匈牙利总理欧尔班。",
     [("克里姆林宫", "ORG"), ("匈牙利", "LOC"), ("欧尔班", "PERSON")]),
    ("韩国联合参谋本部说，朝鲜从平壤附近发射了两枚弹道导弹。",
     [("韩国联合参谋本部", "ORG"), ("朝鲜", "LOC"), ("平壤", "LOC")]),
    ("欧洲议会以压倒性多数通过了该决议。", [("欧洲议会", "ORG")]),
    # Latin-script names next to a Chinese name
    ("伊利诺伊州参议员达克沃斯（Tammy Duckworth）抵达台北。",
     [("达克沃斯", "PERSON"), ("Tammy Duckworth", "PERSON"), ("台北", "LOC")]),
    ("德州联邦参议员科宁（John Cornyn）表示支持该法案。",
     [("科宁", "PERSON"), ("John Cornyn", "PERSON")]),
    # Taiwanese / Hong Kong bodies, new agencies
    ("台湾国防部宣布，全民防卫动员署将于明年一月正式成立。",
     [("台湾国防部", "ORG"), ("全民防卫动员署", "ORG")]),
    ("香港特区政府发言人说，立法会将于下周审议条例草案。", [("立法会", "ORG")]),
    ("立法委员林昶佐在台北表示，民进党团将提出修正案。", [("林昶佐", "PERSON"), ("台北", "LOC")]),
    ("香港警务处处长萧泽颐周一会见记者。", [("香港警务处", "ORG"), ("萧泽颐", "PERSON")]),
    # Chinese names, places, abbreviations
    ("王小明昨天从上海飞往东京，参加中日企业家论坛。",
     [("王小明", "PERSON"), ("上海", "LOC"), ("东京", "LOC")]),
    ("中国人民解放军东部战区在台湾海峡附近举行演习。", [("台湾海峡", "LOC")]),
    ("清华大学教授李华在北京出席了研讨会。",
     [("清华大学", "ORG"), ("李华", "PERSON"), ("北京", "LOC")]),
    # Traditional Chinese (converted character by character for the model)
    ("美國國務院發言人普萊斯說，華盛頓將繼續支持臺灣。",
     [("美國國務院", "ORG"), ("普萊斯", "PERSON"), ("華盛頓", "LOC"), ("臺灣", "LOC")]),
    ("台積電董事長劉德音週三在新竹出席股東會。", [("劉德音", "PERSON"), ("新竹", "LOC")]),
    ("日本海上保安廳在釣魚臺附近海域發現中國海警船。",
     [("日本海上保安廳", "ORG"), ("中國", "LOC")]),
]  # fmt: skip


@pytest.fixture(scope="module")
def tagger():  # type: ignore[no-untyped-def]
    from pipeline.model import CharTagger

    return CharTagger.from_disk(NER_DIR)


@pytest.fixture(scope="module")
def segmenter() -> JiebaSegmenter:
    return JiebaSegmenter()


#: Mentions of CASES that the zh_news_rules component (gazetteer, Latin names in
#: brackets, touching PERSON halves joined) supplies: the model is not asked to find
#: them on its own (model 0.3.0 cuts 斯托尔|滕贝格 in two; the rules join them).
FROM_RULES = {("克里姆林宫", "ORG"), ("Tammy Duckworth", "PERSON"), ("斯托尔滕贝格", "PERSON")}


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_model_finds_mentions(extractor, text: str, expected) -> None:  # type: ignore[no-untyped-def]
    """The model alone (the rules component switched off): gazetteer hits do not count."""
    with extractor.nlp.select_pipes(disable=["zh_news_rules"]):
        found = {(m.text, m.label) for m in extractor.extract(text).mentions}
    missing = [m for m in expected if m not in found and m not in FROM_RULES]
    assert not missing, f"missing {missing}; found {sorted(found)}"


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_pipeline_finds_mentions(extractor, text: str, expected) -> None:  # type: ignore[no-untyped-def]
    """The bundled pipeline (model, then the rule and date components) on each case."""
    found = {(m.text, m.label) for m in extractor.extract(text).mentions}
    missing = [m for m in expected if m not in found]
    assert not missing, f"missing {missing}; found {sorted(found)}"


def test_rule_mentions_are_in_the_cases() -> None:
    """FROM_RULES names mentions the cases expect (no stale exemption)."""
    expected = {m for _, mentions in CASES for m in mentions}
    assert expected >= FROM_RULES


def test_spans_sorted_and_disjoint(tagger, segmenter: JiebaSegmenter) -> None:  # type: ignore[no-untyped-def]
    texts = [
        "美国国防部长奥斯汀周四在华盛顿表示。\n\n日本首相岸田文雄访问北京。",
        "",
        "  \n",
        "北京",
    ]
    out = tagger.predict(texts, [segmenter.spans(t) for t in texts])
    assert len(out) == len(texts)
    for text, spans in zip(texts, out, strict=True):
        assert spans == sorted(spans)
        for (_, e1, _), (s2, _, _) in itertools.pairwise(spans):
            assert e1 <= s2
        for s, e, lab in spans:
            assert 0 <= s < e <= len(text)
            assert lab in tagger.labels


def test_long_text_and_determinism(tagger, segmenter: JiebaSegmenter) -> None:  # type: ignore[no-untyped-def]
    text = "联合国秘书长古特雷斯在纽约发表讲话，" * 40 + "。"
    words = segmenter.spans(text)
    first = tagger.predict([text], [words])[0]
    assert first == tagger.predict([text], [words])[0]
    assert first == tagger.predict([text, "北京"], [words, segmenter.spans("北京")])[0]
    assert ("古特雷斯", "PERSON") in {(text[s:e], lab) for s, e, lab in first}


def test_roundtrip(tagger, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from pipeline.model import CharTagger

    tagger.to_disk(tmp_path / "ner")
    again = CharTagger.from_disk(tmp_path / "ner")
    assert again.labels == tagger.labels
    assert again.version == tagger.version


def test_plain_text_records_have_blocks(extractor) -> None:  # type: ignore[no-untyped-def]
    record = extractor.extract("奥斯汀周四抵达台湾。\n他会见了蔡英文。", title="美国防长访台")
    assert [(b.kind, record.text[b.start : b.end]) for b in record.blocks] == [
        ("title", "美国防长访台"),
        ("paragraph", "奥斯汀周四抵达台湾。"),
        ("paragraph", "他会见了蔡英文。"),
    ]
    assert record.authors == [] and record.warnings == []
    assert all(record.block_kind(m.start) in ("title", "paragraph") for m in record.mentions)


def test_viterbi_mask_none_is_unchanged(tagger) -> None:  # type: ignore[no-untyped-def]
    """``allowed=None`` and an all-True mask decode exactly as the unmasked decoder."""
    import numpy as np

    rng = np.random.default_rng(0)
    k = len(tagger.tags)
    em = rng.normal(size=(7, 3, k)).astype(np.float32)
    lengths = np.array([7, 5, 2], dtype=np.int64)
    plain = tagger.viterbi(em, lengths)
    assert np.array_equal(plain, tagger.viterbi(em, lengths, None))
    assert np.array_equal(plain, tagger.viterbi(em, lengths, np.ones(em.shape, dtype=bool)))


def test_viterbi_mask_forces_outside(tagger) -> None:  # type: ignore[no-untyped-def]
    """Masked positions take O, and the path stays legal (no I/E after them)."""
    import numpy as np

    k = len(tagger.tags)
    em = np.full((6, 1, k), -5.0, dtype=np.float32)
    b, i, e = (tagger.tags.index(f"{p}-PERSON") for p in "BIE")
    em[0, 0, b] = em[1, 0, i] = em[2, 0, i] = em[3, 0, i] = em[4, 0, i] = em[5, 0, e] = 5.0
    lengths = np.array([6], dtype=np.int64)
    assert tagger.viterbi(em, lengths)[:, 0].tolist() == [b, i, i, i, i, e]
    allowed = np.ones(em.shape, dtype=bool)
    allowed[3, 0, 1:] = False
    path = tagger.viterbi(em, lengths, allowed)[:, 0].tolist()
    assert path[3] == 0
    tags = [tagger.tags[t] for t in path]
    for a, c in itertools.pairwise(tags):  # every transition taken is legal
        assert tagger.trans[tagger.tags.index(a), tagger.tags.index(c)] > -1e3


def test_predict_outside_ranges(tagger, segmenter: JiebaSegmenter) -> None:  # type: ignore[no-untyped-def]
    """No predicted span overlaps a range passed as ``outside``; other texts are unaffected."""
    text = "美国国务卿布林肯星期四（4月13日）说，双方将继续对话。"
    other = "日本首相岸田文雄访问北京。"
    words = [segmenter.spans(text), segmenter.spans(other)]
    claim = (text.index("星期四"), text.index("星期四") + 3)
    masked = tagger.predict([text, other], words, outside=[[claim], []])
    for s, e, _ in masked[0]:
        assert e <= claim[0] or s >= claim[1]
    assert masked[1] == tagger.predict([other], words[1:])[0]
