"""Failures of the date rules: what an article gets when they crash, and ``--debug``.

Both date components (the claims before NER and the DATE component after it) hand a
crash to :func:`rules_failed`: the article keeps its names, gets no rule dates and a
``date_rules_failed`` warning; inside :func:`raise_rule_errors` the crash propagates.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from spacy.tokens import Doc

logger = logging.getLogger("pipeline.stages.dates_component")
_raise_errors: ContextVar[bool] = ContextVar("zh_news_dates_raise_errors", default=False)


@contextmanager
def raise_rule_errors(enabled: bool = True) -> Iterator[None]:
    """Let a failure of the date rules propagate in this block (``--debug``).

    A context variable, so it holds for the current thread (or task) only: one batch
    worker's debug run does not change another's.
    """
    token = _raise_errors.set(enabled)
    try:
        yield
    finally:
        _raise_errors.reset(token)


def rules_failed(doc: Doc, error: Exception) -> None:
    """Record a failure of the date rules on ``doc`` (or re-raise it in debug mode)."""
    if _raise_errors.get():
        raise error
    logger.error("the date rules failed on a text of %d characters", len(doc.text), exc_info=error)
    if doc._.date_error is None:
        doc._.date_error = f"{type(error).__name__}: {error}"
