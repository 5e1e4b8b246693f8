"""The identity gold and its pairwise scorer."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from pipeline.identity import GoldForm, load_identity_gold, score_identity
from tests.conftest import ROOT
from tests.report.helpers import make_record

GOLD = ROOT / "tests" / "fixtures" / "identity" / "gold.tsv"


def test_gold_file_is_well_formed() -> None:
    gold = load_identity_gold(GOLD)
    assert len(gold) >= 300
    groups = Counter(g.group for g in gold)
    assert sum(1 for n in groups.values() if n > 1) >= 100  # entities with several forms
    labels = Counter(g.label for g in gold)
    assert {"PERSON", "ORG", "LOC"} <= set(labels)
    # A group holds one label.
    assert all(len({g.label for g in gold if g.group == grp}) == 1 for grp in groups)


def test_bad_gold_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "gold.tsv"
    path.write_text("group\tlabel\tform\nx\tTHING\t美国\n", encoding="utf-8")
    with pytest.raises(ValueError, match="bad gold line 2"):
        load_identity_gold(path)
    path.write_text("group\tlabel\tform\nx\tLOC\t美国\ny\tLOC\t美国\n", encoding="utf-8")
    with pytest.raises(ValueError, match="twice"):
        load_identity_gold(path)
    path.write_text("x\tLOC\t美国\n", encoding="utf-8")
    with pytest.raises(ValueError, match="header"):
        load_identity_gold(path)


def test_pairwise_scores() -> None:
    records = [
        make_record(
            "a",
            "甲",
            "美国和美方，中国。",
            [("美国", "LOC", None), ("美", "LOC", None), ("中国", "LOC", None)],
        ),
        make_record("b", "乙", "美國與川普。", [("美國", "LOC", None), ("川普", "PERSON", None)]),
        make_record("c", "丙", "中共。", [("中共", "ORG", None)]),
    ]
    gold = [
        GoldForm("us", "LOC", "美国"),
        GoldForm("us", "LOC", "美"),
        GoldForm("us", "LOC", "美國"),
        GoldForm("cn", "LOC", "中国"),
        GoldForm("trump", "PERSON", "川普"),
        GoldForm("trump", "PERSON", "特朗普"),  # not in the records: stays alone
        GoldForm("ccp", "ORG", "中共"),
    ]
    score = score_identity(records, gold)
    assert (score.forms, score.groups, score.found) == (7, 4, 6)
    assert (score.true_pairs, score.predicted_pairs, score.correct_pairs) == (4, 3, 3)
    assert score.precision == 1.0 and score.recall == 0.75
    assert [(a.form, b.form) for a, b in score.missed_merges] == [("川普", "特朗普")]
    wrong = [GoldForm("x", "LOC", "美国"), GoldForm("y", "LOC", "美")]
    bad = score_identity(records, wrong)
    assert bad.precision == 0.0 and bad.recall == 1.0 and len(bad.false_merges) == 1
