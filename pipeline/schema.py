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


class Article(_Strict):
    """One parsed article: the output of the parse stage, the input of extraction."""

    id: str = Field(description="File stem of the raw file, or a caller-given id.")
    source: str | None = Field(default=None, description="Path of the raw file, if any.")
    title: str = ""
    url: str | None = None
    published: dt.datetime | None = Field(
        default=None, description="Publication instant, timezone-aware, in UTC."
    )
    timezone: str = Field(
        default="Asia/Shanghai",
        description="IANA zone of the newsroom; relative dates resolve in this zone.",
    )
    text: str = Field(description="Title, then one body paragraph per line.")
    warnings: list[RecordWarning] = Field(
        default_factory=list, description="What parsing repaired or dropped (schema 1.1)."
    )


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


class Record(_Strict):
    """One output line: an article with its mentions and entities."""

    schema_version: str = SCHEMA_VERSION
    id: str
    source: str | None = None
    title: str = ""
    url: str | None = None
    published: dt.datetime | None = None
    timezone: str = "Asia/Shanghai"
    text: str
    mentions: list[Mention] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    warnings: list[RecordWarning] = Field(
        default_factory=list,
        description="What the pipeline repaired or dropped for this record (added in 1.1).",
    )
    pipeline: PipelineInfo

    @model_validator(mode="after")
    def _check_offsets(self) -> Record:
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

    def _repr_html_(self) -> str:
        """Render the text with highlighted entities in Jupyter."""
        from pipeline.render import render_record

        return render_record(self)

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
]


class ErrorRecord(_Strict):
    """One line of the errors file: an input that did not become a record."""

    source: str
    error: ErrorCode
    message: str
