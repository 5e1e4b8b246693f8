"""Issue 20's crafted feed file in a batch: a record for every file, nothing that runs.

Records for all, ``url`` null with a ``url_rejected`` warning for the crafted file,
and no ``javascript:`` anywhere in the report or in any record's ``_repr_html_``;
the terminal view prints hostile titles as text (no markup error, no hyperlink).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.batch import BatchOptions, run_batch
from pipeline.cli import app
from pipeline.report import write_report
from pipeline.schema import Record
from tests.batch.conftest import Outputs, make_corpus
from tests.hostile import CRAFTED, html_problems

RICH_TITLE = "[/b]美国[bold]国务卿[link=javascript:alert(1)]点我[/link]"


def test_crafted_file_in_a_batch(tmp_path: Path, model_dir: str, outputs: Outputs) -> None:
    src = make_corpus(tmp_path / "in", 5, subdirs=0)
    (src / "crafted.txt").write_text(CRAFTED, encoding="utf-8")
    out, err = outputs("hostile")
    summary = run_batch([src], BatchOptions(out=out, errors=err, model=model_dir, file_timeout=60))
    assert (summary.records, summary.errors) == (6, 0)
    records = [Record.model_validate_json(x) for x in out.read_text("utf-8").splitlines()]
    crafted = next(r for r in records if r.id == "crafted")
    assert crafted.url is None
    assert [w.code for w in crafted.warnings] == ["url_rejected"]
    assert "'javascript'" in crafted.warnings[0].message
    assert "<script>alert(1)</script>" in crafted.title  # kept as text...
    assert "<script>alert(4)</script>" in crafted.text
    assert all(r.url and r.url.startswith("https://") for r in records if r is not crafted)

    report = write_report(records, tmp_path / "report.html", sample=len(records)).read_text("utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in report  # ...and shown as text
    assert "javascript:" not in report.lower()
    assert html_problems(report) == []
    assert "Content-Security-Policy" in report
    for record in records:
        markup = record._repr_html_()
        assert "javascript:" not in markup.lower()
        assert html_problems(markup) == []
    # The CLI writes the same report.
    html = tmp_path / "cli.html"
    result = CliRunner().invoke(app, ["report", str(out), "--html", str(html), "--sample", "6"])
    assert result.exit_code == 0, result.output
    assert "javascript:" not in html.read_text("utf-8").lower()


def test_show_prints_hostile_titles_as_text(
    tmp_path: Path, model_dir: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")  # a terminal: rich would emit hyperlinks
    monkeypatch.delenv("NO_COLOR", raising=False)
    raw = tmp_path / "rich.txt"
    raw.write_text(
        f"<!--1641415501000-->\n[{RICH_TITLE}](https://www.example.com/a.html)\n------\n\n"
        "<p>美国国务院说[/]拜登[red]周四[/red]访问台湾。</p>",
        encoding="utf-8",
    )
    runner = CliRunner()
    result = runner.invoke(app, ["show", str(raw), "--model", model_dir])
    assert result.exit_code == 0, result.output
    assert "MarkupError" not in result.output and "Traceback" not in result.output
    assert "[link=javascript:alert(1)]" in result.stdout and "[/b]" in result.stdout
    assert "\x1b]8;" not in result.stdout  # no terminal hyperlink
    # From a records file too, with hostile entity names in the table.
    out = tmp_path / "records.jsonl"
    record = json.loads(runner.invoke(app, ["extract", str(raw), "--model", model_dir]).stdout)
    record["entities"] = [
        {**e, "name": "[/b][link=javascript:x]e[/link]", "aliases": ["[/]"]}
        for e in record["entities"]
    ]
    out.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    shown = runner.invoke(app, ["show", str(out)])
    assert shown.exit_code == 0, shown.output
    assert "[link=javascript:x]" in shown.stdout and "\x1b]8;" not in shown.stdout
    # Error messages quote input as text too.
    bad = tmp_path / "bad.txt"
    bad.write_text("[/b] not a header\n[x](https://a.example/)\n------\n", encoding="utf-8")
    failed = runner.invoke(app, ["show", str(bad), "--model", model_dir])
    assert failed.exit_code == 1 and "bad_header" in failed.stderr
    assert "[/b]" in failed.stderr and "MarkupError" not in failed.output
