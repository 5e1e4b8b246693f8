"""Character and bigram vectors pretrained on news text, for the tagger's initial embeddings.

    python -m pipeline.training.vectors [--shared ../shared]      (make vectors)

word2vec (gensim, CBOW with negative sampling) over ../shared/corpora/news_unlabeled
plus the MSRA training sentences (its dev block left out), in the form the tagger reads
text: the Simplified shadow (``to_simplified``), each character NFKC-folded as the
featurizer folds it. Characters are tokens of one corpus; the tagger's bigrams
(c[i], c[i+1], the last character of a line paired with an end mark) are the tokens of a
second. Articles of the blind dev sets (news_gold, and the ``dev`` split of
data/annotations/selection.jsonl) are left out.

The vectors are derived from corpus text, so they are cached outside the repository
(``~/.cache/zh_news_ner/vectors/``, one ``.npz`` per kind, named by a digest of the
settings and the corpus files); only the trained model's fine-tuned weights ship.
Training is seeded; with more than one worker thread gensim's updates interleave, so
vectors differ slightly between runs (``--workers 1`` is exact, and slower).
"""

# ruff: noqa: T201  (command-line tool: prints progress)

from __future__ import annotations

import argparse
import hashlib
import json
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from pipeline.training.data import CACHE, nfkc_char

VECTORS_DIR = CACHE / "vectors"
#: Token for a whitespace character (word2vec tokens are separated by spaces).
SPACE = "<sp>"
#: Second half of the bigram of a line's last character (the tagger's BOUND).
END = "<end>"
#: Bump when the corpus preparation changes, so cached vectors are rebuilt.
PREP_VERSION = 1
SETTINGS: dict[str, dict[str, int]] = {
    "char": {"dim": 128, "window": 5, "min_count": 5, "epochs": 3, "negative": 5, "sg": 0},
    "bigram": {"dim": 50, "window": 5, "min_count": 5, "epochs": 3, "negative": 5, "sg": 0},
}


def _token(c: str) -> str:
    return SPACE if c.isspace() else nfkc_char(c)


def char_tokens(line: str) -> list[str]:
    """A line's character tokens, as the featurizer folds characters."""
    return [_token(c) for c in line]


def bigram_tokens(chars: list[str]) -> list[str]:
    """The tagger's bigrams of a line's character tokens (the last pairs with END)."""
    return [a + b for a, b in zip(chars, [*chars[1:], END], strict=True)]


def excluded_ids(shared: Path) -> set[str]:
    """Articles never read: news_gold, and the dev split of the annotation selection."""
    from pipeline.annotations.corpus import gold_ids

    ids = gold_ids(shared)
    selection = Path(__file__).resolve().parents[2] / "data" / "annotations" / "selection.jsonl"
    if selection.is_file():
        for line in selection.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                if row.get("split") == "dev":
                    ids.add(str(row["id"]))
    return ids


def corpus_lines(shared: Path) -> Iterator[str]:
    """Simplified lines of news_unlabeled (blind ids left out), then of MSRA train."""
    from pipeline.annotations.corpus import corpus_dir, iter_corpus
    from pipeline.evaluation import corpora
    from pipeline.stages.simplified import to_simplified

    directory = corpus_dir(shared)
    if directory is None:
        raise FileNotFoundError(f"{shared}/corpora/news_unlabeled is absent")
    skip = excluded_ids(shared)
    for art in iter_corpus(directory):
        if art.id in skip:
            continue
        for line in to_simplified(art.text).split("\n"):
            if line.strip():
                yield line
    msra = corpora.msra_sentences(shared)
    for t in msra[: -corpora.MSRA_DEV_SIZE]:
        yield t.text


def sources_digest(shared: Path, settings: bool = True) -> str:
    """Digest of the corpus files (names and sizes) the vectors come from, and the settings."""
    from pipeline.annotations.corpus import corpus_dir
    from pipeline.evaluation import corpora

    h = hashlib.sha1(json.dumps([PREP_VERSION, SETTINGS if settings else None]).encode())
    directory = corpus_dir(shared)
    files = sorted(directory.glob("news-*.jsonl.gz")) if directory else []
    files.append(corpora.corpora_dir(shared) / corpora.MSRA)
    for f in files:
        h.update(f"{f.name}:{f.stat().st_size if f.is_file() else -1}".encode())
    h.update(",".join(sorted(excluded_ids(shared))).encode())
    return h.hexdigest()[:12]


def vector_path(kind: str, shared: Path, seed: int = 0) -> Path:
    """Where the vectors of ``kind`` ("char" or "bigram") are cached."""
    return VECTORS_DIR / f"{kind}_{sources_digest(shared)}_s{seed}.npz"


def write_token_files(shared: Path, char_file: Path, bigram_file: Path) -> int:
    """The two word2vec corpora (space-separated tokens, one line a line); returns chars."""
    n = 0
    with (
        char_file.open("w", encoding="utf-8") as fc,
        bigram_file.open("w", encoding="utf-8") as fb,
    ):
        for line in corpus_lines(shared):
            chars = char_tokens(line)
            n += len(chars)
            fc.write(" ".join(chars) + "\n")
            fb.write(" ".join(bigram_tokens(chars)) + "\n")
    return n


def train_vectors(corpus_file: Path, kind: str, workers: int, seed: int) -> dict[str, np.ndarray]:
    """word2vec on one token corpus (CBOW: a third of skip-gram's time on 2 cores)."""
    from gensim.models import Word2Vec

    s = SETTINGS[kind]
    model = Word2Vec(
        corpus_file=str(corpus_file),
        vector_size=s["dim"],
        window=s["window"],
        min_count=s["min_count"],
        negative=s["negative"],
        epochs=s["epochs"],
        sg=s["sg"],
        workers=workers,
        seed=seed,
    )
    kv = model.wv
    return {"tokens": np.array(kv.index_to_key), "vectors": kv.vectors.astype(np.float16)}


def token_files(shared: Path) -> list[Path]:
    """The two word2vec corpora (written when absent; removed once the vectors are built)."""
    digest = sources_digest(shared, settings=False)
    files = [VECTORS_DIR / f"corpus_{kind}_{digest}.txt" for kind in ("char", "bigram")]
    if all(f.is_file() for f in files):
        return files
    VECTORS_DIR.mkdir(parents=True, exist_ok=True)
    partial = [f.with_suffix(".part") for f in files]
    t0 = time.time()
    n = write_token_files(shared, *partial)
    for a, b in zip(partial, files, strict=True):
        a.replace(b)
    print(f"vectors: corpus of {n:,} characters written in {time.time() - t0:.0f}s", flush=True)
    return files


def build(
    shared: Path,
    *,
    workers: int = 2,
    seed: int = 0,
    force: bool = False,
    prepare_only: bool = False,
) -> list[Path]:
    """Train (or find cached) char and bigram vectors; the cached file paths."""
    paths = [vector_path(kind, shared, seed) for kind in ("char", "bigram")]
    if not force and all(p.is_file() for p in paths):
        return paths
    corpora_files = token_files(shared)
    if prepare_only:
        return corpora_files
    for kind, corpus, out in zip(("char", "bigram"), corpora_files, paths, strict=True):
        if out.is_file() and not force:
            continue
        t0 = time.time()
        arrays = train_vectors(corpus, kind, workers, seed)
        np.savez(out.with_suffix(".part.npz"), tokens=arrays["tokens"], vectors=arrays["vectors"])
        out.with_suffix(".part.npz").replace(out)
        print(
            f"vectors: {kind} {len(arrays['tokens']):,} x {arrays['vectors'].shape[1]} "
            f"in {(time.time() - t0) / 60:.1f} min -> {out}",
            flush=True,
        )
    for f in corpora_files:
        f.unlink(missing_ok=True)
    return paths


def load(path: Path) -> dict[str, np.ndarray]:
    """{token: float32 vector} of a cached vector file."""
    with np.load(path) as z:
        tokens, vectors = z["tokens"], z["vectors"].astype(np.float32)
    return {str(t): v for t, v in zip(tokens, vectors, strict=True)}


def news_char_vectors(shared: Path, seed: int = 0) -> dict[str, np.ndarray]:
    """Character vectors (built and cached first when absent), whitespace as ``" "``."""
    path = build(shared, seed=seed)[0]
    vecs = load(path)
    if SPACE in vecs:
        vecs[" "] = vecs.pop(SPACE)
    return {c: v for c, v in vecs.items() if len(c) == 1}


def news_bigram_vectors(shared: Path, seed: int = 0) -> dict[str, np.ndarray]:
    """Bigram vectors keyed by the bigram's two tokens ("ab", or "a" + END)."""
    return load(build(shared, seed=seed)[1])


def main(argv: list[str] | None = None) -> None:
    from pipeline.evaluation.corpora import DEFAULT_SHARED

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--force", action="store_true", help="retrain even when cached")
    ap.add_argument(
        "--prepare-only", action="store_true", help="only write the token corpora (one core)"
    )
    args = ap.parse_args(argv)
    built = build(
        args.shared,
        workers=args.workers,
        seed=args.seed,
        force=args.force,
        prepare_only=args.prepare_only,
    )
    for p in built:
        print(p)


if __name__ == "__main__":
    main()
