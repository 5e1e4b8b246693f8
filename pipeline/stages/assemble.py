"""Assembling the project's spaCy pipeline: one order, one check, used by loading and training.

The bundled pipeline is the jieba tokenizer, then ``zh_news_date_claims`` (sure dates,
set before any NER component), an NER component (the bundled ``zh_news_ner`` or any
spaCy pipeline's), ``zh_news_rules`` (the gazetteer) and ``zh_news_dates`` (DATE
entities with values). :func:`assemble` completes any pipeline to that shape, and
:func:`check_pipeline` verifies the components' declared ``requires``/``assigns``
before a text is processed, raising :class:`~pipeline.errors.PipelineConfigError`.

Adding a component: write its factory (with ``requires``, ``assigns`` and a
``default_config``) in its own module under ``pipeline/stages``, name it in
:mod:`pipeline.stages.names`, import its module in :func:`register` and place it in
:func:`assemble`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final

from spacy.language import Language

from pipeline.errors import PipelineConfigError
from pipeline.stages.names import CLAIMS, DATES, NER, RULES

if TYPE_CHECKING:
    from pipeline.model.tagger import CharTagger

#: What a Doc holds before the first component: the tokenizer's tokens and Simplified
#: shadow (components compute the shadow themselves under another tokenizer), and the
#: article's context set by the caller (``Extractor.make_doc``; None when unknown).
INPUTS: Final = frozenset({"token.text", "doc._.zhs", "doc._.published", "doc._.timezone"})
#: The project's components: their declared requirements are checked.
OWN: Final = (CLAIMS, NER, RULES, DATES)


def register() -> None:
    """Register the project's tokenizer and factories with spaCy (before reading a config)."""
    import pipeline.stages.date_claims
    import pipeline.stages.dates_component
    import pipeline.stages.ner
    import pipeline.stages.rules
    import pipeline.stages.segment  # noqa: F401


def assemble(nlp: Language) -> Language:
    """Complete ``nlp`` to the project's shape, in place, and check it.

    Pipelines that lack them get ``zh_news_date_claims`` first, ``zh_news_rules``
    after the NER components (before ``zh_news_dates`` when present) and
    ``zh_news_dates`` last; components already there stay where they are.
    """
    register()
    if CLAIMS not in nlp.pipe_names:
        nlp.add_pipe(CLAIMS, first=True)
    if RULES not in nlp.pipe_names:
        if DATES in nlp.pipe_names:
            nlp.add_pipe(RULES, before=DATES)
        else:
            nlp.add_pipe(RULES, last=True)
    if DATES not in nlp.pipe_names:
        nlp.add_pipe(DATES, last=True)
    check_pipeline(nlp)
    return nlp


def check_pipeline(nlp: Language) -> None:
    """Raise PipelineConfigError where a component would run without what it needs.

    Each of the project's components must find its ``requires`` among :data:`INPUTS`
    or the ``assigns`` of an earlier component. ``zh_news_date_claims`` replaces
    ``doc.ents``, so no component that sets entities may run before it.
    """
    available = set(INPUTS)
    for name in nlp.pipe_names:
        meta = nlp.get_pipe_meta(name)
        if name in OWN:
            missing = sorted(set(meta.requires) - available)
            if missing:
                raise PipelineConfigError(
                    f"[E004] component {name!r} requires {', '.join(missing)}, which no "
                    f"earlier component assigns (pipeline: {', '.join(nlp.pipe_names)})"
                )
        if name == CLAIMS:
            earlier = [
                n
                for n in nlp.pipe_names[: nlp.pipe_names.index(name)]
                if "doc.ents" in nlp.get_pipe_meta(n).assigns
            ]
            if earlier:
                raise PipelineConfigError(
                    f"[E004] component {CLAIMS!r} sets doc.ents afresh, so it must run "
                    f"before {', '.join(map(repr, earlier))} (pipeline: {', '.join(nlp.pipe_names)})"
                )
        available.update(meta.assigns)


def build_pipeline(tagger: CharTagger, *, meta: Mapping[str, Any] | None = None) -> Language:
    """The bundled pipeline around a trained tagger: tokenizer, claims, NER, rules, dates."""
    from pipeline.stages.ner import NerComponent
    from pipeline.stages.segment import blank_nlp

    register()
    nlp = blank_nlp()
    ner = nlp.add_pipe(NER)
    assert isinstance(ner, NerComponent)
    ner.tagger = tagger
    assemble(nlp)
    nlp.meta.update({"name": tagger.name, "version": tagger.version, **(meta or {})})
    nlp.meta["labels"] = {NER: list(tagger.labels), DATES: ["DATE"]}
    return nlp
