"""Entity keys on the identity golds (need ../shared; slow).

Neither gold is blind: the alias table was written from the archive gold's misses, and
the dev gold (blind until issue 16's second round) had its misses read since. The dev
gold's floors are its measured figures minus a small margin, a regression guard.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.identity import corpus_records, load_identity_gold, score_standoff
from tests.conftest import ROOT

GOLD = ROOT / "tests" / "fixtures" / "identity" / "gold.tsv"
DEV = ROOT / "tests" / "fixtures" / "identity" / "dev.tsv"
DEV_ARTICLES = ROOT / "tests" / "fixtures" / "identity" / "dev_articles.txt"


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
    score = score_standoff(records, load_identity_gold(GOLD), allow_missing=True)
    assert score.found >= 0.95 * score.forms
    assert score.precision >= 0.98, [(a.form, b.form) for a, b in score.false_merges]
    assert score.recall >= 0.90


@pytest.mark.slow
def test_dev_identity_gold_does_not_regress(shared: Path, extractor: object) -> None:
    from pipeline.runner import Extractor

    assert isinstance(extractor, Extractor)
    corpus = shared / "corpora" / "news_unlabeled"
    if not corpus.is_dir():
        pytest.skip("no corpora/news_unlabeled under ../shared")
    ids = DEV_ARTICLES.read_text(encoding="utf-8").split()
    records = corpus_records(corpus, ids, extractor)
    assert len(records) == len(ids) == 120
    score = score_standoff(records, load_identity_gold(DEV), allow_missing=True)
    assert score.forms >= 300 and score.found >= 0.95 * score.forms
    # Measured 1.000 / 0.892 with the bundled model 0.2.0 after issue 16's second round
    # (docs/entities.md).
    assert score.precision >= 0.98, [(a.form, b.form) for a, b in score.false_merges]
    assert score.recall >= 0.87
