"""``python -m pipeline.model.write_graph MODEL_DIR``: (re)write MODEL_DIR/tagger.onnx.

The command line of :mod:`pipeline.model.export`, apart from it: the exporter is
used by ``CharTagger.to_disk``, and this command loads a ``CharTagger``, so keeping
them in two modules keeps the imports one-way.
"""

from __future__ import annotations

import sys
from pathlib import Path

from pipeline.model.export import export
from pipeline.model.tagger import CharTagger


def main(argv: list[str] | None = None) -> None:
    """Load the tagger of MODEL_DIR (numpy path) and write its compiled graph there."""
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0] if args else "models/zh_news_ner/zh_news_ner")
    tagger = CharTagger.from_disk(path, backend="numpy")
    sys.stdout.write(f"{export(tagger, path)}\n")


if __name__ == "__main__":
    main()
