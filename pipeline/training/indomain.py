"""In-domain training sentences from the team's standoff annotations (data/annotations).

The annotated article openings (``news_train/*.jsonl``) are rebuilt from
``../shared/corpora/news_unlabeled`` by :func:`pipeline.annotations.store.load_annotations`
and cut the way the tagger cuts a text at run time: the Simplified shadow of the
article (the tagger never sees Traditional forms), jieba words over the whole text (as
the tokenizer gives them), then the tagger's own sentence chunks
(``pipeline.model.tagger._chunks``). PERSON, ORG and LOC spans become the model's
labels; DATE spans stay O, as the tagger must leave dates to the date components.
Nothing read here is written into the repository.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.evaluation.gold import GoldDoc
from pipeline.evaluation.labels import NER_LABELS
from pipeline.training.data import Sentence

if TYPE_CHECKING:
    from pipeline.stages.segment import JiebaSegmenter

#: The team's training store, relative to the repository root.
NEWS_TRAIN = Path("data/annotations/news_train")

Words = list[tuple[int, int]]


def article_chunks(doc: GoldDoc, source: str = "news") -> list[tuple[Sentence, Words]]:
    """One annotated article as the tagger's chunks: (sentence, its jieba words).

    A mention that a chunk cut runs through (the tagger cuts chunks longer than its
    limit at word boundaries, so this is rare) is left out of both chunks; a word that
    runs over a cut is clipped to the chunk.
    """
    from pipeline.model.tagger import _chunks
    from pipeline.stages.simplified import to_simplified

    text = to_simplified(doc.text or "")
    words = _segmenter().spans(text) if text else []
    spans = sorted((m.start, m.end, m.label) for m in doc.mentions if m.label in NER_LABELS)
    out: list[tuple[Sentence, Words]] = []
    for a, b in _chunks(text, words):
        out.append(
            (
                Sentence(
                    text[a:b],
                    [(s - a, e - a, lab) for s, e, lab in spans if s >= a and e <= b],
                    source,
                ),
                [(max(s, a) - a, min(e, b) - a) for s, e in words if s < b and e > a],
            )
        )
    return out


@cache
def _segmenter() -> JiebaSegmenter:
    """The product's segmenter (jieba with the project's user dictionary), loaded once."""
    from pipeline.stages.segment import JiebaSegmenter

    return JiebaSegmenter()


def news_sentences(
    store: str | Path = NEWS_TRAIN, shared: str | Path = "../shared"
) -> list[tuple[Sentence, Words]]:
    """Every chunk of every annotated article of ``store`` (ids in file order)."""
    from pipeline.annotations.store import load_annotations

    out: list[tuple[Sentence, Words]] = []
    for doc in load_annotations(store, shared):
        out.extend(article_chunks(doc, f"news:{doc.id}"))
    return out
