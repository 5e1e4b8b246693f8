"""`make eval` (in-domain part): the whole pipeline on the blind in-domain dev sets.

Two sets of 2020-21 feed articles, both annotated to ../shared/ANNOTATION.md by readers
who saw no model output:

- ``news_gold``: ../shared/corpora/news_gold/gold.jsonl (40 articles, the corpus's
  own blind dev set);
- ``news_dev``: the team's 40 articles, data/annotations/news_dev/ (standoff; the
  text is rebuilt from ../shared/corpora/news_unlabeled).

Prints precision, recall and F1 over all four labels and per label, with bootstrap
intervals over articles, and the DATE value accuracy. It never prints a mention: the
sets stay blind (read no errors from them while tuning). Each set is skipped with a
message when its data is absent.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from pipeline.evaluation.gold import GoldDoc
from pipeline.runner import Extractor
from pipeline.schema import LABELS
from pipeline.training.news_eval import dev_sets, summary

ROOT = Path(__file__).resolve().parents[1]


def news_sets(shared: Path) -> list[tuple[str, list[GoldDoc]]]:
    """The in-domain sets that can be measured (one loader with ``make train``'s report)."""
    sets = dev_sets(shared)
    names = {name for name, _ in sets}
    for name in ("news_gold", "news_dev"):
        if name not in names:
            print(f"{name}: not measured (its data is absent under {shared})", file=sys.stderr)
    readers = {"news_gold": "corpus readers", "news_dev": "team readers"}
    return [(f"{n} ({len(d)} articles, {readers[n]})", d) for n, d in sets]


def measure(extractor: Extractor, docs: list[GoldDoc], resamples: int) -> dict[str, Any]:
    """:func:`~pipeline.training.news_eval.summary` of the pipeline on ``docs``, with its time."""
    from pipeline.evaluate import predict

    t0 = time.perf_counter()
    pred = predict(docs, nlp=extractor)
    secs = time.perf_counter() - t0
    return {
        **summary(docs, pred, resamples=resamples, digits=None),
        "chars": sum(len(d.text or "") for d in docs),
        "seconds": round(secs, 2),
    }


def table(results: dict[str, dict[str, Any]]) -> str:
    """A markdown table: P, R, F1 [95 % interval], per-label F1, DATE value accuracy."""
    lines = [
        "| set | P | R | F1 [95 % CI] | PERSON | ORG | LOC | DATE | DATE value acc. |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, r in results.items():

        def cell(lb: str, r: dict[str, Any] = r) -> str:
            lo, hi = r[lb]["f_ci95"]
            return f"{r[lb]['f']:.3f} [{lo:.3f}, {hi:.3f}]"

        acc = r["date_value_accuracy"]
        lines.append(
            f"| {name} | {r['ALL']['p']:.3f} | {r['ALL']['r']:.3f} | {cell('ALL')} | "
            + " | ".join(cell(lb) for lb in LABELS)
            + f" | {'–' if acc is None else f'{acc:.3f}'} |"
        )
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--model", default=None, help="a model path or installed spaCy pipeline")
    ap.add_argument("--resamples", type=int, default=1000)
    ap.add_argument("--json", type=Path, default=None, help="write the figures as JSON")
    args = ap.parse_args()
    sets = news_sets(args.shared)
    if not sets:
        return 0
    extractor = Extractor.load(args.model)
    results = {name: measure(extractor, docs, args.resamples) for name, docs in sets}
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
