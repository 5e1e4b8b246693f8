"""`make check-annotations`: check the standoff store against ../shared (pipeline.annotations.check).

Prints hard problems (exit status 1 when any), the consistency findings to review, and
the counts per label, outlet and script. Skips (exit status 0) when ../shared lacks the
corpus, as the tests do.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from pipeline.annotations.check import check_store
from pipeline.annotations.corpus import corpus_dir

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("store", nargs="?", default=str(ROOT / "data" / "annotations" / "news_train"))
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--json", action="store_true", help="print the whole report as JSON")
    args = ap.parse_args()
    if corpus_dir(args.shared) is None:
        print(f"skipped: {args.shared}/corpora/news_unlabeled is absent")
        return 0
    report = check_store(args.store, args.shared)
    if args.json:
        print(report.model_dump_json(indent=1))
        return 0 if report.ok else 1
    print(f"{report.articles} articles, {report.characters} characters, {report.files} files")
    print("mentions: " + json.dumps(report.labels) + f" ({sum(report.labels.values())} in all)")
    print("scripts:  " + json.dumps(report.scripts))
    for outlet, n in report.outlets.items():
        print(f"  {outlet:24} {n:3} articles  {json.dumps(report.outlet_mentions.get(outlet, {}))}")
    print(f"consistency findings to review: {len(report.consistency)}")
    for line in report.consistency:
        print("  " + line)
    print(f"problems: {len(report.problems)}")
    for line in report.problems:
        print("  " + line)
    return 0 if report.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
