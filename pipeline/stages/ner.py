"""Extract stage: the named-entity component of the bundled spaCy pipeline.

``zh_news_ner`` wraps the character tagger of :mod:`pipeline.model` as a spaCy
component registered by name, so ``spacy.load("models/zh_news_ner")(text).ents``
works as well as the product's own API. The tagger reads characters of the
Simplified shadow (``doc._.zhs``) and jieba's word boundaries (the Doc's tokens);
its spans need not follow jieba's cuts, so the component re-tokenizes the Doc at
entity boundaries (jieba splits about one gold entity in ten).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import get_args

from spacy.language import Language
from spacy.tokens import Doc
from threadpoolctl import ThreadpoolController

from pipeline.errors import PipelineConfigError
from pipeline.model.tagger import BATCH_CHARS, Backend, CharTagger
from pipeline.stages.docs import shadow_text, split_doc, token_spans
from pipeline.stages.names import NER

COMPONENT = NER
#: Docs handed to the tagger at once (it regroups their sentences by ``batch_chars``).
BATCH_SIZE = 64

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


class NerComponent:
    """spaCy component: character tagger → ``doc.ents`` (PERSON, ORG, LOC).

    Like spaCy's ``ner``, it honours entities already set on the Doc: they stay, and
    the tagger decodes with their characters forced to O.
    """

    def __init__(
        self,
        nlp: Language,
        name: str = COMPONENT,
        *,
        batch_size: int = BATCH_SIZE,
        batch_chars: int = BATCH_CHARS,
        backend: Backend | None = None,
    ) -> None:
        if batch_size < 1 or batch_chars < 1:
            raise PipelineConfigError(
                f"[E001] component {name!r}: batch_size and batch_chars must be >= 1"
            )
        if backend not in (None, *get_args(Backend)):
            raise PipelineConfigError(
                f"[E001] unknown tagger backend {backend!r} (auto, onnx or numpy)"
            )
        self.name = name
        self.batch_size = batch_size
        self.batch_chars = batch_chars
        self.backend = backend
        self._tagger: CharTagger | None = None

    @property
    def tagger(self) -> CharTagger | None:
        """The loaded tagger (None before the weights load)."""
        return self._tagger

    @tagger.setter
    def tagger(self, tagger: CharTagger | None) -> None:
        if tagger is not None:
            tagger.batch_chars = self.batch_chars  # the component's setting wins
        self._tagger = tagger

    @property
    def labels(self) -> tuple[str, ...]:
        """Labels the tagger predicts."""
        return tuple(self.tagger.labels) if self.tagger else ()

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, stream: Iterable[Doc], *, batch_size: int | None = None) -> Iterator[Doc]:
        if self.tagger is None:
            raise PipelineConfigError(
                f"[E001] component {self.name!r} has no tagger: load a trained model"
            )
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
            raise PipelineConfigError(f"[E001] component {self.name!r} has no tagger to save")
        self.tagger.to_disk(Path(path))

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> NerComponent:
        self.tagger = CharTagger.from_disk(Path(path), backend=self.backend)
        return self


@Language.factory(
    COMPONENT,
    assigns=["doc.ents"],
    requires=["token.text", "doc._.zhs"],
    default_config={"batch_size": BATCH_SIZE, "batch_chars": BATCH_CHARS, "backend": None},
)
def make_ner(
    nlp: Language, name: str, batch_size: int, batch_chars: int, backend: Backend | None
) -> NerComponent:
    """Factory of the bundled NER component (weights load from the model directory).

    ``batch_size``: Docs per tagger call; ``batch_chars``: characters per inference
    batch inside the tagger (smaller for processes that share the CPU cache);
    ``backend``: the tagger's runtime (None: ``$ZH_NEWS_NER_BACKEND``, else ``auto``).
    """
    return NerComponent(nlp, name, batch_size=batch_size, batch_chars=batch_chars, backend=backend)
