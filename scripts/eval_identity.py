"""`make eval` (identity part): score entity keys on the identity gold over the archive sample.

Runs the bundled pipeline over ../shared/examples/archive/raw (or reads --records),
prints pairwise precision and recall of merging on tests/fixtures/identity/gold.tsv,
the same without the team-written alias table, and the effect of keys on the report's
top lists (top entities per label counted by name, as before keys, and by key). Then
the same figures on the DEV golds, 120 news_unlabeled articles each:
tests/fixtures/identity/dev.tsv (March-April 2021; --dev-records reads its records
instead of extracting them) and dev2.tsv (May-June 2021), each blind until a round of
issue 16 read its misses (--dev-misses lists them). Last, the BLIND golds (blind3.tsv,
January-February 2021; blind4.tsv, November-December 2020, when present): figures
only, their errors are never printed. Each part is skipped with a message when its
../shared data is absent.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.identity import (
    GoldMismatch,
    IdentityScore,
    corpus_records,
    load_identity_gold,
    score_standoff,
)
from pipeline.report import collect
from pipeline.schema import Record

if TYPE_CHECKING:
    from pipeline.runner import Extractor

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "fixtures" / "identity" / "gold.tsv"
IDENTITY = ROOT / "tests" / "fixtures" / "identity"
DEV = IDENTITY / "dev.tsv"
DEV_ARTICLES = IDENTITY / "dev_articles.txt"
#: The development golds after the first: (name, what the printed line says). Gold
#: ``NAME.tsv``, article ids ``NAME_articles.txt``.
DEV_GOLDS = (("dev2", "120 articles of May-June 2021; blind until issue 16's fourth round"),)
#: The blind golds, scored when their file is present.
BLIND_GOLDS = (
    ("blind3", "120 articles of January-February 2021"),
    ("blind4", "120 articles of November-December 2020"),
)


@cache
def bundled() -> Extractor:
    """The bundled model, loaded once for every sample this script extracts."""
    from pipeline.runner import Extractor

    return Extractor.load()


def archive_records(shared: Path) -> list[Record]:
    """Extract the archive sample with the bundled model."""
    from pipeline.stages.parse import parse_file

    paths = sorted((shared / "examples" / "archive" / "raw").glob("*.txt"))
    return list(bundled().pipe(parse_file(p) for p in paths))


def dev_records(shared: Path, articles: Path = DEV_ARTICLES) -> list[Record]:
    """Extract a corpus gold's articles (ids in ``articles``) from news_unlabeled."""
    ids = articles.read_text(encoding="utf-8").split()
    return corpus_records(shared / "corpora" / "news_unlabeled", ids, bundled())


def top_by_name(records: list[Record], label: str, n: int) -> list[tuple[str, int]]:
    """Top entities of a label by articles, grouped by canonical name (before keys)."""
    articles: dict[str, set[str]] = defaultdict(set)
    for r in records:
        for e in r.entities:
            if e.label == label:
                articles[e.value if label == "DATE" and e.value else e.name].add(r.id)
    ranked = sorted(articles.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    return [(name, len(ids)) for name, ids in ranked[:n]]


def score_both(
    records: list[Record], gold: Path, max_missing: float, blind: bool = False
) -> tuple[IdentityScore, IdentityScore]:
    """Scores of the records' keys on a standoff gold, with and without the alias table.

    Gold rows that match no mention count as never merged while they are at most
    ``max_missing`` of the gold (a model or parser change drops a few forms); more than
    that means the records are not the ones the gold was made on: exit with the rows
    (for a ``blind`` gold, the count only: its rows name its entities).
    """
    import pipeline.stages.keys as keys

    refs = load_identity_gold(gold)
    try:
        score = score_standoff(records, refs)
    except GoldMismatch as e:
        score = score_standoff(records, refs, allow_missing=True)
        missing = score.forms - score.found
        detail = f"{missing} of {score.forms} gold rows match no mention" if blind else str(e)
        if missing > max_missing * score.forms:
            raise SystemExit(f"{gold.name}: {detail}") from e
        print(f"{gold.name}: {detail} (scored as never merged)", file=sys.stderr)
    unkeyed = [r.model_copy(deep=True) for r in records]
    for r in unkeyed:  # keys are recomputed from the mentions (record_keys)
        for ent in r.entities:
            ent.key = None
    with_aliases = keys.aliases
    keys.aliases = lambda: {}  # type: ignore[assignment]
    try:
        bare = score_standoff(unkeyed, refs, allow_missing=True)
    finally:
        keys.aliases = with_aliases
    return score, bare


def figures(score: IdentityScore, bare: IdentityScore) -> dict[str, float | int]:
    """The JSON figures of one gold."""
    return {
        "precision": score.precision,
        "recall": score.recall,
        "forms": score.forms,
        "groups": score.groups,
        "pairs": score.true_pairs,
        "precision_without_aliases": bare.precision,
        "recall_without_aliases": bare.recall,
    }


def print_scores(name: str, score: IdentityScore, bare: IdentityScore, note: str) -> None:
    """Print the figures of one gold, per label too (the error lists are printed apart)."""
    print(
        f"{name}: {score.forms} forms in {score.groups} entities "
        f"({score.found} found in the records), {score.true_pairs} same-entity pairs"
    )
    print(
        f"  keys: precision {score.precision:.4f} ({score.correct_pairs}/{score.predicted_pairs}), "
        f"recall {score.recall:.4f} ({score.correct_pairs}/{score.true_pairs}), F1 {score.f1:.4f}"
    )
    print(
        f"  without aliases.tsv: precision {bare.precision:.4f} "
        f"({bare.correct_pairs}/{bare.predicted_pairs}), recall {bare.recall:.4f} "
        f"({bare.correct_pairs}/{bare.true_pairs}) {note}"
    )
    for label, (correct, predicted, true) in score.by_label().items():
        p = correct / predicted if predicted else 1.0
        r = correct / true if true else 1.0
        print(
            f"    {label:<6} precision {p:.3f} ({correct}/{predicted}), recall {r:.3f} ({correct}/{true})"
        )


def print_errors(score: IdentityScore, misses: bool) -> None:
    """The false merges (the first 20) and, with ``misses``, every missed pair."""
    for a, b in score.false_merges[:20]:
        print(f"  false merge: {a.label} {a.form!r} ({a.group}) + {b.form!r} ({b.group})")
    if misses:
        for one, other in score.missed_merges:
            print(f"  missed merge: {one.label} {one.form!r} + {other.form!r} ({one.group})")


def scored(
    records: list[Record],
    gold: Path,
    max_missing: float,
    title: str,
    note: str,
    blind: bool = False,
) -> tuple[IdentityScore, IdentityScore]:
    """Score one gold (with and without the alias table) and print its figures."""
    score, bare = score_both(records, gold, max_missing, blind)
    print_scores(title, score, bare, note)
    return score, bare


def archive_part(
    records: list[Record], top: int, max_missing: float, misses: bool = False
) -> dict[str, float | int]:
    """Score the archive gold (not blind: its misses may be read) and show the top lists."""
    score, bare = scored(
        records,
        GOLD,
        max_missing,
        "identity gold (archive sample, NOT blind)",
        "(the alias table was written while looking at this gold's misses)",
    )
    print_errors(score, misses)
    print("Top lists: by name (before keys) → by key (after)")
    stats = collect(records, sample=0)
    changes: Counter[str] = Counter()
    for label in ("PERSON", "ORG", "LOC"):
        before = top_by_name(records, label, top)
        after = [(s.name, s.articles) for s in stats.top(label, top)]
        print(f"  {label}")
        for i in range(top):
            b = f"{before[i][0]} {before[i][1]}" if i < len(before) else ""
            a = f"{after[i][0]} {after[i][1]}" if i < len(after) else ""
            print(f"    {i + 1:2d}. {b:<24} {a}")
        changes[label] = len({n for n, _ in before} ^ {n for n, _ in after}) // 2
    print("  entries replaced per label:", dict(changes))
    return figures(score, bare)


def dev_part(
    records: list[Record],
    max_missing: float,
    misses: bool = False,
    gold: Path = DEV,
    what: str = "120 news_unlabeled articles of March-April 2021; blind until issue 16r",
) -> dict[str, float | int]:
    """Score a dev gold (blind until a round of issue 16 read its errors)."""
    score, bare = scored(
        records,
        gold,
        max_missing,
        f"DEV identity gold {gold.name} ({what}; its misses are read)",
        "(aliases were added after seeing this gold's misses)",
    )
    print_errors(score, misses)
    return figures(score, bare)


def blind_part(
    records: list[Record], gold: Path, max_missing: float, what: str
) -> dict[str, float | int]:
    """Score a BLIND gold: figures only, never its errors."""
    title = f"BLIND identity gold {gold.name} ({what}; errors not shown)"
    return figures(*scored(records, gold, max_missing, title, "", blind=True))


def write_records(records: list[Record], path: Path) -> None:
    """Write extracted records as JSONL (for --records / --dev-records later)."""
    with path.open("w", encoding="utf-8") as f:
        f.writelines(r.model_dump_json() + "\n" for r in records)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--records", type=Path, help="Records of the archive (skip extraction).")
    parser.add_argument(
        "--dev-records", type=Path, help="Records of the dev gold's articles (skip extraction)."
    )
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument(
        "--max-missing",
        type=float,
        default=0.05,
        help="Share of gold forms that may be in no record (scored unmerged) before failing.",
    )
    parser.add_argument("--json", type=Path, help="Write the scores as JSON here.")
    parser.add_argument(
        "--misses",
        action="store_true",
        help="List the archive gold's missed merges.",
    )
    parser.add_argument(
        "--dev-misses", action="store_true", help="List the dev gold's missed merges."
    )
    parser.add_argument(
        "--skip-dev",
        action="store_true",
        help="Score the archive gold only (development; the dev and blind golds are skipped).",
    )
    parser.add_argument(
        "--skip-blind",
        action="store_true",
        help="Leave the blind golds unscored (while a change is developed on the dev golds).",
    )
    parser.add_argument(
        "--write-records", type=Path, help="Write the extracted archive records here (JSONL)."
    )
    parser.add_argument(
        "--write-dev-records", type=Path, help="Write the extracted dev records here (JSONL)."
    )
    args = parser.parse_args()
    from pipeline import read_records

    out: dict[str, dict[str, float | int]] = {}
    archive: list[Record] | None = None
    if args.records is not None:
        archive = list(read_records(args.records))
    elif (args.shared / "examples" / "archive" / "raw").is_dir():
        archive = archive_records(args.shared)
    else:
        print(f"no archive under {args.shared}: archive identity gold skipped", file=sys.stderr)
    if archive is not None:
        if args.write_records is not None:
            write_records(archive, args.write_records)
        out["archive"] = archive_part(archive, args.top, args.max_missing, args.misses)
    dev: list[Record] | None = None
    if args.skip_dev:
        pass
    elif args.dev_records is not None:
        dev = list(read_records(args.dev_records))
    elif (args.shared / "corpora" / "news_unlabeled").is_dir():
        dev = dev_records(args.shared)
        if args.write_dev_records is not None:
            write_records(dev, args.write_dev_records)
    else:
        print(
            f"no corpora/news_unlabeled under {args.shared}: dev identity gold skipped",
            file=sys.stderr,
        )
    if dev is not None:
        out["dev"] = dev_part(dev, args.max_missing, args.dev_misses)
    if not args.skip_dev and dev is not None and args.dev_records is None:
        for name, what in DEV_GOLDS:
            records = dev_records(args.shared, IDENTITY / f"{name}_articles.txt")
            gold = IDENTITY / f"{name}.tsv"
            out[name] = dev_part(records, args.max_missing, args.dev_misses, gold, what)
        for name, what in BLIND_GOLDS:
            gold = IDENTITY / f"{name}.tsv"
            if args.skip_blind or not gold.is_file():
                continue
            records = dev_records(args.shared, IDENTITY / f"{name}_articles.txt")
            out[name] = blind_part(records, gold, args.max_missing, what)
    if args.json is not None:
        args.json.write_text(json.dumps(out, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
