"""The bundled NER model: a character BiLSTM-CRF.

Inputs per character are the character, its class, the bigram it starts, jieba's
word position ("soft word"), lexicon bits and, in models trained with them, SoftLexicon
vectors (the B/M/E averages of the dictionary words' vectors, stored pre-projected).
Two backends run the same weights:

- ``onnx`` (the default): numpy gathers the input vectors, and onnxruntime runs the
  BiLSTM, the output layer and the Viterbi decoder from ``tagger.onnx`` (see
  :mod:`pipeline.model.runtime`) in one call per batch, on one thread.
- ``numpy``: the reference implementation, used by the tests to check the compiled
  path. Embeddings of the character, class and soft word are folded into the LSTM
  input projection, so inference is table lookups, one small matmul for bigrams, the
  recurrent loop (both directions at once, over length-sorted batches) and a batched
  Viterbi decode.

Both are deterministic and CPU only. ``ZH_NEWS_NER_BACKEND`` (``auto``, ``onnx``,
``numpy``) overrides the choice for a whole process.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from pipeline.errors import PipelineConfigError, StaleGraphError
from pipeline.model.features import Featurizer, Lexicon, SoftLexicon, WordClasses
from pipeline.model.runtime import DISALLOWED as DISALLOWED
from pipeline.model.runtime import GRAPH, OnnxRuntime

logger = logging.getLogger(__name__)

FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
Span = tuple[int, int, str]
Backend = Literal["auto", "onnx", "numpy"]
BACKEND_ENV = "ZH_NEWS_NER_BACKEND"

WEIGHTS = "weights.npz"
CONFIG = "config.json"
MAX_CHUNK = 160
#: Characters per inference batch. The precomputed LSTM inputs take about 2 KB per
#: character (2 directions x 4 gates x 64 x 4 bytes), so 8,192 characters is 16 MB.
BATCH_CHARS = 8192
#: For processes that share the CPU's last-level cache with other workers: two
#: workers at 8,192 fill a 32 MB L3 between them, so batch workers use half the batch
#: (``make bench`` measures the effect; one process alone does better at 8,192).
SHARED_CACHE_BATCH_CHARS = 4096

#: Arrays of a SoftLexicon model: word keys (the lexicon's hashes), corpus counts and the
#: word vectors, already multiplied by the model's projection (float16).
SOFTLEX_PARAMS = ("sl_keys", "sl_counts", "sl_vecs")

_SENT_END = re.compile(r"[。！？!?；;\n]+[”’」』）)]*")


#: Relative costs of a batch, used to group length-sorted chunks: a fixed cost per
#: batch (one runtime call, its numpy set-up), a cost per time step (the recurrent
#: and Viterbi steps' own overhead) and a cost per cell of the padded (T x B) grid.
#: Rounded from profiles of the onnx path on MSRA sentences; only their ratios matter.
BATCH_COST, STEP_COST, CELL_COST = 100.0, 10.0, 4.0


def length_batches(lengths: Sequence[int], max_cells: int) -> list[tuple[int, int]]:
    """Cut ascending ``lengths`` into consecutive batches ``[i, j)`` of least total cost.

    A batch is padded to its longest (last) chunk, so mixing short and long chunks
    wastes cells, while many small batches pay the per-batch and per-step costs more
    often; a dynamic program over the sorted lengths finds the cheapest cut. No batch
    holds more than ``max_cells`` padded cells unless it is a single chunk.
    """
    n = len(lengths)
    if n <= 1:
        return [(0, n)] if n else []
    ln = np.asarray(lengths, dtype=np.float64)
    best = np.zeros(n + 1)
    prev = np.zeros(n + 1, dtype=np.int64)
    for j in range(1, n + 1):
        t = ln[j - 1]
        lo = max(0, j - max(1, int(max_cells // max(t, 1.0))))
        rows = j - np.arange(lo, j)
        cost = best[lo:j] + BATCH_COST + STEP_COST * t + CELL_COST * rows * t
        k = int(np.argmin(cost))
        best[j] = cost[k]
        prev[j] = lo + k
    cuts: list[tuple[int, int]] = []
    j = n
    while j > 0:
        cuts.append((int(prev[j]), j))
        j = int(prev[j])
    return cuts[::-1]


def bioes_tags(labels: Sequence[str]) -> list[str]:
    """Tag inventory: O then B/I/E/S for each label."""
    return ["O"] + [f"{p}-{lab}" for lab in labels for p in "BIES"]


def _chunks(text: str, words: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentence-like chunks of at most MAX_CHUNK chars, cut at word boundaries."""
    out: list[tuple[int, int]] = []
    ends = [m.end() for m in _SENT_END.finditer(text)]
    if not ends or ends[-1] != len(text):
        ends.append(len(text))
    word_ends: npt.NDArray[np.int64] | None = None
    start = 0
    for end in ends:
        while end - start > MAX_CHUNK:
            if word_ends is None:
                word_ends = np.array(sorted(e for _, e in words), dtype=np.int64)
            limit = start + MAX_CHUNK
            i = int(np.searchsorted(word_ends, limit, side="right")) - 1
            cut = int(word_ends[i]) if i >= 0 and word_ends[i] > start + MAX_CHUNK // 2 else limit
            out.append((start, cut))
            start = cut
        if end > start:
            out.append((start, end))
        start = end
    return [(a, b) for a, b in out if text[a:b].strip()]


class CharTagger:
    """Character-level NER tagger (BiLSTM-CRF; onnxruntime, or numpy as the reference)."""

    name: str
    version: str
    labels: tuple[str, ...]

    def __init__(
        self,
        params: dict[str, npt.NDArray[Any]],
        config: dict[str, Any],
    ) -> None:
        self.params = params
        self.config = config
        self.name = str(config.get("name", "zh_news_ner"))
        self.version = str(config.get("version", "0.0.0"))
        self.labels = tuple(config["labels"])
        self.tags = bioes_tags(self.labels)
        self._prefix = np.array(["OBIES".index(t[0]) for t in self.tags], dtype=np.int64)
        self._label_of = [t[2:] for t in self.tags]
        word_classes: WordClasses | None = None
        if "wc_keys" in params:
            word_classes = WordClasses(params["wc_keys"], params["wc_classes"])
        elif config.get("word_classes"):
            word_classes = WordClasses.default()
        lexicon = Lexicon(params["lex_keys"], params["lex_classes"]) if "lex_w" in params else None
        softlex: SoftLexicon | None = None
        if config.get("softlex"):  # optional: models before it have neither flag nor arrays
            if lexicon is None or not all(k in params for k in SOFTLEX_PARAMS):
                raise PipelineConfigError(
                    f"[E001] tagger config asks for SoftLexicon vectors, but the weights "
                    f"lack the lexicon or {', '.join(SOFTLEX_PARAMS)}"
                )
            softlex = SoftLexicon(
                params["sl_keys"], params["sl_counts"], params["sl_vecs"], lexicon
            )
        self.featurizer = Featurizer(
            config["chars"], params["bigram_keys"], word_classes, lexicon, softlex
        )
        self.batch_chars = BATCH_CHARS
        self.runtime: OnnxRuntime | None = None
        self._prepare()

    # ------------------------------------------------------------------ weights
    def _prepare(self) -> None:
        """Decoder constraints (BIOES) and the input tables of the compiled path."""
        p = self.params
        self.hidden = int(p["w_hh_f"].shape[1])
        self.n_softword = int(p["sw_emb"].shape[0])
        self.trans = np.asarray(p["trans"], dtype=np.float32)
        self.start = np.asarray(p["start"], dtype=np.float32)
        self.end = np.asarray(p["end"], dtype=np.float32)
        n_tags = len(self.tags)
        allowed = np.ones((n_tags, n_tags), dtype=bool)
        for i, a in enumerate(self.tags):
            for j, b in enumerate(self.tags):
                inside = a[:1] in "BI"
                if inside and not (b[:1] in "IE" and b[2:] == a[2:]):
                    allowed[i, j] = False
                if not inside and b[:1] in "IE":
                    allowed[i, j] = False
        self.trans = np.where(allowed, self.trans, DISALLOWED).astype(np.float32)
        begin_ok = np.array([t[:1] in "OBS" for t in self.tags])
        end_ok = np.array([t[:1] in "OES" for t in self.tags])
        self.start = np.where(begin_ok, self.start, DISALLOWED).astype(np.float32)
        self.end = np.where(end_ok, self.end, DISALLOWED).astype(np.float32)

        # Input vectors as the model was trained: [char | class | soft word | bigram | lexicon].
        # Class and soft word share one (classes x soft words, 8 + 16) table.
        self.char_emb = np.asarray(p["char_emb"])  # float16, cast when gathered
        cls_emb = np.asarray(p["class_emb"], dtype=np.float32)
        sw_emb = np.asarray(p["sw_emb"], dtype=np.float32)
        self.small_emb = np.concatenate(
            [np.repeat(cls_emb, len(sw_emb), axis=0), np.tile(sw_emb, (len(cls_emb), 1))], axis=1
        )
        self.bigram_emb = np.asarray(p["bigram_emb"])  # float16, cast per batch
        self.lex_wt = (
            np.ascontiguousarray(np.asarray(p["lex_w"], dtype=np.float32).T)
            if "lex_w" in p
            else None
        )
        self.lex_dim = 0 if self.lex_wt is None else int(self.lex_wt.shape[1])
        softlex = self.featurizer.softlex
        self.softlex_width = 0 if softlex is None else softlex.width
        self.input_dim = int(p["w_ih_f"].shape[1])
        parts = (
            self.char_emb.shape[1],
            self.small_emb.shape[1],
            self.bigram_emb.shape[1],
            self.lex_dim,
            self.softlex_width,
        )
        if sum(parts) != self.input_dim:
            raise PipelineConfigError(
                f"[E001] tagger input width {self.input_dim} is not the sum of its inputs "
                f"(character, class and soft word, bigram, lexicon, SoftLexicon: {parts})"
            )
        self._folded = False

    # ------------------------------------------------------------------ weights
    def _fold(self) -> None:
        """numpy path: fold embeddings into the input projection; pre-scale gates for tanh-sigmoids."""
        p = {
            k: np.asarray(v, dtype=np.float32)
            for k, v in self.params.items()
            if k
            not in (
                "bigram_keys",
                "wc_keys",
                "wc_classes",
                "bigram_emb",
                "lex_keys",
                "lex_classes",
                *SOFTLEX_PARAMS,
            )
        }
        dc = p["char_emb"].shape[1]
        dcls = p["class_emb"].shape[1]
        dsw = p["sw_emb"].shape[1]
        w_ih = np.concatenate([p["w_ih_f"], p["w_ih_b"]], axis=0)  # (8H, D)
        bias = np.concatenate([p["b_f"], p["b_b"]])  # (8H,)
        hidden = p["w_hh_f"].shape[1]
        # Gate rows: torch's (i, f, g, o) reordered to (i, f, o, g) so the three sigmoid
        # gates are contiguous; sigmoid(x) = 0.5 * tanh(x / 2) + 0.5 halves their rows.
        order = np.concatenate(
            [
                np.arange(0, 2 * hidden),
                np.arange(3 * hidden, 4 * hidden),
                np.arange(2 * hidden, 3 * hidden),
            ]
        )
        order2 = np.concatenate([order, order + 4 * hidden])
        w_ih = w_ih[order2]
        bias = bias[order2]
        w_hh_f = p["w_hh_f"][order]
        w_hh_b = p["w_hh_b"][order]
        scale = np.ones(4 * hidden, dtype=np.float32)
        scale[: 3 * hidden] = 0.5
        scale2 = np.concatenate([scale, scale])
        w_ih = w_ih * scale2[:, None]
        bias = bias * scale2
        four = 4 * hidden
        o = 0
        char_tab = p["char_emb"] @ w_ih[:, o : o + dc].T + bias
        o += dc
        class_tab = p["class_emb"] @ w_ih[:, o : o + dcls].T
        o += dcls
        sw_tab = p["sw_emb"] @ w_ih[:, o : o + dsw].T
        o += dsw
        self.n_softword = sw_tab.shape[0]
        small_tab = (class_tab[:, None, :] + sw_tab[None, :, :]).reshape(-1, 8 * hidden)
        db = self.params["bigram_emb"].shape[1]
        bigram_w = w_ih[:, o : o + db].T  # (db, 8H)
        o += db
        # lexicon bits: a (LEX_BITS, 8H) table, summed over the bits a character has
        self.lex_tab: list[FloatArray] | None = None
        if "lex_w" in p:
            lex_tab = (w_ih[:, o : o + p["lex_w"].shape[0]] @ p["lex_w"]).T
            self.lex_tab = [
                np.ascontiguousarray(lex_tab[:, :four]),
                np.ascontiguousarray(lex_tab[:, four:]),
            ]
            o += p["lex_w"].shape[0]
        # SoftLexicon vectors: one (width, 8H) matmul, like the bigram
        self.softlex_w: list[FloatArray] | None = None
        if self.softlex_width:
            sl_w = w_ih[:, o : o + self.softlex_width].T
            self.softlex_w = [
                np.ascontiguousarray(sl_w[:, :four]),
                np.ascontiguousarray(sl_w[:, four:]),
            ]
        self.char_tab = [
            np.ascontiguousarray(char_tab[:, :four]),
            np.ascontiguousarray(char_tab[:, four:]),
        ]
        self.small_tab = [
            np.ascontiguousarray(small_tab[:, :four]),
            np.ascontiguousarray(small_tab[:, four:]),
        ]
        self.bigram_w = [
            np.ascontiguousarray(bigram_w[:, :four]),
            np.ascontiguousarray(bigram_w[:, four:]),
        ]
        self.bigram_emb = np.asarray(self.params["bigram_emb"])  # float16, cast per batch
        self.w_hh = np.stack([(w_hh_f * scale[:, None]).T, (w_hh_b * scale[:, None]).T])
        self.hidden = hidden
        self.out_w = np.ascontiguousarray(p["out_w"].T)  # (2H, K)
        self.out_b = p["out_b"]
        self._folded = True

    # ------------------------------------------------------------------ io
    @classmethod
    def from_disk(cls, path: Path, backend: Backend | None = None) -> CharTagger:
        """Load ``weights.npz`` and ``config.json`` (and ``tagger.onnx``) from ``path``.

        ``backend``: ``onnx`` needs a ``tagger.onnx`` exported from these weights;
        ``auto`` (the default, or ``$ZH_NEWS_NER_BACKEND``) uses it when it is there and
        current, and otherwise warns and runs the numpy reference path.
        """
        path = Path(path)
        choice = backend or os.environ.get(BACKEND_ENV, "auto") or "auto"
        if choice not in ("auto", "onnx", "numpy"):
            raise PipelineConfigError(
                f"[E001] unknown tagger backend {choice!r} (auto, onnx or numpy)"
            )
        config = json.loads((path / CONFIG).read_text(encoding="utf-8"))
        with np.load(path / WEIGHTS) as data:
            params = {k: data[k] for k in data.files}
        tagger = cls(params, config)
        if choice != "numpy":
            try:
                tagger.runtime = OnnxRuntime(path / GRAPH, params, tagger.tags)
            except (StaleGraphError, OSError, ImportError) as exc:
                if choice == "onnx":
                    raise
                logger.warning(
                    "tagger: running the numpy path (%s); "
                    "`python -m pipeline.model.write_graph %s` writes the compiled graph",
                    exc,
                    path,
                )
            except Exception as exc:  # onnxruntime's own errors (missing or unreadable graph)
                if choice == "onnx":
                    raise
                logger.warning("tagger: running the numpy path (%s)", exc)
        return tagger

    @property
    def backend(self) -> str:
        """``onnx`` when the compiled runtime runs this tagger, else ``numpy``."""
        return "onnx" if self.runtime is not None else "numpy"

    def to_disk(self, path: Path) -> None:
        """Write ``weights.npz`` (uncompressed; float16 embeddings), ``config.json`` and ``tagger.onnx``.

        The graph is exported when the ``onnx`` package is importable (the training and
        dev environments); otherwise a graph left from other weights is removed.
        """
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        # uncompressed: float16 embeddings and hashed keys compress poorly, and reading
        # a stored array is then a copy instead of a decompression
        np.savez(path / WEIGHTS, **self.params)  # type: ignore[arg-type]
        (path / CONFIG).write_text(
            json.dumps(self.config, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        try:
            from pipeline.model.export import export
        except ImportError:  # pragma: no cover - export imports onnx lazily
            return
        try:
            export(self, path)
        except ImportError:
            logger.warning("onnx is not installed: %s/%s not written", path, GRAPH)
            (path / GRAPH).unlink(missing_ok=True)

    # ------------------------------------------------------------------ inference
    def _features(
        self, feats: Sequence[npt.NDArray[Any]]
    ) -> tuple[IntArray, IntArray, IntArray, IntArray, IntArray, FloatArray]:
        """Char ids, class ids, bigram ids, soft-word ids, lexicon bits, SoftLexicon vectors.

        A pad entry (zeros) is appended to each.
        """
        cids, cls, bids, sw, lex = (np.append(f, 0) for f in feats[:5])
        soft = np.concatenate([feats[5], np.zeros((1, feats[5].shape[1]), dtype=np.float32)])
        if not self.config.get("softword", True):
            sw = np.ones_like(sw)
        if not self.config.get("bigram", True):
            bids = np.ones_like(bids)
        return cids, cls, bids, sw, lex, soft

    def inputs(self, feats: Sequence[npt.NDArray[Any]], lengths: IntArray) -> FloatArray:
        """Time-major LSTM inputs (T, B, D) of a batch, from the flat features of its chunks.

        The vector of a character is the concatenation the model was trained on; padding
        positions are zeros.
        """
        n = int(lengths.sum())
        t_max = int(lengths.max())
        offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        t_idx = np.arange(t_max)[:, None]
        pos = np.where(t_idx < lengths[None, :], offsets[None, :] + t_idx, n)  # (T, B)
        cids, cls, bids, sw, lex, soft = self._features(feats)
        flat = np.empty((n + 1, self.input_dim), dtype=np.float32)
        dc = self.char_emb.shape[1]
        ds = dc + self.small_emb.shape[1]
        db = ds + self.bigram_emb.shape[1]
        dl = db + self.lex_dim
        flat[:, :dc] = self.char_emb[cids]
        flat[:, dc:ds] = self.small_emb[cls * self.n_softword + sw]
        flat[:, ds:db] = self.bigram_emb[bids]
        if self.lex_wt is not None:
            np.matmul(Lexicon.expand(lex), self.lex_wt, out=flat[:, db:dl])
        if self.softlex_width:
            flat[:, dl:] = soft
        flat[n] = 0.0
        return flat[pos]

    def decode(
        self,
        feats: Sequence[npt.NDArray[Any]],
        lengths: IntArray,
        allowed: BoolArray | None = None,
    ) -> IntArray:
        """Best tag paths (T, B) of a batch: the compiled runtime when loaded, else numpy."""
        if self.runtime is not None:
            return self.runtime.run(self.inputs(feats, lengths), lengths, allowed)[1]
        return self.viterbi(self.emissions(feats, lengths), lengths, allowed)

    def emissions(self, feats: Sequence[npt.NDArray[Any]], lengths: IntArray) -> FloatArray:
        """Emission scores (T, B, K) of a batch, from the flat features of its chunks (numpy)."""
        if not self._folded:
            self._fold()
        n = int(lengths.sum())
        b = len(lengths)
        t_max = int(lengths.max())
        offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        t_idx = np.arange(t_max)[:, None]
        live = t_idx < lengths[None, :]  # (T, B)
        pos_f = np.where(live, offsets[None, :] + t_idx, n)
        pos_b = np.where(live, offsets[None, :] + lengths[None, :] - 1 - t_idx, n)
        cids, cls, bids, sw, lex, soft = self._features(feats)
        small = cls * self.n_softword + sw
        h = self.hidden
        xs = np.empty((t_max, 2, b, 4 * h), dtype=np.float32)
        lex_bits = Lexicon.expand(lex) if self.lex_tab is not None else None  # once, both ways
        for d, pos in enumerate((pos_f, pos_b)):
            x = self.char_tab[d][cids[pos]]
            x += self.small_tab[d][small[pos]]
            x += self.bigram_emb[bids[pos]].astype(np.float32) @ self.bigram_w[d]
            if lex_bits is not None and self.lex_tab is not None:
                x += lex_bits[pos] @ self.lex_tab[d]
            if self.softlex_w is not None:
                x += soft[pos] @ self.softlex_w[d]
            xs[:, d] = x
        hs = np.zeros((2, b, h), dtype=np.float32)
        cs = np.zeros((2, b, h), dtype=np.float32)
        g = np.empty((2, b, 4 * h), dtype=np.float32)
        out = np.empty((t_max, 2, b, h), dtype=np.float32)
        w_hh = self.w_hh
        h3 = 3 * h
        sig = g[..., :h3]  # gates reordered to i, f, o, g at load
        gi, gf, go, gg = g[..., :h], g[..., h : 2 * h], g[..., 2 * h : h3], g[..., h3:]
        for t in range(t_max):
            np.matmul(hs, w_hh, out=g)
            g += xs[t]
            np.tanh(g, out=g)
            sig *= 0.5
            sig += 0.5
            cs *= gf
            gi *= gg
            cs += gi
            np.tanh(cs, out=hs)
            hs *= go
            out[t] = hs
        em_f = out[:, 0] @ self.out_w[:h]
        em_b = out[:, 1] @ self.out_w[h:]
        flat = np.zeros((n + 1, em_f.shape[-1]), dtype=np.float32)
        flat[pos_f[live]] = em_f[live]
        flat[pos_b[live]] += em_b[live]
        flat += self.out_b
        return flat[pos_f]

    def viterbi(
        self, em: FloatArray, lengths: IntArray, allowed: BoolArray | None = None
    ) -> IntArray:
        """Best tag paths (T, B) for time-major emissions (T, B, K), respecting each length.

        ``allowed`` (optional, bool, same shape as ``em``) says which tags each position
        may take; a disallowed tag scores ``DISALLOWED`` there, like an impossible
        transition. Tag 0 (O) must stay allowed everywhere, so a legal path always
        exists; forcing O on the characters of a rule-claimed date keeps every entity
        from covering or crossing it (spaCy's ``ner`` honouring preset entities).
        """
        if allowed is not None:
            em = np.where(allowed, em, np.float32(DISALLOWED)).astype(np.float32)
        t_max, b, k = em.shape
        score = self.start[None, :] + em[0]
        back = np.zeros((t_max, b, k), dtype=np.int64)
        ident = np.broadcast_to(np.arange(k), (b, k))
        rows = np.arange(b)
        for t in range(1, t_max):
            cand = score[:, :, None] + self.trans[None]
            best = cand.argmax(axis=1)
            new = np.take_along_axis(cand, best[:, None, :], axis=1)[:, 0] + em[t]
            alive = (t < lengths)[:, None]
            score = np.where(alive, new, score)
            back[t] = np.where(alive, best, ident)
        score = score + self.end[None, :]
        path = np.zeros((t_max, b), dtype=np.int64)
        cur = score.argmax(axis=1)
        for t in range(t_max - 1, -1, -1):
            path[t] = cur
            if t:
                cur = back[t][rows, cur]
        return path

    def _allowed(
        self,
        batch: Sequence[tuple[int, int, int]],
        masks: Sequence[BoolArray | None],
        lengths: IntArray,
    ) -> BoolArray:
        """The (T, B, K) tag mask of a batch: only O where a text's mask is set."""
        t_max = int(lengths.max())
        forced = np.zeros((t_max, len(batch)), dtype=bool)
        for j, (ti, a, b) in enumerate(batch):
            m = masks[ti]
            if m is not None:
                forced[: b - a, j] = m[a:b]
        allowed = np.ones((t_max, len(batch), len(self.tags)), dtype=bool)
        allowed[forced, 1:] = False
        return allowed

    def predict(
        self,
        texts: Sequence[str],
        words: Sequence[Sequence[tuple[int, int]]],
        outside: Sequence[Sequence[tuple[int, int]]] | None = None,
    ) -> list[list[Span]]:
        """Per text, sorted non-overlapping (start, end, label) character spans.

        ``outside`` (optional): per text, (start, end) character ranges that must be
        tagged O, so no returned span overlaps them (dates the rules are sure of).
        """
        results: list[list[Span]] = [[] for _ in texts]
        masks: list[BoolArray | None] = []
        chunks: list[tuple[int, int, int]] = []
        feats, text_starts = self.featurizer.featurize_flat(texts, words)
        for ti, (text, ws) in enumerate(zip(texts, words, strict=True)):
            ranges = outside[ti] if outside is not None else ()
            mask: BoolArray | None = None
            if ranges:
                mask = np.zeros(len(text), dtype=bool)
                for a, b in ranges:
                    mask[a:b] = True
            masks.append(mask)
            chunks.extend((ti, a, b) for a, b in _chunks(text, ws))
        chunks.sort(key=lambda c: c[2] - c[1])
        for i, j in length_batches([b - a for _, a, b in chunks], self.batch_chars):
            batch = chunks[i:j]
            t_max = batch[-1][2] - batch[-1][1]
            lengths = np.array([b - a for _, a, b in batch], dtype=np.int64)
            firsts = np.array([a for _, a, _ in batch], dtype=np.int64)
            text_ids = np.array([ti for ti, _, _ in batch], dtype=np.int64)
            starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
            # the batch's characters, chunk after chunk, as positions in the joined texts
            shift = np.repeat(text_starts[text_ids] + firsts - starts, lengths)
            at = np.arange(int(lengths.sum())) + shift
            cat = [f[at] for f in feats]
            allowed = (
                self._allowed(batch, masks, lengths)
                if any(masks[ti] is not None for ti, _, _ in batch)
                else None
            )
            paths = self.decode(cat, lengths, allowed)
            flat = paths.T[np.arange(t_max)[None, :] < lengths[:, None]]
            gpos = np.arange(len(flat)) + np.repeat(firsts - starts, lengths)
            tid = np.repeat(text_ids, lengths)
            prefix = self._prefix[flat]
            begin = np.flatnonzero((prefix == 1) | (prefix == 4))
            end = np.flatnonzero((prefix == 3) | (prefix == 4))
            for bi, ei in zip(begin.tolist(), end.tolist(), strict=True):
                results[int(tid[bi])].append(
                    (int(gpos[bi]), int(gpos[ei]) + 1, self._label_of[int(flat[bi])])
                )
        # Guide conventions the model does not learn from MSRA (buildings as ORG, Latin
        # names in brackets) are applied by the zh_news_rules component, for any model.
        return [sorted(spans) for spans in results]
