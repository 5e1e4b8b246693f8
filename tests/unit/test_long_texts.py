"""Long texts: pieces at sentence boundaries, bounded jieba runs, capped views, sweeps.

Speed is checked by `make bench` (scripts/bench_long.py), never here; these tests
check that the bounded paths give exact offsets and leave normal text unchanged.
"""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest

from pipeline.stages.docs import overlaps_any
from pipeline.stages.pieces import piece_bounds
from pipeline.stages.segment import MAX_RUN, JiebaSegmenter
from pipeline.stages.simplified import to_simplified

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "articles"


def test_piece_bounds_cover_and_cut_at_sentences() -> None:
    text = "第一句话在这里。第二句话也在这里！第三句\n第四句没有结尾"
    bounds = piece_bounds(text, 12)
    assert bounds[0][0] == 0 and bounds[-1][1] == len(text)
    for (_, b), (c, _) in pairwise(bounds):
        assert b == c
    assert all(b - a <= 12 for a, b in bounds)
    assert text[bounds[0][1] - 1] == "。"  # the first cut follows a sentence end
    assert piece_bounds("短", 12) == [(0, 1)]
    run = "王" * 50  # nothing to cut at: cut at the limit
    assert piece_bounds(run, 12)[0] == (0, 12)
    with pytest.raises(ValueError):
        piece_bounds(text, 1)


def test_text_over_max_length_in_pieces(extractor) -> None:  # type: ignore[no-untyped-def]
    """Beyond nlp.max_length: no E088, exact offsets, the same mentions as sentence by sentence."""
    sentences = [
        "美国国务卿布林肯星期四（4月13日）说，双方将继续对话。",
        "日本首相岸田文雄访问北京。",
    ] * 3
    text = "".join(sentences)
    old = extractor.nlp.max_length
    extractor.nlp.max_length = 40
    try:
        record = extractor.extract(text, published="2023-04-14T00:00:00Z")
    finally:
        extractor.nlp.max_length = old
    for m in record.mentions:
        assert text[m.start : m.end] == m.text
    expected = []
    pos = 0
    for s in sentences:
        one = extractor.extract(s, published="2023-04-14T00:00:00Z")
        expected += [(m.start + pos, m.text, m.label, m.value) for m in one.mentions]
        pos += len(s)
    assert [(m.start, m.text, m.label, m.value) for m in record.mentions] == expected
    assert ("布林肯", "PERSON") in {(e.name, e.label) for e in record.entities}


def test_segmentation_of_normal_text_unchanged() -> None:
    """News text has no run over MAX_RUN: jieba sees it whole, exactly as before."""
    seg = JiebaSegmenter()
    for path in sorted(FIXTURES.glob("*.txt")):
        shadow = to_simplified(path.read_text(encoding="utf-8"))
        assert seg.parts(shadow) == [shadow]
        assert seg.words(shadow) == list(seg.tokenizer.cut(shadow))


@pytest.mark.parametrize("unit", ["王", "年", "的", "上上", "北京大学"])
def test_long_runs_are_bounded(unit: str) -> None:
    seg = JiebaSegmenter()
    text = unit * (3 * MAX_RUN // len(unit) + 7)
    parts = seg.parts(text)
    assert "".join(parts) == text and len(parts) > 1
    assert all(len(p) <= MAX_RUN for p in parts)
    assert "".join(seg.words(text)) == text
    # a dictionary word is never cut in two when one exists in the window
    if unit == "北京大学":
        assert all(len(p) % len(unit) == 0 for p in parts)


def test_overlaps_any() -> None:
    hit = overlaps_any([(5, 8), (0, 2), (10, 30), (12, 14)])
    assert hit(1, 3) and hit(7, 9) and hit(29, 40) and hit(13, 13 + 1)
    assert not hit(2, 5) and not hit(8, 10) and not hit(30, 31)
    assert not overlaps_any([])(0, 10)


def test_repr_and_html_are_capped(extractor) -> None:  # type: ignore[no-untyped-def]
    from pipeline.render import HTML_MAX_CHARS

    text = "美国国务卿布林肯星期四说，双方将继续对话。" * 2000
    record = extractor.extract(text)
    shown = repr(record)
    assert len(shown) < 2000
    assert f"+{len(text) - 80:,} characters" in shown
    assert f"mentions={len(record.mentions):,}" in shown
    html = record._repr_html_()
    hidden = sum(1 for m in record.mentions if m.end > HTML_MAX_CHARS)
    assert f"{len(text) - HTML_MAX_CHARS:,} more characters and {hidden:,} more mentions" in html
    assert len(record.render()) > len(html)  # render() still draws everything


def test_batch_path_processes_a_long_text_in_pieces(extractor, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The batch path (prepare → pipe_docs) gives a long text the same record as extract()."""
    import json

    from pipeline.batch import BatchOptions, run_batch

    body = "美国国务卿布林肯星期四（4月13日）说，双方将继续对话。日本首相岸田文雄访问北京。" * 3
    raw = tmp_path / "in" / "long.txt"
    raw.parent.mkdir()
    raw.write_text(
        f"<!--1681430400000-->\n[标题](https://www.voachinese.com/a/1.html)\n------\n\n<p>{body}</p>\n",
        encoding="utf-8",
    )
    short = tmp_path / "in" / "short.txt"
    short.write_text(
        "<!--1681430400000-->\n[短](https://www.voachinese.com/a/2.html)\n------\n\n<p>拜登访问东京。</p>\n",
        encoding="utf-8",
    )
    old = extractor.nlp.max_length
    extractor.nlp.max_length = 40
    try:
        run_batch(
            [raw.parent],
            BatchOptions(out=tmp_path / "r.jsonl", errors=tmp_path / "e.jsonl"),
            extractor=extractor,
        )
        expected = extractor.extract_file(raw)
    finally:
        extractor.nlp.max_length = old
    lines = (tmp_path / "r.jsonl").read_text(encoding="utf-8").splitlines()
    records = {json.loads(line)["id"]: json.loads(line) for line in lines}
    assert set(records) == {"long", "short"}
    got = records["long"]
    assert [(m["start"], m["text"], m["label"]) for m in got["mentions"]] == [
        (m.start, m.text, m.label) for m in expected.mentions
    ]
    assert ("布林肯", "PERSON") in {(m["text"], m["label"]) for m in got["mentions"]}
