"""The CLI through typer's CliRunner: run, extract, schema, exit codes."""

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
    not (BUNDLED / "config.cfg").is_file(), reason="bundled model not built (make train)"
)


def test_schema_command_prints_json_schema() -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["title"] == "Record" and "mentions" in schema["properties"]


def test_usage_error_exit_2() -> None:
    assert runner.invoke(app, ["run"]).exit_code == 2  # no input
    resumed = runner.invoke(app, ["run", "data/raw", "--resume"])  # nothing to resume on stdout
    assert resumed.exit_code == 2 and "--out" in resumed.stderr
    bad = runner.invoke(app, ["run", "data/raw", "--scheduler", "tcp://x:1"])
    assert bad.exit_code == 2 and "--engine dask" in bad.stderr


@needs_model
def test_missing_input_is_an_error_line_exit_1(tmp_path: Path) -> None:
    out, err = tmp_path / "o.jsonl", tmp_path / "e.jsonl"
    missing = tmp_path / "nope.txt"
    result = runner.invoke(
        app, ["run", str(SEED), str(missing), "--out", str(out), "--errors", str(err)]
    )
    assert result.exit_code == 1, result.stderr
    assert len(out.read_text(encoding="utf-8").splitlines()) == 1  # the batch goes on
    assert json.loads(err.read_text(encoding="utf-8")) == {
        "source": str(missing),
        "error": "not_found",
        "message": "no such file",
    }


def test_unknown_model_is_a_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["extract", str(SEED), "--model", "no_such_pipeline_xyz"])
    assert result.exit_code == 2
    assert "no_such_pipeline_xyz" in result.stderr and "Traceback" not in result.stderr


@needs_model
def test_extract_seed(tmp_path: Path) -> None:
    result = runner.invoke(app, ["extract", str(SEED)])
    assert result.exit_code == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["published"] == "2022-01-05T20:45:01Z"
    assert record["title"].startswith("新年新气象 : 美日外长防长会将登场")
    found = {(m["label"], m["text"]) for m in record["mentions"]}
    assert ("PERSON", "奥斯汀") in found and ("LOC", "台湾") in found


@needs_model
def test_run_batch_with_bad_files(tmp_path: Path) -> None:
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    shutil.copy(SEED, src / "a_seed.txt")
    shutil.copy(SEED, src / "sub" / "c_seed_copy.txt")
    (src / "b_empty.txt").write_bytes(b"")
    (src / "d_noheader.txt").write_text("只是一些文字\n没有头部\n第三行\n", encoding="utf-8")
    (src / "notes.md").write_text("skipped", encoding="utf-8")
    out, err = tmp_path / "out" / "records.jsonl", tmp_path / "out" / "errors.jsonl"
    result = runner.invoke(app, ["run", str(src), "--out", str(out), "--errors", str(err)])
    assert result.exit_code == 1, result.stderr
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    errors = [json.loads(line) for line in err.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == ["a_seed", "c_seed_copy"]
    assert [(Path(e["source"]).name, e["error"]) for e in errors] == [
        ("b_empty.txt", "empty"),
        ("d_noheader.txt", "bad_header"),
    ]
    assert "files 4, records 2, errors 2" in result.stderr
    assert "skipped 1" in result.stderr
    # An existing output is never touched without --overwrite.
    before = out.read_bytes()
    again = runner.invoke(app, ["run", str(src), "--out", str(out), "--errors", str(err)])
    assert again.exit_code == 2 and "--overwrite" in again.stderr
    assert out.read_bytes() == before
    # --overwrite replaces both files: stale contents (and a vanished input) do not survive.
    out.write_text("stale\n", encoding="utf-8")
    err.write_text("stale\n", encoding="utf-8")
    (src / "d_noheader.txt").unlink()
    forced = runner.invoke(
        app, ["run", str(src), "--out", str(out), "--errors", str(err), "--overwrite", "-q"]
    )
    assert forced.exit_code == 1, forced.stderr
    assert out.read_bytes() == before  # the same inputs give the same records
    assert [json.loads(line)["error"] for line in err.read_text().splitlines()] == ["empty"]


@needs_model
def test_run_all_good_exit_0(tmp_path: Path) -> None:
    out, err = tmp_path / "r.jsonl", tmp_path / "e.jsonl"
    result = runner.invoke(app, ["run", str(SEED), "--out", str(out), "--errors", str(err), "-q"])
    assert result.exit_code == 0
    assert len(out.read_text(encoding="utf-8").splitlines()) == 1
    assert err.read_text(encoding="utf-8") == ""


@needs_model
def test_run_tz_overrides_the_outlet_zone(tmp_path: Path) -> None:
    out, err = tmp_path / "r.jsonl", tmp_path / "e.jsonl"
    args = ["run", str(SEED), "--out", str(out), "--errors", str(err), "-q", "--workers", "1"]
    assert runner.invoke(app, [*args, "--tz", "Asia/Taipei"]).exit_code == 0
    record = json.loads(out.read_text(encoding="utf-8"))
    assert record["timezone"] == "Asia/Taipei"
    bad = runner.invoke(app, [*args, "--overwrite", "--tz", "Mars/Base"])
    assert bad.exit_code == 2 and "Mars/Base" in bad.stderr


def test_show_marks_captions() -> None:
    from pipeline.cli.show import CAPTION_MARK, highlighted
    from tests.report.test_render import _with_caption

    rec = _with_caption()
    plain = highlighted(rec, labels=False).plain  # type: ignore[arg-type]
    assert plain == rec.text.replace("拜登在白宫", CAPTION_MARK + "拜登在白宫")  # type: ignore[attr-defined]
    tagged = highlighted(rec).plain  # type: ignore[arg-type]
    assert tagged.count(CAPTION_MARK) == 1
    assert CAPTION_MARK + "拜登在白宫 ORG" in tagged


def test_show_without_a_terminal_marks_captions_too() -> None:
    from pipeline.cli.show import CAPTION_MARK, marked
    from tests.report.test_render import _with_caption

    rec = _with_caption()
    assert marked(rec) == (  # type: ignore[arg-type]
        f"标题\n[拜登]PERSON在华盛顿讲话。\n{CAPTION_MARK}拜登在[白宫]ORG。\n他说。"
    )
    assert marked(rec, labels=False) == (  # type: ignore[arg-type]
        f"标题\n[拜登]在华盛顿讲话。\n{CAPTION_MARK}拜登在[白宫]。\n他说。"
    )
