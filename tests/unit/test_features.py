"""Model input features: lexicon matches by hashed keys (no dictionary at run time)."""

from __future__ import annotations

import numpy as np

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
    *_, lex = f.featurize("国防部", [(0, 2), (2, 3)])
    assert lex.tolist() == [0, 0, 0]


def test_short_and_empty_texts() -> None:
    lex = Lexicon.from_words({"国防": OTHER})
    assert lex.bits("").tolist() == [] and lex.bits("国").tolist() == [0]
