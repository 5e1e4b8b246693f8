"""torch BiLSTM-CRF matching the numpy inference of :mod:`pipeline.model.tagger`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from pipeline.model.features import LEX_BITS, N_CLASSES, N_SOFTWORD, SOFTLEX_SETS, Featurizer


def allowed_transitions(tags: list[str]) -> torch.Tensor:
    """BIOES constraint mask (from, to)."""
    k = len(tags)
    ok = torch.ones(k, k, dtype=torch.bool)
    for i, a in enumerate(tags):
        for j, b in enumerate(tags):
            inside = a[:1] in "BI"
            if inside and not (b[:1] in "IE" and b[2:] == a[2:]):
                ok[i, j] = False
            if not inside and b[:1] in "IE":
                ok[i, j] = False
    return ok


class BiLstmCrf(nn.Module):  # type: ignore[misc,unused-ignore]  # torch may be absent
    """Embeddings (char, class, soft word, bigram), lexicon bits → BiLSTM → linear → CRF.

    With ``softlex_vectors`` (one row per SoftLexicon word), each character also gets
    the B/M/E averages of its words' vectors, each projected by one shared linear map
    to ``softlex_dim`` (averaging and projecting commute, so the exported model stores
    the projected vectors and runs no projection). An item of a batch is
    ``(chars, classes, bigrams, soft words, lexicon bits, tags)``, followed by the
    :meth:`pipeline.model.features.SoftLexicon.weights` terms of the sentence when the
    model has SoftLexicon vectors.
    """

    def __init__(
        self,
        *,
        n_chars: int,
        n_bigrams: int,
        n_tags: int,
        tags: list[str],
        char_dim: int,
        bigram_dim: int,
        sw_dim: int,
        hidden: int,
        dropout: float,
        n_softword: int = N_SOFTWORD,
        lex_dim: int = 0,
        bigram_unk: float = 0.0,
        softlex_vectors: np.ndarray | None = None,
        softlex_dim: int = 0,
        softlex_tune: bool = False,
    ) -> None:
        super().__init__()
        self.char_emb = nn.Embedding(n_chars, char_dim, padding_idx=0)
        self.class_emb = nn.Embedding(N_CLASSES, 8, padding_idx=0)
        self.sw_emb = nn.Embedding(n_softword, sw_dim, padding_idx=0)
        self.bigram_emb = nn.Embedding(n_bigrams, bigram_dim, padding_idx=0)
        for e in (self.char_emb, self.bigram_emb):
            nn.init.normal_(e.weight, std=0.1)
        self.sl_vecs: nn.Embedding | None = None
        self.sl_proj: nn.Linear | None = None
        self.softlex_dim = 0
        if softlex_vectors is not None and softlex_dim:
            vecs = torch.from_numpy(np.asarray(softlex_vectors, dtype=np.float32))
            self.sl_vecs = nn.Embedding.from_pretrained(vecs, freeze=not softlex_tune)
            self.sl_proj = nn.Linear(vecs.shape[1], softlex_dim, bias=False)
            self.softlex_dim = softlex_dim
        d = char_dim + 8 + sw_dim + bigram_dim + lex_dim + SOFTLEX_SETS * self.softlex_dim
        self.lex: nn.Linear | None = nn.Linear(LEX_BITS, lex_dim, bias=False) if lex_dim else None
        self.drop = nn.Dropout(dropout)
        self.bigram_unk = bigram_unk
        self.lstm = nn.LSTM(d, hidden, batch_first=True, bidirectional=True)
        self.out = nn.Linear(2 * hidden, n_tags)
        self.trans = nn.Parameter(torch.zeros(n_tags, n_tags))
        self.start = nn.Parameter(torch.zeros(n_tags))
        self.end = nn.Parameter(torch.zeros(n_tags))
        ok = allowed_transitions(tags)
        self.trans_mask: torch.Tensor
        self.start_mask: torch.Tensor
        self.end_mask: torch.Tensor
        self.register_buffer("trans_mask", torch.where(ok, 0.0, -1e4))
        begin = torch.tensor([t[:1] in "OBS" for t in tags])
        finish = torch.tensor([t[:1] in "OES" for t in tags])
        self.register_buffer("start_mask", torch.where(begin, 0.0, -1e4))
        self.register_buffer("end_mask", torch.where(finish, 0.0, -1e4))

    def emissions(self, batch: list[tuple[np.ndarray, ...]]) -> tuple[torch.Tensor, ...]:
        lengths = torch.tensor([len(b[0]) for b in batch])
        t_max = int(lengths.max())

        def pad(k: int) -> torch.Tensor:
            out = np.zeros((len(batch), t_max), dtype=np.int64)
            for i, b in enumerate(batch):
                out[i, : len(b[k])] = b[k]
            return torch.from_numpy(out)

        c, k, bg, sw, lex, y = (pad(i) for i in range(6))
        if self.training:  # unknown-character (and -bigram) dropout
            c = torch.where(torch.rand(c.shape) < 0.02, torch.ones_like(c), c) * (c > 0)
            if self.bigram_unk:
                unk = torch.rand(bg.shape) < self.bigram_unk
                bg = torch.where(unk, torch.ones_like(bg), bg) * (bg > 0)
        parts = [self.char_emb(c), self.class_emb(k), self.sw_emb(sw), self.bigram_emb(bg)]
        if self.lex is not None:
            bits = ((lex[..., None] >> torch.arange(LEX_BITS)) & 1).float()
            parts.append(self.lex(bits))
        if self.sl_vecs is not None and self.sl_proj is not None:
            parts.append(self.softlex(batch, t_max))
        x = torch.cat(parts, dim=-1)
        x = self.drop(x)
        packed = pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
        h, _ = self.lstm(packed)
        h, _ = pad_packed_sequence(h, batch_first=True, total_length=t_max)
        em = self.out(self.drop(h))
        mask = torch.arange(t_max)[None, :] < lengths[:, None]
        return em, y, mask

    def softlex(self, batch: list[tuple[np.ndarray, ...]], t_max: int) -> torch.Tensor:
        """(B, T, 3 x softlex_dim) SoftLexicon inputs from each item's weight terms.

        The same sums as :meth:`pipeline.model.features.SoftLexicon.average` over the
        projected vectors.
        """
        assert self.sl_vecs is not None and self.sl_proj is not None
        sets = SOFTLEX_SETS
        index = np.concatenate([b[6] + i * t_max * sets for i, b in enumerate(batch)])
        rows = torch.from_numpy(np.concatenate([b[7] for b in batch]).astype(np.int64))
        weight = torch.from_numpy(np.concatenate([b[8] for b in batch]).astype(np.float32))
        terms = self.sl_proj(self.sl_vecs(rows)) * weight[:, None]
        out = terms.new_zeros((len(batch) * t_max * sets, self.softlex_dim))
        out = out.index_add(0, torch.from_numpy(index.astype(np.int64)), terms)
        return out.view(len(batch), t_max, sets * self.softlex_dim)

    def loss(
        self,
        batch: list[tuple[np.ndarray, ...]],
        soft: Sequence[np.ndarray | None] | None = None,
    ) -> torch.Tensor:
        """Mean per-sentence loss: the CRF negative log-likelihood of the tags, or, for an
        item with soft targets (a teacher's per-character tag marginals, ``soft[i]`` of
        shape (length, tags)), their cross-entropy with the model's CRF marginals
        (distillation on soft labels)."""
        em, y, mask = self.emissions(batch)
        trans = self.trans + self.trans_mask
        start = self.start + self.start_mask
        end = self.end + self.end_mask
        t_max = em.shape[1]
        use_soft = soft is not None and any(q is not None for q in soft)
        # partition
        alpha = start[None] + em[:, 0]
        alphas = [alpha]
        for t in range(1, t_max):
            nxt = torch.logsumexp(alpha[:, :, None] + trans[None], dim=1) + em[:, t]
            alpha = torch.where(mask[:, t, None], nxt, alpha)
            if use_soft:
                alphas.append(alpha)
        log_z = torch.logsumexp(alpha + end[None], dim=1)
        # gold
        gold = start[y[:, 0]] + em.gather(2, y[:, :, None])[:, :, 0].masked_fill(~mask, 0).sum(1)
        tr = trans[y[:, :-1], y[:, 1:]] * mask[:, 1:]
        gold = gold + tr.sum(1)
        last = y.gather(1, (mask.sum(1) - 1)[:, None])[:, 0]
        gold = gold + end[last]
        per_item = log_z - gold
        if not use_soft:
            return per_item.mean()
        assert soft is not None
        # backward scores: beta[t] = log-sum of the paths from t+1 to the end
        beta = end[None].expand(em.shape[0], -1)
        betas = [beta]
        for t in range(t_max - 2, -1, -1):
            nxt = torch.logsumexp(trans[None] + (em[:, t + 1] + beta)[:, None, :], dim=2)
            beta = torch.where(mask[:, t + 1, None], nxt, end[None].expand_as(nxt))
            betas.append(beta)
        log_marg = torch.stack(alphas, 1) + torch.stack(betas[::-1], 1) - log_z[:, None, None]
        target = np.zeros(tuple(em.shape), dtype=np.float32)
        has = np.zeros(len(batch), dtype=bool)
        for i, q in enumerate(soft):
            if q is not None:
                target[i, : len(q)] = q
                has[i] = True
        q_t = torch.from_numpy(target)
        soft_ce = -(q_t * log_marg).sum(2).masked_fill(~mask, 0).sum(1)
        return torch.where(torch.from_numpy(has), soft_ce, per_item).mean()

    def export(self, feat: Featurizer) -> dict[str, Any]:
        """numpy parameters for :class:`pipeline.model.tagger.CharTagger`."""

        def n(t: torch.Tensor) -> np.ndarray:
            return np.asarray(t.detach().cpu().numpy(), dtype=np.float32)

        lp = dict(self.lstm.named_parameters())
        extra: dict[str, Any] = {}
        if feat.word_classes is not None:
            extra = {"wc_keys": feat.word_classes.keys, "wc_classes": feat.word_classes.classes}
        if self.lex is not None and feat.lexicon is not None:
            extra["lex_w"] = n(self.lex.weight)  # (lex_dim, LEX_BITS)
            extra["lex_keys"] = feat.lexicon.keys
            extra["lex_classes"] = feat.lexicon.classes
        if self.sl_vecs is not None and self.sl_proj is not None and feat.softlex is not None:
            # averages commute with the projection: ship the projected vectors
            extra["sl_keys"] = feat.softlex.keys
            extra["sl_counts"] = feat.softlex.counts
            extra["sl_vecs"] = n(self.sl_proj(self.sl_vecs.weight)).astype(np.float16)
        return {
            **extra,
            "char_emb": n(self.char_emb.weight).astype(np.float16),
            "class_emb": n(self.class_emb.weight),
            "sw_emb": n(self.sw_emb.weight),
            "bigram_emb": n(self.bigram_emb.weight).astype(np.float16),
            "bigram_keys": feat.bigram_keys.copy(),
            "w_ih_f": n(lp["weight_ih_l0"]),
            "w_hh_f": n(lp["weight_hh_l0"]),
            "b_f": n(lp["bias_ih_l0"] + lp["bias_hh_l0"]),
            "w_ih_b": n(lp["weight_ih_l0_reverse"]),
            "w_hh_b": n(lp["weight_hh_l0_reverse"]),
            "b_b": n(lp["bias_ih_l0_reverse"] + lp["bias_hh_l0_reverse"]),
            "out_w": n(self.out.weight),
            "out_b": n(self.out.bias),
            "trans": n(self.trans),
            "start": n(self.start),
            "end": n(self.end),
        }
