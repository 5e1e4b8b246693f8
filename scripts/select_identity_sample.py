"""Select the articles of an identity gold from ../shared/corpora/news_unlabeled (the dev gold's).

Reproducible (seeded): articles published in WINDOW (two months, so that stories and
people recur across articles as in an archive), 300 to 3,000 characters long, not in
news_gold (the blind dev set), drawn per outlet host in proportion to the outlet's
characters in the window (largest remainder, at least one article per outlet with
20 or more candidates, and at least MIN_TRADITIONAL articles from the Traditional
outlets cna.com.tw and rti.org.tw). Writes the ids, one a line, sorted.

The defaults reproduce the first blind gold's selection (now the dev gold). A later blind gold takes
another window and seed and leaves out the articles already used (the earlier golds'
ids, the annotation selection's JSONL), one id a line or one JSON object with "id" a
line:

    python scripts/select_identity_sample.py --shared ../shared \\
        --out tests/fixtures/identity/dev_articles.txt
    python scripts/select_identity_sample.py --shared ../shared --out ids.txt \\
        --window 2020-11-01 2021-01-01 --seed 162 \\
        --exclude tests/fixtures/identity/dev_articles.txt data/annotations/selection.jsonl
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from pipeline.annotations.corpus import read_id_file
from pipeline.errors import AnnotationError

SEED = 16
SIZE = 120
WINDOW = ("2021-03-01", "2021-05-01")  # published in [start, end), UTC dates
MIN_CHARS, MAX_CHARS = 300, 3000
MIN_OUTLET = 20
TRADITIONAL = ("cna.com.tw", "rti.org.tw")
MIN_TRADITIONAL = 15


def read_ids(path: Path) -> set[str]:
    """The article ids of a file: one id a line, or one JSON object with an "id" a line."""
    try:
        return read_id_file(path)
    except AnnotationError as e:
        raise SystemExit(str(e)) from e


def window_arg(value: str) -> str:
    """A window bound: an ISO date (YYYY-MM-DD)."""
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError as e:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {value!r}") from e


def candidates(
    shared: Path,
    window: tuple[str, str] = WINDOW,
    exclude: Iterable[str] = (),
) -> dict[str, list[tuple[str, int]]]:
    """(id, characters) of the eligible articles, per outlet host.

    Eligible: published in ``[window[0], window[1])`` (UTC dates), MIN_CHARS to MAX_CHARS
    long, neither in news_gold nor in ``exclude``.
    """
    root = shared / "corpora"
    excluded = read_id_file(root / "news_gold" / "gold.jsonl") | set(exclude)
    out: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for path in sorted((root / "news_unlabeled").glob("news-*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for line in f:
                item = json.loads(line)
                day = item["published"][:10]
                size = len(item["text"])
                if (
                    window[0] <= day < window[1]
                    and MIN_CHARS <= size <= MAX_CHARS
                    and item["id"] not in excluded
                ):
                    out[item["outlet"]].append((item["id"], size))
    return out


def allocate(pool: dict[str, list[tuple[str, int]]]) -> dict[str, int]:
    """Articles per outlet: proportional to characters, largest remainder."""
    outlets = sorted(o for o, items in pool.items() if len(items) >= MIN_OUTLET)
    chars = {o: sum(n for _, n in pool[o]) for o in outlets}
    total = sum(chars.values())
    share = {o: SIZE * chars[o] / total for o in outlets}
    counts = {o: max(1, int(share[o])) for o in outlets}
    for o in sorted(outlets, key=lambda o: -(share[o] - int(share[o]))):
        if sum(counts.values()) >= SIZE:
            break
        counts[o] += 1
    trad = [o for o in outlets if o.endswith(TRADITIONAL)]
    while trad and sum(counts[o] for o in trad) < MIN_TRADITIONAL:
        counts[min(trad, key=lambda o: counts[o])] += 1
        donor = max((o for o in outlets if o not in trad), key=lambda o: counts[o])
        counts[donor] -= 1
    return counts


def select(pool: dict[str, list[tuple[str, int]]], seed: int = SEED) -> list[str]:
    """The selected ids, sorted."""
    rng = random.Random(seed)
    chosen: list[str] = []
    for outlet, n in sorted(allocate(pool).items()):
        ids = sorted(i for i, _ in pool[outlet])
        chosen += rng.sample(ids, min(n, len(ids)))
    return sorted(chosen)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared"
    )
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument(
        "--window",
        nargs=2,
        type=window_arg,
        default=WINDOW,
        metavar=("START", "END"),
        help=f"Publication dates [START, END), UTC (default {WINDOW[0]} {WINDOW[1]}).",
    )
    parser.add_argument("--seed", type=int, default=SEED, help=f"Random seed (default {SEED}).")
    parser.add_argument(
        "--exclude",
        type=Path,
        nargs="+",
        default=[],
        metavar="FILE",
        help="Files of ids to leave out (one a line, or JSONL objects with an id).",
    )
    args = parser.parse_args()
    start, end = args.window
    if start >= end:
        parser.error(f"--window: START {start} is not before END {end}")
    excluded: set[str] = set()
    for path in args.exclude:
        if not path.is_file():
            parser.error(f"--exclude: no such file {path}")
        excluded |= read_ids(path)
    pool = candidates(args.shared, (start, end), excluded)
    if not pool:
        raise SystemExit(f"no eligible article published in {start}..{end}")
    for outlet, n in sorted(allocate(pool).items()):
        print(f"{outlet}\t{n} of {len(pool[outlet])}")
    ids = select(pool, args.seed)
    args.out.write_text("\n".join(ids) + "\n", encoding="utf-8")
    print(f"{len(ids)} articles → {args.out}")


if __name__ == "__main__":
    main()
