"""Character, bigram and word vectors pretrained on news text, for the tagger.

    python -m pipeline.training.vectors [--shared ../shared]      (make vectors)
    python -m pipeline.training.vectors --kinds word               (make word-vectors)

word2vec (gensim, CBOW with negative sampling) over ../shared/corpora/news_unlabeled
plus the MSRA training sentences (its dev block left out), in the form the tagger reads
text: the Simplified shadow (``to_simplified``), each character NFKC-folded as the
featurizer folds it. Characters are tokens of one corpus; the tagger's bigrams
(c[i], c[i+1], the last character of a line paired with an end mark) are the tokens of a
second. Articles of the blind dev sets (news_gold, and the ``dev`` split of
data/annotations/selection.jsonl) are left out.

Word vectors (the SoftLexicon features, ``train --softlex``) come from a third corpus
of the same lines: the words of the product's jieba segmenter (jieba's dictionary and
the project's user dictionary), unfolded, as the lexicon hashes them; each word's
corpus count is kept beside its vector (the SoftLexicon weights). They have their own
settings and digest, so adding them left the char and bigram file names unchanged.

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
from functools import cache
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from pipeline.training.data import CACHE, nfkc_char

if TYPE_CHECKING:
    from pipeline.stages.segment import JiebaSegmenter

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


#: Word vectors (``--kinds word``): jieba words of the same lines.
WORD_SETTINGS: dict[str, int] = {
    "dim": 50,
    "window": 5,
    "min_count": 5,
    "epochs": 3,
    "negative": 5,
    "sg": 0,
}
#: Bump when the word corpus preparation changes.
WORD_PREP_VERSION = 1
#: Lines per segmentation job of a worker process.
SEGMENT_BATCH = 2000


def _settings(kind: str) -> dict[str, int]:
    return WORD_SETTINGS if kind == "word" else SETTINGS[kind]


def _token(c: str) -> str:
    return SPACE if c.isspace() else nfkc_char(c)


def char_tokens(line: str) -> list[str]:
    """A line's character tokens, as the featurizer folds characters."""
    return [_token(c) for c in line]


def bigram_tokens(chars: list[str]) -> list[str]:
    """The tagger's bigrams of a line's character tokens (the last pairs with END)."""
    return [a + b for a, b in zip(chars, [*chars[1:], END], strict=True)]


def word_tokens(line: str, seg: JiebaSegmenter) -> list[str]:
    """The jieba words of a line (the product's segmenter), whitespace left out."""
    return [w for w in seg.words(line) if w.split() == [w]]


@cache
def _segmenter() -> JiebaSegmenter:
    from pipeline.stages.segment import JiebaSegmenter

    return JiebaSegmenter()


def _segment_lines(lines: list[str]) -> list[str]:
    """Word corpus lines (space-separated words) of a batch of lines (a worker's job)."""
    seg = _segmenter()
    return [" ".join(word_tokens(line, seg)) for line in lines]


def excluded_ids(shared: Path) -> set[str]:
    """Articles never read: news_gold, and the dev split of the annotation selection."""
    from pipeline.annotations.corpus import gold_ids
    from pipeline.annotations.select import selected_ids

    return gold_ids(shared) | selected_ids("dev")


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


def word_corpus_digest(shared: Path) -> str:
    """Digest of the word corpus: the sources, jieba's version and the user dictionary."""
    import jieba

    h = hashlib.sha1(f"{WORD_PREP_VERSION}:{jieba.__version__}:".encode())
    h.update(sources_digest(shared, settings=False).encode())
    h.update(_segmenter().userdict_bytes())
    return h.hexdigest()[:12]


def vector_path(kind: str, shared: Path, seed: int = 0) -> Path:
    """Where the vectors of ``kind`` ("char", "bigram" or "word") are cached."""
    if kind == "word":
        h = hashlib.sha1(json.dumps([word_corpus_digest(shared), WORD_SETTINGS]).encode())
        return VECTORS_DIR / f"word_{h.hexdigest()[:12]}_s{seed}.npz"
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


def write_word_file(shared: Path, word_file: Path, workers: int) -> int:
    """The word2vec corpus of jieba words (``workers`` segmenting processes); returns words."""
    import multiprocessing

    def batches() -> Iterator[list[str]]:
        it = corpus_lines(shared)
        while batch := list(islice(it, SEGMENT_BATCH)):
            yield batch

    n = 0
    with (
        word_file.open("w", encoding="utf-8") as f,
        multiprocessing.get_context("fork").Pool(max(1, workers)) as pool,
    ):
        for lines in pool.imap(_segment_lines, batches()):  # in order: a deterministic file
            for line in lines:
                n += (line.count(" ") + 1) if line else 0
                f.write(line + "\n")
    return n


def train_vectors(corpus_file: Path, kind: str, workers: int, seed: int) -> dict[str, np.ndarray]:
    """word2vec on one token corpus (CBOW: a third of skip-gram's time on 2 cores).

    Returns the tokens, their vectors (float16) and their counts in the corpus.
    """
    from gensim.models import Word2Vec

    s = _settings(kind)
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
    counts = np.array([kv.get_vecattr(t, "count") for t in kv.index_to_key], dtype=np.int64)
    return {
        "tokens": np.array(kv.index_to_key),
        "vectors": kv.vectors.astype(np.float16),
        "counts": counts,
    }


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
        _save(out, arrays)
        print(
            f"vectors: {kind} {len(arrays['tokens']):,} x {arrays['vectors'].shape[1]} "
            f"in {(time.time() - t0) / 60:.1f} min -> {out}",
            flush=True,
        )
    for f in corpora_files:
        f.unlink(missing_ok=True)
    return paths


def _save(out: Path, arrays: dict[str, np.ndarray]) -> None:
    part = out.with_suffix(".part.npz")
    np.savez(part, **arrays)  # type: ignore[arg-type]
    part.replace(out)


def build_words(
    shared: Path,
    *,
    workers: int = 2,
    seed: int = 0,
    force: bool = False,
    prepare_only: bool = False,
) -> Path:
    """Train (or find cached) the word vectors; the cached file's path.

    With ``prepare_only``, only the word corpus is written (and its path returned).
    """
    out = vector_path("word", shared, seed)
    if out.is_file() and not force:
        return out
    VECTORS_DIR.mkdir(parents=True, exist_ok=True)
    corpus = VECTORS_DIR / f"corpus_word_{word_corpus_digest(shared)}.txt"
    if not corpus.is_file():
        t0 = time.time()
        part = corpus.with_suffix(".part")
        n = write_word_file(shared, part, workers)
        part.replace(corpus)
        print(f"vectors: word corpus of {n:,} words written in {time.time() - t0:.0f}s", flush=True)
    if prepare_only:
        return corpus
    t0 = time.time()
    arrays = train_vectors(corpus, "word", workers, seed)
    _save(out, arrays)
    print(
        f"vectors: word {len(arrays['tokens']):,} x {arrays['vectors'].shape[1]} "
        f"in {(time.time() - t0) / 60:.1f} min -> {out}",
        flush=True,
    )
    corpus.unlink(missing_ok=True)
    return out


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


def news_word_vectors(shared: Path, seed: int = 0) -> dict[str, np.ndarray]:
    """The word vectors (built and cached first when absent): tokens, vectors, counts."""
    with np.load(build_words(shared, seed=seed)) as z:
        return {k: z[k] for k in ("tokens", "vectors", "counts")}


def main(argv: list[str] | None = None) -> None:
    from pipeline.evaluation.corpora import DEFAULT_SHARED

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--force", action="store_true", help="retrain even when cached")
    ap.add_argument(
        "--kinds",
        default="char,bigram",
        help="comma-separated kinds to build: char, bigram (built together), word",
    )
    ap.add_argument(
        "--prepare-only", action="store_true", help="only write the token corpora (one core)"
    )
    args = ap.parse_args(argv)
    kinds = {k.strip() for k in args.kinds.split(",") if k.strip()}
    unknown = kinds - {"char", "bigram", "word"}
    if unknown:
        ap.error(f"unknown kinds: {', '.join(sorted(unknown))}")
    built: list[Path] = []
    if kinds & {"char", "bigram"}:
        built += build(
            args.shared,
            workers=args.workers,
            seed=args.seed,
            force=args.force,
            prepare_only=args.prepare_only,
        )
    if "word" in kinds:
        built.append(
            build_words(
                args.shared,
                workers=args.workers,
                seed=args.seed,
                force=args.force,
                prepare_only=args.prepare_only,
            )
        )
    for p in built:
        print(p)


if __name__ == "__main__":
    main()
