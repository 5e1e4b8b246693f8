"""The named labeled sets under ``../shared/corpora`` and their agreed splits.

One definition of each split for training, ``make eval`` and ``make bench``: the MSRA
dev set is the last 3,000 sentences of msra_train (held out from training, as the model
card says); People's Daily dev leaves out the sentences that also occur in msra_train.
Corpus text is read at run time only and never written into the repository; callers
that can do without a corpus check :func:`missing` first.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.evaluation.formats import (
    Tagged,
    iter_cluener,
    iter_tagged,
    read_bio,
    read_cluener,
    read_iob2,
)
from pipeline.evaluation.gold import GoldDoc

__all__ = [
    "CLUENER",
    "DEFAULT_SHARED",
    "MSRA",
    "MSRA_DEV_SIZE",
    "PD_DEV",
    "PD_OVERLAP",
    "UNER",
    "cluener",
    "cluener_sentences",
    "corpora_dir",
    "missing",
    "msra_dev",
    "msra_sentences",
    "pd_dev",
    "pd_overlap",
    "uner",
    "uner_sentences",
]

#: ``../shared`` beside the checkout (the Makefile's ``SHARED``).
DEFAULT_SHARED = Path(__file__).resolve().parents[2].parent / "shared"

#: Files relative to ``<shared>/corpora``.
MSRA = "msra_train/msra_train.bio"
PD_DEV = "people_daily_time/dev.char.bio.tsv"
PD_OVERLAP = "people_daily_time/overlap_with_msra_train.txt"
CLUENER = "cluener/{split}.jsonl"
UNER = "uner_zh_gsdsimp/zh_gsdsimp-ud-{split}.iob2"
#: The MSRA dev split: the last sentences of msra_train.
MSRA_DEV_SIZE = 3000


def corpora_dir(shared: str | Path | None = None) -> Path:
    """``<shared>/corpora`` (default: ``../shared`` beside the checkout)."""
    return Path(shared if shared is not None else DEFAULT_SHARED) / "corpora"


def missing(shared: str | Path | None, *files: str) -> list[str]:
    """The paths of ``files`` (relative to the corpora folder) that are absent."""
    base = corpora_dir(shared)
    return [str(base / rel) for rel in files if not (base / rel).is_file()]


def msra_sentences(shared: str | Path | None = None) -> list[Tagged]:
    """All of msra_train, spans of MSRA's types (PER, ORG, LOC)."""
    return list(iter_tagged(corpora_dir(shared) / MSRA))


def msra_dev(shared: str | Path | None = None) -> list[GoldDoc]:
    """The MSRA dev split as gold documents ``msra:<n>`` (n counts from the top of train)."""
    return read_bio(corpora_dir(shared) / MSRA, id_prefix="msra")[-MSRA_DEV_SIZE:]


def pd_overlap(shared: str | Path | None = None, *, file: str = "dev.char.bio.tsv") -> set[int]:
    """0-based sentence indices of a People's Daily file that also occur in msra_train."""
    out: set[int] = set()
    for line in (corpora_dir(shared) / PD_OVERLAP).read_text(encoding="utf-8").splitlines():
        if line.startswith(file):
            out.add(int(line.split("\t")[1]))
    return out


def pd_dev(shared: str | Path | None = None) -> list[GoldDoc]:
    """People's Daily dev without its msra_train sentences, documents ``pd:<n>``."""
    overlap = pd_overlap(shared)
    docs = read_bio(corpora_dir(shared) / PD_DEV, id_prefix="pd")
    return [d for i, d in enumerate(docs) if i not in overlap]


def cluener_sentences(split: str, shared: str | Path | None = None) -> list[Tagged]:
    """A CLUENER split (``train`` or ``dev``), spans of CLUENER's types."""
    return list(iter_cluener(corpora_dir(shared) / CLUENER.format(split=split)))


def cluener(split: str, shared: str | Path | None = None) -> list[GoldDoc]:
    """A CLUENER split as gold documents, labels mapped (``CLUENER_LABEL_MAP``)."""
    return read_cluener(corpora_dir(shared) / CLUENER.format(split=split))


def uner_sentences(split: str, shared: str | Path | None = None) -> list[Tagged]:
    """A Universal NER zh_gsdsimp split (``train``, ``dev``, ``test``), in characters."""
    path = corpora_dir(shared) / UNER.format(split=split)
    return list(iter_tagged(path, token_col=1, tag_col=2, comments=True))


def uner(split: str, shared: str | Path | None = None) -> list[GoldDoc]:
    """A Universal NER split as gold documents ``uner:<n>``, PER/ORG/LOC."""
    return read_iob2(corpora_dir(shared) / UNER.format(split=split))
