"""``pipeline show FILE``: one article in the terminal, entities colored by label.

Article data is untrusted: it reaches the terminal only as :class:`rich.text.Text`,
never as rich markup, so ``[/b]`` in a title prints as is and ``[link=…]`` makes no
hyperlink.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console, Group
from rich.panel import Panel
from rich.style import Style
from rich.table import Table
from rich.text import Text

from pipeline.cli._common import (
    EXIT_SOME_FAILED,
    EXIT_USAGE,
    DebugOption,
    ModelOption,
    fail,
    require_file,
    setup_logging,
    user_errors,
)
from pipeline.render import COLORS, format_published
from pipeline.schema import Record

_INK = "#1d1d1f"


def is_records_file(path: Path) -> bool:
    """A records JSONL file (by suffix, or a first line that is a JSON object)."""
    if path.suffix.lower() in (".jsonl", ".ndjson"):
        return True
    with path.open("rb") as f:
        head = f.read(512).lstrip()
    return head.startswith(b"{")


def find_record(path: Path, record_id: str | None) -> tuple[Record, int]:
    """The record with ``record_id`` (the first one if None) and the number of records read."""
    from pipeline.records import read_records

    seen = 0
    ids: list[str] = []
    for record in read_records(path):
        seen += 1
        if record_id is None or record.id == record_id:
            return record, seen
        if len(ids) < 5:
            ids.append(record.id)
    if record_id is None:
        raise LookupError(f"{path} holds no records")
    hint = f" (ids look like: {', '.join(ids)})" if ids else ""
    raise LookupError(f"no record with id {record_id!r} among {seen} in {path}{hint}")


CAPTION_MARK = "[图说 caption] "


def highlighted(record: Record, *, labels: bool = True) -> Text:
    """The record's text as rich Text, mentions on their label's color, captions marked."""
    text = Text()
    pos = 0
    marks = sorted(b.start for b in record.blocks if b.kind == "caption")

    def plain(lo: int, hi: int) -> None:
        # Text up to ``hi``, with the caption mark before each caption line it reaches.
        while marks and marks[0] <= hi:
            at = marks.pop(0)
            text.append(record.text[lo:at])
            text.append(CAPTION_MARK, style=Style(dim=True, italic=True))
            lo = at
        text.append(record.text[lo:hi])

    for m in sorted(record.mentions, key=lambda m: (m.start, -m.end)):
        if m.start < pos:
            continue  # overlapping mentions: keep the first
        plain(pos, m.start)
        style = Style(bgcolor=COLORS.get(m.label), color=_INK)
        text.append(m.text, style=style)
        if labels:
            tag = f" {m.label}" + (f"={m.value}" if m.label == "DATE" and m.value else "")
            text.append(tag, style=Style(bgcolor=COLORS.get(m.label), color="#555555", bold=True))
        pos = m.end
    plain(pos, len(record.text))
    return text


def marked(record: Record, *, labels: bool = True) -> str:
    """The record's text with mention boundaries in plain characters: ``[奥斯汀]PERSON``.

    For output that is not a terminal (a pipe, a file), where colors are lost; caption
    lines start with CAPTION_MARK, as on a terminal.
    """
    parts: list[str] = []
    pos = 0
    marks = sorted(b.start for b in record.blocks if b.kind == "caption")

    def plain(lo: int, hi: int) -> None:
        while marks and marks[0] <= hi:
            at = marks.pop(0)
            parts.extend([record.text[lo:at], CAPTION_MARK])
            lo = at
        parts.append(record.text[lo:hi])

    for m in sorted(record.mentions, key=lambda m: (m.start, -m.end)):
        if m.start < pos:
            continue  # overlapping mentions: keep the first
        plain(pos, m.start)
        tag = (m.label + (f"={m.value}" if m.label == "DATE" and m.value else "")) if labels else ""
        parts.append(f"[{m.text}]{tag}")
        pos = m.end
    plain(pos, len(record.text))
    return "".join(parts)


def entity_table(record: Record) -> Table:
    """The record's entities: label, name, aliases, mentions, DATE value."""
    table = Table(title="Entities", title_justify="left", show_edge=False, pad_edge=False)
    table.add_column("label")
    table.add_column("name")
    table.add_column("aliases")
    table.add_column("n", justify="right")
    table.add_column("value")
    order = {label: i for i, label in enumerate(COLORS)}
    for e in sorted(record.entities, key=lambda e: (order.get(e.label, 9), -e.count, e.name)):
        table.add_row(  # article data as Text: never parsed as rich markup
            Text(e.label, style=Style(bgcolor=COLORS.get(e.label), color=_INK)),
            Text(e.name),
            Text(" / ".join(e.aliases)),
            Text(str(e.count)),
            Text(e.value or ""),
        )
    return table


def record_view(
    record: Record, *, labels: bool = True, entities: bool = True, plain: bool = False
) -> Group:
    """The whole terminal view: header, legend, highlighted text, entity table.

    ``plain`` marks mentions with brackets instead of colors (output without a terminal).
    """
    meta = [record.id]
    when = format_published(record)
    if when:
        meta.append(when)
    if record.url:
        meta.append(record.url)
    legend = Text()
    for label, color in COLORS.items():
        n = sum(1 for m in record.mentions if m.label == label)
        legend.append(f" {label} {n} ", style=Style(bgcolor=color, color=_INK))
        legend.append(" ")
    header = Group(Text(" · ".join(meta), style="dim"), legend)
    parts: list[Table | Panel | Text | Group] = [
        Panel(header, title=Text(record.title or record.id), title_align="left"),
        Text(marked(record, labels=labels)) if plain else highlighted(record, labels=labels),
    ]
    if entities and record.entities:
        parts.extend([Text(), entity_table(record)])
    return Group(*parts)


def show_command(
    file: Annotated[
        Path,
        typer.Argument(help="A raw feed-item file, or a records JSONL.", metavar="FILE"),
    ],
    record_id: Annotated[
        str | None,
        typer.Option(
            "--id",
            help="Record to show from a records JSONL.",
            show_default="the first",
            metavar="ID",
        ),
    ] = None,
    model: ModelOption = None,
    labels: Annotated[
        bool,
        typer.Option(
            "--labels/--no-labels", help="Write the label after each mention.", metavar=""
        ),
    ] = True,
    entities: Annotated[
        bool,
        typer.Option(
            "--entities/--no-entities", help="List the entities below the text.", metavar=""
        ),
    ] = True,
    plain: Annotated[
        bool | None,
        typer.Option(
            "--plain/--color",
            help="Mark mentions as \\[text]LABEL instead of coloring them.",
            show_default="plain unless writing to a terminal",
            metavar="",
        ),
    ] = None,
    debug: DebugOption = False,
) -> None:
    """Print one article with its entities colored by label (\\[text]LABEL when piped)."""
    setup_logging(debug=debug)
    from pipeline.errors import BadRecordLine

    require_file(file)
    try:
        with user_errors(file, debug=debug):
            if is_records_file(file):
                if model is not None:
                    raise typer.Exit(fail("--model applies to raw articles, not to records"))
                record, _ = find_record(file, record_id)
            else:
                if record_id is not None:
                    raise typer.Exit(fail("--id applies to records files, not to raw articles"))
                from pipeline.runner import Extractor

                record = Extractor.load(model).extract_file(file)
    except LookupError as e:
        raise typer.Exit(fail(str(e), EXIT_USAGE)) from None
    except BadRecordLine as e:
        if debug:
            raise
        raise typer.Exit(fail(str(e), EXIT_SOME_FAILED)) from None
    console = Console(soft_wrap=False, highlight=False)
    if plain is None:
        plain = not console.is_terminal or console.no_color
    console.soft_wrap = plain  # a pipe gets whole lines: a mark is never cut
    console.print(record_view(record, labels=labels, entities=entities, plain=plain))
