"""One place for the errors the library raises, each with a stable code.

Every error raised on purpose derives from :class:`PipelineError` (one ``except``
catches them all) and also from the built-in a Python user would catch for the same
problem: a missing input is a :class:`FileNotFoundError`, bytes that decode in no
supported encoding a :class:`UnicodeDecodeError`, a bad header a :class:`ValueError`.

Batch runs turn input errors (:class:`InputError`) into lines of the errors file
(``{"source", "error", "message"}``); the code is part of the output contract, the
message is for people. ``str(error)`` names the input when there is one.
"""

from __future__ import annotations

import errno as _errno
from typing import Any

from pipeline.schema import ErrorCode

__all__ = [
    "AnnotationError",
    "BadEncoding",
    "BadHeader",
    "BinaryInput",
    "EmptyInput",
    "ExtractFailed",
    "FileTimeout",
    "InputError",
    "InputNotFound",
    "ModelNotFound",
    "PipelineConfigError",
    "PipelineError",
    "SymlinkLoop",
    "TooLarge",
    "Unreadable",
    "WorkerCrashed",
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


class ExtractFailed(InputError, RuntimeError):
    """The model or a later stage failed on this article."""

    code: ErrorCode = "extract_failed"


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
