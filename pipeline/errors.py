"""One place for the errors the library raises, each with a stable code.

Every error raised on purpose derives from :class:`PipelineError` (one ``except``
catches them all) and also from the built-in a Python user would catch for the same
problem: a missing input is a :class:`FileNotFoundError`, bytes that decode in no
supported encoding a :class:`UnicodeDecodeError`, a bad header a :class:`ValueError`.

Batch runs turn input errors (:class:`InputError`) into lines of the errors file
(``{"source", "error", "message"}``); the code is part of the output contract, the
message is for people. ``str(error)`` names the input when there is one.

Every exception class of the package is defined here (the batch's, the writers',
the command line's), so :func:`catalogue` lists them all with their codes; the
README's "Errors" table is checked against it. (The per-file budget's ``Expired`` is
no error but a private signal, a ``BaseException`` inside :mod:`pipeline.batch.deadline`.)
"""

from __future__ import annotations

import errno as _errno
from typing import Any

from pipeline.schema import ErrorCode

__all__ = [
    "AnnotationError",
    "BadEncoding",
    "BadHeader",
    "BadRecordLine",
    "BatchError",
    "BinaryInput",
    "BrowserError",
    "EmptyInput",
    "EngineUnavailable",
    "FileTimeout",
    "GoldFormatError",
    "GoldMismatch",
    "InputError",
    "InputNotFound",
    "ModelNotFound",
    "NothingToResume",
    "OutputExists",
    "PipelineConfigError",
    "PipelineError",
    "StaleGraphError",
    "SymlinkLoop",
    "TooLarge",
    "Unreadable",
    "WorkDirError",
    "WorkerCrashed",
    "catalogue",
]


def _rebuild(cls: type[PipelineError], message: str, kwargs: dict[str, Any]) -> PipelineError:
    return cls(message, **kwargs)


class PipelineError(Exception):
    """Base class of every error the library raises on purpose; ``code`` is stable.

    Subclasses also derive from the matching built-in exception, so callers can
    catch either. ``message`` is the detail without the input's name; ``source``
    is the input (a path) when there is one.
    """

    code: str = "error"

    def __init__(self, message: str, *, source: str | None = None) -> None:
        # Not super().__init__: built-in bases further along the MRO (OSError,
        # UnicodeDecodeError) take other arguments; each subclass sets them itself.
        Exception.__init__(self, message)
        self.message = message
        self.source = source

    def _init_kwargs(self) -> dict[str, Any]:
        """Keyword arguments that rebuild this error (pickling across processes)."""
        return {"source": self.source}

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self.message, self._init_kwargs()))

    def __str__(self) -> str:
        return f"{self.source}: {self.message}" if self.source else self.message


class InputError(PipelineError):
    """An input that did not become a record; its ``code`` is an errors-file code."""

    code: ErrorCode = "extract_failed"


class _OSInputError(InputError, OSError):
    """An input error that is also an :class:`OSError` (``errno``, ``filename`` set)."""

    default_errno: int = _errno.EIO

    def __init__(
        self, message: str, *, source: str | None = None, errno: int | None = None
    ) -> None:
        super().__init__(message, source=source)
        self.errno = self.default_errno if errno is None else errno
        self.strerror = message
        self.filename = source

    def _init_kwargs(self) -> dict[str, Any]:
        return {"source": self.source, "errno": self.errno}

    def __str__(self) -> str:  # OSError's own __str__ would come first otherwise
        return PipelineError.__str__(self)


class InputNotFound(_OSInputError, FileNotFoundError):
    """The input path does not exist (a :class:`FileNotFoundError` naming the path)."""

    code: ErrorCode = "not_found"
    default_errno = _errno.ENOENT


class Unreadable(_OSInputError):
    """The file exists but cannot be read (permissions, I/O error, a directory, a FIFO)."""

    code: ErrorCode = "unreadable"


class SymlinkLoop(Unreadable):
    """The path is a symbolic link that resolves to itself, or a directory link to an ancestor."""

    code: ErrorCode = "symlink_loop"
    default_errno = _errno.ELOOP


class _DecodeInputError(InputError, UnicodeDecodeError):
    """An input error that is also a :class:`UnicodeDecodeError` (bytes that are not text)."""

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        encoding: str = "utf-8",
        data: bytes = b"",
        start: int = 0,
        end: int | None = None,
    ) -> None:
        super().__init__(message, source=source)
        stop = len(data) if end is None else end
        UnicodeDecodeError.__init__(self, encoding, data, start, max(stop, start), message)
        self.args = (message,)

    def _init_kwargs(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "encoding": self.encoding,
            "data": self.object,
            "start": self.start,
            "end": self.end,
        }

    def __str__(self) -> str:
        return PipelineError.__str__(self)


class BadEncoding(_DecodeInputError):
    """The bytes decode in no supported encoding (UTF-8, UTF-16, GB18030, Big5, ...)."""

    code: ErrorCode = "bad_encoding"


class BinaryInput(_DecodeInputError):
    """The bytes are binary data (NUL bytes, control characters), not text."""

    code: ErrorCode = "binary"


class TooLarge(InputError, ValueError):
    """The file is larger than the configured per-file limit."""

    code: ErrorCode = "too_large"


class EmptyInput(InputError, ValueError):
    """The file has no bytes, or no text at all."""

    code: ErrorCode = "empty"


class BadHeader(InputError, ValueError):
    """The header lines (``<!--EPOCH_MS-->``, ``[TITLE](URL)``, ``------``) are wrong."""

    code: ErrorCode = "bad_header"


class FileTimeout(InputError, TimeoutError):
    """Processing the file took longer than the per-file budget (``--file-timeout``)."""

    code: ErrorCode = "timeout"


class WorkerCrashed(InputError, RuntimeError):
    """The worker process died (crash, out of memory) each time this file was processed."""

    code: ErrorCode = "worker_crashed"


class ModelNotFound(PipelineError, OSError):
    """``--model`` names neither a bundled model, a path, nor an installed spaCy pipeline.

    An :class:`OSError`, like spaCy's own error for a pipeline it cannot find.
    """

    code = "model_not_found"

    def __str__(self) -> str:
        return PipelineError.__str__(self)


class PipelineConfigError(PipelineError, ValueError):
    """The stages cannot be composed: a stage's requirement is not provided by an earlier one."""

    code = "bad_pipeline"


class AnnotationError(PipelineError, ValueError):
    """A standoff annotation file cannot be read, or its text cannot be rebuilt from ../shared."""

    code = "bad_annotation"


class BatchError(PipelineError, ValueError):
    """Batch options that cannot run together or are out of range; nothing was written."""

    code = "bad_options"


class OutputExists(PipelineError, FileExistsError):
    """The output file exists and overwriting was not requested."""

    code = "output_exists"

    def __str__(self) -> str:
        return PipelineError.__str__(self)


class WorkDirError(PipelineError, RuntimeError):
    """A batch's work dir cannot be used as asked (busy, from another job, left by a crash)."""

    code = "work_dir"


class NothingToResume(PipelineError):
    """``resume`` found the outputs of a finished run and no interrupted work to continue."""

    code = "nothing_to_resume"


class EngineUnavailable(PipelineError, RuntimeError):
    """A batch engine cannot start (an optional dependency is missing, no scheduler, ...)."""

    code = "engine_unavailable"


class BadRecordLine(PipelineError, ValueError):
    """A line of a records file is not a valid record; the message names the file and line."""

    code = "bad_record_line"


class GoldFormatError(PipelineError, ValueError):
    """A gold file (or a corpus read as gold) is malformed; the message names the line."""

    code = "bad_gold"


class StaleGraphError(PipelineError, ValueError):
    """A model's ``tagger.onnx`` was exported from other weights than its ``weights.npz``."""

    code = "stale_graph"


class GoldMismatch(PipelineError, ValueError):
    """An identity gold row names a record or a form the scored records do not hold."""

    code = "gold_mismatch"


class BrowserError(PipelineError, RuntimeError):
    """Chromium (the report's browser check) could not be started or did not answer."""

    code = "browser"


def _subclasses(cls: type[PipelineError]) -> list[type[PipelineError]]:
    out: list[type[PipelineError]] = []
    for sub in cls.__subclasses__():
        out.append(sub)
        out.extend(_subclasses(sub))
    return out


def catalogue() -> dict[str, type[PipelineError]]:
    """Every public error class of the package by its stable code.

    Private intermediate bases (``_OSInputError``) are left out; each public class
    has a code of its own, so the mapping is one to one.
    """
    return {
        cls.code: cls
        for cls in sorted(_subclasses(PipelineError), key=lambda c: c.code)
        if not cls.__name__.startswith("_") and cls.__module__ == __name__
    }
