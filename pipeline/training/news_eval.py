"""Whole-pipeline scores of a model on the in-domain dev sets, aggregate figures only.

    python -m pipeline.training.news_eval models/zh_news_ner [--shared ../shared]

Scores the pipeline saved at the given directory (the rules and dates included, as
``make eval`` does) on ../shared/corpora/news_gold (the blind dev set) and, when the
store exists, on the team's blind in-domain dev set (data/annotations/news_dev, text
rebuilt from ../shared). Prints P/R/F1 per label and overall with a 95 % bootstrap
interval over articles, and never the errors or any per-article output: these sets
are blind, and a figure is all that may be read while tuning.
"""

# ruff: noqa: T201  (command-line tool: prints results)

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from pipeline.annotations.corpus import corpus_dir
from pipeline.evaluation.corpora import DEFAULT_SHARED
from pipeline.evaluation.gold import GoldDoc, Triple, iter_jsonl
from pipeline.evaluation.scoring import bootstrap, doc_counts, score
from pipeline.schema import LABELS

NEWS_GOLD = Path("corpora") / "news_gold" / "gold.jsonl"
NEWS_DEV = Path("data/annotations/news_dev")


def summary(
    gold: list[GoldDoc],
    pred: dict[str, list[Triple]],
    *,
    resamples: int = 1000,
    digits: int | None = 4,
) -> dict[str, Any]:
    """Aggregate P/R/F1 per label and overall, with bootstrap intervals over articles,
    and the DATE value accuracy; figures rounded to ``digits`` (None: unrounded)."""

    def r(x: float) -> float:
        return x if digits is None else round(x, digits)

    s = score(gold, pred, LABELS)
    intervals = bootstrap(doc_counts(gold, pred, LABELS), resamples=resamples)
    out: dict[str, Any] = {}
    for lab, x in [*s.labels.items(), ("ALL", s.ALL)]:
        ci = intervals[lab]
        out[lab] = {
            "p": r(x.p),
            "r": r(x.r),
            "f": r(x.f1),
            "n": x.tp + x.fn,
            "f_ci95": [r(ci.low), r(ci.high)],
        }
    out["docs"] = len(gold)
    acc = s.date_value_accuracy
    out["date_value_accuracy"] = None if acc is None else r(acc)
    return out


def read_news_gold(path: Path) -> list[GoldDoc]:
    """news_gold's documents: the gold format plus an ``outlet`` field, which is dropped."""
    docs: list[GoldDoc] = []
    for _, line in iter_jsonl(path):
        row = json.loads(line)
        row.pop("outlet", None)
        docs.append(GoldDoc.model_validate(row))
    return docs


def dev_sets(shared: Path) -> list[tuple[str, list[GoldDoc]]]:
    """(name, documents) of every in-domain dev set present."""
    sets: list[tuple[str, list[GoldDoc]]] = []
    if (shared / NEWS_GOLD).is_file():
        sets.append(("news_gold", read_news_gold(shared / NEWS_GOLD)))
    root = Path(__file__).resolve().parents[2]
    store = root / NEWS_DEV
    if corpus_dir(shared) is not None and store.is_dir() and any(store.glob("*.jsonl")):
        from pipeline.annotations.store import load_annotations

        sets.append(("news_dev", load_annotations(store, shared)))
    return sets


def evaluate_model(model: str | Path, shared: Path) -> dict[str, dict[str, Any]]:
    """Scores of the pipeline at ``model`` on every in-domain dev set present."""
    from pipeline import load
    from pipeline.evaluate import predict

    nlp = load(str(model))
    return {name: summary(docs, predict(docs, nlp=nlp)) for name, docs in dev_sets(shared)}


def table(name: str, res: dict[str, Any]) -> str:
    """A markdown table of one set's figures (F1 with its 95 % interval over articles)."""
    lines = [
        f"{name} ({res['docs']} articles)",
        "| label | P | R | F1 [95 % CI] | n |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for lab in (*LABELS, "ALL"):
        x = res[lab]
        lo, hi = x["f_ci95"]
        lines.append(
            f"| {lab} | {x['p']:.3f} | {x['r']:.3f} | {x['f']:.3f} [{lo:.3f}, {hi:.3f}] | {x['n']} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("model", type=Path, help="a saved pipeline directory")
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args(argv)
    results = evaluate_model(args.model, args.shared)
    if not results:
        print(f"no in-domain dev set under {args.shared}")
    for name, res in results.items():
        print(table(name, res))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
