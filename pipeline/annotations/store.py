"""The standoff store: one JSON object a line per annotated article opening, no text.

``{"id", "outlet", "published", "sha256", "chars", "method", "mentions": [{"start",
"end", "label", "value" (DATE only)}]}``; offsets are Python string offsets into the
opening (``corpus.opening``) of the news_unlabeled article ``id``, whose SHA-256 and
length are recorded so that a changed corpus or a changed cutting rule is caught.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from pipeline.annotations.corpus import corpus_dir, fetch, opening, text_sha256
from pipeline.errors import AnnotationError
from pipeline.evaluation.gold import GoldDoc, GoldLabel, GoldMention

#: How the mentions were made: a model's output reviewed span by span against the
#: guide ("reviewed"), by readers who saw no model output ("manual", for dev sets), or
#: a teacher model's unreviewed output ("silver": distillation data in the per-user
#: cache, never in the repository's store; ``pipeline.training.distill``).
Method = Literal["reviewed", "manual", "silver"]


class StandoffMention(BaseModel):
    """One mention: offsets into the article opening, a label, a DATE value."""

    model_config = ConfigDict(extra="forbid")

    start: int = Field(ge=0)
    end: int = Field(gt=0)
    label: GoldLabel
    value: str | None = None

    @model_validator(mode="after")
    def _span(self) -> StandoffMention:
        if self.end <= self.start:
            raise ValueError(f"end {self.end} is not after start {self.start}")
        return self


class StandoffArticle(BaseModel):
    """One annotated article opening, identified by news_unlabeled id and text hash."""

    model_config = ConfigDict(extra="forbid")

    id: str
    outlet: str
    published: dt.datetime
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    chars: int = Field(ge=1)
    method: Method
    mentions: list[StandoffMention] = Field(default_factory=list)


def standoff_files(path: str | Path) -> list[Path]:
    """The ``*.jsonl`` files of a store folder (sorted), or the one file given."""
    path = Path(path)
    if path.is_dir():
        return sorted(path.glob("*.jsonl"))
    if path.is_file():
        return [path]
    raise AnnotationError(f"no such annotation file or folder: {path}")


def iter_standoff(path: str | Path) -> Iterator[tuple[Path, int, StandoffArticle]]:
    """Every record of a store (file, 1-based line, record); invalid lines raise."""
    for file in standoff_files(path):
        with file.open(encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    yield file, n, StandoffArticle.model_validate_json(line)
                except ValidationError as e:
                    err = e.errors()[0]
                    where = ".".join(str(p) for p in err["loc"])
                    raise AnnotationError(f"{file}:{n}: {where}: {err['msg']}") from e


def read_standoff(path: str | Path) -> list[StandoffArticle]:
    """All records of a store, in file and line order."""
    return [rec for _, _, rec in iter_standoff(path)]


def to_standoff(doc: GoldDoc, *, outlet: str, method: Method) -> StandoffArticle:
    """The standoff record of an annotated document (its text is hashed, not kept)."""
    text = doc.text or ""
    if doc.published is None:
        raise AnnotationError(f"{doc.id}: a record needs the publication time")
    return StandoffArticle(
        id=doc.id,
        outlet=outlet,
        published=doc.published,
        sha256=text_sha256(text),
        chars=len(text),
        method=method,
        mentions=[
            StandoffMention(start=m.start, end=m.end, label=m.label, value=m.value)
            for m in sorted(doc.mentions, key=lambda m: (m.start, m.end))
        ],
    )


def write_standoff(path: str | Path, records: Iterable[StandoffArticle]) -> None:
    """Write records as JSONL, one article a line, ordered by id."""
    lines = [rec.model_dump_json(exclude_none=True) for rec in sorted(records, key=lambda r: r.id)]
    Path(path).write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def rebuild_text(rec: StandoffArticle, text: str) -> str:
    """The opening of ``text`` if it is the one ``rec`` was made on, else AnnotationError."""
    cut = opening(text)
    if len(cut) != rec.chars or text_sha256(cut) != rec.sha256:
        raise AnnotationError(
            f"{rec.id}: the article opening in ../shared does not match the recorded hash "
            f"({len(cut)} characters, recorded {rec.chars})"
        )
    return cut


def to_gold(rec: StandoffArticle, text: str) -> GoldDoc:
    """A gold document (text and mention strings) from a record and its rebuilt text.

    Raises AnnotationError when a mention does not fit the text; finer checks
    (overlaps, values, consistency) are the checker's.
    """
    mentions: list[GoldMention] = []
    for i, m in enumerate(rec.mentions):
        if m.end > len(text) or m.end <= m.start:
            raise AnnotationError(f"{rec.id}: mention {i} {m.start}:{m.end} is outside the text")
        try:
            mentions.append(
                GoldMention(
                    start=m.start,
                    end=m.end,
                    label=m.label,
                    text=text[m.start : m.end],
                    value=m.value,
                )
            )
        except ValidationError as e:
            raise AnnotationError(f"{rec.id}: mention {i}: {e.errors()[0]['msg']}") from e
    return GoldDoc(id=rec.id, text=text, published=rec.published, mentions=mentions)


def load_annotations(path: str | Path, shared: str | Path) -> list[GoldDoc]:
    """The annotated documents of a store, with their text rebuilt from ``shared``.

    Raises AnnotationError when ``shared`` lacks the corpus (callers that can do
    without, such as tests and ``make train``, check :func:`corpus_dir` first and skip),
    when an id is missing from the corpus or when a text's hash does not match.
    """
    records = read_standoff(path)
    directory = corpus_dir(shared)
    if directory is None:
        raise AnnotationError(f"{Path(shared) / 'corpora' / 'news_unlabeled'} is absent")
    texts = fetch(directory, (r.id for r in records))
    docs: list[GoldDoc] = []
    for rec in records:
        art = texts.get(rec.id)
        if art is None:
            raise AnnotationError(f"{rec.id}: not in {directory}")
        docs.append(to_gold(rec, rebuild_text(rec, art.text)))
    return docs
