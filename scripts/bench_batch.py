"""Batch throughput: 1 vs 2 workers on N articles built from ../shared/examples/archive/raw.

Prints a markdown table (articles/s, chars/s, peak RSS per worker). Each
configuration runs as its own ``python -m pipeline run`` process with
``--log-json``; figures come from its structured log. The articles are copies of
the archive sample under new names in a temp dir (never in the repository).

    .venv/bin/python scripts/bench_batch.py --shared ../shared [--n 1000] [--workers 1,2]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def build_corpus(raw: Path, target: Path, n: int) -> int:
    """Copy the sample articles, cycling with new names, until there are ``n``."""
    sources = sorted(raw.glob("*.txt"))
    if not sources:
        raise SystemExit(f"no articles in {raw}")
    target.mkdir(parents=True)
    size = 0
    for i in range(n):
        src = sources[i % len(sources)]
        dst = target / f"{i // 100:03d}" / f"a{i:05d}_{src.name}"
        dst.parent.mkdir(exist_ok=True)
        shutil.copyfile(src, dst)
        size += src.stat().st_size
    return size


def run_once(
    corpus: Path, work: Path, workers: int, model: str | None, chunk: int
) -> dict[str, float]:
    """One run in its own process; figures from its JSON log."""
    out, log = work / f"records-{workers}.jsonl", work / f"log-{workers}.jsonl"
    cmd = [sys.executable, "-m", "pipeline", "run", str(corpus), "--out", str(out)]
    cmd += ["--errors", str(work / f"errors-{workers}.jsonl"), "--workers", str(workers)]
    cmd += ["--chunk-size", str(chunk), "--log-json", str(log), "--quiet", "--overwrite"]
    if model:
        cmd += ["--model", model]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"run failed ({proc.returncode}): {proc.stderr[-2000:]}")
    events = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    end = next(e for e in events if e["event"] == "run_end")
    chunks = [e for e in events if e["event"] == "chunk"]
    rss: dict[int, int] = {}
    for c in chunks:
        rss[c["worker_pid"]] = max(rss.get(c["worker_pid"], 0), c["peak_rss"])
    # Steady state: from the first commit on (excludes model loading and worker start-up).
    times = [dt.datetime.fromisoformat(c["time"]) for c in chunks]
    steady_files = sum(c["files"] for c in chunks[1:])
    steady_s = (times[-1] - times[0]).total_seconds() if len(times) > 1 else 0.0
    return {
        "files": end["files"],
        "seconds": end["seconds"],
        "articles_s": end["files"] / end["seconds"],
        "chars_s": end["chars"] / end["seconds"],
        "steady_s": steady_files / steady_s if steady_s > 0 else 0.0,
        "rss_mb": max(rss.values()) / 2**20 if rss else 0.0,
        "processes": len(rss),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--n", type=int, default=1000, help="articles (default 1000)")
    ap.add_argument("--workers", default="1,2", help="comma-separated worker counts")
    ap.add_argument("--model", default=None, help="model name or path (default: bundled)")
    ap.add_argument("--chunk-size", type=int, default=32)
    args = ap.parse_args()
    raw = args.shared / "examples" / "archive" / "raw"
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        corpus = Path(tmp) / "articles"
        size = build_corpus(raw, corpus, args.n)
        rows = []
        for workers in (int(w) for w in args.workers.split(",")):
            rows.append(
                (workers, run_once(corpus, Path(tmp), workers, args.model, args.chunk_size))
            )
        outputs = {(Path(tmp) / f"records-{w}.jsonl").read_bytes() for w, _ in rows}
    base = rows[0][1]["articles_s"]
    base_steady = rows[0][1]["steady_s"]
    print(
        f"Batch throughput: {args.n} articles ({size / 2**20:.1f} MB) from {raw.name}/, "
        f"chunk size {args.chunk_size}; outputs identical: {'yes' if len(outputs) == 1 else 'NO'}\n"
    )
    print(
        "| workers | seconds | articles/s | chars/s | speed-up | steady articles/s | steady speed-up | peak RSS per worker |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for workers, r in rows:
        print(
            f"| {workers} | {r['seconds']:.1f} | {r['articles_s']:.1f} | {r['chars_s']:,.0f} "
            f"| {r['articles_s'] / base:.2f}× | {r['steady_s']:.1f} "
            f"| {r['steady_s'] / base_steady if base_steady else 0:.2f}× | {r['rss_mb']:.0f} MB |"
        )
    print(
        "\nseconds and articles/s include model loading and worker start-up; "
        "steady = from the first committed chunk on."
    )


if __name__ == "__main__":
    main()
