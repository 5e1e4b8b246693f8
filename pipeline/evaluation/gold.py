"""The project's gold format: one JSON document a line (docs/gold.md), and predictions files.

Gold format::

    {"id": "...", "text": "..." | "source": "articles/x.txt", "published": "...Z",
     "mentions": [{"start": 0, "end": 2, "label": "LOC", "text": "美国"}, ...]}

``source`` is a raw feed-item file, resolved relative to the gold file; when ``text``
is absent it is parsed from ``source``. The models here are what every reader of
:mod:`pipeline.evaluation.formats` produces, so scoring sees one document type.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from pipeline.errors import GoldFormatError

if TYPE_CHECKING:
    from pipeline.schema import Record

__all__ = [
    "RECORDS_HINT",
    "GoldDoc",
    "GoldFormatError",
    "GoldLabel",
    "GoldMention",
    "GoldProblem",
    "PlainDocs",
    "Triple",
    "gold_line",
    "gold_schema",
    "iter_jsonl",
    "load_gold",
    "looks_like_record",
    "read_predictions",
    "record_to_gold",
    "resolve_source",
    "text_from_source",
]

GoldLabel = Literal["PERSON", "ORG", "LOC", "DATE"]

#: A mention reduced to what scoring looks at.
Triple = tuple[str, str, str | None]
#: Documents reduced to what scoring looks at: id → mentions.
PlainDocs = Mapping[str, Sequence[Triple]]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class GoldMention(_Strict):
    """One annotated mention: offsets in code points into the document text."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    label: GoldLabel
    text: str = Field(min_length=1)
    value: str | None = Field(default=None, description="Normalized value (DATE only).")

    @model_validator(mode="after")
    def _check(self) -> GoldMention:
        if self.end <= self.start:
            raise ValueError(f"mention {self.text!r}: end {self.end} <= start {self.start}")
        if self.end - self.start != len(self.text):
            raise ValueError(f"mention {self.text!r}: {self.start}:{self.end} is not its length")
        return self


class GoldDoc(_Strict):
    """One gold document: ``text`` or a raw-file ``source``, and its mentions."""

    id: str
    text: str | None = None
    source: str | None = Field(
        default=None, description="Raw feed-item file, relative to the gold file."
    )
    published: dt.datetime | None = Field(
        default=None, description="Publication instant; relative dates resolve against it."
    )
    timezone: str | None = Field(
        default=None,
        description="IANA zone of the newsroom (default: from the source's URL, else Asia/Shanghai).",
    )
    mentions: list[GoldMention] = Field(default_factory=list)

    @model_validator(mode="after")
    def _need_text(self) -> GoldDoc:
        if self.text is None and self.source is None:
            raise ValueError("a document needs 'text' or 'source'")
        return self

    def triples(self) -> list[Triple]:
        """The mentions as scoring sees them."""
        return [(m.label, m.text, m.value) for m in self.mentions]


class GoldProblem(_Strict):
    """A problem found in a gold file, with its 1-based line number (0: the file)."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


#: Added to the error when a records file (``pipeline run`` output) is read as gold.
RECORDS_HINT = (
    " (this line is a record written by `pipeline run`, not gold: convert records with "
    "`pipeline gold RECORDS --out GOLD`, see docs/gold.md)"
)


def iter_jsonl(path: Path) -> Iterator[tuple[int, str]]:
    """The non-blank lines of a JSONL file with their 1-based numbers."""
    with path.open(encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                yield n, line


def resolve_source(source: str, base: Path) -> Path:
    """A document's ``source``, relative to the folder of its gold file."""
    path = Path(source)
    return path if path.is_absolute() else base / path


def text_from_source(path: Path) -> tuple[str, dt.datetime | None]:
    """The parsed text and publication time of a raw feed-item file."""
    from pipeline.stages.parse import parse_file

    art = parse_file(path)
    return art.text, art.published


def looks_like_record(line: str) -> bool:
    """Whether a JSONL line is a record written by ``pipeline run`` (not gold)."""
    try:
        raw = json.loads(line)
    except json.JSONDecodeError:
        return False
    return isinstance(raw, dict) and "schema_version" in raw and "pipeline" in raw


def first_error(e: ValidationError) -> str:
    """The first error of a validation failure, as ``where: message``."""
    err = e.errors()[0]
    where = ".".join(str(p) for p in err["loc"])
    return f"{where}: {err['msg']}" if where else str(err["msg"])


def load_gold(path: str | Path) -> list[GoldDoc]:
    """Read a gold JSONL file; documents given by ``source`` get their text parsed.

    ``source`` is rewritten to the resolved path so that later steps can find it.
    Raises :class:`GoldFormatError` naming the line of the first invalid document.
    """
    path = Path(path)
    docs: list[GoldDoc] = []
    for n, line in iter_jsonl(path):
        try:
            doc = GoldDoc.model_validate_json(line)
        except ValidationError as e:
            hint = RECORDS_HINT if looks_like_record(line) else ""
            raise GoldFormatError(f"{path}:{n}: {first_error(e)}{hint}") from e
        if doc.source is not None:
            resolved = resolve_source(doc.source, path.parent)
            doc.source = str(resolved)
            if doc.text is None:
                try:
                    doc.text, published = text_from_source(resolved)
                except Exception as e:  # the parser's coded errors, OSError
                    raise GoldFormatError(f"{path}:{n}: cannot read source: {e}") from e
                if doc.published is None:
                    doc.published = published
        docs.append(doc)
    return docs


def gold_schema() -> dict[str, Any]:
    """The JSON Schema of one line of a gold file (``pipeline schema --gold``)."""
    return GoldDoc.model_json_schema()


def record_to_gold(record: Record) -> GoldDoc:
    """A gold document holding a record's text, time, zone and mentions.

    The starting point for annotating by correction: fix the mentions by hand, then
    check the file with ``pipeline eval GOLD --check``.
    """
    return GoldDoc(
        id=record.id,
        text=record.text,
        published=record.published,
        timezone=record.timezone,
        mentions=[
            GoldMention(start=m.start, end=m.end, label=m.label, text=m.text, value=m.value)
            for m in record.mentions
        ],
    )


def gold_line(doc: GoldDoc) -> str:
    """One JSONL line of a gold file (``source``/``timezone`` only when set)."""
    return doc.model_dump_json(exclude_none=True) + "\n"


def read_predictions(path: str | Path) -> dict[str, list[Triple]]:
    """Read predictions: JSONL records (the pipeline's output) or gold-format lines.

    Only ``id`` and each mention's ``label``, ``text`` and ``value`` are used.
    """
    path = Path(path)
    out: dict[str, list[Triple]] = {}
    for n, line in iter_jsonl(path):
        try:
            raw = json.loads(line)
            doc_id = str(raw["id"])
            triples = [(m["label"], m["text"], m.get("value")) for m in raw.get("mentions", [])]
        except (json.JSONDecodeError, KeyError, TypeError) as e:
            raise GoldFormatError(f"{path}:{n}: not a prediction record: {e}") from e
        out.setdefault(doc_id, []).extend(triples)
    return out
