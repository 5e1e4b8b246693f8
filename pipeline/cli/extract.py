"""``pipeline extract FILE``: one raw file → one record as indented JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from pipeline.cli._common import (
    DebugOption,
    ModelOption,
    TzOption,
    check_zone,
    setup_logging,
    user_errors,
)


def extract_command(
    file: Annotated[Path, typer.Argument(help="A raw feed-item file.", metavar="FILE")],
    model: ModelOption = None,
    tz: TzOption = None,
    debug: DebugOption = False,
) -> None:
    """Print the record of one raw file as indented JSON."""
    setup_logging(debug=debug)
    from pipeline.runner import Extractor

    with user_errors(file, debug=debug):
        record = Extractor.load(model).extract_file(file, timezone=check_zone(tz))
    typer.echo(json.dumps(record.model_dump(mode="json"), ensure_ascii=False, indent=2))
