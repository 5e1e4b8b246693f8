"""Reading records back: the JSONL files ``pipeline run`` writes.

One reader for the notebook API (:func:`pipeline.read_records`), the frames and the
commands that take records files (``report``, ``show``, ``gold``), so a missing file
or a bad line is the same error everywhere.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from pydantic import ValidationError

from pipeline.errors import BadRecordLine
from pipeline.schema import Record

__all__ = ["read_records"]


def read_records(path: str | Path) -> Iterator[Record]:
    """Stream validated records from a JSONL file written by ``pipeline run``.

    Raises:
        InputNotFound: the file does not exist (a ``FileNotFoundError``), or another
            :class:`~pipeline.errors.InputError` when it cannot be read.
        BadRecordLine: a line is not a valid record (a ``ValueError`` naming the line).
        UnicodeDecodeError: the file is not UTF-8.
    """
    from pipeline.stages.parse import check_readable

    path = Path(path)
    check_readable(path)
    with path.open(encoding="utf-8") as f:
        for number, line in enumerate(f, start=1):
            if not line.strip():
                continue
            try:
                yield Record.model_validate_json(line)
            except ValidationError as e:
                first = e.errors()[0]
                where = ".".join(str(p) for p in first.get("loc", ())) or "record"
                raise BadRecordLine(
                    f"{path}:{number}: not a valid record ({where}: {first.get('msg')})"
                ) from e
