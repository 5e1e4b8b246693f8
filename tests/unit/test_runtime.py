"""The compiled runtime (onnxruntime over tagger.onnx) against the numpy reference path.

Same tags on the fixtures and on ../shared's archive sample; emissions within
EMISSION_TOL; the decoder's tag mask honoured the same way; a stale graph refused.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from pipeline.errors import StaleGraphError
from pipeline.model.runtime import GRAPH
from pipeline.model.tagger import CharTagger, _chunks
from pipeline.stages.segment import JiebaSegmenter
from pipeline.stages.simplified import to_simplified

ROOT = Path(__file__).resolve().parents[2]
NER_DIR = ROOT / "models" / "zh_news_ner" / "zh_news_ner"
FIXTURES = ROOT / "tests" / "fixtures" / "articles"
#: Largest |onnx - numpy| emission allowed (scores are O(10); float32 LSTMs with
#: different tanh/sigmoid kernels and summation orders differ around 1e-5).
EMISSION_TOL = 1e-3

pytestmark = pytest.mark.skipif(
    not (NER_DIR / GRAPH).is_file(), reason="bundled model or its graph not built"
)


@pytest.fixture(scope="module")
def compiled() -> CharTagger:
    tagger = CharTagger.from_disk(NER_DIR, backend="onnx")
    assert tagger.backend == "onnx"
    return tagger


@pytest.fixture(scope="module")
def reference() -> CharTagger:
    tagger = CharTagger.from_disk(NER_DIR, backend="numpy")
    assert tagger.backend == "numpy"
    return tagger


@pytest.fixture(scope="module")
def seg() -> JiebaSegmenter:
    return JiebaSegmenter()


def _texts(paths: Sequence[Path]) -> list[str]:
    from pipeline.stages.parse import parse_file

    return [to_simplified(parse_file(p).text) for p in paths]


def _batches(
    tagger: CharTagger, texts: Sequence[str], words: Sequence[Sequence[tuple[int, int]]]
) -> list[tuple[list[np.ndarray], np.ndarray]]:
    """Chunk features of the texts in batches of 16 chunks (as predict builds them)."""
    feats = [tagger.featurizer.featurize(t, w) for t, w in zip(texts, words, strict=True)]
    chunks = [
        (i, a, b)
        for i, (t, w) in enumerate(zip(texts, words, strict=True))
        for a, b in _chunks(t, w)
    ]
    out = []
    for k in range(0, len(chunks), 16):
        batch = chunks[k : k + 16]
        lengths = np.array([b - a for _, a, b in batch], dtype=np.int64)
        cat = [np.concatenate([feats[i][f][a:b] for i, a, b in batch]) for f in range(6)]
        out.append((cat, lengths))
    return out


def _compare(
    compiled: CharTagger, reference: CharTagger, texts: list[str], seg: JiebaSegmenter
) -> None:
    words = [seg.spans(t) for t in texts]
    assert compiled.predict(texts, words) == reference.predict(texts, words)
    assert compiled.runtime is not None
    worst = 0.0
    for cat, lengths in _batches(reference, texts, words):
        em_ref = reference.emissions(cat, lengths)
        em, path = compiled.runtime.run(compiled.inputs(cat, lengths), lengths)
        live = np.arange(len(em))[:, None] < lengths[None, :]
        worst = max(worst, float(np.abs(em[live] - em_ref[live]).max()))
        assert np.array_equal(path[live], reference.viterbi(em_ref, lengths)[live])
    assert worst < EMISSION_TOL


def test_fixtures_same_tags_and_emissions(
    compiled: CharTagger, reference: CharTagger, seg: JiebaSegmenter
) -> None:
    _compare(compiled, reference, _texts(sorted(FIXTURES.glob("*.txt"))), seg)


def _archive(shared: Path) -> list[Path]:
    raw = sorted((shared / "examples" / "archive" / "raw").glob("*.txt"))
    if not raw:
        pytest.skip("no archive sample in ../shared")
    return raw


def test_archive_same_tags_and_emissions(
    compiled: CharTagger, reference: CharTagger, seg: JiebaSegmenter, shared: Path
) -> None:
    """Every tenth archive article (the whole archive runs with --slow)."""
    _compare(compiled, reference, _texts(_archive(shared)[::10]), seg)


@pytest.mark.slow
def test_whole_archive_same_tags_and_emissions(
    compiled: CharTagger, reference: CharTagger, seg: JiebaSegmenter, shared: Path
) -> None:
    _compare(compiled, reference, _texts(_archive(shared)), seg)


def test_decoder_mask_and_lengths_match_reference(compiled: CharTagger) -> None:
    """Random emissions, ragged lengths (one of length 1) and random masks with O kept."""
    assert compiled.runtime is not None
    rng = np.random.default_rng(7)
    k = len(compiled.tags)
    for t_max, lengths in ((1, [1]), (2, [2, 1]), (9, [9, 4, 1, 7]), (40, [40])):
        ls = np.array(lengths, dtype=np.int64)
        em = (rng.normal(size=(t_max, len(ls), k)) * 4).astype(np.float32)
        # feed emissions through the graph: x is unused by the decoder check, so compare
        # the numpy decoder on the graph's own emissions, with and without a mask
        x = rng.normal(size=(t_max, len(ls), compiled.input_dim)).astype(np.float32)
        allowed = rng.random((t_max, len(ls), k)) > 0.4
        allowed[..., 0] = True
        for mask in (None, allowed):
            em, path = compiled.runtime.run(x, ls, mask)
            ref = compiled.viterbi(em, ls, mask)
            live = np.arange(t_max)[:, None] < ls[None, :]
            assert np.array_equal(path[live], ref[live])
            if mask is not None:
                assert mask[live][np.arange(live.sum()), path[live]].all()


def test_predict_outside_same_as_reference(
    compiled: CharTagger, reference: CharTagger, seg: JiebaSegmenter
) -> None:
    text = "美国总统拜登周四在白宫会见来访的日本首相岸田文雄。"
    words = [seg.spans(text)]
    outside = [[(text.index("岸田"), text.index("岸田") + 2)]]
    got = compiled.predict([text], words, outside)
    assert got == reference.predict([text], words, outside)
    assert all(e <= outside[0][0][0] or s >= outside[0][0][1] for s, e, _ in got[0])


def test_one_thread_per_session(compiled: CharTagger) -> None:
    assert compiled.runtime is not None
    opts = compiled.runtime.session.get_session_options()
    assert opts.intra_op_num_threads == 1
    assert opts.inter_op_num_threads == 1


def test_stale_graph_is_refused(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A graph from other weights: ``onnx`` raises, ``auto`` warns and runs numpy."""
    tagger = CharTagger.from_disk(NER_DIR, backend="numpy")
    tagger.to_disk(tmp_path)  # exports a current graph (onnx is a dev dependency)
    assert CharTagger.from_disk(tmp_path, backend="onnx").backend == "onnx"
    with np.load(tmp_path / "weights.npz") as data:
        params = {k: data[k] for k in data.files}
    params["out_b"] = params["out_b"] + 1.0
    np.savez_compressed(tmp_path / "weights.npz", **params)
    with pytest.raises(StaleGraphError):
        CharTagger.from_disk(tmp_path, backend="onnx")
    with caplog.at_level(logging.WARNING):
        assert CharTagger.from_disk(tmp_path, backend="auto").backend == "numpy"
    assert "numpy path" in caplog.text
    (tmp_path / GRAPH).unlink()
    assert CharTagger.from_disk(tmp_path, backend="auto").backend == "numpy"
    with pytest.raises(ValueError, match="backend"):
        CharTagger.from_disk(tmp_path, backend="torch")  # type: ignore[arg-type]


def test_bundled_graph_is_current(reference: CharTagger) -> None:
    """The committed tagger.onnx was exported from the committed weights."""
    import onnx

    from pipeline.model.runtime import weights_digest

    meta = {p.key: p.value for p in onnx.load(str(NER_DIR / GRAPH)).metadata_props}
    assert meta["weights_digest"] == weights_digest(reference.params)
    assert meta["tags"] == ",".join(reference.tags)
