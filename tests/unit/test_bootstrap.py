"""Bootstrap intervals of F1 over documents (pipeline.evaluation.scoring.bootstrap)."""

from __future__ import annotations

from pipeline.evaluation.scoring import bootstrap, doc_counts, score

GOLD = {
    "a": [("PERSON", "张三", None), ("LOC", "北京", None), ("LOC", "北京", None)],
    "b": [("ORG", "联合国", None), ("DATE", "3日", "2021-03-03")],
    "c": [("PERSON", "李四", None)],
}
PRED = {
    "a": [("PERSON", "张三", None), ("LOC", "北京", None)],
    "b": [("ORG", "联合国", None), ("LOC", "纽约", None)],
    "c": [("PERSON", "李四", None)],
}


def test_doc_counts_add_up_to_the_scores() -> None:
    counts = doc_counts(GOLD, PRED)
    assert counts["a"]["LOC"] == (1, 0, 1)
    assert counts["b"]["LOC"] == (0, 1, 0)
    assert counts["b"]["DATE"] == (0, 0, 1)
    total = score(GOLD, PRED).ALL
    summed = [sum(c[lb][i] for c in counts.values() for lb in c) for i in range(3)]
    assert summed == [total.tp, total.fp, total.fn]


def test_interval_holds_the_point_and_is_reproducible() -> None:
    counts = doc_counts(GOLD, PRED)
    first = bootstrap(counts, resamples=300, seed=1)
    again = bootstrap(counts, resamples=300, seed=1)
    assert first == again
    point = score(GOLD, PRED)
    assert abs(first["ALL"].f1 - point.ALL.f1) < 1e-12
    for name, iv in first.items():
        assert 0.0 <= iv.low <= iv.high <= 1.0, name
    assert first["ALL"].low <= first["ALL"].f1 <= first["ALL"].high
    # one perfect label in every document: no spread
    assert first["PERSON"].low == first["PERSON"].high == 1.0
    # documents that disagree give a real interval
    assert first["ALL"].low < first["ALL"].high


def test_no_documents_no_intervals() -> None:
    assert bootstrap({}) == {}
