"""`pipeline run DIR` without --out: records on standard output, errors on standard error."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from tests.conftest import BUNDLED, SEED

runner = CliRunner()
needs_model = pytest.mark.skipif(
    not (BUNDLED / "config.cfg").is_file(), reason="bundled model not built"
)


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(SEED, src / "a.txt")
    shutil.copy(SEED, src / "c.txt")
    (src / "b.txt").write_bytes(b"")
    return src


@needs_model
def test_stdout_records_stderr_errors_and_summary(tmp_path: Path, inputs: Path) -> None:
    out = tmp_path / "records.jsonl"
    to_file = runner.invoke(app, ["run", str(inputs), "--out", str(out), "-j", "1", "-q"])
    assert to_file.exit_code == 1 and to_file.stdout == ""
    # --errors defaults to the output's name with .errors.jsonl
    errors_file = tmp_path / "records.errors.jsonl"
    assert [json.loads(x)["error"] for x in errors_file.read_text().splitlines()] == ["empty"]

    streamed = runner.invoke(app, ["run", str(inputs), "-j", "1"])
    assert streamed.exit_code == 1
    assert streamed.stdout == out.read_text(encoding="utf-8")
    assert errors_file.read_text(encoding="utf-8") in streamed.stderr  # error lines as JSON
    assert "files 3, records 2, errors 1" in streamed.stderr


@needs_model
def test_entities_needs_a_records_file(tmp_path: Path, inputs: Path) -> None:
    result = runner.invoke(app, ["run", str(inputs), "--entities", str(tmp_path / "e.csv")])
    assert result.exit_code == 2 and "--out" in result.stderr
