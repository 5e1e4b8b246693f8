"""The identity gold and its pairwise scorer."""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path

import pytest

from pipeline.identity import (
    GoldForm,
    GoldMismatch,
    GoldRef,
    form_digest,
    load_identity_gold,
    resolve_gold,
    score_identity,
    score_standoff,
    standoff_rows,
)
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


def test_gold_file_holds_no_text() -> None:
    # Standoff only: article ids, 16-hex-digit hashes, labels, ASCII group ids.
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            assert line.isascii(), line


def test_bad_gold_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "gold.tsv"
    head = "doc\tform_sha256\tlabel\tgroup\n"
    digest = form_digest("美国")
    path.write_text(head + f"a\t{digest}\tTHING\tus\n", encoding="utf-8")
    with pytest.raises(ValueError, match="bad gold line 2"):
        load_identity_gold(path)
    path.write_text(head + "a\t美国\tLOC\tus\n", encoding="utf-8")  # a form, not its hash
    with pytest.raises(ValueError, match="bad gold line 2"):
        load_identity_gold(path)
    path.write_text(head + f"a\t{digest}\tLOC\tus\nb\t{digest}\tLOC\tx\n", encoding="utf-8")
    with pytest.raises(ValueError, match="twice"):
        load_identity_gold(path)
    path.write_text("group\tlabel\tform\nus\tLOC\t美国\n", encoding="utf-8")
    with pytest.raises(ValueError, match="header"):
        load_identity_gold(path)


def test_standoff_rows_resolve_to_the_forms(tmp_path: Path) -> None:
    records = [
        make_record("b", "乙", "美國與川普。", [("美國", "LOC", None), ("川普", "PERSON", None)]),
        make_record("a", "甲", "美国和美國。", [("美国", "LOC", None), ("美國", "LOC", None)]),
    ]
    gold = [GoldForm("us", "LOC", "美国"), GoldForm("us", "LOC", "美國")]
    refs = standoff_rows(gold, records)
    assert [(r.doc, r.label, r.group) for r in refs] == [("a", "LOC", "us"), ("a", "LOC", "us")]
    assert refs[0].digest == hashlib.sha256("美国".encode()).hexdigest()[:16]
    assert resolve_gold(refs, records) == gold
    path = tmp_path / "gold.tsv"
    rows = [f"{r.doc}\t{r.digest}\t{r.label}\t{r.group}" for r in refs]
    path.write_text("# note\ndoc\tform_sha256\tlabel\tgroup\n" + "\n".join(rows), encoding="utf-8")
    assert load_identity_gold(path) == refs
    assert score_standoff(records, refs).recall == 1.0
    with pytest.raises(GoldMismatch, match="in no record"):
        standoff_rows([GoldForm("trump", "PERSON", "特朗普")], records)


def test_unresolvable_gold_fails_clearly() -> None:
    records = [make_record("a", "甲", "美国。", [("美国", "LOC", None)])]
    wrong_label = GoldRef("a", form_digest("美国"), "ORG", "us")
    with pytest.raises(GoldMismatch, match="no ORG mention of record 'a' hashes to"):
        resolve_gold([wrong_label], records)
    with pytest.raises(GoldMismatch, match="record 'z' is not in the batch"):
        resolve_gold([GoldRef("z", form_digest("美国"), "LOC", "us")], records)
    with pytest.raises(GoldMismatch, match="1 of 1 gold rows"):
        score_standoff(records, [GoldRef("a", form_digest("中国"), "LOC", "cn")])


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
