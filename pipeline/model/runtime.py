"""The compiled runtime of the tagger: its ONNX graph run by onnxruntime on the CPU.

``tagger.onnx`` (written by :mod:`pipeline.model.export`) holds the BiLSTM, the
output layer and the Viterbi decoder; this module loads it into an
``InferenceSession`` with one intra-op and one inter-op thread and no spinning, so
a process runs the model on exactly one core and batch workers never oversubscribe
the machine. The graph records a digest of the weights it was exported from; a
graph that does not match ``weights.npz`` is refused (the caller falls back to the
numpy reference path).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from pipeline.errors import StaleGraphError

#: Score of a disallowed transition or of a tag masked out at a position (the numpy
#: decoder and the exported graph share it).
DISALLOWED = -1e4

GRAPH = "tagger.onnx"
OPSET = 17
#: The arrays the graph is built from, in digest order.
GRAPH_PARAMS = (
    "w_ih_f",
    "w_hh_f",
    "b_f",
    "w_ih_b",
    "w_hh_b",
    "b_b",
    "out_w",
    "out_b",
    "trans",
    "start",
    "end",
)


def weights_digest(params: Mapping[str, npt.NDArray[Any]]) -> str:
    """SHA-256 over the graph's source arrays (as float32), so a stale graph is detected."""
    h = hashlib.sha256()
    for name in GRAPH_PARAMS:
        a = np.ascontiguousarray(params[name], dtype=np.float32)
        h.update(name.encode())
        h.update(str(a.shape).encode())
        h.update(a.tobytes())
    return h.hexdigest()


class OnnxRuntime:
    """An onnxruntime session over ``tagger.onnx``: (x, lengths, mask) → (emissions, paths)."""

    def __init__(self, path: Path, params: Mapping[str, npt.NDArray[Any]], tags: list[str]) -> None:
        import onnxruntime as ort

        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 1
        opts.inter_op_num_threads = 1
        opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        opts.add_session_config_entry("session.inter_op.allow_spinning", "0")
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        # no memory arena: it keeps the largest batch's buffers (a larger peak RSS)
        opts.enable_cpu_mem_arena = False
        opts.log_severity_level = 3
        self.session = ort.InferenceSession(
            str(path), sess_options=opts, providers=["CPUExecutionProvider"]
        )
        meta = self.session.get_modelmeta().custom_metadata_map
        if meta.get("weights_digest") != weights_digest(params):
            raise StaleGraphError(f"{path} was exported from other weights than weights.npz")
        if meta.get("tags") != ",".join(tags):
            raise StaleGraphError(f"{path} has other tags than the model's config")
        self.n_tags = len(tags)

    def run(
        self,
        x: npt.NDArray[np.float32],
        lengths: npt.NDArray[np.int64],
        allowed: npt.NDArray[np.bool_] | None = None,
    ) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.int64]]:
        """Emissions (T, B, K) and best paths (T, B) for time-major inputs x (T, B, D).

        ``allowed`` is the decoder's optional tag mask, the same shape as the emissions.
        Sequences shorter than T are decoded to their own length (later steps keep the
        score and point back to themselves, like the numpy reference).
        """
        t_max, b, _ = x.shape
        if t_max == 1:  # Scan over zero steps is not allowed: decode one padded step
            x = np.concatenate([x, np.zeros_like(x)])
            if allowed is not None:
                allowed = np.concatenate([allowed, np.ones_like(allowed)])
        steps = x.shape[0]
        alive = (np.arange(steps)[:, None] < lengths[None, :])[:, :, None]
        if allowed is None:
            allowed = np.ones((steps, b, self.n_tags), dtype=bool)
        em, path = self.session.run(
            ["em", "path"],
            {
                "x": np.ascontiguousarray(x, dtype=np.float32),
                "seq_lens": lengths.astype(np.int32),
                "alive": alive,
                "allowed": np.ascontiguousarray(allowed, dtype=bool),
            },
        )
        return em[:t_max], path[:t_max].astype(np.int64, copy=False)
