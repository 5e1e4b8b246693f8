"""Shared CLI plumbing: logging set-up, error display, exit codes."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from rich.console import Console

from pipeline.errors import ModelNotFound, PipelineError

err_console = Console(stderr=True, soft_wrap=True)

#: Options shared by several commands, declared once.
ModelOption = Annotated[
    str | None,
    typer.Option(
        "--model", "-m", help="Bundled model name, model path, or installed spaCy pipeline."
    ),
]
DebugOption = Annotated[bool, typer.Option("--debug", help="Show tracebacks.")]
TzOption = Annotated[
    str | None,
    typer.Option("--tz", help="IANA zone of the newsroom (default: from each URL's outlet)."),
]

EXIT_OK = 0
EXIT_SOME_FAILED = 1
EXIT_USAGE = 2


def setup_logging(*, debug: bool = False, quiet: bool = False) -> None:
    """Log to stderr; warnings only unless --debug."""
    level = logging.DEBUG if debug else (logging.ERROR if quiet else logging.WARNING)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", force=True)


def fail(message: str, code: int = EXIT_USAGE) -> int:
    """Print an error message (no traceback) and return the exit code."""
    err_console.print(f"[bold red]error:[/] {message}", highlight=False)
    return code


def check_zone(tz: str | None) -> str | None:
    """Validate a ``--tz`` value (an IANA zone name) or raise a usage error."""
    if tz is None:
        return None
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise typer.BadParameter(
            f"unknown time zone {tz!r} (use an IANA name such as Asia/Taipei)"
        ) from None
    return tz


@contextmanager
def user_errors(source: object, *, debug: bool) -> Iterator[None]:
    """Turn the library's errors into one-line messages and exit codes.

    A model that cannot be found is a usage error (2); an input the pipeline rejects
    exits 1 with its stable code. Tracebacks only with ``--debug``.
    """
    try:
        yield
    except ModelNotFound as e:
        if debug:
            raise
        raise typer.Exit(fail(str(e), EXIT_USAGE)) from None
    except PipelineError as e:
        if debug:
            raise
        raise typer.Exit(fail(f"{source}: {e.code}: {e.message}", EXIT_SOME_FAILED)) from None
