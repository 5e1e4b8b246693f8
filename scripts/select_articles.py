"""Choose the news_unlabeled articles to annotate (seeded, stratified; see pipeline.annotations.select).

Writes data/annotations/selection.jsonl: ``{"split", "rank", "id", "outlet", "script"}``
a line (ids only, no text). Rerunning with the same seed and corpus gives the same file.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from pipeline.annotations.select import SEED, select

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--out", default=str(ROOT / "data" / "annotations" / "selection.jsonl"))
    args = ap.parse_args()
    chosen = select(args.shared, seed=args.seed)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as f:
        for s in chosen:
            f.write(s.model_dump_json() + "\n")
    print(f"{len(chosen)} articles -> {args.out}")


if __name__ == "__main__":
    main()
