"""``pipeline report RECORDS.jsonl --html report.html``: one HTML page about a batch."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError

from pipeline.cli._common import (
    EXIT_SOME_FAILED,
    EXIT_USAGE,
    DebugOption,
    err_console,
    fail,
    require_file,
    setup_logging,
)
from pipeline.report import DEFAULT_TITLE
from pipeline.schema import Record


class BadRecordLine(Exception):
    """A line of the records file is not a valid record."""


def iter_records(path: Path) -> Iterator[Record]:
    """Stream records from JSONL, naming the line of the first invalid one."""
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


def report_command(
    records: Annotated[
        Path,
        typer.Argument(help="Records JSONL written by `pipeline run`.", metavar="RECORDS"),
    ],
    html: Annotated[
        Path | None,
        typer.Option(
            "--html",
            help="HTML file to write.",
            show_default="RECORDS with the suffix .html",
            metavar="FILE",
        ),
    ] = None,
    title: Annotated[
        str, typer.Option("--title", help="Headline of the report.", metavar="TEXT")
    ] = DEFAULT_TITLE,
    top: Annotated[
        int,
        typer.Option("--top", min=1, max=50, help="Entities per label in the tables.", metavar="N"),
    ] = 10,
    sample: Annotated[
        int,
        typer.Option(
            "--sample", min=0, max=100, help="Articles shown with highlighting.", metavar="N"
        ),
    ] = 5,
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Replace an existing HTML file.", metavar="")
    ] = False,
    debug: DebugOption = False,
) -> None:
    """Write a self-contained HTML report of a batch of records (opens offline)."""
    setup_logging(debug=debug)
    from pipeline.report import collect, render_report
    from pipeline.stages.write import OutputExists, atomic_writer, check_writable

    out = html if html is not None else records.with_suffix(".html")
    require_file(records)
    if out.resolve() == records.resolve():
        raise typer.Exit(fail("--html must differ from the records file"))
    try:
        check_writable(out, overwrite=overwrite)
        stats = collect(iter_records(records), sample=sample)
        markup = render_report(stats, title=title, source=records.name, top=top)
        with atomic_writer(out, overwrite=overwrite) as f:
            f.write(markup)
    except OutputExists as e:
        raise typer.Exit(fail(str(e), EXIT_USAGE)) from None
    except (BadRecordLine, UnicodeDecodeError) as e:
        if debug:
            raise
        raise typer.Exit(fail(str(e), EXIT_SOME_FAILED)) from None
    mentions = sum(stats.mentions.values())
    err_console.print(
        f"report: {stats.articles:,} articles, {mentions:,} mentions of "
        f"{len(stats.entities):,} entities → {out}",
        highlight=False,
        markup=False,
    )
