"""Grouping length-sorted chunks into inference batches (pipeline.model.tagger.length_batches)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.model import tagger as tagger_mod
from pipeline.model.tagger import CharTagger, length_batches

NER_DIR = Path(__file__).resolve().parents[2] / "models" / "zh_news_ner" / "zh_news_ner"
FIXTURES = NER_DIR.parents[2] / "tests" / "fixtures" / "articles"


@given(st.lists(st.integers(1, 160), max_size=200), st.integers(1, 20_000))
def test_batches_cover_every_chunk_once_within_the_cell_limit(
    lengths: list[int], max_cells: int
) -> None:
    lengths.sort()
    cuts = length_batches(lengths, max_cells)
    bounds = [0, *[j for _, j in cuts]]
    assert [i for i, _ in cuts] == bounds[:-1]
    assert bounds[-1] == len(lengths)
    for i, j in cuts:
        assert j > i
        assert j - i == 1 or (j - i) * lengths[j - 1] <= max_cells


def test_short_and_long_chunks_are_not_padded_together() -> None:
    lengths = [10] * 32 + [150] * 32
    assert length_batches(lengths, 100_000) == [(0, 32), (32, 64)]
    assert length_batches([40] * 64, 100_000) == [(0, 64)]  # equal lengths: one call
    assert length_batches([40] * 64, 640) == [(0, 16), (16, 32), (32, 48), (48, 64)]


@pytest.mark.skipif(not (NER_DIR / "weights.npz").is_file(), reason="bundled model not built")
def test_tags_do_not_depend_on_the_batching(monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.stages.parse import parse_file
    from pipeline.stages.segment import JiebaSegmenter

    tagger = CharTagger.from_disk(NER_DIR)
    seg = JiebaSegmenter()
    texts = [parse_file(p).text for p in sorted(FIXTURES.glob("*.txt"))[:8]]
    words = [seg.spans(t) for t in texts]
    expected = tagger.predict(texts, words)
    tagger.batch_chars = 64
    assert tagger.predict(texts, words) == expected
    monkeypatch.setattr(tagger_mod, "length_batches", lambda ls, _: [(0, len(ls))] if ls else [])
    tagger.batch_chars = 10**6
    assert tagger.predict(texts, words) == expected  # everything in one padded batch
