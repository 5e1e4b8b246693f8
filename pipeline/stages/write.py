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

from pipeline.errors import OutputExists

__all__ = [
    "OutputExists",
    "atomic_writer",
    "check_writable",
    "fsync_dir",
    "temp_beside",
    "to_json_line",
]


def to_json_line(model: BaseModel) -> str:
    """One JSON line (UTF-8 text, not ASCII-escaped), newline included."""
    return model.model_dump_json(exclude_none=False) + "\n"


def check_writable(path: Path, *, overwrite: bool) -> None:
    """Refuse early, before any work, when ``path`` exists and overwrite is off."""
    if path.exists() and not overwrite:
        raise OutputExists(f"{path} exists; pass --overwrite to replace it")


def fsync_dir(path: Path) -> None:
    """Make a rename in ``path`` durable (no-op where directories cannot be opened)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory fds
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


def temp_beside(path: Path) -> tuple[int, str]:
    """A new temp file in ``path``'s directory (same file system, so rename is atomic).

    ``mkstemp`` creates mode 0600; outputs get the mode a plain ``open`` would give.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    mask = os.umask(0)
    os.umask(mask)
    os.fchmod(fd, 0o666 & ~mask)
    return fd, tmp


@contextmanager
def atomic_writer(path: Path, *, overwrite: bool = False) -> Iterator[IO[str]]:
    """Open a temp file beside ``path``; on success fsync and rename it over ``path``."""
    check_writable(path, overwrite=overwrite)
    fd, tmp = temp_beside(path)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        check_writable(path, overwrite=overwrite)
        os.replace(tmp, path)
        fsync_dir(path.parent)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
