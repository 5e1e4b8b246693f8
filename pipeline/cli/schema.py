"""``pipeline schema``: print the JSON Schema of the output record (or of a gold line).

The record schema's root is one line of the records file; ``$defs.ErrorRecord``
documents one line of the errors file (its ``error`` enum lists every stable code).
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from pipeline.schema import ErrorRecord, Record


def record_schema() -> dict[str, Any]:
    """The JSON Schema of one output line, with the error line's schema in ``$defs``."""
    schema = Record.model_json_schema(mode="serialization")
    schema.setdefault("$defs", {})["ErrorRecord"] = ErrorRecord.model_json_schema(
        mode="serialization"
    )
    return schema


def schema_command(
    gold: Annotated[
        bool,
        typer.Option(
            "--gold", help="The schema of one line of a gold file (docs/gold.md).", metavar=""
        ),
    ] = False,
) -> None:
    """Print the JSON Schema of one output record (committed as pipeline/data/record.schema.json)."""
    if gold:
        from pipeline.evaluate import gold_schema

        schema = gold_schema()
    else:
        schema = record_schema()
    typer.echo(json.dumps(schema, ensure_ascii=False, indent=2))
