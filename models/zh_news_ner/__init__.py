"""The bundled zh_news_ner pipeline, installed as package data beside ``pipeline``.

The files next to this module are a spaCy pipeline directory; load it with
``pipeline.load()`` (or ``spacy.load(zh_news_ner.path())`` once the project's
factories are registered by importing ``pipeline``).
"""

from __future__ import annotations

from pathlib import Path


def path() -> Path:
    """The directory of the pipeline's files (config.cfg, meta.json, weights)."""
    return Path(__file__).resolve().parent
