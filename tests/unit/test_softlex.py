"""SoftLexicon vectors: the B/M/E sets and their count weights, both backends, old models.

Hand-made lexicons, vectors and tiny random models only (no corpus text).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from pipeline.errors import PipelineConfigError
from pipeline.model.features import (
    LEX_BITS,
    N_CLASSES,
    N_SOFTWORD,
    SOFTLEX_SETS,
    Featurizer,
    Lexicon,
    SoftLexicon,
)
from pipeline.model.runtime import GRAPH
from pipeline.model.tagger import CharTagger, bioes_tags

OTHER, PERSON, ORG = 0, 1, 3
LEXICON = {"蔡英文": PERSON, "英文": OTHER, "国防部": ORG, "国防": OTHER, "部长": OTHER}
#: word → (vector, corpus count); 部长 is a lexicon word without a vector
VECTORS = {
    "蔡英文": ([1.0, 0.0, 0.0, 0.0], 1.0),
    "英文": ([0.0, 1.0, 0.0, 0.0], 3.0),
    "国防部": ([0.0, 0.0, 1.0, 0.0], 2.0),
    "国防": ([0.0, 0.0, 0.0, 1.0], 2.0),
}


def _softlex() -> tuple[Lexicon, SoftLexicon]:
    lex = Lexicon.from_words(LEXICON)
    words = {w: (np.array(v, dtype=np.float32), c) for w, (v, c) in VECTORS.items()}
    return lex, SoftLexicon.from_words(words, lex)


def _vec(word: str) -> np.ndarray:
    return np.array(VECTORS[word][0], dtype=np.float32)


def test_bme_sets_and_count_weights() -> None:
    lex, sl = _softlex()
    text = "蔡英文访国防部长"
    got = sl.vectors_of(len(text), lex.matches(text)).reshape(len(text), SOFTLEX_SETS, 4)
    zero = np.zeros(4, dtype=np.float32)
    expected = [
        (_vec("蔡英文"), zero, zero),  # 蔡: begins 蔡英文
        (_vec("英文"), _vec("蔡英文"), zero),  # 英: begins 英文, inside 蔡英文
        (zero, zero, 0.25 * _vec("蔡英文") + 0.75 * _vec("英文")),  # 文: ends both, counts 1 : 3
        (zero, zero, zero),  # 访
        (0.5 * _vec("国防部") + 0.5 * _vec("国防"), zero, zero),  # 国: begins both, 2 : 2
        (zero, _vec("国防部"), _vec("国防")),  # 防
        (zero, zero, _vec("国防部")),  # 部: also begins 部长, which has no vector
        (zero, zero, zero),  # 长
    ]
    for i, (b, m, e) in enumerate(expected):
        assert np.allclose(got[i], np.stack([b, m, e])), text[i]


def test_weights_are_sparse_terms_summing_to_one_per_set() -> None:
    lex, sl = _softlex()
    text = "蔡英文说英文国防部长国防"
    index, rows, weight = sl.weights(len(text), lex.matches(text))
    assert len(index) == len(rows) == len(weight)
    sums = np.bincount(index, weights=weight, minlength=SOFTLEX_SETS * len(text))
    assert np.allclose(sums[sums > 0], 1.0)
    # the vectors are a plain weighted sum of table rows: any table gives the same terms
    table = np.random.default_rng(0).normal(size=(len(sl.keys), 3)).astype(np.float32)
    dense = np.zeros((SOFTLEX_SETS * len(text), 3), dtype=np.float32)
    np.add.at(dense, index, weight[:, None] * table[rows])
    got = SoftLexicon.average(len(text), (index, rows, weight), table)
    assert np.allclose(got, dense.reshape(len(text), -1), atol=1e-6)


def test_a_word_crossing_texts_is_not_seen_and_batches_equal_texts() -> None:
    lex, sl = _softlex()
    f = Featurizer("蔡英文访国防部长", np.zeros(0, dtype=np.int64), None, lex, sl)
    texts = ["蔡英", "文访国", "防部长", "", "国防部", "英文" * 400]  # the last: a large lookup
    words = [[(i, i + 1) for i in range(len(t))] for t in texts]
    many = f.featurize_many(texts, words)
    for t, w, got in zip(texts, words, many, strict=True):
        alone = f.featurize(t, w)
        assert got[5].shape == (len(t), SOFTLEX_SETS * 4)
        for a, b in zip(alone, got, strict=True):
            assert np.array_equal(a, b)
    assert not many[0][5].any()  # 蔡英|文: no word inside the first text
    assert np.allclose(many[4][5][0, :4], 0.5 * _vec("国防部") + 0.5 * _vec("国防"))


def test_softlex_needs_a_lexicon() -> None:
    _, sl = _softlex()
    with pytest.raises(ValueError, match="lexicon"):
        Featurizer("国防", np.zeros(0, dtype=np.int64), None, None, sl)


# ------------------------------------------------------------------ tiny models
CHARS = "蔡英文访国防部长说北京大学"
HIDDEN = 5
LEX_DIM = 4


def _params(rng: np.random.Generator, *, softlex_dim: int) -> dict[str, Any]:
    """Random weights of a tiny tagger with lexicon bits and, if ``softlex_dim``, SoftLexicon."""
    lex, _ = _softlex()
    n_tags = len(bioes_tags(("PERSON", "ORG", "LOC")))
    dim = 6 + 2 + 3 + 4 + LEX_DIM + SOFTLEX_SETS * softlex_dim
    h4 = 4 * HIDDEN

    def r(*shape: int) -> np.ndarray:
        return rng.normal(0.0, 0.5, size=shape).astype(np.float32)

    params: dict[str, Any] = {
        "char_emb": r(len(CHARS) + 3, 6).astype(np.float16),
        "class_emb": r(N_CLASSES, 2),
        "sw_emb": r(N_SOFTWORD, 3),
        "bigram_emb": r(2, 4).astype(np.float16),
        "bigram_keys": np.zeros(0, dtype=np.int64),
        "lex_w": r(LEX_DIM, LEX_BITS),
        "lex_keys": lex.keys,
        "lex_classes": lex.classes,
        "w_ih_f": r(h4, dim),
        "w_hh_f": r(h4, HIDDEN),
        "b_f": r(h4),
        "w_ih_b": r(h4, dim),
        "w_hh_b": r(h4, HIDDEN),
        "b_b": r(h4),
        "out_w": r(n_tags, 2 * HIDDEN),
        "out_b": r(n_tags),
        "trans": r(n_tags, n_tags),
        "start": r(n_tags),
        "end": r(n_tags),
    }
    if softlex_dim:
        words = sorted((Lexicon.key(w), c) for w, (_, c) in VECTORS.items())
        params["sl_keys"] = np.array([k for k, _ in words], dtype=np.uint64)
        params["sl_counts"] = np.array([c for _, c in words], dtype=np.float32)
        params["sl_vecs"] = r(len(words), softlex_dim).astype(np.float16)
    return params


def _config(softlex: bool) -> dict[str, Any]:
    return {"labels": ["PERSON", "ORG", "LOC"], "chars": CHARS, "softlex": softlex}


TEXTS = ["蔡英文访国防部长说", "北京大学国防部", "英文", "部", "国防部长蔡英文说北京大学" * 3]
WORDS = [[(i, i + 1) for i in range(len(t))] for t in TEXTS]


def _emissions(tagger: CharTagger) -> list[np.ndarray]:
    """Per text, the emissions of the numpy path and, when loaded, of the compiled one."""
    out = []
    for text, words in zip(TEXTS, WORDS, strict=True):
        feats = list(tagger.featurizer.featurize(text, words))
        lengths = np.array([len(text)], dtype=np.int64)
        em = tagger.emissions(feats, lengths)[:, 0]
        if tagger.runtime is not None:
            compiled, _ = tagger.runtime.run(tagger.inputs(feats, lengths), lengths)
            assert np.abs(compiled[:, 0] - em).max() < 1e-4
        out.append(em)
    return out


@pytest.fixture(scope="module")
def softlex_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("onnx")
    path = tmp_path_factory.mktemp("softlex_model")
    CharTagger(_params(np.random.default_rng(1), softlex_dim=2), _config(True)).to_disk(path)
    assert (path / GRAPH).is_file()
    return path


def test_both_backends_agree_on_a_softlex_model(softlex_dir: Path) -> None:
    compiled = CharTagger.from_disk(softlex_dir, backend="onnx")
    reference = CharTagger.from_disk(softlex_dir, backend="numpy")
    assert compiled.featurizer.softlex is not None and compiled.softlex_width == 6
    assert compiled.predict(TEXTS, WORDS) == reference.predict(TEXTS, WORDS)
    _emissions(compiled)  # onnx against numpy, per text
    # the vectors reach the emissions: without them (zeros) the scores move
    feats = list(reference.featurizer.featurize(TEXTS[0], WORDS[0]))
    lengths = np.array([len(TEXTS[0])], dtype=np.int64)
    with_vectors = reference.emissions(feats, lengths)
    feats[5] = np.zeros_like(feats[5])
    assert not np.allclose(reference.emissions(feats, lengths), with_vectors)


def test_zero_softlex_weights_give_the_old_model(tmp_path: Path) -> None:
    """A model without SoftLexicon arrays runs as before: the same as one whose
    SoftLexicon input weights are zero, on both backends."""
    pytest.importorskip("onnx")
    new = _params(np.random.default_rng(2), softlex_dim=2)
    width = SOFTLEX_SETS * 2
    for name in ("w_ih_f", "w_ih_b"):
        new[name][:, -width:] = 0.0
    old = {k: v for k, v in new.items() if not k.startswith("sl_")}
    old["w_ih_f"], old["w_ih_b"] = new["w_ih_f"][:, :-width], new["w_ih_b"][:, :-width]
    CharTagger(old, _config(False)).to_disk(tmp_path / "old")
    CharTagger(new, _config(True)).to_disk(tmp_path / "new")
    taggers = {
        (kind, backend): CharTagger.from_disk(tmp_path / kind, backend=backend)
        for kind in ("old", "new")
        for backend in ("onnx", "numpy")
    }
    old_tagger = taggers["old", "numpy"]
    assert old_tagger.featurizer.softlex is None and old_tagger.softlex_width == 0
    assert old_tagger.featurizer.featurize("国防部", [(0, 3)])[5].shape == (3, 0)
    spans = {key: t.predict(TEXTS, WORDS) for key, t in taggers.items()}
    assert len({repr(s) for s in spans.values()}) == 1
    for a, b in zip(
        _emissions(taggers["old", "onnx"]), _emissions(taggers["new", "onnx"]), strict=True
    ):
        assert np.allclose(a, b, atol=1e-5)


def test_config_and_weights_must_agree() -> None:
    params = _params(np.random.default_rng(3), softlex_dim=2)
    without = {k: v for k, v in params.items() if k != "sl_vecs"}
    with pytest.raises(PipelineConfigError, match="SoftLexicon"):
        CharTagger(without, _config(True))
    with pytest.raises(PipelineConfigError, match="input width"):
        CharTagger(params, _config(False))  # arrays ignored: the LSTM input is too wide


def test_bundled_model_has_no_softlex() -> None:
    ner = Path(__file__).resolve().parents[2] / "models" / "zh_news_ner" / "zh_news_ner"
    if not (ner / "weights.npz").is_file():
        pytest.skip("bundled model not built")
    tagger = CharTagger.from_disk(ner, backend="numpy")
    assert tagger.featurizer.softlex is None and tagger.softlex_width == 0


# ------------------------------------------------------------------ training side
def test_training_averages_match_the_run_time_vectors() -> None:
    """The torch model's SoftLexicon inputs equal the exported model's run-time vectors."""
    torch = pytest.importorskip("torch")
    from pipeline.training.model import BiLstmCrf

    lex, sl = _softlex()
    table = np.stack([_vec(w) for w in sorted(VECTORS, key=Lexicon.key)])
    feat = Featurizer(CHARS, np.zeros(0, dtype=np.int64), None, lex, sl)
    tags = bioes_tags(("PERSON", "ORG", "LOC"))
    torch.manual_seed(0)
    model = BiLstmCrf(
        n_chars=feat.n_chars,
        n_bigrams=feat.n_bigrams,
        n_tags=len(tags),
        tags=tags,
        char_dim=6,
        bigram_dim=4,
        sw_dim=3,
        hidden=HIDDEN,
        dropout=0.0,
        lex_dim=LEX_DIM,
        softlex_vectors=table,
        softlex_dim=2,
    ).eval()
    batch = []
    for text, words in zip(TEXTS, WORDS, strict=True):
        c, k, b, sw, bits, _ = feat.featurize(text, words)
        index, rows, weight = feat.softlex_terms(text)
        batch.append((c, k, b, sw, bits, np.zeros(len(text), dtype=np.int64), index, rows, weight))
    t_max = max(map(len, TEXTS))
    with torch.no_grad():
        got = model.softlex(batch, t_max).numpy()
    tagger = CharTagger(model.export(feat), _config(True))
    for i, (text, words) in enumerate(zip(TEXTS, WORDS, strict=True)):
        run_time = tagger.featurizer.featurize(text, words)[5]
        assert np.allclose(got[i, : len(text)], run_time, atol=1e-3)  # float16 vectors
        assert not got[i, len(text) :].any()
