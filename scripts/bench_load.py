"""Load time of the extractor: ``Extractor.load()`` + the first call, in CPU seconds.

Each repeat is a fresh process pinned to one core that imports the runner, loads
the bundled pipeline and extracts one short text (the first call loads jieba's
dictionary). Reported per part (imports, ``Extractor.load()``, first call) and in
total, with the per-user cache (``pipeline.cache``) warm and cold (an empty cache
directory: the first process of a machine, which also writes the cache). CPU time,
because the machine is shared; the median of the repeats is printed.

    python scripts/bench_load.py [--repeats 5]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

CHILD = """
import json, os, time
os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
cpu, wall = time.process_time, time.perf_counter
w0 = wall(); p0 = cpu()
from pipeline.runner import Extractor
p1 = cpu()
ex = Extractor.load()
p2 = cpu()
ex.extract("美国国防部长奥斯汀周四在华盛顿表示。")
p3 = cpu()
print(json.dumps({"imports": p1 - p0, "load": p2 - p1, "first call": p3 - p2,
                  "total": p3 - p0, "wall": wall() - w0}))
"""


def run(cache: str | None) -> dict[str, float]:
    env = dict(os.environ)
    if cache is not None:
        env["ZH_NEWS_NER_CACHE"] = cache
    out = subprocess.run(
        [sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, check=True
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    rows: dict[str, list[dict[str, float]]] = {"warm cache": [], "cold cache": []}
    run(None)  # the user's cache warm for the rows below
    for _ in range(args.repeats):
        rows["warm cache"].append(run(None))
        with tempfile.TemporaryDirectory() as tmp:
            rows["cold cache"].append(run(tmp))
    parts = ["imports", "load", "first call", "total", "wall"]
    print(
        "| cache | " + " | ".join(f"{p} (CPU s)" if p != "wall" else "wall s" for p in parts) + " |"
    )
    print("| --- |" + " ---: |" * len(parts))
    for name, runs in rows.items():
        cells = [f"{statistics.median(r[p] for r in runs):.2f}" for p in parts]
        print(f"| {name} | " + " | ".join(cells) + " |")
    totals = sorted(r["total"] for r in rows["warm cache"])
    print(f"\nwarm total, all {len(totals)} runs: " + ", ".join(f"{t:.2f}" for t in totals))


if __name__ == "__main__":
    main()
