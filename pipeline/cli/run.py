"""``pipeline run INPUT... --out FILE --errors FILE``: the batch job."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

from pipeline.cli._common import (
    EXIT_OK,
    EXIT_SOME_FAILED,
    EXIT_USAGE,
    err_console,
    fail,
    setup_logging,
)
from pipeline.errors import ModelNotFound
from pipeline.stages.parse import DEFAULT_MAX_BYTES
from pipeline.stages.write import OutputExists


def run_command(
    inputs: Annotated[
        list[Path], typer.Argument(help="Raw files or directories (walked recursively).")
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="Records JSONL to write.")],
    errors: Annotated[Path, typer.Option("--errors", "-e", help="Errors JSONL to write.")],
    model: Annotated[
        str | None,
        typer.Option(
            "--model", "-m", help="Bundled model name, model path, or installed spaCy pipeline."
        ),
    ] = None,
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Replace existing outputs.")
    ] = False,
    glob: Annotated[str, typer.Option("--glob", help="File pattern inside directories.")] = "*.txt",
    max_bytes: Annotated[
        int, typer.Option("--max-bytes", help="Larger files become `too_large` errors.")
    ] = DEFAULT_MAX_BYTES,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress bar or summary.")
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False,
) -> None:
    """Extract entities from every raw article under INPUT into one JSONL record each."""
    setup_logging(debug=debug, quiet=quiet)
    from pipeline.batch import run_batch
    from pipeline.runner import Extractor

    for item in inputs:
        if not item.exists():
            raise typer.Exit(fail(f"input {item} does not exist"))
    try:
        extractor = Extractor.load(model)
    except ModelNotFound as e:
        if debug:
            raise
        raise typer.Exit(fail(str(e))) from None

    progress = Progress(
        SpinnerColumn(),
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        console=err_console,
        disable=quiet,
        transient=True,
    )
    with progress:
        task = progress.add_task("extracting", total=None, rate="")

        def tick(_: object) -> None:
            progress.advance(task)
            elapsed = progress.tasks[task].elapsed or 0.0
            done = progress.tasks[task].completed
            if elapsed > 0:
                progress.update(task, rate=f"{done / elapsed:.1f} files/s")

        try:
            summary = run_batch(
                inputs,
                out=out,
                errors=errors,
                extractor=extractor,
                overwrite=overwrite,
                max_bytes=max_bytes,
                glob=glob,
                debug=debug,
                on_item=tick,
            )
        except OutputExists as e:
            raise typer.Exit(fail(str(e), EXIT_USAGE)) from None
    if not quiet:
        codes = ", ".join(f"{k}: {v}" for k, v in sorted(summary.error_codes.items()))
        err_console.print(
            f"files {summary.files}, records {summary.records}, errors {summary.errors}"
            + (f" ({codes})" if codes else "")
            + f", skipped {summary.skipped}, {summary.chars_per_second:,.0f} chars/s"
            + f" in {summary.seconds:.1f} s",
            highlight=False,
        )
    raise typer.Exit(EXIT_SOME_FAILED if summary.errors else EXIT_OK)
