"""Model input features: lexicon matches by hashed keys (no dictionary at run time)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.model.features import LEX_CLASSES, Featurizer, Lexicon

B, M, E = 0, LEX_CLASSES, 2 * LEX_CLASSES
OTHER, PERSON, PLACE, ORG = 0, 1, 2, 3


def bits_of(lex: Lexicon, text: str) -> list[set[int]]:
    return [{b for b in range(3 * LEX_CLASSES) if x >> b & 1} for x in lex.bits(text).tolist()]


def test_every_dictionary_word_over_a_character_is_seen() -> None:
    lex = Lexicon.from_words({"蔡英文": PERSON, "英文": OTHER, "国防部": ORG, "国防": OTHER})
    got = bits_of(lex, "蔡英文访国防部")
    assert got[0] == {B + PERSON}
    assert got[1] == {M + PERSON, B + OTHER}  # inside 蔡英文, begins 英文
    assert got[2] == {E + PERSON, E + OTHER}
    assert got[3] == set()
    assert got[4] == {B + ORG, B + OTHER}
    assert got[6] == {E + ORG}


def test_keys_match_bulk_hashes_and_lengths_are_bounded() -> None:
    lex = Lexicon.from_words({"一二三四五六七八": OTHER, "一二三四五六七八九": OTHER, "x": OTHER})
    assert len(lex.keys) == 1  # one character and nine characters are outside 2-8
    assert lex.bits("一二三四五六七八九")[0] == 1 << (B + OTHER)
    assert Lexicon.key("国防") != Lexicon.key("防国")


def test_expand_and_featurizer_without_lexicon() -> None:
    assert Lexicon.expand(np.array([0b101], dtype=np.int64))[0, :3].tolist() == [1.0, 0.0, 1.0]
    f = Featurizer("国防", np.zeros(0, dtype=np.int64))
    *_, lex, soft = f.featurize("国防部", [(0, 2), (2, 3)])
    assert lex.tolist() == [0, 0, 0]
    assert soft.shape == (3, 0)  # no SoftLexicon vectors: no columns


def test_short_and_empty_texts() -> None:
    lex = Lexicon.from_words({"国防": OTHER})
    assert lex.bits("").tolist() == [] and lex.bits("国").tolist() == [0]


def test_featurize_many_equals_one_by_one() -> None:
    """Joined-batch features are exactly the per-text features (text ends are boundaries)."""
    from pathlib import Path

    import numpy as np

    from pipeline.model.tagger import CharTagger
    from pipeline.stages.segment import JiebaSegmenter

    ner = Path(__file__).resolve().parents[2] / "models" / "zh_news_ner" / "zh_news_ner"
    if not (ner / "weights.npz").is_file():
        pytest.skip("bundled model not built")
    fz = CharTagger.from_disk(ner, backend="numpy").featurizer
    seg = JiebaSegmenter()
    fixtures = sorted((ner.parents[2] / "tests" / "fixtures" / "articles").glob("*.txt"))
    texts = [p.read_text(encoding="utf-8")[:400] for p in fixtures[:6]]
    # words that would run across a join, a one-character text, an empty one
    texts += ["美国", "国", "", "华盛顿邮报报道", "北京大学", "ABC新闻"]
    words = [seg.spans(t) for t in texts]
    many = fz.featurize_many(texts, words)
    for t, w, got in zip(texts, words, many, strict=True):
        for a, b in zip(fz.featurize(t, w), got, strict=True):
            assert np.array_equal(a, b)


def test_character_table_filled_on_demand_matches_every_code_point() -> None:
    """The lazily filled id/class table equals NFKC + class computed per code point."""
    import unicodedata

    from pipeline.model.features import TABLE_SIZE, UNK, _char_class

    chars = "国防A１a。 ℃"  # NFKC folds １ to 1, which is not listed: UNK
    f = Featurizer(chars, np.zeros(0, dtype=np.int64))
    cps = [cp for cp in range(TABLE_SIZE) if not 0xD800 <= cp < 0xE000]
    text = "".join(map(chr, cps))
    for part in (text[:5000], text):  # a second call fills only what is new
        ids, classes = f.char_ids(part)
    index = {c: i + 3 for i, c in enumerate(chars)}
    for cp, got_id, got_cls in zip(cps, ids.tolist(), classes.tolist(), strict=True):
        n = unicodedata.normalize("NFKC", chr(cp)) if cp < 0x10000 else chr(cp)
        norm = n if len(n) == 1 else chr(cp)
        assert (got_id, got_cls) == (index.get(norm, UNK), _char_class(norm)), hex(cp)
    assert f.char_ids("Ａ")[0].tolist() == [index["A"]]
    assert f.char_ids("\u3000")[1].tolist() == [6]


@given(st.text(min_size=0, max_size=40), st.data())
def test_bulk_word_keys_equal_one_by_one(text: str, data: st.DataObject) -> None:
    """WordClasses.keys_of (vectorized CRC-32 over UTF-8) equals WordClasses.key per word."""
    from pipeline.model.features import WordClasses

    text = "".join(c for c in text if not 0xD800 <= ord(c) < 0xE000)  # no lone surrogates
    n = len(text)
    pairs = data.draw(st.lists(st.tuples(st.integers(0, n), st.integers(0, n)), max_size=30))
    spans = np.array([(min(a, b), max(a, b)) for a, b in pairs], dtype=np.int64).reshape(-1, 2)
    expected = [WordClasses.key(text[a:b]) for a, b in spans.tolist()]
    assert WordClasses.keys_of(text, spans).tolist() == expected  # word by word
    small = WordClasses.SMALL
    try:
        WordClasses.SMALL = 0  # the vectorized CRC
        assert WordClasses.keys_of(text, spans).tolist() == expected
    finally:
        WordClasses.SMALL = small


def test_word_classes_word_by_word_and_vectorized_agree() -> None:
    """WordClasses.word_ids: the per-word path (sentences) equals the vectorized one."""
    from pathlib import Path

    from pipeline.model.tagger import CharTagger
    from pipeline.stages.segment import JiebaSegmenter

    ner = Path(__file__).resolve().parents[2] / "models" / "zh_news_ner" / "zh_news_ner"
    if not (ner / "weights.npz").is_file():
        pytest.skip("bundled model not built")
    wc = CharTagger.from_disk(ner, backend="numpy").featurizer.word_classes
    assert wc is not None
    seg = JiebaSegmenter()
    fixtures = sorted((ner.parents[2] / "tests" / "fixtures" / "articles").glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in fixtures[:4]] + ["Kamala Harris和蔡英文"]
    small = wc.SMALL
    try:
        for text in texts:
            words = seg.spans(text)
            sw = Featurizer.softword_ids(len(text), words)
            wc.SMALL = 10**9
            one_by_one = wc.word_ids(text, words, sw)
            wc.SMALL = 0
            assert np.array_equal(wc.word_ids(text, np.array(words), sw), one_by_one)
    finally:
        wc.SMALL = small
