"""Choose the news_unlabeled articles to annotate (seeded, stratified; see pipeline.annotations.select).

Writes data/annotations/selection.jsonl: ``{"split", "rank", "id", "outlet", "script"}``
a line (ids only, no text). Rerunning with the same seed and corpus gives the same file.
The identity golds' article samples (tests/fixtures/identity/*_articles.txt, drawn after
the first train rounds) are kept out of every draw.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from pipeline.annotations.corpus import read_id_file
from pipeline.annotations.select import SEED, select

ROOT = Path(__file__).resolve().parents[1]
#: Article samples of other evaluations that no annotation round may draw.
EXCLUDE = sorted((ROOT / "tests" / "fixtures" / "identity").glob("*_articles.txt"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--out", default=str(ROOT / "data" / "annotations" / "selection.jsonl"))
    ap.add_argument(
        "--exclude",
        nargs="*",
        type=Path,
        default=EXCLUDE,
        help="files of article ids (one a line) that no round may draw",
    )
    args = ap.parse_args()
    chosen = select(
        args.shared, seed=args.seed, exclude=set().union(*map(read_id_file, args.exclude))
    )
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as f:
        for s in chosen:
            f.write(s.model_dump_json() + "\n")
    print(f"{len(chosen)} articles -> {args.out}")


if __name__ == "__main__":
    main()
