"""Select the articles of the blind identity gold from ../shared/corpora/news_unlabeled.

Reproducible (seeded): articles published in WINDOW (two months, so that stories and
people recur across articles as in an archive), 300 to 3,000 characters long, not in
news_gold (the blind dev set), drawn per outlet host in proportion to the outlet's
characters in the window (largest remainder, at least one article per outlet with
20 or more candidates, and at least MIN_TRADITIONAL articles from the Traditional
outlets cna.com.tw and rti.org.tw). Writes the ids, one a line, sorted.

    python scripts/select_identity_sample.py --shared ../shared \\
        --out tests/fixtures/identity/blind_articles.txt
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
from collections import defaultdict
from pathlib import Path

SEED = 16
SIZE = 120
WINDOW = ("2021-03-01", "2021-05-01")  # published in [start, end), UTC dates
MIN_CHARS, MAX_CHARS = 300, 3000
MIN_OUTLET = 20
TRADITIONAL = ("cna.com.tw", "rti.org.tw")
MIN_TRADITIONAL = 15


def candidates(shared: Path) -> dict[str, list[tuple[str, int]]]:
    """(id, characters) of the eligible articles, per outlet host."""
    root = shared / "corpora"
    excluded = {
        json.loads(line)["id"]
        for line in (root / "news_gold" / "gold.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    }
    out: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for path in sorted((root / "news_unlabeled").glob("news-*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for line in f:
                item = json.loads(line)
                day = item["published"][:10]
                size = len(item["text"])
                if (
                    WINDOW[0] <= day < WINDOW[1]
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


def select(pool: dict[str, list[tuple[str, int]]]) -> list[str]:
    """The selected ids, sorted."""
    rng = random.Random(SEED)
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
    args = parser.parse_args()
    pool = candidates(args.shared)
    for outlet, n in sorted(allocate(pool).items()):
        print(f"{outlet}\t{n} of {len(pool[outlet])}")
    ids = select(pool)
    args.out.write_text("\n".join(ids) + "\n", encoding="utf-8")
    print(f"{len(ids)} articles → {args.out}")


if __name__ == "__main__":
    main()
