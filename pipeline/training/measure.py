"""Measure a saved model: dev P/R/F1 (Simplified and s2tw), chars/s on one core, load, RSS, size.

    OPENBLAS_NUM_THREADS=1 taskset -c 0 python -m pipeline.training.measure models/zh_news_ner

Run it with one BLAS thread (and pinned to one core) for the one-core figures.
"""

# ruff: noqa: T201  (command-line tool: prints progress and results)

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pipeline.stages.names import NER

_CHILD = """
import json, sys, time
t0 = time.perf_counter()
from pipeline.model.tagger import CharTagger
tagger = CharTagger.from_disk(sys.argv[1])
load = time.perf_counter() - t0
texts, words = json.load(open(sys.argv[2], encoding="utf-8"))
n = sum(map(len, texts))
best = 0.0
for _ in range(3):
    t = time.perf_counter()
    for k in range(0, len(texts), 16):
        tagger.predict(texts[k : k + 16], words[k : k + 16])
    best = max(best, n / (time.perf_counter() - t))
# VmHWM: peak RSS of this process image (ru_maxrss would include the parent's at fork)
rss = next(int(x.split()[1]) for x in open("/proc/self/status") if x.startswith("VmHWM"))
print(json.dumps({"load_seconds_incl_import": round(load, 2), "chars_per_s": round(best),
                  "peak_rss_mb": round(rss / 1024)}))
"""


def main(argv: list[str] | None = None) -> None:
    args = argv if argv is not None else sys.argv[1:]
    model_dir = Path(args[0] if args else "models/zh_news_ner")
    ner_dir = model_dir / NER if (model_dir / NER).is_dir() else model_dir
    import numpy  # noqa: F401

    from pipeline.model.tagger import CharTagger

    t0 = time.perf_counter()
    tagger = CharTagger.from_disk(ner_dir)
    load_s = time.perf_counter() - t0
    from pipeline.training import data as D
    from pipeline.training.train import evaluate, to_traditional

    _, dev_s = D.msra_split()
    dev_items = D.with_words(dev_s, "dev")
    dev = evaluate(tagger, dev_items)
    tw = evaluate(tagger, D.with_words(to_traditional(dev_s), "dev_s2tw"))
    # speed on article-sized texts: dev sentences joined 40 at a time
    texts, words = [], []
    for i in range(0, len(dev_items), 40):
        off, ws, parts = 0, [], []
        for s, w in dev_items[i : i + 40]:
            ws += [(a + off, b + off) for a, b in w]
            off += len(s.text)
            parts.append(s.text)
        texts.append("".join(parts))
        words.append(ws)
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as f:
        json.dump([texts, words], f, ensure_ascii=False)
    child = subprocess.run(
        [sys.executable, "-c", _CHILD, str(ner_dir), f.name],
        capture_output=True,
        text=True,
        check=True,
    )
    os.unlink(f.name)
    run = json.loads(child.stdout.strip().splitlines()[-1])
    size = subprocess.run(["du", "-sb", str(model_dir)], capture_output=True, text=True).stdout
    out = {
        "dev": dev,
        "dev_s2tw": tw,
        "predict_chars_per_s": run["chars_per_s"],
        "load_seconds": round(load_s, 2),
        "load_seconds_fresh_process_incl_imports": run["load_seconds_incl_import"],
        "peak_rss_mb_fresh_process": run["peak_rss_mb"],
        "size_bytes": int(size.split()[0]) if size else None,
        "blas_threads": os.environ.get("OPENBLAS_NUM_THREADS"),
    }
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
