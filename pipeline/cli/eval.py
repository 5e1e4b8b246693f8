"""``pipeline eval GOLD``: score the pipeline (or a predictions file) against gold data."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from pipeline.cli._common import (
    EXIT_OK,
    EXIT_SOME_FAILED,
    DebugOption,
    ModelOption,
    fail,
    require_file,
    setup_logging,
    warn,
)
from pipeline.schema import LABELS

FORMATS = ("gold", "bio", "iob2", "cluener")


def _read(path: Path, fmt: str, label_map: dict[str, str] | None) -> list[Any]:
    from pipeline.evaluation.formats import read_bio, read_cluener, read_iob2
    from pipeline.evaluation.gold import load_gold

    if fmt == "gold":
        return load_gold(path)
    # Sentence ids of BIO/IOB2/CLUENER files are positional: the same prefix for gold
    # and predictions makes sentence n of one match sentence n of the other.
    if fmt == "bio":
        return read_bio(path, label_map=label_map, id_prefix="s")
    if fmt == "iob2":
        return read_iob2(path, label_map=label_map, id_prefix="s")
    return read_cluener(path, label_map, id_prefix="s")


def _examples(ids: list[str]) -> str:
    return ", ".join(repr(i) for i in ids[:3]) if ids else "none"


def _fmt(x: float | None) -> str:
    return "–" if x is None else f"{x:.4f}"


def _print_scores(console: Console, scores: Any, errors: int, title: str) -> None:
    table = Table(title=title, title_justify="left")
    for name in ("label", "P", "R", "F1", "TP", "FP", "FN"):
        table.add_column(name, justify="left" if name == "label" else "right")
    rows = [*scores.labels.items(), ("ALL", scores.ALL)]
    for i, (label, s) in enumerate(rows):
        table.add_row(
            label,
            _fmt(s.p),
            _fmt(s.r),
            _fmt(s.f1),
            str(s.tp),
            str(s.fp),
            str(s.fn),
            end_section=i == len(rows) - 2,
        )
    console.print(table)
    if scores.date_value_accuracy is not None:
        console.print(
            f"DATE value accuracy: {scores.date_value_accuracy:.4f} "
            f"({scores.date_values_correct}/{scores.date_values_checked} matched DATE mentions)"
        )
    if errors <= 0:
        return
    for name, items in (("misses", scores.misses), ("false alarms", scores.false_alarms)):
        if not items:
            continue
        t = Table(title=f"most frequent {name}", title_justify="left")
        t.add_column("count", justify="right")
        t.add_column("label")
        t.add_column("text")
        for e in items[:errors]:
            t.add_row(str(e.count), e.label, Text(e.text))  # data, not markup
        console.print(t)
    if scores.date_value_errors:
        t = Table(title="wrong DATE values", title_justify="left")
        for col in ("doc", "text", "gold", "predicted"):
            t.add_column(col)
        for e in scores.date_value_errors[:errors]:
            t.add_row(*(Text(v) for v in (e.doc, e.text, e.gold, e.pred or "–")))
        console.print(t)


def eval_command(
    gold: Annotated[
        Path,
        typer.Argument(
            help="Gold file: JSONL (docs/gold.md), BIO, IOB2 or CLUENER (see --format).",
            metavar="GOLD",
        ),
    ],
    pred: Annotated[
        Path | None,
        typer.Option(
            "--pred",
            help="Predictions to score (records JSONL, or the format of GOLD).",
            show_default="run the pipeline on the gold texts",
            metavar="FILE",
        ),
    ] = None,
    model: ModelOption = None,
    labels: Annotated[
        str | None,
        typer.Option(
            "--labels",
            help="Labels to score, e.g. PERSON,ORG,LOC.",
            show_default="all four",
            metavar="LABELS",
        ),
    ] = None,
    json_path: Annotated[
        Path | None,
        typer.Option("--json", help="Write the scores as JSON to this file.", metavar="FILE"),
    ] = None,
    errors: Annotated[
        int,
        typer.Option(
            "--errors",
            min=0,
            help="List the N most frequent misses and false alarms.",
            metavar="N",
        ),
    ] = 10,
    check: Annotated[
        bool,
        typer.Option(
            "--check", help="Only validate the gold file; exit 1 on problems.", metavar=""
        ),
    ] = False,
    format: Annotated[
        str,
        typer.Option(
            "--format",
            help="Format of GOLD and --pred: gold, bio, iob2 (Universal NER) or cluener.",
            metavar="FORMAT",
        ),
    ] = "gold",
    label_map: Annotated[
        str | None,
        typer.Option(
            "--label-map", help="Map source labels, e.g. PER=PERSON,TIME=DATE.", metavar="MAP"
        ),
    ] = None,
    debug: DebugOption = False,
) -> None:
    """Score extraction against annotated gold data (ANNOTATION.md "Scoring")."""
    setup_logging(debug=debug)
    from pipeline import evaluate as ev

    console = Console(soft_wrap=False)
    if format not in FORMATS:
        raise typer.Exit(fail(f"--format must be one of {', '.join(FORMATS)}, got {format!r}"))
    require_file(gold)
    if pred is not None:
        require_file(pred)
    if pred is not None and model is not None:
        raise typer.Exit(fail("give --pred or --model, not both"))
    try:
        mapping = ev.parse_label_map(label_map)
        wanted = [x.strip().upper() for x in labels.split(",") if x.strip()] if labels else None
        bad = [x for x in wanted or [] if x not in LABELS]
        if bad:
            raise ValueError(f"unknown labels {', '.join(bad)}: use {', '.join(LABELS)}")
    except ValueError as e:
        raise typer.Exit(fail(str(e))) from None

    if check:
        if format == "gold":
            problems = ev.check_gold(gold)
        else:
            try:
                _read(gold, format, mapping)
                problems = []
            except ev.GoldFormatError as e:
                problems = [ev.GoldProblem(line=0, message=str(e))]
        for p in problems:
            console.print(f"{gold}:{p.line}: {p.message}", highlight=False, markup=False)
        if problems:
            console.print(f"{len(problems)} problems", highlight=False)
            raise typer.Exit(EXIT_SOME_FAILED)
        console.print(f"{gold}: ok", highlight=False, markup=False)
        raise typer.Exit(EXIT_OK)

    try:
        gold_docs = _read(gold, format, mapping)
        if pred is None:
            predictions: Any = ev.predict(gold_docs, model=model)
        elif format == "gold":
            predictions = ev.read_predictions(pred)
        else:
            predictions = ev.to_plain(_read(pred, format, mapping))
    except ev.GoldFormatError as e:
        if debug:
            raise
        hint = " (try --check)" if format == "gold" and ev.RECORDS_HINT not in str(e) else ""
        raise typer.Exit(fail(f"{e}{hint}", EXIT_SOME_FAILED)) from None
    except Exception as e:
        from pipeline.errors import ModelNotFound

        if debug or not isinstance(e, ModelNotFound):
            raise
        raise typer.Exit(fail(str(e))) from None

    if pred is not None:
        overlap = ev.id_overlap(gold_docs, predictions)
        if overlap.shared == 0:
            raise typer.Exit(
                fail(
                    f"no document id is in both {gold} ({overlap.gold} ids, e.g. "
                    f"{_examples(overlap.gold_only)}) and {pred} ({overlap.predicted} ids, e.g. "
                    f"{_examples(overlap.predicted_only)}): nothing to score. Predictions are "
                    "matched to gold documents by id (a record's id is its file stem).",
                    EXIT_SOME_FAILED,
                )
            )
        for problem in overlap.problems():
            warn(problem)
    scores = ev.score(gold_docs, predictions, wanted)
    source = f"predictions {pred}" if pred else f"model {model or 'default'}"
    _print_scores(console, scores, errors, f"{gold} ({len(gold_docs)} documents, {source})")
    if json_path is not None:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(scores.to_json(errors=errors) + "\n", encoding="utf-8")
    raise typer.Exit(EXIT_OK)
