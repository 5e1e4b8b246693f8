"""Write stage: records and error lines as JSONL, written atomically.

Output goes to a temporary file in the target directory and is renamed into place
only when the run is complete, so a reader never sees a half-written file and an
existing output is never touched unless the caller asked to overwrite it.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from pydantic import BaseModel


class OutputExists(Exception):
    """The output file exists and overwriting was not requested."""


def to_json_line(model: BaseModel) -> str:
    """One JSON line (UTF-8 text, not ASCII-escaped), newline included."""
    return model.model_dump_json(exclude_none=False) + "\n"


def check_writable(path: Path, *, overwrite: bool) -> None:
    """Refuse early, before any work, when ``path`` exists and overwrite is off."""
    if path.exists() and not overwrite:
        raise OutputExists(f"{path} exists; pass --overwrite to replace it")


@contextmanager
def atomic_writer(path: Path, *, overwrite: bool = False) -> Iterator[IO[str]]:
    """Open a temp file beside ``path``; on success fsync and rename it over ``path``."""
    check_writable(path, overwrite=overwrite)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        check_writable(path, overwrite=overwrite)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
