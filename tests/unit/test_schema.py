"""Record contract: validators hold, the committed JSON Schema is current."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from pipeline.cli.schema import record_schema
from pipeline.schema import Entity, Mention, PipelineInfo, Record

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "pipeline" / "data" / "record.schema.json"
INFO = PipelineInfo(version="0", model="m", model_version="0")


def record(**changes: object) -> Record:
    data: dict[str, object] = {
        "id": "a",
        "text": "奥斯汀周四说",
        "mentions": [
            {"text": "奥斯汀", "label": "PERSON", "start": 0, "end": 3, "entity": 0},
            {
                "text": "周四",
                "label": "DATE",
                "start": 3,
                "end": 5,
                "value": "2022-01-06",
                "entity": 1,
            },
        ],
        "entities": [
            {"label": "PERSON", "name": "奥斯汀", "count": 1},
            {"label": "DATE", "name": "周四", "count": 1, "value": "2022-01-06"},
        ],
        "pipeline": INFO.model_dump(),
    }
    data.update(changes)
    return Record.model_validate(data)


def test_valid_record_round_trips() -> None:
    rec = record()
    assert Record.model_validate_json(rec.model_dump_json()) == rec


@pytest.mark.parametrize(
    "changes",
    [
        {"mentions": [{"text": "奥斯", "label": "PERSON", "start": 0, "end": 3, "entity": 0}]},
        {"mentions": [{"text": "奥斯汀", "label": "PERSON", "start": 0, "end": 3, "entity": 5}]},
        {
            "mentions": [
                {
                    "text": "奥斯汀",
                    "label": "PERSON",
                    "start": 0,
                    "end": 3,
                    "value": "x",
                    "entity": 0,
                }
            ]
        },
        {"mentions": [{"text": "奥斯汀", "label": "GPE", "start": 0, "end": 3, "entity": 0}]},
        {"unknown_field": 1},
    ],
)
def test_invalid_records_rejected(changes: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        record(**changes)


def test_extra_fields_forbidden_everywhere() -> None:
    for model in (Mention, Entity, PipelineInfo, Record):
        assert model.model_config.get("extra") == "forbid"


def test_committed_schema_is_current() -> None:
    committed = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert committed == record_schema(), "run: pipeline schema > pipeline/data/record.schema.json"


def test_schema_1_0_record_loads() -> None:
    """A 1.0 record (no warnings, blocks or authors) still loads, with empty lists."""
    data = json.loads(record().model_dump_json())
    for key in ("warnings", "blocks", "authors"):
        del data[key]
    data["schema_version"] = "1.0"
    old = Record.model_validate_json(json.dumps(data, ensure_ascii=False))
    assert old.blocks == [] and old.authors == [] and old.warnings == []
    assert old.block_kind(0) is None


def test_blocks_must_cover_the_lines() -> None:
    text = "标题\n奥斯汀说\n图说"
    ok = record(
        text=text,
        mentions=[],
        entities=[],
        blocks=[
            {"kind": "title", "start": 0, "end": 2},
            {"kind": "paragraph", "start": 3, "end": 7},
            {"kind": "caption", "start": 8, "end": 10},
        ],
        authors=[{"name": "张三", "role": "记者"}],
    )
    assert ok.block_kind(9) == "caption" and ok.block_kind(3) == "paragraph"
    for bad in (
        [{"kind": "title", "start": 0, "end": 2}],  # a line without a block
        [
            {"kind": "title", "start": 0, "end": 2},
            {"kind": "paragraph", "start": 3, "end": 6},  # not the line's end
            {"kind": "caption", "start": 8, "end": 10},
        ],
        [
            {"kind": "title", "start": 0, "end": 2},
            {"kind": "byline", "start": 3, "end": 7},  # not a kind the record keeps
            {"kind": "caption", "start": 8, "end": 10},
        ],
    ):
        with pytest.raises(ValidationError):
            record(text=text, mentions=[], entities=[], blocks=bad)
