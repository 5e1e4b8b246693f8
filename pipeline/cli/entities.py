"""``pipeline entities RECORDS.jsonl... --out entities.jsonl|.csv``: the archive's entity table."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from pipeline.cli._common import (
    EXIT_OK,
    EXIT_SOME_FAILED,
    EXIT_USAGE,
    DebugOption,
    err_console,
    fail,
    require_file,
    setup_logging,
)

#: Bad record lines named one by one before the rest are only counted.
SHOW_BAD_LINES = 10


def write_entities(records: list[Path], out: Path, *, overwrite: bool, quiet: bool = False) -> int:
    """Reduce record files to the entity table at ``out``; returns the exit code.

    Shared by ``pipeline entities`` and ``pipeline run --entities``.
    """
    from pipeline.entities import reduce_files, table_format, write_table
    from pipeline.stages.write import atomic_writer

    bad: list[str] = []

    def on_bad_line(message: str) -> None:
        bad.append(message)
        if len(bad) <= SHOW_BAD_LINES:
            # The message quotes the bad line: plain text, never rich markup.
            err_console.print(Text.assemble(("skipped:", "yellow"), " ", message), highlight=False)

    table = reduce_files(records, on_bad_line=on_bad_line)
    rows = table.rows()
    with atomic_writer(out, overwrite=overwrite) as f:
        write_table(rows, f, fmt=table_format(out))
    if len(bad) > SHOW_BAD_LINES:
        err_console.print(
            f"skipped {len(bad) - SHOW_BAD_LINES} more invalid lines", highlight=False
        )
    if not quiet:
        merged = sum(1 for r in rows if len(r.keys) > 1)
        err_console.print(
            f"entities: {len(rows):,} entities ({merged:,} merged from several keys) "
            f"in {len({a for s in table.stats.values() for a in s.articles}):,} articles → {out}",
            highlight=False,
            markup=False,
        )
    return EXIT_SOME_FAILED if bad else EXIT_OK


def entities_command(
    records: Annotated[
        list[Path],
        typer.Argument(help="Records JSONL files written by `pipeline run`.", metavar="RECORDS..."),
    ],
    out: Annotated[
        Path,
        typer.Option("--out", "-o", help="Entity table to write: .jsonl, or .csv.", metavar="FILE"),
    ],
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Replace an existing output.", metavar="")
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No summary line.", metavar="")
    ] = False,
    debug: DebugOption = False,
) -> None:
    """One row per entity across the records: key, label, name, aliases, articles, dates."""
    setup_logging(debug=debug, quiet=quiet)
    from pipeline.stages.write import OutputExists, check_writable

    for path in records:
        require_file(path)
        if path.resolve() == out.resolve():
            raise typer.Exit(fail("--out must differ from the records files"))
    try:
        check_writable(out, overwrite=overwrite)
        code = write_entities(records, out, overwrite=overwrite, quiet=quiet)
    except OutputExists as e:
        raise typer.Exit(fail(str(e), EXIT_USAGE)) from None
    except (UnicodeDecodeError, OSError) as e:
        if debug:
            raise
        raise typer.Exit(fail(str(e), EXIT_SOME_FAILED)) from None
    raise typer.Exit(code)
