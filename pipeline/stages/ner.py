"""Extract stage: the named-entity component of the bundled spaCy pipeline.

``zh_news_ner`` wraps the character tagger of :mod:`pipeline.model` as a spaCy
component registered by name, so ``spacy.load("models/zh_news_ner")(text).ents``
works as well as the product's own API. The tagger reads characters of the
Simplified shadow (``doc._.zhs``) and jieba's word boundaries (the Doc's tokens);
its spans need not follow jieba's cuts, so the component re-tokenizes the Doc at
entity boundaries (jieba splits about one gold entity in ten).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache
from itertools import islice, pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

from spacy.attrs import IDX, LENGTH
from spacy.language import Language
from spacy.tokens import Doc
from threadpoolctl import ThreadpoolController

from pipeline.stages.segment import doc_text, shadow_text

if TYPE_CHECKING:
    from pipeline.model.tagger import CharTagger

COMPONENT = "zh_news_ner"

#: How labels of other spaCy pipelines (zh_core_web_sm: OntoNotes) map to ours.
LABEL_MAP: dict[str, str] = {
    "PERSON": "PERSON",
    "PER": "PERSON",
    "ORG": "ORG",
    "GPE": "LOC",
    "LOC": "LOC",
    "FAC": "LOC",
    "NORP": "",
    "DATE": "DATE",
    "TIME": "",
}


def map_label(label: str) -> str | None:
    """Our label for a model's label, or None when we do not keep it."""
    return LABEL_MAP.get(label) or None


@lru_cache(maxsize=1)
def _blas_controller() -> ThreadpoolController:
    """BLAS thread control: the tagger's small recurrent matmuls run on one thread.

    Multi-threaded BLAS gains nothing on (batch × hidden) products and, when other
    processes (batch workers, a training run) hold the cores, its spinning threads
    slow inference down by orders of magnitude.
    """
    return ThreadpoolController()


def token_spans(doc: Doc) -> list[tuple[int, int]]:
    """(start, end) character offsets of every token, without making Token objects."""
    if not len(doc):
        return []
    arr = doc.to_array([IDX, LENGTH])
    return list(zip(arr[:, 0].tolist(), (arr[:, 0] + arr[:, 1]).tolist(), strict=True))


def token_starts(doc: Doc) -> list[int]:
    """Character offsets where tokens start."""
    return doc.to_array([IDX]).tolist() if len(doc) else []


def overlaps_any(
    spans: Sequence[tuple[int, int, str]] | Sequence[tuple[int, int]],
) -> Callable[[int, int], bool]:
    """A test "does [s, e) overlap one of ``spans``?" in O(log n) per call.

    Spans are sorted once; a prefix maximum of their ends makes any set of spans
    (overlapping or not) searchable with one bisection, so checking k spans against
    n costs O((k + n) log n), never k × n.
    """
    ordered = sorted((x[0], x[1]) for x in spans)
    starts = [a for a, _ in ordered]
    reach: list[int] = []
    top = -1
    for _, b in ordered:
        top = max(top, b)
        reach.append(top)

    def test(s: int, e: int) -> bool:
        i = bisect_left(starts, e)  # spans that start before e
        return i > 0 and reach[i - 1] > s

    return test


def split_doc(doc: Doc, spans: Sequence[tuple[int, int, str]]) -> Doc:
    """Set ``spans`` as the ents of ``doc``, re-tokenizing at span boundaries when needed.

    Existing ents of ``doc`` that do not overlap ``spans`` are kept; Doc extension
    values are copied. Token attributes other than text are not preserved.
    """
    keep = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
    taken = sorted(spans)
    hit = overlaps_any(taken)
    merged = list(taken)
    merged.extend(k for k in keep if not hit(k[0], k[1]))
    merged.sort()
    # Fast path: every span already falls on token boundaries.
    aligned = [doc.char_span(s, e, label=lab) for s, e, lab in merged]
    if all(span is not None for span in aligned):
        doc.ents = aligned  # type: ignore[assignment]
        return doc
    text = doc_text(doc)
    cuts = {0, len(text)}
    for s, e, _ in merged:
        cuts.add(s)
        cuts.add(e)
    cuts.update(token_starts(doc))
    bounds = sorted(cuts)
    words = [text[a:b] for a, b in pairwise(bounds) if b > a]
    starts = {b: i for i, b in enumerate(bounds[:-1])}
    tags = ["O"] * len(words)
    for s, e, lab in merged:
        i, j = starts[s], starts.get(e, len(words))
        tags[i] = f"B-{lab}"
        for k in range(i + 1, j):
            tags[k] = f"I-{lab}"
    new = Doc(doc.vocab, words=words, spaces=[False] * len(words), ents=tags)
    new.user_data.update(doc.user_data)
    return new


class NerComponent:
    """spaCy component: character tagger → ``doc.ents`` (PERSON, ORG, LOC).

    Like spaCy's ``ner``, it honours entities already set on the Doc: they stay, and
    the tagger decodes with their characters forced to O.
    """

    def __init__(self, nlp: Language, name: str = COMPONENT, *, batch_size: int = 64) -> None:
        self.name = name
        self.batch_size = batch_size
        self.tagger: CharTagger | None = None

    @property
    def labels(self) -> tuple[str, ...]:
        """Labels the tagger predicts."""
        return tuple(self.tagger.labels) if self.tagger else ()

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, stream: Iterable[Doc], *, batch_size: int | None = None) -> Iterator[Doc]:
        if self.tagger is None:
            raise ValueError(f"[E001] component {self.name!r} has no tagger: load a trained model")
        it = iter(stream)
        size = batch_size or self.batch_size
        while batch := list(islice(it, size)):
            texts = [shadow_text(d) for d in batch]
            words = [token_spans(d) for d in batch]
            # Entities already on the Doc (dates claimed by zh_news_date_claims) are
            # kept, and no predicted span may cover or cross them.
            preset = [[(e.start_char, e.end_char) for e in d.ents] for d in batch]
            with _blas_controller().limit(limits=1, user_api="blas"):
                predicted = self.tagger.predict(texts, words, preset)
            for doc, spans in zip(batch, predicted, strict=True):
                yield split_doc(doc, spans)

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        if self.tagger is None:
            raise ValueError(f"[E001] component {self.name!r} has no tagger to save")
        self.tagger.to_disk(Path(path))

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> NerComponent:
        from pipeline.model.tagger import CharTagger

        self.tagger = CharTagger.from_disk(Path(path))
        return self


@Language.factory(COMPONENT, assigns=["doc.ents"], requires=["token.text"], default_config={})
def make_ner(nlp: Language, name: str) -> NerComponent:
    """Factory of the bundled NER component (weights load from the model directory)."""
    return NerComponent(nlp, name)


def build_pipeline(tagger: CharTagger, *, meta: dict[str, Any] | None = None) -> Language:
    """Assemble the bundled pipeline: jieba tokenizer, date claims, NER, rules, dates."""
    from pipeline.stages.date_claims import COMPONENT as CLAIMS
    from pipeline.stages.dates_component import COMPONENT as DATES
    from pipeline.stages.rules import COMPONENT as RULES
    from pipeline.stages.segment import blank_nlp

    nlp = blank_nlp()
    nlp.add_pipe(CLAIMS)
    ner = nlp.add_pipe(COMPONENT)
    assert isinstance(ner, NerComponent)
    ner.tagger = tagger
    nlp.add_pipe(RULES)
    nlp.add_pipe(DATES)
    nlp.meta.update({"name": tagger.name, "version": tagger.version, **(meta or {})})
    nlp.meta["labels"] = {COMPONENT: list(tagger.labels), DATES: ["DATE"]}
    return nlp
