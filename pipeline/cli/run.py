"""``pipeline run INPUT... [--out FILE] [--errors FILE]``: the batch job.

A thin layer over :func:`pipeline.batch.run_batch`: the flags become one
:class:`~pipeline.batch.BatchOptions`, whose checks are the only ones; a
:class:`~pipeline.errors.BatchError` is shown as a usage error (exit 2).
"""

from __future__ import annotations

import enum
import logging
import os
import threading
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
)
from rich.text import Text

from pipeline.cli._common import (
    EXIT_OK,
    EXIT_SOME_FAILED,
    EXIT_USAGE,
    DebugOption,
    ModelOption,
    TzOption,
    err_console,
    fail,
    setup_logging,
    warn,
)
from pipeline.defaults import (
    DEFAULT_CHUNK_SIZE,
    DEFAULT_FILE_TIMEOUT,
    DEFAULT_GLOB,
    DEFAULT_MAX_BYTES,
)

#: The run stopped before writing its outputs (I/O error, interrupted); --resume continues.
EXIT_INCOMPLETE = 3
EXIT_INTERRUPTED = 130
#: Standard output was closed by its reader (``pipeline run DIR | head``), as for SIGPIPE.
EXIT_BROKEN_PIPE = 141


class EngineChoice(enum.StrEnum):
    """Where chunks run."""

    local = "local"
    dask = "dask"


class _RateColumn(ProgressColumn):
    """files/s over the files this run processed (not resumed ones), and the ETA."""

    def render(self, task: Task) -> Text:
        processed = task.fields.get("processed", 0)
        t0 = task.fields.get("t0")
        if not processed or t0 is None:
            return Text("")
        rate = processed / max(time.monotonic() - t0, 1e-9)
        text = f"{rate:,.1f} files/s"
        if task.total is not None and rate > 0:
            left = max(task.total - task.completed, 0) / rate
            text += f"  ETA {int(left // 3600)}:{int(left % 3600 // 60):02d}:{int(left % 60):02d}"
        return Text(text, style="progress.data.speed")


def _count_in_background(progress: Progress, task_id: int, inputs: list[Path], glob: str) -> None:
    """Count the inputs (names only) so the bar gets a total and an ETA."""
    from pipeline.batch import count_inputs

    def work() -> None:
        try:
            progress.update(task_id, total=count_inputs(inputs, glob=glob))  # type: ignore[arg-type]
        except Exception:  # the total is a nicety; never let it disturb the run
            logging.getLogger(__name__).debug("counting inputs failed", exc_info=True)

    threading.Thread(target=work, name="count-inputs", daemon=True).start()


def run_command(
    inputs: Annotated[
        list[Path],
        typer.Argument(help="Raw files or directories (walked recursively).", metavar="INPUT..."),
    ],
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="Records JSONL to write.",
            show_default="standard output, in input order",
            metavar="FILE",
        ),
    ] = None,
    errors: Annotated[
        Path | None,
        typer.Option(
            "--errors",
            "-e",
            help="Error lines (JSONL) to write.",
            show_default="OUT's name with .errors.jsonl; standard error without --out",
            metavar="FILE",
        ),
    ] = None,
    entities: Annotated[
        Path | None,
        typer.Option(
            "--entities",
            help="Also write the archive's entity table (.jsonl or .csv), as `pipeline entities`.",
            metavar="FILE",
        ),
    ] = None,
    model: ModelOption = None,
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Replace existing outputs.", metavar="")
    ] = False,
    resume: Annotated[
        bool,
        typer.Option(
            "--resume",
            help="Continue an interrupted run (same inputs and options).",
            metavar="",
        ),
    ] = False,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            "-j",
            min=1,
            help="Worker processes.",
            show_default="number of cores",
            metavar="N",
        ),
    ] = None,
    engine: Annotated[
        EngineChoice,
        typer.Option("--engine", help="Local processes, or a Dask cluster (extra \\[dask])."),
    ] = EngineChoice.local,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            help="Dask scheduler address, e.g. tcp://host:8786.",
            show_default="a local cluster",
            metavar="ADDRESS",
        ),
    ] = None,
    glob: Annotated[
        str, typer.Option("--glob", help="File pattern inside directories.", metavar="PATTERN")
    ] = DEFAULT_GLOB,
    max_bytes: Annotated[
        int,
        typer.Option(
            "--max-bytes",
            min=1,
            help="Larger files become too_large error lines.",
            show_default="20971520 (20 MiB)",
            metavar="N",
        ),
    ] = DEFAULT_MAX_BYTES,
    chunk_size: Annotated[
        int,
        typer.Option(
            "--chunk-size", min=1, help="Inputs per unit of work and commit.", metavar="N"
        ),
    ] = DEFAULT_CHUNK_SIZE,
    file_timeout: Annotated[
        float,
        typer.Option(
            "--file-timeout",
            min=0,
            metavar="SECONDS",
            help="Time one file may take; slower files become `timeout` errors (0: no limit).",
        ),
    ] = DEFAULT_FILE_TIMEOUT,
    log_json: Annotated[
        Path | None,
        typer.Option(
            "--log-json", help="Append structured JSON logs to this file.", metavar="FILE"
        ),
    ] = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress bar or summary.", metavar="")
    ] = False,
    tz: TzOption = None,
    debug: DebugOption = False,
) -> None:
    """Extract entities from every raw article under INPUT into one JSONL record each.

    Without --out the records go to standard output and the error lines to standard
    error (progress and summary on standard error too). An input that is missing or
    cannot be read becomes an error line (exit status 1), like any other bad input;
    the batch goes on.
    """
    setup_logging(debug=debug, quiet=quiet)
    from pipeline.batch import BatchOptions, run_batch
    from pipeline.batch.logs import add_json_log
    from pipeline.errors import (
        BatchError,
        EngineUnavailable,
        ModelNotFound,
        NothingToResume,
        OutputExists,
        WorkDirError,
    )

    try:
        options = BatchOptions(
            out=out,
            errors=errors,
            model=model,
            workers=workers,
            engine=engine.value,
            scheduler=scheduler,
            resume=resume,
            overwrite=overwrite,
            max_bytes=max_bytes,
            glob=glob,
            chunk_size=chunk_size,
            file_timeout=file_timeout,
            tz=tz,
            debug=debug,
        )
    except BatchError as e:
        raise typer.Exit(fail(e.message)) from None
    if entities is not None:
        if options.out is None:
            raise typer.Exit(fail("--entities reads the records file: pass --out as well"))
        taken = {p.absolute() for p in (options.out, options.errors_path) if p is not None}
        if entities.absolute() in taken:
            raise typer.Exit(fail("--entities must differ from --out and --errors"))
        if entities.exists() and not overwrite:
            raise typer.Exit(fail(f"{entities} exists (use --overwrite)"))
    if log_json is not None:
        add_json_log(log_json)

    progress = Progress(
        SpinnerColumn(),
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        _RateColumn(),
        TimeElapsedColumn(),
        console=err_console,
        disable=quiet,
        transient=True,
    )
    with progress:
        task_id = progress.add_task("extracting", total=None, processed=0, t0=None)
        if not quiet:
            _count_in_background(progress, task_id, inputs, glob)

        def on_progress(files: int, resumed: bool) -> None:
            fields = progress.tasks[0].fields
            if not resumed:
                fields["processed"] = fields["processed"] + files
            progress.advance(task_id, files)

        def started() -> None:
            progress.update(task_id, t0=time.monotonic())

        try:
            started()
            summary = run_batch(inputs, options, on_progress=on_progress)
        except NothingToResume as e:
            if not quiet:
                err_console.print(str(e), highlight=False, markup=False)
            raise typer.Exit(EXIT_OK) from None
        except (OutputExists, WorkDirError, BatchError, EngineUnavailable, ModelNotFound) as e:
            if debug:
                raise
            raise typer.Exit(fail(str(e), EXIT_USAGE)) from None
        except KeyboardInterrupt:
            progress.stop()
            hint = "; rerun with --resume to continue" if options.out is not None else ""
            raise typer.Exit(fail(f"interrupted{hint}", EXIT_INTERRUPTED)) from None
        except BrokenPipeError:
            if options.out is not None:  # not standard output: an I/O error like others
                raise
            _silence_stdout()
            raise typer.Exit(EXIT_BROKEN_PIPE) from None
        except OSError as e:
            if options.out is None:
                raise typer.Exit(fail(str(e), EXIT_INCOMPLETE)) from None
            if debug:
                raise
            raise typer.Exit(
                fail(f"{e} (committed work is kept; rerun with --resume)", EXIT_INCOMPLETE)
            ) from None
    if not quiet:
        codes = ", ".join(f"{k}: {v}" for k, v in sorted(summary.error_codes.items()))
        resumed = f", resumed {summary.resumed}" if summary.resumed else ""
        failed_dates = summary.warning_codes.get("date_rules_failed", 0)
        if failed_dates:  # a bug, not bad input: say so even though every file has a record
            warn(
                f"the date rules failed on {failed_dates} article(s): their records carry a "
                "date_rules_failed warning and no rule dates (rerun with --debug for the traceback)"
            )
        err_console.print(
            f"files {summary.files}, records {summary.records}, errors {summary.errors}"
            + (f" ({codes})" if codes else "")
            + f", skipped {summary.skipped}{resumed}, {summary.chars_per_second:,.0f} chars/s"
            + f" in {summary.seconds:.1f} s ({summary.workers} worker"
            + ("s" if summary.workers > 1 else "")
            + f", {summary.engine})",
            highlight=False,
        )
    code = EXIT_SOME_FAILED if summary.errors else EXIT_OK
    if entities is not None and options.out is not None:
        from pipeline.cli.entities import write_entities

        # The table is a reduction over the assembled records file, so it is the same
        # for every engine and number of workers.
        code = max(code, write_entities([options.out], entities, overwrite=True, quiet=quiet))
    raise typer.Exit(code)


def _silence_stdout() -> None:
    """After a broken pipe, point stdout at /dev/null so the interpreter's final flush is quiet."""
    import sys

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # no real stdout (a test runner's capture): nothing to do
        pass
