"""``pipeline extract FILE``: one raw file → one record as indented JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from pipeline.cli._common import (
    EXIT_SOME_FAILED,
    EXIT_USAGE,
    DebugOption,
    ModelOption,
    TzOption,
    check_zone,
    fail,
    setup_logging,
)
from pipeline.errors import ModelNotFound, PipelineError


def extract_command(
    file: Annotated[Path, typer.Argument(help="A raw feed-item file.")],
    model: ModelOption = None,
    tz: TzOption = None,
    debug: DebugOption = False,
) -> None:
    """Print the record of one raw file as indented JSON."""
    setup_logging(debug=debug)
    from pipeline.runner import Extractor

    try:
        extractor = Extractor.load(model)
        record = extractor.extract_file(file, timezone=check_zone(tz))
    except ModelNotFound as e:
        if debug:
            raise
        raise typer.Exit(fail(str(e), EXIT_USAGE)) from None
    except PipelineError as e:
        if debug:
            raise
        raise typer.Exit(fail(f"{file}: {e.code}: {e.message}", EXIT_SOME_FAILED)) from None
    typer.echo(json.dumps(record.model_dump(mode="json"), ensure_ascii=False, indent=2))
