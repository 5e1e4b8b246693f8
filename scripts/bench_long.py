"""`make bench` rows for long texts: cost per character must not grow with the text.

Two tables, each length in its own subprocess pinned to one core (so peak RSS is
that run's own):

- real news text: the first 10 k, 100 k and 1 M characters of the article texts of
  ../shared/corpora/news_unlabeled (news-00, in file order, joined by newlines);
  ``extract()`` is called on the text until about 1 M characters went through
  (100 calls at 10 k, 10 at 100 k, 1 at 1 M), so each length is timed over a
  similar stretch of a shared machine; chars/s over all calls, relative to the
  fastest length, and peak RSS (target: within 20 % of each other; at most 500 MB
  for 1 M);
- runs the dictionary cannot split (年, 的, 王, 上上 repeated, as tables, OCR junk
  and spam hold): 20 k and 100 k characters, the best of three ``extract()`` calls
  each (these runs take seconds, so one call is at the mercy of other processes),
  and the 100 k / 20 k rate ratio (target: at least 0.7).

Prints markdown; with --card writes both tables into the model card between
``<!-- bench-long:start -->`` and ``<!-- bench-long:end -->``. The text is read
from ../shared at run time and never stored.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CARD = ROOT / "models" / "zh_news_ner" / "README.md"
REAL_LENGTHS = (10_000, 100_000, 1_000_000)
RUN_LENGTHS = (20_000, 100_000)
RUN_UNITS = ("年", "的", "王", "上上")


def real_text(shared: Path, n: int) -> str:
    """The first ``n`` characters of news-00's article texts, joined by newlines."""
    parts: list[str] = []
    total = 0
    with gzip.open(shared / "corpora/news_unlabeled/news-00.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            text = json.loads(line)["text"]
            parts.append(text)
            total += len(text) + 1
            if total >= n:
                break
    return "\n".join(parts)[:n]


def child(kind: str, n: int, shared: Path) -> dict[str, float]:
    """One extract() on one text in this process: seconds, chars/s, peak RSS."""
    import resource

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    text = real_text(shared, n) if kind == "real" else (kind * n)[:n]
    from pipeline.runner import Extractor

    ex = Extractor.load()
    ex.extract("预热：美国国务卿布林肯星期四说。")
    if kind == "real":  # the same total work at every length: the mean rate
        calls = max(1, 1_000_000 // n)
        t0 = time.perf_counter()
        for _ in range(calls):
            record = ex.extract(text)
        secs = (time.perf_counter() - t0) / calls
    else:  # short runs: the best of three
        secs = float("inf")
        for _ in range(3):
            t0 = time.perf_counter()
            record = ex.extract(text)
            secs = min(secs, time.perf_counter() - t0)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "chars": len(text),
        "seconds": secs,
        "chars_per_s": len(text) / secs,
        "rss_mb": rss,
        "mentions": len(record.mentions),
    }


def run_child(kind: str, n: int, shared: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--shared", str(shared), "--child", kind, str(n)],
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        raise SystemExit(f"{kind} × {n} failed:\n{out.stderr[-3000:]}")
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "CHARS"))
    parser.add_argument("--card", action="store_true", help="write the tables into the card")
    parser.add_argument("--skip-runs", action="store_true", help="real text only")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child[0], int(args.child[1]), args.shared)))
        return
    lines = []
    if (args.shared / "corpora/news_unlabeled").is_dir():
        real = {n: run_child("real", n, args.shared) for n in REAL_LENGTHS}
        best = max(r["chars_per_s"] for r in real.values())
        lines += [
            "| real news text | chars | seconds per call | chars/s (1 core) | × fastest | peak RSS MB |",
            "| --- | ---: | ---: | ---: | ---: | ---: |",
        ]
        for n, r in real.items():
            lines.append(
                f"| news_unlabeled, first {n:,} | {r['chars']:,.0f} | {r['seconds']:.2f} "
                f"| {r['chars_per_s']:,.0f} | {r['chars_per_s'] / best:.2f} | {r['rss_mb']:.0f} |"
            )
        lines.append("")
    else:
        print(f"{args.shared}/corpora/news_unlabeled is absent: real-text rows skipped")
    if not args.skip_runs:
        lines += [
            "| run of | chars/s at 20 k | chars/s at 100 k | 100 k / 20 k | peak RSS MB (100 k) |",
            "| --- | ---: | ---: | ---: | ---: |",
        ]
        for unit in RUN_UNITS:
            a, b = (run_child(unit, n, args.shared) for n in RUN_LENGTHS)
            lines.append(
                f"| {unit} | {a['chars_per_s']:,.0f} | {b['chars_per_s']:,.0f} "
                f"| {b['chars_per_s'] / a['chars_per_s']:.2f} | {b['rss_mb']:.0f} |"
            )
    table = "\n".join(lines)
    print(table)
    if args.card and CARD.is_file():
        stamp = time.strftime("%Y-%m-%d")
        from pipeline.evaluation.marked import write_marked

        body = (
            f"Measured {stamp} by `make bench` "
            "(scripts/bench_long.py; real text: calls until about 1 M characters per length, "
            f"mean rate; runs: best of three calls):\n\n{table}"
        )
        write_marked(CARD, "bench-long", body, heading="Speed on long texts (make bench)")


if __name__ == "__main__":
    main()
