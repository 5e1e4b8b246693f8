"""The ``pipeline`` command line: a thin layer over the library (one file per command)."""

from __future__ import annotations

import typer

from pipeline.cli.extract import extract_command
from pipeline.cli.run import run_command
from pipeline.cli.schema import schema_command

app = typer.Typer(
    name="pipeline",
    help="Chinese news articles → JSONL records of people, organizations, places and dates.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command("run")(run_command)
app.command("extract")(extract_command)
app.command("schema")(schema_command)

try:  # commands whose modules may be absent in a trimmed install
    from pipeline.cli.eval import eval_command

    app.command("eval")(eval_command)
except ImportError:  # pragma: no cover
    pass


def main() -> None:
    """Console-script entry point."""
    app()
