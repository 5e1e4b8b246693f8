"""Pydantic models of the data that flows through the stages and into JSONL.

The record is the product's contract with its users: every model forbids extra
fields, and the invariants users rely on (``text[start:end] == mention.text``,
entity indexes that resolve) are checked by validators, so a record that loads
is a record that holds.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from pipeline.defaults import DEFAULT_ZONE

SCHEMA_VERSION = "1.1"

Label = Literal["PERSON", "ORG", "LOC", "DATE"]
LABELS: tuple[Label, ...] = ("PERSON", "ORG", "LOC", "DATE")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


WarningCode = Literal[
    "url_rejected",
    "truncated",
    "nul_bytes",
    "decoded_as_gb18030",
    "decoded_as_utf16",
    "decoded_as_other",
    "date_rules_failed",
]


class RecordWarning(_Strict):
    """Something the pipeline repaired or dropped while still producing the record."""

    code: WarningCode = Field(description="Stable code; see README's warnings table.")
    message: str = Field(description="Human-readable detail (what was found, what was done).")


BlockKind = Literal["title", "paragraph", "caption"]
BLOCK_KINDS: tuple[BlockKind, ...] = ("title", "paragraph", "caption")


class TextBlock(_Strict):
    """One line of ``text`` and what a reader would call it (offsets in code points)."""

    kind: BlockKind = Field(
        description="title (line 1), paragraph (article text, headings, list items) or caption "
        "(figure captions, gallery texts)."
    )
    start: int = Field(ge=0, description="Offset of the line's first character.")
    end: int = Field(ge=0, description="Offset just past the line's last character.")


class Author(_Strict):
    """A name from the article's byline (schema 1.1)."""

    name: str
    role: str | None = Field(
        default=None,
        description="Role the byline gives (记者, 编译, 翻译, 审校, 编辑, 作者, 发稿), "
        "normalized to simplified script; null when the byline names no role.",
    )


def check_blocks(text: str, blocks: list[TextBlock]) -> None:
    """Blocks, when given, are the lines of ``text`` in order: one block per line."""
    if not blocks:
        return
    lines = text.split("\n")
    if len(blocks) != len(lines):
        raise ValueError(f"{len(blocks)} blocks for {len(lines)} lines of text")
    start = 0
    for i, (block, line) in enumerate(zip(blocks, lines, strict=True)):
        if (block.start, block.end) != (start, start + len(line)):
            raise ValueError(
                f"block {i} ({block.kind}) is {block.start}:{block.end}, "
                f"line {i} is {start}:{start + len(line)}"
            )
        start += len(line) + 1


class Article(_Strict):
    """One parsed article: the output of the parse stage, the input of extraction."""

    id: str = Field(description="File stem of the raw file, or a caller-given id.")
    source: str | None = Field(default=None, description="Path of the raw file, if any.")
    title: str = ""
    url: str | None = Field(
        default=None,
        description="The article's absolute http(s) URL; null when absent or rejected "
        "(any other scheme, relative or malformed: see the url_rejected warning).",
    )
    published: dt.datetime | None = Field(
        default=None, description="Publication instant, timezone-aware, in UTC."
    )
    timezone: str = Field(
        default=DEFAULT_ZONE,
        description="IANA zone of the newsroom; relative dates resolve in this zone.",
    )
    text: str = Field(description="Title, then one paragraph or caption per line.")
    blocks: list[TextBlock] = Field(
        default_factory=list, description="Kind of each line of text (schema 1.1)."
    )
    authors: list[Author] = Field(
        default_factory=list, description="Names from the bylines (schema 1.1)."
    )
    warnings: list[RecordWarning] = Field(
        default_factory=list, description="What parsing repaired or dropped (schema 1.1)."
    )

    @model_validator(mode="after")
    def _check_blocks(self) -> Article:
        check_blocks(self.text, self.blocks)
        return self


class Mention(_Strict):
    """One occurrence of an entity in ``Record.text`` (offsets in code points)."""

    text: str
    label: Label
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    value: str | None = Field(
        default=None, description="Normalized date value (DATE only; null if unresolvable)."
    )
    entity: int = Field(ge=0, description="Index into Record.entities.")

    @model_validator(mode="after")
    def _check(self) -> Mention:
        if self.end <= self.start:
            raise ValueError(f"mention {self.text!r}: end {self.end} <= start {self.start}")
        if self.value is not None and self.label != "DATE":
            raise ValueError(f"mention {self.text!r}: only DATE mentions carry a value")
        return self


class Entity(_Strict):
    """A distinct entity of one article: its mentions grouped under one name."""

    label: Label
    name: str = Field(description="Canonical name: the most frequent Chinese-script form.")
    aliases: list[str] = Field(default_factory=list, description="Other surface forms.")
    count: int = Field(ge=1, description="Number of mentions.")
    value: str | None = Field(default=None, description="Normalized value (DATE only).")
    key: str | None = Field(
        default=None,
        description=(
            "Identity across articles (added in 1.1): iso:XX for countries and territories, "
            "gb:NNNNNN for Chinese administrative areas, date:VALUE, otherwise "
            "person:/org:/loc: and the folded name (Simplified, NFKC, Latin lowercased). "
            "Computed from the article and static tables only; null in older records."
        ),
    )


class PipelineInfo(_Strict):
    """What produced the record, for reproducibility."""

    version: str
    model: str
    model_version: str


#: How much of a record ``repr()`` shows: the start of the text and the first mentions.
REPR_TEXT_CHARS = 80
REPR_MENTIONS = 10


class Record(_Strict):
    """One output line: an article with its mentions and entities."""

    schema_version: str = SCHEMA_VERSION
    id: str
    source: str | None = None
    title: str = ""
    url: str | None = Field(
        default=None,
        description="The article's absolute http(s) URL; null when absent or rejected "
        "(any other scheme, relative or malformed: see the url_rejected warning).",
    )
    published: dt.datetime | None = None
    timezone: str = DEFAULT_ZONE
    text: str = Field(description="Title, then one paragraph or caption per line.")
    blocks: list[TextBlock] = Field(
        default_factory=list,
        description="One block per line of text: its offsets and kind (title, paragraph, "
        "caption); added in 1.1, empty in 1.0 records.",
    )
    authors: list[Author] = Field(
        default_factory=list,
        description="Names from the article's bylines, with their role (added in 1.1).",
    )
    mentions: list[Mention] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    warnings: list[RecordWarning] = Field(
        default_factory=list,
        description="What the pipeline repaired or dropped for this record (added in 1.1).",
    )
    pipeline: PipelineInfo

    @model_validator(mode="after")
    def _check_offsets(self) -> Record:
        check_blocks(self.text, self.blocks)
        n = len(self.entities)
        for m in self.mentions:
            if self.text[m.start : m.end] != m.text:
                raise ValueError(
                    f"mention {m.text!r} at {m.start}:{m.end} does not match the text "
                    f"({self.text[m.start : m.end]!r})"
                )
            if m.entity >= n:
                raise ValueError(f"mention {m.text!r} points to entity {m.entity} of {n}")
            if self.entities[m.entity].label != m.label:
                raise ValueError(f"mention {m.text!r} and its entity differ in label")
        return self

    def block_kind(self, offset: int) -> BlockKind | None:
        """Kind of the line holding ``offset`` (``None`` for a record without blocks)."""
        import bisect

        if not self.blocks:
            return None
        # By key, not a list of starts per call: a frame calls this for every mention.
        i = bisect.bisect_right(self.blocks, offset, key=lambda b: b.start) - 1
        return self.blocks[max(i, 0)].kind

    def __repr__(self) -> str:
        """A short, readable summary: a huge record never floods a console or a log."""
        head = self.text[:REPR_TEXT_CHARS]
        more = len(self.text) - len(head)
        text = repr(head) + (f" … (+{more:,} characters)" if more else "")
        shown = ", ".join(f"{m.text}/{m.label}" for m in self.mentions[:REPR_MENTIONS])
        rest = len(self.mentions) - REPR_MENTIONS
        if rest > 0:
            shown += f", … (+{rest:,} more)"
        return (
            f"Record(id={self.id!r}, text={text}, mentions={len(self.mentions):,} [{shown}], "
            f"entities={len(self.entities):,}, warnings={len(self.warnings)})"
        )

    def __str__(self) -> str:
        return repr(self)

    def _repr_html_(self) -> str:
        """Render the text with highlighted entities in Jupyter (capped for huge records)."""
        from pipeline.render import HTML_MAX_CHARS, render_record

        return render_record(self, max_chars=HTML_MAX_CHARS)

    def render(self) -> str:
        """Return the HTML rendering of the record (displacy style)."""
        from pipeline.render import render_record

        return render_record(self)


ErrorCode = Literal[
    "not_found",
    "unreadable",
    "too_large",
    "empty",
    "binary",
    "bad_encoding",
    "bad_header",
    "extract_failed",
    "symlink_loop",
    "worker_crashed",
    "timeout",
]


class ErrorRecord(_Strict):
    """One line of the errors file: an input that did not become a record."""

    source: str
    error: ErrorCode
    message: str
