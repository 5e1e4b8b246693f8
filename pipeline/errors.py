"""One place for the errors the pipeline raises, each with a stable code.

Batch runs turn these into lines of the errors file (``{"source", "error",
"message"}``); the code is part of the output contract, the message is for people.
"""

from __future__ import annotations

from pipeline.schema import ErrorCode


class PipelineError(Exception):
    """Base class: every error the library raises on purpose carries a code."""

    code: ErrorCode = "extract_failed"

    def __init__(self, message: str, *, source: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.source = source


class InputNotFound(PipelineError):
    """The input path does not exist."""

    code: ErrorCode = "not_found"


class Unreadable(PipelineError):
    """The file exists but cannot be read (permissions, I/O error, symlink loop)."""

    code: ErrorCode = "unreadable"


class SymlinkLoop(Unreadable):
    """The path is a symbolic link that resolves to itself, or a directory link to an ancestor."""

    code: ErrorCode = "symlink_loop"


class WorkerCrashed(PipelineError):
    """The worker process died (crash, out of memory) each time this file was processed."""

    code: ErrorCode = "worker_crashed"


class TooLarge(PipelineError):
    """The file is larger than the configured per-file limit."""

    code: ErrorCode = "too_large"


class EmptyInput(PipelineError):
    """The file has no bytes, or no text at all."""

    code: ErrorCode = "empty"


class BinaryInput(PipelineError):
    """The file holds binary data, not text."""

    code: ErrorCode = "binary"


class BadEncoding(PipelineError):
    """The bytes decode in no supported encoding (UTF-8, GB18030, Big5, ...)."""

    code: ErrorCode = "bad_encoding"


class BadHeader(PipelineError):
    """The header lines (``<!--EPOCH_MS-->``, ``[TITLE](URL)``, ``------``) are wrong."""

    code: ErrorCode = "bad_header"


class ExtractFailed(PipelineError):
    """The model or a later stage failed on this article."""

    code: ErrorCode = "extract_failed"


class ModelNotFound(Exception):
    """``--model`` names neither a bundled model, a path, nor an installed spaCy pipeline."""


class PipelineConfigError(Exception):
    """The stages cannot be composed: a stage's requirement is not provided by an earlier one."""


class AnnotationError(ValueError):
    """A standoff annotation file cannot be read, or its text cannot be rebuilt from ../shared."""
