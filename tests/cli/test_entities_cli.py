"""``pipeline entities`` and ``pipeline run --entities`` through typer's CliRunner."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from tests.conftest import BUNDLED, ROOT
from tests.unit.test_entities import _batch

runner = CliRunner()
needs_model = pytest.mark.skipif(
    not (BUNDLED / "config.cfg").is_file(), reason="bundled model not built (make train)"
)


def _records_file(path: Path) -> Path:
    path.write_text("".join(r.model_dump_json() + "\n" for r in _batch()), encoding="utf-8")
    return path


def test_entities_jsonl(tmp_path: Path) -> None:
    records = _records_file(tmp_path / "records.jsonl")
    out = tmp_path / "entities.jsonl"
    result = runner.invoke(app, ["entities", str(records), "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    by_key = {r["key"]: r for r in rows}
    assert by_key["iso:US"]["articles"] == 3
    duck = next(r for r in rows if r["name"] == "达克沃斯")
    assert duck["articles"] == 3 and duck["aliases"] == [{"form": "Tammy Duckworth", "count": 2}]
    assert "entities:" in result.output and "merged" in result.output


def test_entities_csv_from_several_files(tmp_path: Path) -> None:
    whole = _records_file(tmp_path / "all.jsonl")
    lines = whole.read_text(encoding="utf-8").splitlines(keepends=True)
    first, second = tmp_path / "1.jsonl", tmp_path / "2.jsonl"
    first.write_text("".join(lines[:2]), encoding="utf-8")
    second.write_text("".join(lines[2:]), encoding="utf-8")
    one, two = tmp_path / "one.csv", tmp_path / "two.csv"
    assert runner.invoke(app, ["entities", str(whole), "--out", str(one), "-q"]).exit_code == 0
    args = ["entities", str(second), str(first), "--out", str(two), "-q"]
    assert runner.invoke(app, args).exit_code == 0
    assert one.read_bytes() == two.read_bytes()
    table = list(csv.DictReader(one.open(encoding="utf-8")))
    assert table[0].keys() >= {"key", "label", "name", "aliases", "articles", "first_published"}


def test_entities_bad_line_is_skipped_and_reported(tmp_path: Path) -> None:
    records = _records_file(tmp_path / "records.jsonl")
    with records.open("a", encoding="utf-8") as f:
        f.write('{"id": "broken"}\n')
    out = tmp_path / "entities.jsonl"
    result = runner.invoke(app, ["entities", str(records), "--out", str(out)])
    assert result.exit_code == 1
    assert "records.jsonl:5: not a valid record" in result.output
    assert len(out.read_text(encoding="utf-8").splitlines()) > 5  # the good records counted


def test_entities_usage_errors(tmp_path: Path) -> None:
    records = _records_file(tmp_path / "records.jsonl")
    out = tmp_path / "entities.jsonl"
    missing = runner.invoke(app, ["entities", str(tmp_path / "nope.jsonl"), "--out", str(out)])
    assert missing.exit_code == 1 and "nope.jsonl: not_found: no such file" in missing.output
    out.write_text("keep\n", encoding="utf-8")
    exists = runner.invoke(app, ["entities", str(records), "--out", str(out)])
    assert exists.exit_code == 2 and out.read_text(encoding="utf-8") == "keep\n"
    args = ["entities", str(records), "--out", str(out), "--overwrite", "-q"]
    assert runner.invoke(app, args).exit_code == 0
    same = runner.invoke(app, ["entities", str(records), "--out", str(records)])
    assert same.exit_code == 2


@needs_model
def test_run_writes_the_entity_table(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for path in sorted((ROOT / "data" / "raw").glob("*.txt"))[:3]:
        (src / path.name).write_bytes(path.read_bytes())
    out, err, ents = tmp_path / "r.jsonl", tmp_path / "e.jsonl", tmp_path / "ents.csv"
    args = ["run", str(src), "--out", str(out), "--errors", str(err), "-q", "--workers", "1"]
    result = runner.invoke(app, [*args, "--entities", str(ents)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert all(e["key"] for r in records for e in r["entities"])  # keys in every record
    table = list(csv.DictReader(ents.open(encoding="utf-8")))
    assert {row["key"] for row in table} >= {"iso:US", "iso:TW"}
    again = tmp_path / "again.csv"
    assert runner.invoke(app, ["entities", str(out), "--out", str(again), "-q"]).exit_code == 0
    assert again.read_bytes() == ents.read_bytes()  # the same reduction as the command
    clash = runner.invoke(app, [*args, "--overwrite", "--entities", str(out)])
    assert clash.exit_code == 2
