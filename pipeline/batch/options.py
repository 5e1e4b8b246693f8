"""The options of a batch run: one frozen value, validated once when it is made.

:func:`~pipeline.batch.job.run_batch` takes the inputs and one :class:`BatchOptions`;
the command line builds the same object from its flags and shows its
:class:`~pipeline.errors.BatchError` as a usage error, so every rule (which options
exclude each other, which ranges are allowed, where the errors file goes) lives
here and nowhere else.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Literal

from pipeline.defaults import (
    DEFAULT_CHUNK_SIZE,
    DEFAULT_FILE_TIMEOUT,
    DEFAULT_GLOB,
    DEFAULT_MAX_BYTES,
)
from pipeline.errors import BatchError

__all__ = ["BatchOptions", "EngineName", "default_errors_path"]

EngineName = Literal["local", "dask"]
ENGINES: tuple[EngineName, ...] = ("local", "dask")
#: What replaces the records file's extension to name its errors file.
ERRORS_SUFFIX = ".errors.jsonl"


def default_errors_path(out: Path) -> Path:
    """The errors file beside ``out``: ``records.jsonl`` → ``records.errors.jsonl``."""
    return out.with_suffix(ERRORS_SUFFIX)


def _zone(tz: str) -> str:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise BatchError(
            f"unknown time zone {tz!r} (use an IANA name such as Asia/Taipei)"
        ) from None
    return tz


@dataclass(frozen=True, slots=True, kw_only=True)
class BatchOptions:
    """How a batch runs; invalid combinations raise :class:`~pipeline.errors.BatchError`.

    Attributes:
        out: Records JSONL, written atomically at the end; None streams the records to
            standard output in input order as chunks finish (no ``resume`` then).
        errors: Error lines JSONL; None means beside ``out`` (``<stem>.errors.jsonl``),
            or standard error, one JSON line each, when ``out`` is None.
        model: Bundled model name, model path or installed spaCy pipeline (None: bundled).
        workers: Worker processes (1 = this process) or LocalCluster workers for Dask;
            None means the number of cores.
        engine: ``"local"`` or ``"dask"`` (``scheduler`` address, else a LocalCluster).
        resume: Continue an interrupted run of the same job from its work dir.
        overwrite: Replace existing outputs (and any work dir left by a crash).
        max_bytes: Larger files become ``too_large`` error lines.
        glob: Files picked inside input directories.
        chunk_size: Inputs per chunk, the unit of work and of commit.
        file_timeout: Seconds one file may take (0: no limit); a file over it becomes a
            ``timeout`` error line, is not retried, and the worker goes on.
        tz: IANA zone for every article's relative dates (default: from each URL).
        debug: Re-raise unexpected failures (a model or rules bug) instead of turning
            them into error lines or warnings.
    """

    out: Path | None = None
    errors: Path | None = None
    model: str | None = None
    workers: int | None = 1
    engine: EngineName = "local"
    scheduler: str | None = None
    resume: bool = False
    overwrite: bool = False
    max_bytes: int = DEFAULT_MAX_BYTES
    glob: str = DEFAULT_GLOB
    chunk_size: int = DEFAULT_CHUNK_SIZE
    file_timeout: float = DEFAULT_FILE_TIMEOUT
    tz: str | None = None
    debug: bool = False
    #: Where the errors go once ``errors`` is resolved (None: standard error).
    errors_path: Path | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        set_ = object.__setattr__  # frozen: normalize once, here
        if self.out is not None:
            set_(self, "out", Path(self.out))
        if self.errors is not None:
            set_(self, "errors", Path(self.errors))
        if self.model is not None:
            set_(self, "model", os.fspath(self.model))
        if self.workers is None:
            set_(self, "workers", os.cpu_count() or 1)
        for name in ("workers", "chunk_size", "max_bytes"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise BatchError(f"{name.replace('_', ' ')} must be a whole number of at least 1")
        if isinstance(self.file_timeout, bool) or not isinstance(self.file_timeout, int | float):
            raise BatchError("file timeout must be a number of seconds")
        if not (self.file_timeout >= 0 and math.isfinite(self.file_timeout)):  # refuses NaN
            raise BatchError("--file-timeout must be 0 (no limit) or a number of seconds")
        if self.engine not in ENGINES:
            raise BatchError(f"engine must be one of {', '.join(ENGINES)}, not {self.engine!r}")
        if self.scheduler and self.engine != "dask":
            raise BatchError("--scheduler needs --engine dask")
        if self.resume and self.overwrite:
            raise BatchError("--resume and --overwrite exclude each other")
        if self.out is None and self.resume:
            raise BatchError("--resume continues a run that writes files: pass --out")
        if not self.glob:
            raise BatchError("--glob must not be empty")
        if self.tz is not None:
            _zone(self.tz)
        errors = self.errors
        if errors is None and self.out is not None:
            errors = default_errors_path(self.out)
        if errors is not None and self.out is not None and errors.absolute() == self.out.absolute():
            raise BatchError("--out and --errors must be different files")
        set_(self, "errors_path", errors)

    @property
    def parallel(self) -> bool:
        """Whether other processes load the model (several workers or Dask)."""
        return (self.workers or 1) > 1 or self.engine == "dask"

    def job(self) -> dict[str, Any]:
        """The options that make a run's output what it is (recorded for ``resume``)."""
        return {
            "out": None if self.out is None else str(self.out.absolute()),
            "errors": None if self.errors_path is None else str(self.errors_path.absolute()),
            "glob": self.glob,
            "max_bytes": self.max_bytes,
            "tz": self.tz,
            "chunk_size": self.chunk_size,
        }

    def replace(self, **changes: Any) -> BatchOptions:
        """A copy with some options changed, validated again."""
        values = {f.name: getattr(self, f.name) for f in fields(self) if f.init}
        return BatchOptions(**{**values, **changes})
