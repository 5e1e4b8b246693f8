"""The regression gate: fresh scores against a committed baseline (tests/regression).

A regression is an overall or per-label F1 more than a tolerance below the baseline, a
label of the baseline missing from the scores, or a lower DATE value accuracy.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pipeline.evaluation.scoring import Scores

__all__ = ["compare_to_baseline"]


def compare_to_baseline(
    scores: Scores | Mapping[str, Any],
    baseline: Scores | Mapping[str, Any],
    tolerance: float = 0.01,
) -> list[str]:
    """Regressions of ``scores`` against ``baseline`` (empty when there are none).

    A regression is an overall or per-label F1 more than ``tolerance`` below the
    baseline, a label of the baseline missing from the scores, or a lower DATE value
    accuracy (compared at the 4 digits the JSON keeps).
    """
    now = scores.to_dict() if isinstance(scores, Scores) else dict(scores)
    base = baseline.to_dict() if isinstance(baseline, Scores) else dict(baseline)
    problems: list[str] = []

    def check(name: str, cur: Mapping[str, Any] | None, ref: Mapping[str, Any]) -> None:
        if cur is None:
            problems.append(f"{name}: missing from the scores (baseline F1 {ref['f1']:.4f})")
            return
        if cur["f1"] < ref["f1"] - tolerance - 1e-9:
            problems.append(
                f"{name}: F1 {cur['f1']:.4f} is {ref['f1'] - cur['f1']:.4f} below the baseline "
                f"{ref['f1']:.4f} (tolerance {tolerance}); "
                f"tp {cur.get('tp')} fp {cur.get('fp')} fn {cur.get('fn')} "
                f"(baseline tp {ref.get('tp')} fp {ref.get('fp')} fn {ref.get('fn')})"
            )

    check("ALL", now.get("ALL"), base["ALL"])
    for label, ref in base.get("labels", {}).items():
        check(label, now.get("labels", {}).get(label), ref)
    ref_acc = base.get("date_value_accuracy")
    cur_acc = now.get("date_value_accuracy")
    if ref_acc is not None:
        if cur_acc is None:
            problems.append(f"DATE value accuracy: not measured (baseline {ref_acc:.4f})")
        elif round(cur_acc, 4) < round(ref_acc, 4):
            problems.append(
                f"DATE value accuracy: {cur_acc:.4f} dropped below the baseline {ref_acc:.4f}"
            )
    return problems
