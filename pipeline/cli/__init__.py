"""The ``pipeline`` command line: a thin layer over the library (one file per command)."""

from __future__ import annotations

from typing import Annotated

import typer

from pipeline.cli.entities import entities_command
from pipeline.cli.eval import eval_command
from pipeline.cli.extract import extract_command
from pipeline.cli.gold import gold_command
from pipeline.cli.report import report_command
from pipeline.cli.run import run_command
from pipeline.cli.schema import schema_command
from pipeline.cli.show import show_command

app = typer.Typer(
    name="pipeline",
    help="Chinese news articles → JSONL records of people, organizations, places and dates.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        from pipeline.runner import package_version
        from pipeline.schema import SCHEMA_VERSION

        typer.echo(f"zh-news-entities {package_version()} (record schema {SCHEMA_VERSION})")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            "-V",
            callback=_version,
            is_eager=True,
            help="Print the version and exit.",
            metavar="",
        ),
    ] = False,
) -> None:
    """Chinese news articles → JSONL records of people, organizations, places and dates."""


app.command("run")(run_command)
app.command("extract")(extract_command)
app.command("show")(show_command)
app.command("report")(report_command)
app.command("eval")(eval_command)
app.command("gold")(gold_command)
app.command("schema")(schema_command)
app.command("entities")(entities_command)


def main() -> None:
    """Console-script entry point."""
    app()
