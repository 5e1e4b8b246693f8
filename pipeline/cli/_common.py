"""Shared CLI plumbing: logging set-up, error display, exit codes."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.text import Text

from pipeline.errors import InputError, ModelNotFound, PipelineError

err_console = Console(stderr=True, soft_wrap=True)

#: Options shared by several commands, declared once.
ModelOption = Annotated[
    str | None,
    typer.Option(
        "--model",
        "-m",
        help="Bundled model name, model path, or installed spaCy pipeline.",
        show_default="the bundled zh_news_ner",
        metavar="MODEL",
    ),
]
DebugOption = Annotated[
    bool, typer.Option("--debug", help="Show tracebacks and debug logs.", metavar="")
]
TzOption = Annotated[
    str | None,
    typer.Option(
        "--tz",
        help="IANA zone of the newsroom, e.g. Asia/Taipei.",
        show_default="from each URL's outlet",
        metavar="ZONE",
    ),
]

EXIT_OK = 0
EXIT_SOME_FAILED = 1
EXIT_USAGE = 2


def setup_logging(*, debug: bool = False, quiet: bool = False) -> None:
    """Log to stderr; warnings only unless --debug."""
    level = logging.DEBUG if debug else (logging.ERROR if quiet else logging.WARNING)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", force=True)


def fail(message: str, code: int = EXIT_USAGE) -> int:
    """Print an error message (no traceback) and return the exit code.

    The message may quote input (paths, header lines): it is printed as plain text.
    """
    err_console.print(Text.assemble(("error:", "bold red"), " ", message), highlight=False)
    return code


def warn(message: str) -> None:
    """Print a warning (the message is plain text, never markup)."""
    err_console.print(f"[bold yellow]warning:[/] {escape(message)}", highlight=False)


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


def input_failure(error: InputError, source: object | None = None) -> int:
    """Print an input error as ``SOURCE: code: message`` and return exit code 1.

    The one rule of every command: an input that is missing or cannot be read or
    parsed exits 1 with its stable code; usage errors exit 2.
    """
    where = source if source is not None else error.source
    return fail(f"{where}: {error.code}: {error.message}", EXIT_SOME_FAILED)


def require_file(path: Path) -> None:
    """Exit 1 (``not_found``, ``unreadable``, ...) unless ``path`` is a readable file."""
    from pipeline.stages.parse import check_readable

    try:
        check_readable(path)
    except InputError as e:
        raise typer.Exit(input_failure(e, path)) from None


@contextmanager
def user_errors(source: object, *, debug: bool) -> Iterator[None]:
    """Turn the library's errors into one-line messages and exit codes.

    A model that cannot be found is a usage error (2); an input the pipeline rejects
    exits 1 with its stable code. Tracebacks only with ``--debug``, which also lets a
    failure of the date rules propagate instead of becoming a record warning.
    """
    from pipeline.stages.date_errors import raise_rule_errors

    try:
        with raise_rule_errors(debug):
            yield
    except ModelNotFound as e:
        if debug:
            raise
        raise typer.Exit(fail(str(e), EXIT_USAGE)) from None
    except InputError as e:
        if debug:
            raise
        raise typer.Exit(input_failure(e, source)) from None
    except PipelineError as e:
        if debug:
            raise
        raise typer.Exit(fail(f"{source}: {e.code}: {e.message}", EXIT_SOME_FAILED)) from None
