"""frames(): one row per mention / per entity, documented dtypes, pandas and polars."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pipeline.frames import ENTITY_COLUMNS, MENTION_COLUMNS, Frames, frames
from pipeline.schema import LABELS, Record
from tests.report.helpers import batch


def write_jsonl(records: list[Record], path: Path) -> Path:
    path.write_text("".join(r.model_dump_json() + "\n" for r in records), encoding="utf-8")
    return path


def test_rows_and_columns() -> None:
    records = batch()
    mentions, entities = frames(records)
    assert tuple(mentions.columns) == MENTION_COLUMNS
    assert tuple(entities.columns) == ENTITY_COLUMNS
    assert len(mentions) == sum(len(r.mentions) for r in records)
    assert len(entities) == sum(len(r.entities) for r in records)
    first = mentions.iloc[0]
    assert (first.article_id, first.label, first.text, first.start, first.end) == (
        "000_seed",
        "LOC",
        "台湾",
        19,
        21,
    )
    assert records[0].text[first.start : first.end] == "台湾"


def test_dtypes() -> None:
    mentions, entities = frames(batch())
    assert str(mentions["published"].dtype) == "datetime64[ns, UTC]"
    assert str(entities["published"].dtype) == "datetime64[ns, UTC]"
    assert isinstance(mentions["label"].dtype, pd.CategoricalDtype)
    assert list(mentions["label"].cat.categories) == list(LABELS)
    for column in ("article_id", "text", "value", "name"):
        assert isinstance(mentions[column].dtype, pd.StringDtype), column
    for column in ("start", "end", "entity"):
        assert mentions[column].dtype == "int64", column
    assert entities["count"].dtype == "int64"
    assert entities["aliases"].dtype == object


def test_values_published_and_aliases() -> None:
    mentions, entities = frames(batch())
    dates = mentions[mentions.label == "DATE"]
    assert dates["value"].notna().all()
    assert mentions[mentions.label != "DATE"]["value"].isna().all()
    seed = mentions[mentions.article_id == "000_seed"]
    assert seed["published"].iloc[0] == pd.Timestamp("2022-01-05T20:45:01Z")
    assert seed["published"].dt.tz is not None
    assert mentions[mentions.article_id == "103_tokyo"]["published"].isna().all()
    duckworth = entities[(entities.name == "达克沃斯") & (entities.article_id == "000_seed")]
    assert duckworth["aliases"].iloc[0] == ["Tammy Duckworth"]
    assert int(duckworth["count"].iloc[0]) == 3
    # mentions.name is the canonical name: Tammy Duckworth counts for 达克沃斯
    assert (seed[seed.text == "Tammy Duckworth"]["name"] == "达克沃斯").all()


def test_frames_join_on_article_and_entity() -> None:
    mentions, entities = frames(batch())
    joined = mentions.merge(entities, on=["article_id", "entity"], suffixes=("", "_entity"))
    assert len(joined) == len(mentions)
    assert (joined["name"] == joined["name_entity"]).all()


def test_path_and_single_record(tmp_path: Path) -> None:
    records = batch()
    path = write_jsonl(records, tmp_path / "records.jsonl")
    from_path = frames(path)
    from_str = frames(str(path))
    assert isinstance(from_path, Frames)
    pd.testing.assert_frame_equal(from_path.mentions, frames(records).mentions)
    pd.testing.assert_frame_equal(from_str.entities, frames(records).entities)
    assert len(frames(records[0]).mentions) == len(records[0].mentions)


def test_empty_keeps_dtypes() -> None:
    mentions, entities = frames([])
    assert len(mentions) == 0 and len(entities) == 0
    assert str(mentions["published"].dtype) == "datetime64[ns, UTC]"
    assert mentions["start"].dtype == "int64"


def test_bad_input() -> None:
    with pytest.raises(TypeError):
        frames([{"id": "not a record"}])  # type: ignore[list-item]
    with pytest.raises(ValueError):
        frames([], backend="arrow")  # type: ignore[arg-type]


def test_polars_backend() -> None:
    pl = pytest.importorskip("polars")
    mentions, entities = frames(batch(), backend="polars")
    assert mentions.columns == list(MENTION_COLUMNS)
    assert mentions.schema["published"] == pl.Datetime("us", "UTC")
    assert mentions.schema["label"] == pl.Enum(list(LABELS))
    assert entities.schema["aliases"] == pl.List(pl.Utf8)
    assert len(entities) == len(frames(batch()).entities)
    orgs = entities.filter(pl.col("label") == "ORG").group_by("name").agg(pl.len())
    assert dict(orgs.iter_rows())["日本外务省"] == 3


def test_frames_is_exported_from_the_package() -> None:
    import pipeline
    from pipeline.frames import frames as function

    assert getattr(pipeline, "frames", None) is function, (
        "export it in pipeline/__init__.py: `from pipeline.frames import Frames, frames` "
        "(an eager import: the module is light, pandas loads on first call)"
    )


def test_keys_and_the_archive_frame() -> None:
    from tests.unit.test_entities import _batch

    f = frames(_batch())
    mentions, entities = f  # still unpacks as two frames
    assert str(entities["key"].dtype) == "string" and str(mentions["archive_key"].dtype) == "string"
    us = mentions[mentions["text"].isin(["美", "美國"])]
    assert set(us["key"]) == {"iso:US"} and set(us["archive_key"]) == {"iso:US"}
    lloyd = entities[entities["name"] == "Lloyd Austin"]
    assert list(lloyd["key"]) == ["person:lloyd austin"]
    assert list(lloyd["archive_key"]) == ["person:劳埃德·奥斯汀"]  # a batch merge
    archive = f.archive
    from pipeline.frames import ARCHIVE_COLUMNS

    assert tuple(archive.columns) == ARCHIVE_COLUMNS
    assert archive["key"].is_unique
    assert set(entities["archive_key"]) == set(archive["key"])
    row = archive.set_index("key").loc["person:劳埃德·奥斯汀"]
    assert row["articles"] == 2 and "Lloyd Austin" in row["aliases"]
    assert str(archive["first_published"].dtype) == "datetime64[ns, UTC]"
    # People named in the most articles, all scripts together.
    people = archive[archive["label"] == "PERSON"].sort_values("articles", ascending=False)
    assert people.iloc[0]["name"] == "达克沃斯"


def test_archive_frame_polars() -> None:
    pytest.importorskip("polars")
    from tests.unit.test_entities import _batch

    f = frames(_batch(), backend="polars")
    assert f.archive.height == len(frames(_batch()).archive)
    assert f.archive.schema["keys"].__class__.__name__ == "List"


def test_block_column() -> None:
    from pipeline.schema import BLOCK_KINDS

    records = batch()
    rec = records[0].model_copy(deep=True)
    lines = rec.text.split("\n")
    blocks, start = [], 0
    for i, line in enumerate(lines):
        kind = "title" if i == 0 else ("caption" if i == len(lines) - 1 else "paragraph")
        blocks.append({"kind": kind, "start": start, "end": start + len(line)})
        start += len(line) + 1
    rec = Record.model_validate({**rec.model_dump(), "blocks": blocks})
    mentions, _ = frames([rec, *records[1:]])
    assert isinstance(mentions["block"].dtype, pd.CategoricalDtype)
    assert list(mentions["block"].cat.categories) == list(BLOCK_KINDS)
    mine = mentions[mentions.article_id == rec.id]
    assert mine["block"].notna().all()
    for row in mine.itertuples():
        assert row.block == rec.block_kind(row.start)
    assert mentions[mentions.article_id != rec.id]["block"].isna().all()  # no blocks: <NA>
