"""`make eval`: accuracy tables for the README's "Accuracy" section.

Scores the bundled pipeline (strict mention match, ../shared/ANNOTATION.md "Scoring")
on the team's annotated fixtures and, when ../shared is present, on the dev data
of the corpora mapped to the guide's labels:

- MSRA dev: the last 3,000 sentences of msra_train (held out from training, as the
  model card says), and the same converted to Traditional with OpenCC s2tw;
- People's Daily 1998 dev (sentences also in msra_train removed), PER/ORG/LOC;
  its TIME is scored separately against DATE (TIME includes vague times the guide
  excludes, so that row measures overlap, not accuracy);
- CLUENER dev (name→PERSON; organization, government, company→ORG; address,
  scene→LOC: conventions differ from the guide, e.g. titles inside names);
- Universal NER Chinese dev (GSD Simplified; Wikipedia, not news).

Prints the table (``make eval``) and says which sets it could not measure. Only
with ``--readme`` (``make eval-readme``) does it write the table between
``<!-- accuracy:start -->`` and ``<!-- accuracy:end -->`` in README.md, and only
when every set was measured: a missing corpus never drops its row. ``--json``
writes all scores as JSON.

Then, when ../shared is present, the weekday check of issue 18
(:mod:`pipeline.weekday_check`: names overlapping a weekday before a bracketed date,
share of those weekdays found as DATE) on its fixed news_unlabeled sample is printed;
only ``--card`` (``make eval-card``) writes it into the model card, between
``<!-- weekday:start -->`` and ``<!-- weekday:end -->``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from pipeline.evaluation import corpora
from pipeline.evaluation.formats import to_traditional
from pipeline.evaluation.gold import GoldDoc, Triple, load_gold
from pipeline.evaluation.labels import NER_LABELS as NER
from pipeline.evaluation.marked import write_marked
from pipeline.evaluation.scoring import Scores, score
from pipeline.runner import Extractor

ROOT = Path(__file__).resolve().parents[1]
CARD = ROOT / "models" / "zh_news_ner" / "README.md"


def predict(extractor: Extractor, docs: list[GoldDoc]) -> dict[str, list[Triple]]:
    """Run the pipeline on the gold texts (with their publication time, when known)."""
    from pipeline.evaluate import predict as run

    return run(docs, nlp=extractor)


#: The README's rows, in order: (name, the files under ../shared/corpora it needs).
CORPUS_SETS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("MSRA dev (last 3,000 of train)", (corpora.MSRA,)),
    ("MSRA dev, Traditional (OpenCC s2tw)", (corpora.MSRA,)),
    ("People's Daily dev (not in MSRA train)", (corpora.PD_DEV, corpora.PD_OVERLAP)),
    ("People's Daily dev: TIME vs DATE (broader TIME)", (corpora.PD_DEV, corpora.PD_OVERLAP)),
    ("CLUENER dev (mapped)", (corpora.CLUENER.format(split="dev"),)),
    ("Universal NER zh dev (Wikipedia)", (corpora.UNER.format(split="dev"),)),
)
FIXTURES = "fixtures (team-written news, all labels)"


def missing_sets(shared: Path) -> dict[str, list[str]]:
    """The corpus rows that cannot be computed, with the files they lack."""
    out: dict[str, list[str]] = {}
    for name, needs in CORPUS_SETS:
        lacking = corpora.missing(shared, *needs)
        if lacking:
            out[name] = lacking
    return out


def datasets(shared: Path) -> list[tuple[str, list[GoldDoc], tuple[str, ...] | None]]:
    """(name, docs, labels scored) for every evaluation set available."""
    sets: list[tuple[str, list[GoldDoc], tuple[str, ...] | None]] = [
        (FIXTURES, load_gold(ROOT / "tests/fixtures/gold.jsonl"), None)
    ]
    available = {name for name, _ in CORPUS_SETS} - set(missing_sets(shared))
    names = [name for name, _ in CORPUS_SETS]
    if {names[0], names[1]} <= available:
        msra = corpora.msra_dev(shared)
        sets.append((names[0], msra, NER))
        sets.append((names[1], to_traditional(msra), NER))
    if names[2] in available:
        pd = corpora.pd_dev(shared)
        sets.append((names[2], pd, NER))
        sets.append((names[3], pd, ("DATE",)))
    if names[4] in available:
        sets.append((names[4], corpora.cluener("dev", shared), NER))
    if names[5] in available:
        sets.append((names[5], corpora.uner("dev", shared), NER))
    return sets


def row(name: str, s: Scores, labels: tuple[str, ...] | None, chars: int, secs: float) -> str:
    d = s.to_dict()
    cells = []
    for lab in ("PERSON", "ORG", "LOC", "DATE"):
        entry = d["labels"].get(lab)
        shown = labels is None or lab in labels
        cells.append(
            f"{entry['f1']:.3f}" if entry and shown and (entry["tp"] + entry["fn"]) else "–"
        )
    dva = d.get("date_value_accuracy")
    value = f"{dva:.3f}" if dva is not None and (labels is None) else "–"
    return (
        f"| {name} | {len(s.labels) and d['ALL']['p']:.3f} | {d['ALL']['r']:.3f} | {d['ALL']['f1']:.3f} | "
        + " | ".join(cells)
        + f" | {value} | {chars / secs:,.0f} |"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--model", default=None)
    parser.add_argument(
        "--readme",
        action="store_true",
        help="write the table into README.md (refused unless every set can be measured)",
    )
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument(
        "--card", action="store_true", help="write the weekday figures into the model card"
    )
    parser.add_argument("--weekdays-only", action="store_true", help="run the weekday check only")
    args = parser.parse_args()
    missing = missing_sets(args.shared)
    if missing:
        print(
            f"not measured ({len(missing)} of {len(CORPUS_SETS) + 1} sets; their corpora are "
            f"not under {args.shared / 'corpora'}):",
            file=sys.stderr,
        )
        for name, lacking in missing.items():
            print(f"  {name}: missing {', '.join(lacking)}", file=sys.stderr)
    if args.readme and missing:
        print(
            "README.md left as it was: its accuracy table keeps every row only when every "
            "set is measured (run `make eval-readme` with ../shared present).",
            file=sys.stderr,
        )
        return 1
    extractor = Extractor.load(args.model)
    if args.weekdays_only:
        weekdays(extractor, args.shared, card=args.card)
        return 0
    lines = [
        "| data | P | R | F1 | PERSON | ORG | LOC | DATE | DATE value acc. | chars/s |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    dump = {}
    for name, docs, labels in datasets(args.shared):
        t0 = time.perf_counter()
        pred = predict(extractor, docs)
        secs = time.perf_counter() - t0
        scores = score(docs, pred, labels)
        dump[name] = scores.to_dict()
        lines.append(row(name, scores, labels, sum(len(d.text or "") for d in docs), secs))
    table = "\n".join(lines)
    print(table)
    if args.json:
        args.json.write_text(json.dumps(dump, ensure_ascii=False, indent=2), encoding="utf-8")
    if args.readme:
        write_readme(table, extractor)
        print("README.md: accuracy table updated", file=sys.stderr)
    weekdays(extractor, args.shared, card=args.card)
    return 0


def write_readme(table: str, extractor: Extractor) -> None:
    """Replace the table between the accuracy markers of README.md."""
    body = (
        f"Model `{extractor.info.model}` {extractor.info.model_version}, measured "
        f"{time.strftime('%Y-%m-%d')} by `make eval-readme` (strict mention match; chars/s "
        "includes the whole pipeline, both cores available):\n\n"
        f"{table}"
    )
    write_marked(ROOT / "README.md", "accuracy", body)


def weekdays(extractor: Extractor, shared: Path, *, card: bool) -> None:
    """Print the weekday check (issue 18); with ``card``, write it into the model card."""
    from pipeline.weekday_check import read_sample, run_check

    if not (shared / "corpora" / "news_unlabeled").is_dir():
        print(f"\nweekday check skipped: {shared}/corpora/news_unlabeled is absent")
        return
    t0 = time.perf_counter()
    figures = run_check(extractor, shared, read_sample())
    secs = time.perf_counter() - t0
    table = figures.table()
    verdict = "targets met" if figures.passed else "TARGETS MISSED"
    print(f"\n{table}\n\nweekday check: {verdict} ({secs:.1f} s)")
    if card:
        body = (
            f"Model `{extractor.info.model}` {extractor.info.model_version}, measured "
            f"{time.strftime('%Y-%m-%d')} by `make eval-card` (the weekday check of "
            "scripts/eval_all.py; sample: data/eval/news_weekday_sample.tsv, ids and offsets "
            f"into ../shared/corpora/news_unlabeled):\n\n{table}"
        )
        write_marked(CARD, "weekday", body, heading="Weekdays after names (make eval-card)")


if __name__ == "__main__":
    sys.exit(main())
