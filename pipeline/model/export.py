"""Export the tagger's recurrent core and CRF decoder as an ONNX graph (``tagger.onnx``).

The graph takes the per-character input vectors (embeddings concatenated, as the
model was trained: character, class, soft word, bigram, lexicon projection and, in a
SoftLexicon model, the B/M/E averages of the pre-projected word vectors), runs
the BiLSTM with ONNX's ``LSTM`` op, projects to emission scores and decodes them
with a Viterbi pass written as two ``Scan`` loops (forward max-product with back
pointers, then the backtrack), so one ``run`` call returns emissions and tag paths
with no per-time-step Python work. Embedding tables stay in ``weights.npz``: the
lookups are cheap numpy gathers, and the graph file stays small.

Written by ``CharTagger.to_disk`` (so ``make train`` exports it) when the ``onnx``
package is importable, or by hand::

    python -m pipeline.model.write_graph models/zh_news_ner/zh_news_ner

Loading needs only ``onnxruntime``; ``onnx`` is a training/dev dependency.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from pipeline.model.runtime import DISALLOWED, GRAPH, OPSET, weights_digest

if TYPE_CHECKING:
    from pipeline.model.tagger import CharTagger


def _onnx_gates(w: np.ndarray, hidden: int) -> np.ndarray:
    """torch's gate blocks (i, f, g, o) reordered to ONNX's (i, o, f, c)."""
    h = hidden
    return np.concatenate([w[0:h], w[3 * h : 4 * h], w[h : 2 * h], w[2 * h : 3 * h]])


def build_graph(tagger: CharTagger) -> bytes:
    """The serialized ONNX model of ``tagger``'s BiLSTM, output layer and Viterbi decoder."""
    import onnx
    from onnx import TensorProto
    from onnx import helper as oh
    from onnx import numpy_helper as nh

    p = tagger.params
    hidden = int(p["w_hh_f"].shape[1])
    dim = int(p["w_ih_f"].shape[1])
    k = len(tagger.tags)
    f32 = np.float32
    w = np.stack([_onnx_gates(p["w_ih_f"], hidden), _onnx_gates(p["w_ih_b"], hidden)])
    r = np.stack([_onnx_gates(p["w_hh_f"], hidden), _onnx_gates(p["w_hh_b"], hidden)])
    # ONNX splits the bias into Wb and Rb; the trained model has one (b_ih + b_hh) per direction.
    wb = np.stack([_onnx_gates(p["b_f"], hidden), _onnx_gates(p["b_b"], hidden)])
    b = np.concatenate([wb, np.zeros_like(wb)], axis=1)
    inits = [
        nh.from_array(w.astype(f32), "W"),
        nh.from_array(r.astype(f32), "R"),
        nh.from_array(b.astype(f32), "B"),
        nh.from_array(np.ascontiguousarray(p["out_w"].T).astype(f32), "out_wT"),
        nh.from_array(np.asarray(p["out_b"], dtype=f32), "out_b"),
        nh.from_array(np.array([0, 0, 2 * hidden], dtype=np.int64), "bt_shape"),
        # the decoder uses the constrained scores (impossible BIOES moves at -1e4)
        nh.from_array(tagger.trans.astype(f32), "trans"),
        nh.from_array(tagger.start.astype(f32), "start"),
        nh.from_array(tagger.end.astype(f32), "end"),
        nh.from_array(np.array(tagger_disallowed(), dtype=f32), "disallowed"),
        nh.from_array(np.arange(k, dtype=np.int64)[None, :], "ident"),
        nh.from_array(np.array(0, dtype=np.int64), "zero"),
        nh.from_array(np.array([0], dtype=np.int64), "zero1"),
        nh.from_array(np.array([1], dtype=np.int64), "one1"),
        nh.from_array(np.array([2], dtype=np.int64), "two1"),
        nh.from_array(np.array([np.iinfo(np.int64).max], dtype=np.int64), "end1"),
    ]
    # one Viterbi step over all sequences of the batch; finished sequences keep their score
    step = oh.make_graph(
        [
            oh.make_node("Unsqueeze", ["score_in", "two1"], ["score3"]),
            oh.make_node("Add", ["score3", "trans"], ["cand"]),
            oh.make_node("ReduceMax", ["cand"], ["best_score"], axes=[1], keepdims=0),
            oh.make_node("ArgMax", ["cand"], ["best_prev"], axis=1, keepdims=0),
            oh.make_node("Add", ["best_score", "em_t"], ["new_score"]),
            oh.make_node("Where", ["alive_t", "new_score", "score_in"], ["score_out"]),
            oh.make_node("Where", ["alive_t", "best_prev", "ident"], ["back_t"]),
        ],
        "viterbi_step",
        [
            oh.make_tensor_value_info("score_in", TensorProto.FLOAT, ["N", k]),
            oh.make_tensor_value_info("em_t", TensorProto.FLOAT, ["N", k]),
            oh.make_tensor_value_info("alive_t", TensorProto.BOOL, ["N", 1]),
        ],
        [
            oh.make_tensor_value_info("score_out", TensorProto.FLOAT, ["N", k]),
            oh.make_tensor_value_info("back_t", TensorProto.INT64, ["N", k]),
        ],
    )
    backtrack = oh.make_graph(
        [
            oh.make_node("GatherElements", ["back_t", "cur_in"], ["cur_out"], axis=1),
            oh.make_node("Identity", ["cur_out"], ["path_t"]),
        ],
        "viterbi_backtrack",
        [
            oh.make_tensor_value_info("cur_in", TensorProto.INT64, ["N", 1]),
            oh.make_tensor_value_info("back_t", TensorProto.INT64, ["N", k]),
        ],
        [
            oh.make_tensor_value_info("cur_out", TensorProto.INT64, ["N", 1]),
            oh.make_tensor_value_info("path_t", TensorProto.INT64, ["N", 1]),
        ],
    )
    nodes = [
        oh.make_node(
            "LSTM",
            ["x", "W", "R", "B", "seq_lens"],
            ["y"],
            direction="bidirectional",
            hidden_size=hidden,
        ),
        oh.make_node("Transpose", ["y"], ["y_tb"], perm=[0, 2, 1, 3]),  # (T, N, 2, H)
        oh.make_node("Reshape", ["y_tb", "bt_shape"], ["y_cat"]),  # (T, N, 2H)
        oh.make_node("MatMul", ["y_cat", "out_wT"], ["em_raw"]),
        oh.make_node("Add", ["em_raw", "out_b"], ["em"]),
        oh.make_node("Where", ["allowed", "em", "disallowed"], ["em_masked"]),
        oh.make_node("Gather", ["em_masked", "zero"], ["em0"], axis=0),
        oh.make_node("Add", ["em0", "start"], ["score0"]),
        oh.make_node("Slice", ["em_masked", "one1", "end1", "zero1"], ["em_rest"]),
        oh.make_node("Slice", ["alive", "one1", "end1", "zero1"], ["alive_rest"]),
        oh.make_node(
            "Scan",
            ["score0", "em_rest", "alive_rest"],
            ["score_last", "back"],
            num_scan_inputs=2,
            body=step,
        ),
        oh.make_node("Add", ["score_last", "end"], ["final"]),
        oh.make_node("ArgMax", ["final"], ["tag_last"], axis=1, keepdims=1),
        oh.make_node(
            "Scan",
            ["tag_last", "back"],
            ["tag_first", "path_head"],
            num_scan_inputs=1,
            body=backtrack,
            scan_input_directions=[1],
            scan_output_directions=[1],
        ),
        oh.make_node("Unsqueeze", ["tag_last", "zero1"], ["tag_last3"]),
        oh.make_node("Concat", ["path_head", "tag_last3"], ["path3"], axis=0),
        oh.make_node("Squeeze", ["path3", "two1"], ["path"]),
    ]
    graph = oh.make_graph(
        nodes,
        "zh_news_ner",
        [
            oh.make_tensor_value_info("x", TensorProto.FLOAT, ["T", "N", dim]),
            oh.make_tensor_value_info("seq_lens", TensorProto.INT32, ["N"]),
            oh.make_tensor_value_info("alive", TensorProto.BOOL, ["T", "N", 1]),
            oh.make_tensor_value_info("allowed", TensorProto.BOOL, ["T", "N", k]),
        ],
        [
            oh.make_tensor_value_info("em", TensorProto.FLOAT, ["T", "N", k]),
            oh.make_tensor_value_info("path", TensorProto.INT64, ["T", "N"]),
        ],
        initializer=inits,
    )
    model = oh.make_model(
        graph,
        opset_imports=[oh.make_opsetid("", OPSET)],
        producer_name="zh-news-entities",
    )
    model.ir_version = 8  # readable by every onnxruntime since 1.10
    oh.set_model_props(model, {"weights_digest": weights_digest(p), "tags": ",".join(tagger.tags)})
    onnx.checker.check_model(model)
    return bytes(model.SerializeToString())


def tagger_disallowed() -> float:
    """The score of a masked tag (the decoder's DISALLOWED constant)."""
    return float(DISALLOWED)


def export(tagger: CharTagger, path: Path) -> Path:
    """Write ``tagger.onnx`` into the model directory ``path``; return its path."""
    out = Path(path) / GRAPH
    out.write_bytes(build_graph(tagger))
    return out
