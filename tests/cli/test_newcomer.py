"""What a newcomer hits first: --version, help texts, eval ids, gold, resume, exit codes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.evaluate import GoldDoc, gold_schema, load_gold, record_to_gold
from pipeline.runner import package_version
from pipeline.schema import SCHEMA_VERSION, Record
from tests.conftest import BUNDLED, ROOT, SEED

runner = CliRunner()
needs_model = pytest.mark.skipif(
    not (BUNDLED / "config.cfg").is_file(), reason="bundled model not built (make train)"
)
GOLD_SCHEMA = ROOT / "pipeline" / "data" / "gold.schema.json"
COMMANDS = ("run", "extract", "show", "report", "eval", "gold", "schema", "entities")


# -- version and help ----------------------------------------------------------------------
@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version(flag: str) -> None:
    result = runner.invoke(app, [flag])
    assert result.exit_code == 0
    assert result.stdout.strip() == (
        f"zh-news-entities {package_version()} (record schema {SCHEMA_VERSION})"
    )


@pytest.mark.parametrize("command", COMMANDS)
def test_help_texts_lose_nothing_to_markup(command: str) -> None:
    result = runner.invoke(app, [command, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    text = result.stdout
    # A "[...]" swallowed as rich markup leaves a space before the full stop.
    assert not re.search(r"\w \.(\s|$)", text, re.M), text
    # Flags show no type (typer's own --help row is left as typer draws it).
    assert "<bool>" not in "\n".join(line for line in text.splitlines() if "--help" not in line)


def test_run_help_shows_the_defaults() -> None:
    text = runner.invoke(app, ["run", "--help"], env={"COLUMNS": "200"}).stdout
    assert "number of cores" in text and "[default: 32]" in text
    assert "from each URL's outlet" in text
    report = runner.invoke(app, ["report", "--help"], env={"COLUMNS": "200"}).stdout
    assert "RECORDS with the suffix .html" in report
    show = runner.invoke(app, ["show", "--help"], env={"COLUMNS": "200"}).stdout
    assert "[text]LABEL" in show and "the first" in show


# -- one exit-code rule for missing and unreadable inputs ----------------------------------
@needs_model
@pytest.mark.parametrize("command", ["extract", "show", "report", "eval", "gold", "entities"])
def test_missing_and_unreadable_inputs_exit_1_with_their_code(command: str, tmp_path: Path) -> None:
    extra = ["--out", str(tmp_path / "out.jsonl")] if command == "entities" else []
    missing = runner.invoke(app, [command, str(tmp_path / "nope.txt"), *extra])
    assert missing.exit_code == 1, missing.stderr
    assert f"{tmp_path / 'nope.txt'}: not_found: no such file" in missing.stderr
    folder = runner.invoke(app, [command, str(tmp_path), *extra])
    assert folder.exit_code == 1, folder.stderr
    assert "unreadable: is a directory" in folder.stderr
    assert "Usage" not in missing.stderr + folder.stderr


# -- resume ---------------------------------------------------------------------------------
@needs_model
def test_resume_on_a_finished_run_says_so_and_exits_0(tmp_path: Path) -> None:
    out, err = tmp_path / "r.jsonl", tmp_path / "e.jsonl"
    args = ["run", str(SEED), "--out", str(out), "--errors", str(err), "--workers", "1"]
    assert runner.invoke(app, [*args, "-q"]).exit_code == 0
    before = out.read_bytes()
    again = runner.invoke(app, [*args, "--resume"])
    assert again.exit_code == 0, again.stderr
    assert "nothing to resume" in again.stderr and "finished" in again.stderr
    assert out.read_bytes() == before
    # Without --resume an existing output is still refused.
    refused = runner.invoke(app, args)
    assert refused.exit_code == 2 and "--overwrite" in refused.stderr


# -- eval: ids, records as gold, the converter ---------------------------------------------
def _records(tmp_path: Path, ids: list[str]) -> Path:
    from tests.report.helpers import seed_record

    path = tmp_path / "records.jsonl"
    lines = [seed_record().model_copy(update={"id": i}).model_dump_json() for i in ids]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_eval_with_no_shared_ids_exits_1(tmp_path: Path) -> None:
    records = _records(tmp_path, ["a", "b"])
    gold = tmp_path / "gold.jsonl"
    assert runner.invoke(app, ["gold", str(records), "--out", str(gold)]).exit_code == 0
    (tmp_path / "other").mkdir()
    other = _records(tmp_path / "other", ["c"])
    result = runner.invoke(app, ["eval", str(gold), "--pred", str(other)])
    assert result.exit_code == 1
    assert "no document id is in both" in result.stderr and "nothing to score" in result.stderr
    assert "'a'" in result.stderr and "'c'" in result.stderr


def test_eval_warns_with_counts_when_some_ids_are_missing(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    records = _records(tmp_path, ["a", "b", "c"])
    assert runner.invoke(app, ["gold", str(records), "--out", str(gold)]).exit_code == 0
    (tmp_path / "p").mkdir()
    pred = _records(tmp_path / "p", ["a", "b", "z"])
    result = runner.invoke(app, ["eval", str(gold), "--pred", str(pred), "--errors", "0"])
    assert result.exit_code == 0, result.stderr
    assert "1 of 3 gold documents have no prediction" in result.stderr
    assert "1 of 3 predicted documents are not in the gold data" in result.stderr


def test_gold_from_records_scores_perfectly_against_them(tmp_path: Path) -> None:
    records = _records(tmp_path, ["a", "b"])
    gold = tmp_path / "gold.jsonl"
    made = runner.invoke(app, ["gold", str(records), "--out", str(gold)])
    assert made.exit_code == 0 and "2 documents" in made.stderr
    docs = load_gold(gold)
    assert [d.id for d in docs] == ["a", "b"] and docs[0].timezone == "Asia/Shanghai"
    check = runner.invoke(app, ["eval", str(gold), "--check"])
    assert check.exit_code == 0, check.stdout
    scores = tmp_path / "s.json"
    result = runner.invoke(app, ["eval", str(gold), "--pred", str(records), "--json", str(scores)])
    assert result.exit_code == 0, result.stderr
    assert json.loads(scores.read_text(encoding="utf-8"))["ALL"]["f1"] == 1.0
    # Standard output when --out is not given; an existing file needs --overwrite.
    assert runner.invoke(app, ["gold", str(records)]).stdout == gold.read_text(encoding="utf-8")
    assert runner.invoke(app, ["gold", str(records), "--out", str(gold)]).exit_code == 2


def test_records_given_as_gold_get_a_hint(tmp_path: Path) -> None:
    records = _records(tmp_path, ["a"])
    result = runner.invoke(app, ["eval", str(records), "--pred", str(records)])
    assert result.exit_code == 1
    assert "pipeline gold" in result.stderr and "Traceback" not in result.output
    check = runner.invoke(app, ["eval", str(records), "--check"])
    assert check.exit_code == 1 and "pipeline gold" in check.stdout


def test_record_to_gold_keeps_offsets_values_and_zone() -> None:
    from tests.report.helpers import seed_record

    record: Record = seed_record()
    doc = record_to_gold(record)
    assert doc.text == record.text and doc.published == record.published
    assert [(m.start, m.end, m.label, m.value) for m in doc.mentions] == [
        (m.start, m.end, m.label, m.value) for m in record.mentions
    ]


def test_committed_gold_schema_is_current() -> None:
    committed = json.loads(GOLD_SCHEMA.read_text(encoding="utf-8"))
    assert committed == gold_schema(), (
        "run: pipeline schema --gold > pipeline/data/gold.schema.json"
    )
    assert committed["title"] == GoldDoc.__name__
    assert runner.invoke(app, ["schema", "--gold"]).exit_code == 0
