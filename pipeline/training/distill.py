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
These are hard labels (the teacher's best path after the rules).
"""

# ruff: noqa: T201  (command-line tool: prints progress)

from __future__ import annotations

import argparse
import hashlib
import json
import random
import time
from pathlib import Path

from pipeline.annotations.corpus import (
    CorpusArticle,
    corpus_dir,
    gold_ids,
    iter_corpus,
    opening,
    text_sha256,
)
from pipeline.annotations.store import StandoffArticle, StandoffMention
from pipeline.errors import AnnotationError
from pipeline.evaluation.corpora import DEFAULT_SHARED
from pipeline.evaluation.labels import NER_LABELS
from pipeline.training.data import CACHE

SILVER_DIR = CACHE / "silver"
SELECTION = Path(__file__).resolve().parents[2] / "data" / "annotations" / "selection.jsonl"
#: Openings shorter than this carry too little context to be worth a teacher's pass.
MIN_CHARS = 200


def annotated_ids(shared: Path) -> set[str]:
    """Articles the silver set must not hold: news_gold and every selected article."""
    ids = gold_ids(shared)
    if SELECTION.is_file():
        for line in SELECTION.read_text(encoding="utf-8").splitlines():
            if line.strip():
                ids.add(str(json.loads(line)["id"]))
    return ids


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
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    mentions = 0
    with tmp.open("w", encoding="utf-8") as f:
        for art, text, record in zip(articles, texts, extractor.pipe(inputs), strict=True):
            spans = sorted(
                {(m.start, m.end, m.label) for m in record.mentions if m.label in NER_LABELS}
            )
            kept: list[StandoffMention] = []
            end = 0
            for s, e, lab in spans:  # the record's mentions never overlap; be sure
                if s >= end:
                    kept.append(StandoffMention(start=s, end=e, label=lab))
                    end = e
            mentions += len(kept)
            row = StandoffArticle(
                id=art.id,
                outlet=art.outlet,
                published=art.published,
                sha256=text_sha256(text),
                chars=len(text),
                method="silver",
                mentions=kept,
            )
            f.write(row.model_dump_json(exclude_none=True) + "\n")
    tmp.replace(out)
    return mentions


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
