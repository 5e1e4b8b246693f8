"""``pipeline report RECORDS.jsonl --html report.html``: one HTML page about a batch."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pipeline.cli._common import (
    EXIT_SOME_FAILED,
    EXIT_USAGE,
    DebugOption,
    err_console,
    fail,
    require_file,
    setup_logging,
)
from pipeline.errors import BadRecordLine
from pipeline.records import read_records
from pipeline.report import DEFAULT_TITLE


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
        stats = collect(read_records(records), sample=sample)
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
