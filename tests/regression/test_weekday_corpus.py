"""The weekday check of `make eval` (issue 18) on its fixed news_unlabeled sample."""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.weekday_check import SAMPLE, TARGET_OVERLAPS, TARGET_SHARE, read_sample, run_check


def test_sample_holds_ids_and_offsets_only() -> None:
    """The project keeps references, never corpus text."""
    for line in SAMPLE.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            assert re.fullmatch(r"news-[0-9]{6}\t[0-9]+\t[0-9]+", line), line
    refs = read_sample()
    assert len({r.id for r in refs}) == 150
    assert all(r.start < r.end for r in refs)


def test_weekday_targets(extractor, shared: Path) -> None:  # type: ignore[no-untyped-def]
    figures = run_check(extractor, shared, read_sample())
    assert figures.weekdays >= 150
    assert figures.overlaps <= TARGET_OVERLAPS, figures
    assert figures.share >= TARGET_SHARE, figures
