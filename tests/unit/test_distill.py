"""Distillation: CRF marginals of the teacher (numpy) and the student's soft-label loss."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from pipeline.training.distill import crf_marginals


def _brute_marginals(em, trans, start, end):  # type: ignore[no-untyped-def]
    t_max, k = em.shape
    marg = np.zeros((t_max, k))
    z = 0.0
    for path in itertools.product(range(k), repeat=t_max):
        score = start[path[0]] + end[path[-1]] + sum(em[t, p] for t, p in enumerate(path))
        score += sum(trans[a, b] for a, b in itertools.pairwise(path))
        w = np.exp(score)
        z += w
        for t, p in enumerate(path):
            marg[t, p] += w
    return marg / z


def test_crf_marginals_equal_path_enumeration_and_respect_lengths() -> None:
    rng = np.random.default_rng(0)
    k = 3
    trans = rng.normal(size=(k, k)).astype(np.float32)
    trans[0, 2] = -1e4  # a disallowed transition keeps probability 0
    start, end = rng.normal(size=k).astype(np.float32), rng.normal(size=k).astype(np.float32)
    em = rng.normal(size=(5, 2, k)).astype(np.float32)
    lengths = np.array([5, 3], dtype=np.int64)
    q = crf_marginals(em, lengths, trans, start, end)
    assert q.shape == (5, 2, k)
    for b, n in enumerate(lengths):
        want = _brute_marginals(em[:n, b].astype(np.float64), trans, start, end)
        assert np.allclose(q[:n, b], want, atol=1e-5)
        assert np.allclose(q[:n, b].sum(1), 1.0, atol=1e-5)
        assert not q[n:, b].any()


def test_soft_label_loss_is_the_cross_entropy_with_the_crf_marginals() -> None:
    torch = pytest.importorskip("torch")
    from pipeline.model.features import Featurizer
    from pipeline.model.tagger import bioes_tags
    from pipeline.training.model import BiLstmCrf

    tags = bioes_tags(("PERSON", "ORG", "LOC"))
    feat = Featurizer("北京大学蔡英文说", np.zeros(0, dtype=np.int64))
    torch.manual_seed(0)
    model = BiLstmCrf(
        n_chars=feat.n_chars,
        n_bigrams=feat.n_bigrams,
        n_tags=len(tags),
        tags=tags,
        char_dim=6,
        bigram_dim=4,
        sw_dim=3,
        hidden=5,
        dropout=0.0,
    ).eval()
    texts = ["蔡英文说北京大学", "北京"]
    batch = []
    for text in texts:
        c, k, b, sw, lex, _ = feat.featurize(text, [(i, i + 1) for i in range(len(text))])
        batch.append((c, k, b, sw, lex, np.zeros(len(text), dtype=np.int64)))
    rng = np.random.default_rng(1)
    with torch.no_grad():
        em, _, _ = model.emissions(batch)
        trans = (model.trans + model.trans_mask).numpy()
        start = (model.start + model.start_mask).numpy()
        end = (model.end + model.end_mask).numpy()
        lengths = np.array([len(t) for t in texts], dtype=np.int64)
        em_tb = em.numpy().transpose(1, 0, 2)
        p = crf_marginals(em_tb, lengths, trans, start, end)
        # a teacher's marginals: another CRF over the same tags (BIOES-valid support)
        other = em_tb + rng.normal(scale=2.0, size=em_tb.shape).astype(np.float32)
        teacher = crf_marginals(other, lengths, trans, start, end)
        soft = [teacher[: len(texts[0]), 0], None]
        got = float(model.loss(batch, soft))
        nll_second = float(model.loss(batch[1:]))
    first = -(soft[0] * np.log(np.maximum(p[: len(texts[0]), 0], 1e-30))).sum()
    assert got == pytest.approx((first + nll_second) / 2, rel=1e-4)
