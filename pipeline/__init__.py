"""Chinese news articles → JSONL records of people, organizations, places and dates.

Notebook API::

    from pipeline import extract
    record = extract("美国国防部长奥斯汀周四在华盛顿表示……", published="2022-01-05T20:45:01Z")
    [(m.text, m.label, m.value) for m in record.mentions]

Nothing heavy happens at import: the model loads on first use and is reused.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.defaults import EXTRACT_BATCH
from pipeline.frames import Frames, frames
from pipeline.schema import SCHEMA_VERSION, Article, Entity, ErrorRecord, Mention, Record

if TYPE_CHECKING:
    from pipeline.runner import Extractor

__all__ = [
    "SCHEMA_VERSION",
    "Article",
    "Entity",
    "ErrorRecord",
    "Frames",
    "Mention",
    "Record",
    "extract",
    "extract_file",
    "frames",
    "load",
    "pipe",
    "read_records",
]

_default: Extractor | None = None
_lock = threading.Lock()


def load(model: str | Path | None = None) -> Extractor:
    """Load a reusable extractor (the bundled model by default); use ``.pipe()`` for streams."""
    from pipeline.runner import Extractor

    return Extractor.load(model)


def _extractor() -> Extractor:
    global _default
    if _default is None:
        with _lock:
            if _default is None:
                _default = load()
    return _default


def extract(
    text: str | bytes,
    *,
    published: dt.datetime | str | None = None,
    title: str | None = None,
    url: str | None = None,
    id: str | None = None,
    timezone: str | None = None,
) -> Record:
    """Extract the entities of one plain text with the bundled model (loaded once).

    ``text`` may be bytes, decoded like a raw file (a ``decoded_as_*`` warning in the
    record when the codec was not UTF-8). ``id`` defaults to 16 hex digits of the
    SHA-256 of the record's text. A non-text argument raises ``TypeError``; bytes that
    decode in no supported codec raise a ``UnicodeDecodeError``
    (:class:`pipeline.errors.BadEncoding`).
    """
    return _extractor().extract(
        text, published=published, title=title, url=url, id=id, timezone=timezone
    )


def extract_file(path: str | Path, *, timezone: str | None = None) -> Record:
    """Parse one raw feed-item file and extract its entities.

    A missing file raises :class:`pipeline.errors.InputNotFound`, a
    ``FileNotFoundError`` naming the path; every other input problem raises a
    :class:`pipeline.errors.PipelineError` subclass (see README, "Errors").
    """
    return _extractor().extract_file(path, timezone=timezone)


def read_records(path: str | Path) -> Iterator[Record]:
    """Stream records back from a JSONL file written by ``pipeline run``, validated.

    A missing file raises :class:`pipeline.errors.InputNotFound` (a
    ``FileNotFoundError``), as :func:`extract_file` does; a line that is not a record
    raises :class:`pipeline.errors.BadRecordLine` (a ``ValueError``) naming the line.
    """
    from pipeline.records import read_records as read

    return read(path)


def pipe(articles: Iterable[Article], *, batch_size: int = EXTRACT_BATCH) -> Iterator[Record]:
    """Stream one record per article, in order, with the bundled model (loaded once).

    The articles come from :func:`pipeline.stages.parse.parse_file` or are built as
    :class:`Article` objects; ``batch_size`` articles go through the model at once.
    ``load(model).pipe(articles)`` does the same with another model.
    """
    return _extractor().pipe(articles, batch_size=batch_size)
