"""Training inputs of issue 12: in-domain chunks, vector tokens, pretrained rows, news scores.

Own sentences only (no corpus text); nothing here trains a model.
"""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import numpy as np
import pytest

from pipeline.evaluation.gold import GoldDoc, GoldMention, Triple
from pipeline.model.features import BOUND, Featurizer
from pipeline.model.tagger import MAX_CHUNK


def _doc(text: str, spans: list[tuple[int, int, str]], doc_id: str = "d1") -> GoldDoc:
    return GoldDoc(
        id=doc_id,
        text=text,
        published=dt.datetime(2021, 3, 4, tzinfo=dt.UTC),
        mentions=[
            GoldMention(
                start=a,
                end=b,
                label=lab,  # type: ignore[arg-type]
                text=text[a:b],
                value="2021-03-04" if lab == "DATE" else None,
            )
            for a, b, lab in spans
        ],
    )


def test_article_chunks_follow_the_tagger_and_drop_dates() -> None:
    from pipeline.training.indomain import article_chunks

    text = "美國國務卿布林肯4日說。他將訪問日本東京！聯合國秘書長古特雷斯表示歡迎。"
    spans = [(0, 2, "LOC"), (5, 8, "PERSON"), (8, 10, "DATE"), (16, 18, "LOC"), (18, 20, "LOC")]
    spans += [(21, 24, "ORG"), (27, 31, "PERSON")]
    chunks = article_chunks(_doc(text, spans))
    # the tagger's sentence chunks, in the Simplified shadow, offsets into each chunk
    assert [s.text for s, _ in chunks] == [
        "美国国务卿布林肯4日说。",
        "他将访问日本东京！",
        "联合国秘书长古特雷斯表示欢迎。",
    ]
    first, second, third = (s for s, _ in chunks)
    assert first.spans == [(0, 2, "LOC"), (5, 8, "PERSON")]  # no DATE: it is not a model label
    assert [second.text[a:b] for a, b, _ in second.spans] == ["日本", "东京"]
    assert [(third.text[a:b], lab) for a, b, lab in third.spans] == [
        ("联合国", "ORG"),
        ("古特雷斯", "PERSON"),
    ]
    for s, words in chunks:  # jieba words cover each chunk exactly
        assert words[0][0] == 0 and words[-1][1] == len(s.text)
        assert all(b == c for (_, b), (c, _) in itertools.pairwise(words))


def test_article_chunks_of_a_long_sentence_stay_within_the_tagger_limit() -> None:
    from pipeline.training.indomain import article_chunks

    text = "，".join(["联合国秘书长古特雷斯在纽约表示欢迎"] * 20) + "。"
    spans = [(i * 18, i * 18 + 3, "ORG") for i in range(20)]
    chunks = article_chunks(_doc(text, spans))
    assert len(chunks) > 1
    assert all(len(s.text) <= MAX_CHUNK for s, _ in chunks)
    assert "".join(s.text for s, _ in chunks) == text
    kept = [s.text[a:b] for s, _ in chunks for a, b, _ in s.spans]
    assert kept and set(kept) == {"联合国"}


def test_vector_tokens_match_the_featurizer() -> None:
    from pipeline.training.vectors import END, SPACE, bigram_tokens, char_tokens

    chars = char_tokens("ＡＢ 中国")  # full-width letters fold as the featurizer folds them
    assert chars == ["A", "B", SPACE, "中", "国"]
    assert bigram_tokens(chars) == ["AB", "B" + SPACE, SPACE + "中", "中国", "国" + END]


def test_word_corpus_tokens_are_the_segmenters_words() -> None:
    from pipeline.stages.segment import JiebaSegmenter
    from pipeline.training.vectors import word_tokens

    seg = JiebaSegmenter()
    line = "全民防卫动员署 4日\t说，Kamala Harris 访问台积电。"
    tokens = word_tokens(line, seg)
    assert "".join(tokens) == "".join(line.split())  # whitespace left out, nothing else
    assert all(t.split() == [t] for t in tokens)
    assert "全民防卫动员署" in tokens and "台积电" in tokens  # user dictionary words whole
    assert "Kamala" in tokens and "Harris" in tokens
    assert tokens == [w for w in seg.words(line) if w.strip()]


def test_rescale_and_bigram_rows() -> None:
    from pipeline.training.train import bigram_rows, build_vocab, rescale
    from pipeline.training.vectors import END

    rng = np.random.default_rng(0)
    vecs = {c: rng.normal(3.0, 5.0, size=4).astype(np.float32) for c in "abcdef"}
    out = rescale(vecs, 0.5)
    table = np.stack(list(out.values()))
    assert abs(float(table.std()) - 0.5) < 1e-5
    assert np.allclose(table.mean(axis=0), 0.0, atol=1e-5)

    feat: Featurizer = build_vocab(["中国人", "中国人"], 1, 1)
    news = {"中国": np.ones(4, np.float32), "人" + END: np.full(4, 2.0, np.float32)}
    rows = dict(bigram_rows(feat, news, 1.0))
    cids, _ = feat.char_ids("中国人")
    ids = feat.bigram_ids(cids)
    assert set(rows) == {int(ids[0]), int(ids[2])}  # 国人 has no vector; 人 + BOUND has
    assert int(feat.bigram_keys[int(ids[2]) - 2] % feat.n_chars) == BOUND


def test_news_summary_is_aggregate_with_an_interval() -> None:
    from pipeline.training.news_eval import summary, table

    gold = [
        _doc("习近平在北京会见拜登", [(0, 3, "PERSON"), (4, 6, "LOC"), (8, 10, "PERSON")], "a"),
        _doc("联合国在纽约开会", [(0, 3, "ORG"), (4, 6, "LOC")], "b"),
    ]
    pred: dict[str, list[Triple]] = {
        "a": [("PERSON", "习近平", None), ("LOC", "北京", None), ("ORG", "拜登", None)],
        "b": [("ORG", "联合国", None), ("LOC", "纽约", None)],
    }
    res = summary(gold, pred)
    assert res["ALL"]["p"] == 0.8 and res["ALL"]["r"] == 0.8 and res["docs"] == 2
    assert res["PERSON"]["n"] == 2 and res["PERSON"]["r"] == 0.5
    lo, hi = res["ALL"]["f_ci95"]
    assert 0.0 <= lo <= 0.8 <= hi <= 1.0
    text = table("set", res)
    assert "拜登" not in text and "| ALL | 0.800 | 0.800 | 0.800 [" in text


def test_softlex_rows_keep_lexicon_words_with_vectors() -> None:
    from pipeline.model.features import Lexicon
    from pipeline.training.train import softlex_rows

    lex = Lexicon.from_words({"国防部": 3, "国防": 0, "部长": 0})
    words = {  # as pipeline.training.vectors stores them: most frequent first
        "tokens": np.array(["的", "国防", "美国", "国防部"]),
        "vectors": np.array([[9, 9], [1, 2], [7, 7], [3, 4]], dtype=np.float16),
        "counts": np.array([100, 40, 30, 5], dtype=np.int64),
    }
    keys, counts, vectors = softlex_rows(lex, words, 2.0)
    order = sorted(["国防", "国防部"], key=Lexicon.key)  # 的: one character; 美国, 部长: not both
    assert keys.tolist() == [Lexicon.key(w) for w in order]
    assert counts.tolist() == [{"国防": 40.0, "国防部": 5.0}[w] for w in order]
    raw = np.array([{"国防": [1, 2], "国防部": [3, 4]}[w] for w in order], dtype=np.float32)
    assert np.allclose(vectors, raw * 2.0 / raw.std())  # scaled, not centred


def test_pipeline_meta_names_the_word_vectors_only_when_used() -> None:
    from pipeline.training.package import pipeline_meta

    settings = {"char_init": "lac", "news_repeat": 3, "lex_dim": 16}
    plain = pipeline_meta(settings, None, None)
    soft = pipeline_meta({**settings, "softlex": True}, None, None)
    assert "SoftLexicon" not in plain["description"]
    assert not any("SoftLexicon" in s["name"] for s in plain["sources"])
    assert "SoftLexicon word-vector features" in soft["description"]
    assert any("SoftLexicon" in s["name"] for s in soft["sources"])
    assert (
        soft["description"].replace("SoftLexicon word-vector features, ", "")
        == plain["description"]
    )


def test_silver_file_needs_a_teacher_and_reuses_its_cached_labels(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline.training import distill
    from pipeline.training.train import silver_file

    with pytest.raises(SystemExit, match="make teacher"):
        silver_file(tmp_path / "nothing", 10, 0, tmp_path)
    teacher = tmp_path / "teacher"
    (teacher / "zh_news_ner").mkdir(parents=True)
    (teacher / "meta.json").write_text("{}", encoding="utf-8")
    (teacher / "zh_news_ner" / "weights.npz").write_bytes(b"weights")
    monkeypatch.setattr(distill, "SILVER_DIR", tmp_path / "silver")
    cached = distill.silver_path(teacher, 10, 0)
    cached.parent.mkdir()
    cached.write_text("", encoding="utf-8")
    assert silver_file(teacher, 10, 0, tmp_path) == cached  # no labelling when cached
    assert distill.silver_path(teacher, 11, 0) != cached
