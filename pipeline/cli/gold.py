"""``pipeline gold RECORDS --out GOLD``: records written by ``pipeline run`` → a gold file."""

from __future__ import annotations

import sys
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


def gold_command(
    records: Annotated[
        list[Path],
        typer.Argument(help="Records JSONL files written by `pipeline run`.", metavar="RECORDS..."),
    ],
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="Gold JSONL to write.",
            show_default="standard output",
            metavar="FILE",
        ),
    ] = None,
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Replace an existing FILE.", metavar="")
    ] = False,
    debug: DebugOption = False,
) -> None:
    """Turn records into gold documents (docs/gold.md), to correct by hand and score against.

    Each record becomes one line with its id, text, publication time, zone and mentions
    (DATE values included). Check the corrected file with `pipeline eval GOLD --check`.
    """
    setup_logging(debug=debug)
    from pipeline.errors import BadRecordLine
    from pipeline.evaluate import gold_line, record_to_gold
    from pipeline.records import read_records
    from pipeline.stages.write import OutputExists, atomic_writer, check_writable

    for path in records:
        require_file(path)
    if out is not None and any(out.resolve() == p.resolve() for p in records):
        raise typer.Exit(fail("--out must differ from the records files"))
    lines: list[str] = []
    seen: set[str] = set()
    try:
        for path in records:
            for record in read_records(path):
                if record.id in seen:
                    raise BadRecordLine(
                        f"{path}: id {record.id!r} occurs twice; ids must be unique"
                    )
                seen.add(record.id)
                lines.append(gold_line(record_to_gold(record)))
    except (BadRecordLine, UnicodeDecodeError) as e:
        if debug:
            raise
        raise typer.Exit(fail(str(e), EXIT_SOME_FAILED)) from None
    if out is None:
        sys.stdout.write("".join(lines))
        return
    try:
        check_writable(out, overwrite=overwrite)
        with atomic_writer(out, overwrite=overwrite) as f:
            f.write("".join(lines))
    except OutputExists as e:
        raise typer.Exit(fail(str(e), EXIT_USAGE)) from None
    err_console.print(f"gold: {len(lines):,} documents → {out}", highlight=False)
