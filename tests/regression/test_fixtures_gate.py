"""The accuracy gate: the pipeline on the annotated fixtures must not fall below the baseline.

A deliberate change of the scores is recorded with ``make eval-baseline``
(tests/fixtures/make_baseline.py), and the baseline diff is reviewed with it.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

from pipeline.evaluate import (
    GoldDoc,
    Scores,
    check_consistency,
    check_gold,
    compare_to_baseline,
    load_gold,
    predict,
    score,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
GOLD = FIXTURES / "gold.jsonl"
BASELINE = FIXTURES / "baseline.json"

_TRADITIONAL = re.compile("[國們這說會灣對與為點時]")


@pytest.fixture(scope="module")
def gold() -> list[GoldDoc]:
    return load_gold(GOLD)


@pytest.fixture(scope="module")
def extractor() -> Any:
    from pipeline import load

    return load()


@pytest.fixture(scope="module")
def scores(gold: list[GoldDoc], extractor: Any) -> Scores:
    return score(gold, predict(gold, nlp=extractor))


def report(scores: Scores, problems: list[str], n: int = 8) -> str:
    """A readable failure message: what regressed, the table, the top errors."""
    lines = ["accuracy on tests/fixtures fell below tests/fixtures/baseline.json:"]
    lines += [f"  - {p}" for p in problems]
    lines.append("  label    P       R       F1      tp   fp   fn")
    for label, s in [*scores.labels.items(), ("ALL", scores.ALL)]:
        lines.append(f"  {label:<7}{s.p:7.4f} {s.r:7.4f} {s.f1:7.4f} {s.tp:5d}{s.fp:5d}{s.fn:5d}")
    if scores.date_value_accuracy is not None:
        lines.append(f"  DATE value accuracy {scores.date_value_accuracy:.4f}")
    lines.append(
        "  most frequent misses: "
        + ", ".join(f"{e.label} {e.text} ×{e.count}" for e in scores.misses[:n])
    )
    lines.append(
        "  most frequent false alarms: "
        + ", ".join(f"{e.label} {e.text} ×{e.count}" for e in scores.false_alarms[:n])
    )
    lines.append("If the change is intended, run `make eval-baseline` and commit the new baseline.")
    return "\n".join(lines)


def test_gold_file_is_valid() -> None:
    assert check_gold(GOLD) == []


def test_gold_is_built_from_the_current_parser_and_annotations() -> None:
    spec = importlib.util.spec_from_file_location("build_gold", FIXTURES / "build_gold.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("build_gold", module)  # dataclasses look their module up
    spec.loader.exec_module(module)
    expected = module.dumps(module.build())
    assert GOLD.read_text(encoding="utf-8") == expected, (
        "tests/fixtures/gold.jsonl is out of date (parser or annotations changed): "
        "run .venv/bin/python tests/fixtures/build_gold.py and review the diff"
    )


def test_fixtures_cover_the_guide(gold: list[GoldDoc]) -> None:
    assert len(gold) >= 30
    trad = [d for d in gold if _TRADITIONAL.search(d.text or "")]
    simp = [d for d in gold if d not in trad]
    assert len(trad) >= 8
    for docs in (trad, simp):
        labels = {m.label for d in docs for m in d.mentions}
        assert labels == {"PERSON", "ORG", "LOC", "DATE"}
    values = [m.value or "" for d in gold for m in d.mentions if m.label == "DATE"]
    for pattern in (
        r"^\d{4}$", r"^\d{4}-\d{2}$", r"^\d{4}-\d{2}-\d{2}$", r"^\d{4}-W\d{2}$", r"^\d{4}-Q\d$",
        r"^\d{4}-H\d$", r"^\d{4}-(SP|SU|FA|WI)$", r"^\d{3}$", r"/",
    ):  # fmt: skip
        assert any(re.search(pattern, v) for v in values), pattern
    surfaces = {m.text for d in gold for m in d.mentions}
    for needed in ("白宫", "五角大楼", "克里姆林宫", "推特", "Twitter", "美国国防部", "中华"):
        assert needed in surfaces, needed


def test_annotations_are_consistent(gold: list[GoldDoc]) -> None:
    conflicts = [f for f in check_consistency(gold) if "different labels" in f]
    assert conflicts == []


def test_gate_holds_against_the_baseline(scores: Scores) -> None:
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))
    problems = compare_to_baseline(scores, baseline)
    assert not problems, report(scores, problems)


class DroppingExtractor:
    """A deliberately broken pipeline: drops every ``k``-th mention of each record."""

    def __init__(self, inner: Any, k: int = 3) -> None:
        self.inner = inner
        self.k = k

    def pipe(self, articles: Iterable[Any]) -> Iterator[Any]:
        for record in self.inner.pipe(articles):
            kept = [m for i, m in enumerate(record.mentions, 1) if i % self.k]
            yield record.model_copy(update={"mentions": kept, "entities": record.entities})


def test_gate_fails_on_a_degraded_pipeline(gold: list[GoldDoc], extractor: Any) -> None:
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))
    degraded = score(gold, predict(gold, nlp=DroppingExtractor(extractor)))
    problems = compare_to_baseline(degraded, baseline)
    assert problems, "dropping a third of the mentions must fail the gate"
    assert any(p.startswith("ALL: F1") for p in problems)
    message = report(degraded, problems)
    assert "below the baseline" in message and "make eval-baseline" in message
