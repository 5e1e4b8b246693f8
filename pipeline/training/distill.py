"""Silver labels for distillation: a teacher pipeline's names on news_unlabeled openings.

    python -m pipeline.training.distill --teacher DIR [--articles 4000] [--shared ../shared]

A teacher (a larger tagger saved as a whole pipeline, rules included, by
``pipeline.training.train --out DIR``) tags article openings of
``../shared/corpora/news_unlabeled`` chosen at random (seeded) among the articles no
one annotates: news_gold, and every article of ``data/annotations/selection.jsonl``
(dev and train), are left out, so the blind dev sets stay unseen and the reviewed
articles keep their own labels. The teacher's PERSON, ORG and LOC mentions are written
as standoff records (``method: silver``; ids, text hashes and offsets, no text) into the
per-user cache, never into the repository; ``pipeline.training.train --silver FILE``
reads them back with the text rebuilt from ../shared, as it reads the team's store.
These are hard labels (the teacher's best path after the rules); :func:`marginals`
gives the soft ones (the teacher tagger's per-character tag marginals, rules not
applied) for ``train --soft``.
"""

# ruff: noqa: T201  (command-line tool: prints progress)

from __future__ import annotations

import argparse
import hashlib
import random
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from pipeline.annotations.corpus import (
    CorpusArticle,
    corpus_dir,
    gold_ids,
    iter_corpus,
    opening,
)
from pipeline.annotations.select import selected_ids
from pipeline.annotations.store import StandoffArticle, to_standoff, write_standoff
from pipeline.errors import AnnotationError
from pipeline.evaluation.corpora import DEFAULT_SHARED
from pipeline.evaluation.gold import GoldDoc, GoldMention
from pipeline.evaluation.labels import NER_LABELS
from pipeline.training.data import CACHE

SILVER_DIR = CACHE / "silver"
#: Openings shorter than this carry too little context to be worth a teacher's pass.
MIN_CHARS = 200


def annotated_ids(shared: Path) -> set[str]:
    """Articles the silver set must not hold: news_gold and every selected article."""
    return gold_ids(shared) | selected_ids()


def choose(shared: Path, n: int, seed: int) -> list[CorpusArticle]:
    """``n`` corpus articles (seeded, in id order) with openings of ``MIN_CHARS`` or more."""
    directory = corpus_dir(shared)
    if directory is None:
        raise AnnotationError(f"{shared / 'corpora' / 'news_unlabeled'} is absent")
    skip = annotated_ids(shared)
    pool = [
        a for a in iter_corpus(directory) if a.id not in skip and len(opening(a.text)) >= MIN_CHARS
    ]
    pool.sort(key=lambda a: a.id)
    picked = random.Random(seed).sample(pool, min(n, len(pool)))
    return sorted(picked, key=lambda a: a.id)


def silver_path(teacher: Path, n: int, seed: int) -> Path:
    """The cache file of a teacher's silver set: named by the teacher's weights digest."""
    weights = teacher / "zh_news_ner" / "weights.npz"
    digest = hashlib.sha256(weights.read_bytes()).hexdigest()[:12] if weights.is_file() else "x"
    return SILVER_DIR / f"silver_{digest}_{n}_s{seed}.jsonl"


def label(teacher: Path, articles: list[CorpusArticle], out: Path) -> int:
    """Tag the articles' openings with the teacher pipeline; write standoff records."""
    from pipeline import load
    from pipeline.schema import Article

    extractor = load(teacher)
    texts = [opening(a.text) for a in articles]
    inputs = [
        Article(id=a.id, text=t, published=a.published)
        for a, t in zip(articles, texts, strict=True)
    ]
    records: list[StandoffArticle] = []
    for art, text, record in zip(articles, texts, extractor.pipe(inputs), strict=True):
        spans = sorted(
            {(m.start, m.end, m.label) for m in record.mentions if m.label in NER_LABELS}
        )
        kept: list[GoldMention] = []
        end = 0
        for s, e, lab in spans:  # the record's mentions never overlap; be sure
            if s >= end:
                kept.append(GoldMention(start=s, end=e, label=lab, text=text[s:e]))
                end = e
        doc = GoldDoc(id=art.id, text=text, published=art.published, mentions=kept)
        records.append(to_standoff(doc, outlet=art.outlet, method="silver"))
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    write_standoff(tmp, records)
    tmp.replace(out)
    return sum(len(r.mentions) for r in records)


def _logsumexp(a: npt.NDArray[np.float32], axis: int) -> npt.NDArray[np.float32]:
    top = a.max(axis=axis, keepdims=True)
    return np.asarray(np.log(np.exp(a - top).sum(axis=axis)) + np.squeeze(top, axis))


def crf_marginals(
    em: npt.NDArray[np.float32],
    lengths: npt.NDArray[np.int64],
    trans: npt.NDArray[np.float32],
    start: npt.NDArray[np.float32],
    end: npt.NDArray[np.float32],
) -> npt.NDArray[np.float32]:
    """Per-position tag marginals (T, B, K) of a linear-chain CRF (forward-backward in
    log space) for time-major emissions (T, B, K); positions past a length are zeros."""
    t_max = em.shape[0]
    live = np.arange(t_max)[:, None] < lengths[None, :]
    alpha = np.empty_like(em)
    alpha[0] = start[None] + em[0]
    for t in range(1, t_max):
        nxt = _logsumexp(alpha[t - 1][:, :, None] + trans[None], axis=1) + em[t]
        alpha[t] = np.where(live[t][:, None], nxt, alpha[t - 1])
    beta = np.empty_like(em)
    beta[t_max - 1] = end[None]
    for t in range(t_max - 2, -1, -1):
        nxt = _logsumexp(trans[None] + (em[t + 1] + beta[t + 1])[:, None, :], axis=2)
        beta[t] = np.where(live[t + 1][:, None], nxt, end[None])
    log_z = _logsumexp(alpha[t_max - 1] + end[None], axis=1)
    marg = np.exp(alpha + beta - log_z[None, :, None]).astype(np.float32)
    return np.where(live[:, :, None], marg, np.float32(0.0))


def marginals(
    teacher: Path, chunks: Sequence[tuple[str, Sequence[tuple[int, int]]]], batch: int = 256
) -> list[npt.NDArray[np.float16]]:
    """The teacher tagger's tag marginals (length, tags) of each chunk (text, its words)."""
    from pipeline.model.tagger import CharTagger

    tagger = CharTagger.from_disk(teacher / "zh_news_ner")
    order = sorted(range(len(chunks)), key=lambda i: len(chunks[i][0]))
    out: list[npt.NDArray[np.float16]] = [np.zeros((0, 0), dtype=np.float16)] * len(chunks)
    for i in range(0, len(order), batch):
        idx = [j for j in order[i : i + batch] if chunks[j][0]]
        if not idx:
            continue
        texts = [chunks[j][0] for j in idx]
        lengths = np.array([len(t) for t in texts], dtype=np.int64)
        feats, _ = tagger.featurizer.featurize_flat(texts, [chunks[j][1] for j in idx])
        if tagger.runtime is not None:
            em = tagger.runtime.run(tagger.inputs(feats, lengths), lengths)[0]
        else:
            em = tagger.emissions(feats, lengths)
        q = crf_marginals(em, lengths, tagger.trans, tagger.start, tagger.end)
        for col, j in enumerate(idx):
            out[j] = q[: lengths[col], col].astype(np.float16)
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--teacher", type=Path, required=True, help="a saved pipeline directory")
    ap.add_argument("--articles", type=int, default=4000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    ap.add_argument("--out", type=Path, default=None, help="default: the per-user cache")
    args = ap.parse_args(argv)
    out = args.out or silver_path(args.teacher, args.articles, args.seed)
    t0 = time.time()
    articles = choose(args.shared, args.articles, args.seed)
    print(f"{len(articles)} articles chosen in {time.time() - t0:.0f}s", flush=True)
    n = label(args.teacher, articles, out)
    chars = sum(len(opening(a.text)) for a in articles)
    print(f"{n} mentions over {chars:,} characters -> {out} ({time.time() - t0:.0f}s)", flush=True)


if __name__ == "__main__":
    main()
