"""Measured tables kept between markers in the docs (pipeline.evaluation.marked)."""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.evaluation.marked import marked_block, write_marked

ROOT = Path(__file__).resolve().parents[2]


def test_block_is_replaced_in_place(tmp_path: Path) -> None:
    doc = tmp_path / "README.md"
    doc.write_text("# T\n\n<!-- bench:start -->\nold\n<!-- bench:end -->\n\nafter\n", "utf-8")
    assert write_marked(doc, "bench", "new | a\\1 b", heading="Speed")
    # inserted literally: no regex group reference read in the body
    assert doc.read_text("utf-8") == (
        "# T\n\n<!-- bench:start -->\nnew | a\\1 b\n<!-- bench:end -->\n\nafter\n"
    )
    assert not write_marked(doc, "bench", "new | a\\1 b")  # same body: no change


def test_missing_block_appended_under_heading_or_left(tmp_path: Path) -> None:
    doc = tmp_path / "card.md"
    doc.write_text("# Card\n", "utf-8")
    assert not write_marked(doc, "weekday", "t")
    assert doc.read_text("utf-8") == "# Card\n"
    assert write_marked(doc, "weekday", "t", heading="Weekdays")
    assert (
        doc.read_text("utf-8") == "# Card\n\n## Weekdays\n\n" + marked_block("weekday", "t") + "\n"
    )


def test_other_blocks_are_untouched(tmp_path: Path) -> None:
    doc = tmp_path / "c.md"
    doc.write_text(
        marked_block("bench", "a") + "\n" + marked_block("bench-long", "b") + "\n", "utf-8"
    )
    write_marked(doc, "bench", "A")
    assert (
        doc.read_text("utf-8")
        == marked_block("bench", "A") + "\n" + marked_block("bench-long", "b") + "\n"
    )


def test_rewriting_the_committed_docs_with_their_own_bodies_changes_nothing(tmp_path: Path) -> None:
    for src, name in ((ROOT / "README.md", "accuracy"), (ROOT / "README.md", "bench"),
                      (ROOT / "models/zh_news_ner/README.md", "bench-long")):  # fmt: skip
        text = src.read_text("utf-8")
        m = re.search(rf"<!-- {name}:start -->\n(.*?)\n<!-- {name}:end -->", text, re.S)
        assert m is not None, (src, name)
        copy = tmp_path / src.name
        copy.write_text(text, "utf-8")
        assert not write_marked(copy, name, m.group(1))
