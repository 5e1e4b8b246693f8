"""``pipeline schema``: print the JSON Schema of the output record."""

from __future__ import annotations

import json
from typing import Any

import typer

from pipeline.schema import Record


def record_schema() -> dict[str, Any]:
    """The JSON Schema of one output line."""
    return Record.model_json_schema(mode="serialization")


def schema_command() -> None:
    """Print the JSON Schema of one output record."""
    typer.echo(json.dumps(record_schema(), ensure_ascii=False, indent=2))
