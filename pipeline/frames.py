"""Records as DataFrames: one row per mention and one row per entity of each article.

``frames(records_or_path)`` takes records (any iterable, such as a generator from
:func:`pipeline.read_records`), one record, or the path of a records JSONL file
(read streaming), and returns :class:`Frames` with two pandas DataFrames, or two
polars DataFrames with ``backend="polars"`` when polars is installed.

Columns and dtypes (pandas / polars):

``mentions`` — one row per mention, in article order then text order:

=============  =================================  ==========================================
column         dtype                              meaning
=============  =================================  ==========================================
article_id     string / Utf8                      ``Record.id``
published      datetime64[ns, UTC] / Datetime     publication instant, timezone-aware (UTC);
                                                  NaT / null when unknown
label          category (PERSON ORG LOC DATE)     the mention's label (polars: Enum)
text           string / Utf8                      surface form, ``record.text[start:end]``
value          string / Utf8                      normalized DATE value; <NA> / null otherwise
start, end     int64 / Int64                      code-point offsets into ``record.text``
block          category (title paragraph          kind of the line holding the mention
               caption) / Enum                    (``Record.blocks``); <NA> / null for 1.0
                                                  records, which have no blocks
entity         int64 / Int64                      index of its entity within the article
name           string / Utf8                      canonical name of that entity
key            string / Utf8                      that entity's ``Entity.key`` (article-level)
archive_key    string / Utf8                      its key after the batch merges (joins ``archive``)
=============  =================================  ==========================================

``entities`` — one row per distinct entity per article:

=============  =================================  ==========================================
article_id     string / Utf8                      ``Record.id``
published      datetime64[ns, UTC] / Datetime     as above
entity         int64 / Int64                      index within the article (joins ``mentions``)
label          category / Enum                    the entity's label
name           string / Utf8                      canonical name (most frequent Chinese form)
aliases        object (list of str) / List(Utf8)  other surface forms
count          int64 / Int64                      number of mentions in the article
value          string / Utf8                      normalized DATE value; <NA> / null otherwise
key            string / Utf8                      ``Entity.key``: identity across articles
archive_key    string / Utf8                      the key after the batch merges
=============  =================================  ==========================================

``Frames.archive`` — one row per entity across all the records (the table of
``pipeline entities``, :mod:`pipeline.entities`), most articles first:

===============  ===============================  ==========================================
key              string / Utf8                    archive key (``archive_key`` above)
label            category / Enum                  the entity's label
name             string / Utf8                    most frequent Simplified form
aliases          object (list of str) / List      other surface forms, most frequent first
keys             object (list of str) / List      the article-level keys merged into it
articles         int64 / Int64                    articles naming it
mentions         int64 / Int64                    mentions of it
first_published  datetime64[ns, UTC] / Datetime   earliest publication naming it (NaT / null)
last_published   datetime64[ns, UTC] / Datetime   latest publication naming it
===============  ===============================  ==========================================

Nothing is imported from pandas or polars until :func:`frames` is called.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from pipeline.entities import CSV_COLUMNS
from pipeline.schema import BLOCK_KINDS, LABELS, Record

if TYPE_CHECKING:
    import pandas as pd

Backend = Literal["pandas", "polars"]

MENTION_COLUMNS: tuple[str, ...] = (
    "article_id",
    "published",
    "label",
    "text",
    "value",
    "start",
    "end",
    "block",
    "entity",
    "name",
    "key",
    "archive_key",
)
ENTITY_COLUMNS: tuple[str, ...] = (
    "article_id",
    "published",
    "entity",
    "label",
    "name",
    "aliases",
    "count",
    "value",
    "key",
    "archive_key",
)
ARCHIVE_COLUMNS: tuple[str, ...] = CSV_COLUMNS
_STRINGS = ("article_id", "text", "value", "name", "key", "archive_key")
_INTS = ("start", "end", "entity", "count", "articles", "mentions")
_TIMES = ("published", "first_published", "last_published")


class _FramePair(NamedTuple):
    mentions: Any
    entities: Any


class Frames(_FramePair):
    """The mentions and entities of a batch of records (unpack or use the attributes).

    Unpacks as ``mentions, entities``; ``.archive`` holds the archive-level entity frame.
    """

    archive: Any = None  # also for copies made by ``_replace`` / ``_make``

    def __new__(cls, mentions: Any, entities: Any, archive: Any = None) -> Frames:
        self = super().__new__(cls, mentions, entities)
        self.archive = archive
        return self


def _records(source: Iterable[Record] | Record | str | Path) -> Iterator[Record]:
    if isinstance(source, Record):
        yield source
    elif isinstance(source, str | Path):
        from pipeline import read_records

        yield from read_records(source)
    else:
        for item in source:
            if not isinstance(item, Record):
                raise TypeError(f"expected pipeline Record objects, got {type(item).__name__}")
            yield item


def _columns(
    records: Iterable[Record],
) -> tuple[dict[str, list[Any]], dict[str, list[Any]], dict[str, list[Any]]]:
    from pipeline.entities import EntityTable, record_keys

    mentions: dict[str, list[Any]] = {c: [] for c in MENTION_COLUMNS}
    entities: dict[str, list[Any]] = {c: [] for c in ENTITY_COLUMNS}
    table = EntityTable()
    for record in records:
        table.add(record)
        keys = record_keys(record)
        published: dt.datetime | None = (
            record.published.astimezone(dt.UTC) if record.published is not None else None
        )
        for m in record.mentions:
            row: dict[str, Any] = {
                "article_id": record.id,
                "published": published,
                "label": m.label,
                "text": m.text,
                "value": m.value,
                "start": m.start,
                "end": m.end,
                "block": record.block_kind(m.start),
                "entity": m.entity,
                "name": record.entities[m.entity].name,
                "key": keys[m.entity],
                "archive_key": None,
            }
            for key, val in row.items():
                mentions[key].append(val)
        for i, e in enumerate(record.entities):
            row = {
                "article_id": record.id,
                "published": published,
                "entity": i,
                "label": e.label,
                "name": e.name,
                "aliases": list(e.aliases),
                "count": e.count,
                "value": e.value,
                "key": keys[i],
                "archive_key": None,
            }
            for key, val in row.items():
                entities[key].append(val)
    table_rows = table.rows()
    resolved = {k: r.key for r in table_rows for k in r.keys}
    for columns in (mentions, entities):
        columns["archive_key"] = [resolved[k] for k in columns["key"]]
    archive: dict[str, list[Any]] = {c: [] for c in ARCHIVE_COLUMNS}
    for r in table_rows:
        archive["key"].append(r.key)
        archive["label"].append(r.label)
        archive["name"].append(r.name)
        archive["aliases"].append([a.form for a in r.aliases])
        archive["keys"].append(list(r.keys))
        archive["articles"].append(r.articles)
        archive["mentions"].append(r.mentions)
        archive["first_published"].append(r.first_published)
        archive["last_published"].append(r.last_published)
    return mentions, entities, archive


def _pandas(columns: dict[str, list[Any]]) -> pd.DataFrame:
    import pandas as pd

    data: dict[str, Any] = {}
    for name, values in columns.items():
        if name in _TIMES:
            data[name] = pd.to_datetime(pd.Series(values, dtype=object), utc=True).dt.as_unit("ns")
        elif name == "label":
            data[name] = pd.Categorical(values, categories=list(LABELS))
        elif name == "block":
            data[name] = pd.Categorical(values, categories=list(BLOCK_KINDS))
        elif name in _STRINGS:
            data[name] = pd.array(values, dtype="string")
        elif name in _INTS:
            data[name] = pd.array(values, dtype="int64")
        else:  # aliases, keys: a Python list per row
            series = pd.Series(values, dtype=object)
            data[name] = series
    frame = pd.DataFrame(data)
    frame.index = pd.RangeIndex(len(frame))
    return frame


def _polars(columns: dict[str, list[Any]]) -> Any:
    import polars as pl

    schema: dict[str, Any] = {}
    for name in columns:
        if name in _TIMES:
            schema[name] = pl.Datetime("us", "UTC")
        elif name == "label":
            schema[name] = pl.Enum(list(LABELS))
        elif name == "block":
            schema[name] = pl.Enum(list(BLOCK_KINDS))
        elif name in _STRINGS:
            schema[name] = pl.Utf8
        elif name in _INTS:
            schema[name] = pl.Int64
        else:
            schema[name] = pl.List(pl.Utf8)
    return pl.DataFrame(columns, schema=schema)


def frames(
    records_or_path: Iterable[Record] | Record | str | Path,
    *,
    backend: Backend = "pandas",
) -> Frames:
    """Mentions and entities of records as DataFrames (dtypes in the module docstring).

    Args:
        records_or_path: Records (a list, a generator such as ``read_records(path)``),
            a single record, or the path of a records JSONL file (read streaming).
        backend: ``"pandas"`` (default) or ``"polars"`` (needs polars installed).

    Returns:
        ``Frames(mentions, entities)``; unpack it or use the attributes;
        ``.archive`` is the archive-level entity frame (one row per archive key).

    Example::

        mentions, entities = frames("data/out/records.jsonl")
        entities[entities.label == "PERSON"].groupby("name")["count"].sum()
    """
    if backend not in ("pandas", "polars"):
        raise ValueError(f"unknown backend {backend!r}: use 'pandas' or 'polars'")
    try:
        if backend == "polars":
            import polars  # noqa: F401
        else:
            import pandas  # noqa: F401
    except ImportError as e:
        raise ImportError(
            f"frames(backend={backend!r}) needs {backend}: pip install {backend}"
        ) from e
    mentions, entities, archive = _columns(_records(records_or_path))
    if backend == "polars":
        return Frames(_polars(mentions), _polars(entities), _polars(archive))
    return Frames(_pandas(mentions), _pandas(entities), _pandas(archive))
