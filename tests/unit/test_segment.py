"""Segment stage: jieba as a spaCy tokenizer, offsets exact, Traditional via a shadow."""

from __future__ import annotations

import pytest

from pipeline.stages.segment import JiebaSegmenter, blank_nlp
from pipeline.stages.simplified import to_simplified


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    return blank_nlp()


@pytest.mark.parametrize(
    "text",
    [
        "美国国防部长奥斯汀周四在华盛顿表示。",
        "美國國防部長奧斯汀週四在華盛頓表示。",
        "  前后有空格  \n第二段\u3000全角空格 Tammy Duckworth 😀 end",
        "",
        "a",
    ],
)
def test_tokens_cover_text_exactly(nlp, text: str) -> None:  # type: ignore[no-untyped-def]
    doc = nlp(text)
    assert doc.text == text
    assert "".join(t.text for t in doc) == text
    for tok in doc:
        assert text[tok.idx : tok.idx + len(tok.text)] == tok.text


def test_traditional_segmented_like_simplified(nlp) -> None:  # type: ignore[no-untyped-def]
    trad = nlp("美國國防部長奧斯汀週四在華盛頓表示")
    simp = nlp("美国国防部长奥斯汀周四在华盛顿表示")
    assert [len(t) for t in trad] == [len(t) for t in simp]
    assert trad._.zhs == simp.text


def test_to_simplified_keeps_length() -> None:
    text = "臺灣後備部隊與美國國民兵週五會面，著重於裡外協調。"
    out = to_simplified(text)
    assert len(out) == len(text)
    assert out.startswith("台湾后备部队与美国国民兵周五")


def test_user_dictionary_applies(tmp_path) -> None:  # type: ignore[no-untyped-def]
    text = "他说全民防卫动员署已挂牌。"
    userdict = tmp_path / "u.txt"
    userdict.write_text("全民防卫动员署 20 nt\n", encoding="utf-8")
    words = JiebaSegmenter(userdict).words(text)
    assert "全民防卫动员署" in words
    spans = JiebaSegmenter(userdict).spans(text)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)


def test_segmenter_does_not_touch_global_jieba(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import jieba

    userdict = tmp_path / "u.txt"
    userdict.write_text("甲乙丙丁戊己 99999 nz\n", encoding="utf-8")
    JiebaSegmenter(userdict).words("甲乙丙丁戊己")
    assert "甲乙丙丁戊己" not in jieba.lcut("甲乙丙丁戊己")
