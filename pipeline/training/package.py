"""Wrap a saved tagger directory into the bundled spaCy pipeline directory.

python -m pipeline.training.package --tagger models/zh_news_ner.ckpt --out models/zh_news_ner
"""

# ruff: noqa: T201  (command-line tool: prints progress and results)

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from pipeline.model.tagger import CharTagger


def package(tagger: CharTagger, out: Path, meta: dict[str, Any] | None = None) -> None:
    """Write ``out`` with the jieba tokenizer, the NER component and the dates component."""
    from pipeline.stages.ner import build_pipeline

    nlp = build_pipeline(tagger, meta=meta or {})
    nlp.to_disk(out)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tagger", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--meta", type=Path, help="json file with nlp.meta fields")
    args = ap.parse_args(argv)
    tagger = CharTagger.from_disk(args.tagger)
    if args.meta:
        meta = json.loads(args.meta.read_text())
    else:
        from pipeline.training.train import pipeline_meta

        perf = tagger.config.get("performance", {})
        meta = pipeline_meta(
            tagger.config.get("settings", {}), perf.get("dev"), perf.get("dev_s2tw")
        )
    package(tagger, args.out, meta)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
