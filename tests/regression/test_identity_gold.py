"""Entity keys on the identity gold over the archive sample (needs ../shared; slow)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.identity import load_identity_gold, score_standoff
from tests.conftest import ROOT

GOLD = ROOT / "tests" / "fixtures" / "identity" / "gold.tsv"


@pytest.mark.slow
def test_identity_gold_targets(shared: Path, extractor: object) -> None:
    from pipeline.runner import Extractor
    from pipeline.stages.parse import parse_file

    assert isinstance(extractor, Extractor)
    paths = sorted((shared / "examples" / "archive" / "raw").glob("*.txt"))
    if not paths:
        pytest.skip("no archive sample under ../shared")
    records = list(extractor.pipe(parse_file(p) for p in paths))
    assert all(e.key for r in records for e in r.entities)
    score = score_standoff(records, load_identity_gold(GOLD))
    assert score.found >= 0.95 * score.forms
    assert score.precision >= 0.98, [(a.form, b.form) for a, b in score.false_merges]
    assert score.recall >= 0.90
