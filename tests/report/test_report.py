"""The batch report: self-contained HTML with counts, top entities, co-occurrence,
timeline and sample; the `report` and `show` commands through CliRunner."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar

import pytest
import typer
from typer.testing import CliRunner

from pipeline.cli.report import report_command
from pipeline.cli.show import show_command
from pipeline.report import (
    build_report,
    collect,
    timeline_window,
    value_month,
    write_report,
)
from pipeline.schema import Record
from tests.report.helpers import batch

GENERATED = dt.datetime(2022, 2, 1, 12, 0, tzinfo=dt.UTC)


class Tags(HTMLParser):
    """Every start tag with its attributes, and whether the nesting closes cleanly."""

    VOID: ClassVar[set[str]] = {"meta", "br", "rect", "line", "path", "img", "input", "link"}

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.stack: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
        else:
            self.stack.pop()


def parse(markup: str) -> Tags:
    tags = Tags()
    tags.feed(markup)
    tags.close()
    return tags


def section(markup: str, anchor: str) -> str:
    match = re.search(rf'<section id="{anchor}".*?</section>', markup, re.S)
    assert match, f"no section #{anchor}"
    return match.group(0)


@pytest.fixture(scope="module")
def records() -> list[Record]:
    return batch()


@pytest.fixture(scope="module")
def report(records: list[Record]) -> str:
    return build_report(records, source="records.jsonl", generated=GENERATED)


def test_well_formed_and_self_contained(report: str) -> None:
    tags = parse(report)
    assert tags.errors == [] and tags.stack == []
    names = Counter(t for t, _ in tags.tags)
    assert names["script"] == 0 and names["link"] == 0 and names["img"] == 0
    assert names["iframe"] == 0 and "@import" not in report and "url(" not in report
    for tag, attrs in tags.tags:
        assert "src" not in attrs, tag
        if tag == "a":  # links to sections or to the articles, never loaded
            assert attrs["href"].startswith(("#", "https://")), attrs
    assert '<meta charset="utf-8">' in report


def test_counts_per_label(records: list[Record], report: str) -> None:
    counts = section(report, "counts")
    per_label = Counter(m.label for r in records for m in r.mentions)
    for label, n in per_label.items():
        card = re.search(rf'<div class="card" data-label="{label}".*?</div></div>', counts, re.S)
        assert card, label
        assert f'<div class="big">{n}</div>' in card.group(0)
    assert "4 articles from 4 outlets" in report  # 3 hosts + one without URL ("unknown")
    assert f"{sum(per_label.values())} mentions" in report


def test_top_entities_with_aliases(report: str) -> None:
    top = section(report, "top")
    rows = re.findall(r'<tr data-label="PERSON">(.*?)</tr>', top, re.S)
    assert "达克沃斯" in rows[0] and "Tammy Duckworth" in rows[0]  # in 2 articles, 4 mentions
    cells = re.findall(r'<td class="num">.*?(\d+)</td>', rows[0])
    assert cells == ["2", "4"]
    assert "日本外务省" in re.findall(r'<tr data-label="ORG">(.*?)</tr>', top, re.S)[0]
    date_rows = re.findall(r'<tr data-label="DATE">(.*?)</tr>', top, re.S)
    assert "2022-01-06" in date_rows[0]  # keyed by value; the words used are aliases
    assert "2022年1月6日" in date_rows[0] and "今年1月6日" in date_rows[0]


def test_cooccurrence(report: str) -> None:
    cooc = section(report, "cooccurrence")
    assert 'title="达克沃斯 + 美国国务院: 1 articles"' in cooc
    assert 'title="日本外务省 + 美国国务院: 1 articles"' in cooc
    assert 'title="达克沃斯 + 日本外务省: 1 articles"' in cooc
    assert "No pair of people or organizations shares two articles." in cooc


def test_timeline(report: str) -> None:
    timeline = section(report, "timeline")
    assert "<svg" in timeline and "</svg>" in timeline
    months = re.findall(r'data-month="(\d{4}-\d{2})"', timeline)
    assert months == ["2021-11", "2021-12", "2022-01"]
    assert "2022-01: 5 DATE mentions; 3 articles published" in timeline
    assert "1 name only a year, quarter, season or decade" in timeline  # 今年春天 = 2022-SP


def test_sample_articles_rendered(records: list[Record], report: str) -> None:
    sample = section(report, "sample")
    assert sample.count("<details") == 4 and sample.count("<details open") == 1
    assert sample.count('<mark class="entity"') == sum(len(r.mentions) for r in records)
    assert "= 2022-01-21" in sample


def test_sample_size_and_order() -> None:
    stats = collect(batch(), sample=2)
    assert [r.id for r in stats.sample] == ["101_taipei", "000_seed"]  # most entities, oldest first


def test_empty_batch() -> None:
    markup = build_report([], generated=GENERATED)
    assert "No records" in markup and parse(markup).errors == []


@pytest.mark.parametrize(
    ("value", "month"),
    [
        ("2022-01-06", "2022-01"),
        ("2021-11", "2021-11"),
        ("2022-W01", "2022-01"),
        ("2021-W52", "2021-12"),
        ("2022-W01-WE", "2022-01"),
        ("2021-W52-WE", "2022-01"),  # Saturday 1 January
        ("2022-01-05/2022-01-07", "2022-01"),
        ("2022", None),
        ("2022-Q3", None),
        ("2022-SP", None),
        ("199", None),
        (None, None),
    ],
)
def test_value_month(value: str | None, month: str | None) -> None:
    assert value_month(value) == month


def test_timeline_window_keeps_the_busiest_span() -> None:
    months = Counter({"1949-10": 1, "2021-11": 3, "2022-01": 5, "2022-03": 1})
    lo, hi = timeline_window(months, width=12) or (0, 0)
    assert (lo // 12, lo % 12 + 1) == (2021, 4) and (hi // 12, hi % 12 + 1) == (2022, 3)
    assert timeline_window(Counter()) is None


def test_write_report_from_path(tmp_path: Path, records: list[Record]) -> None:
    path = tmp_path / "records.jsonl"
    path.write_text("".join(r.model_dump_json() + "\n" for r in records), encoding="utf-8")
    out = write_report(path, tmp_path / "out" / "report.html")
    assert out.is_file() and "records.jsonl" in out.read_text(encoding="utf-8")


# -- commands ------------------------------------------------------------------

app = typer.Typer()
app.command("report")(report_command)
app.command("show")(show_command)
runner = CliRunner()


@pytest.fixture()
def records_file(tmp_path: Path, records: list[Record]) -> Path:
    path = tmp_path / "records.jsonl"
    path.write_text("".join(r.model_dump_json() + "\n" for r in records), encoding="utf-8")
    return path


def test_report_command(records_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = runner.invoke(app, ["report", str(records_file), "--html", str(out)])
    assert result.exit_code == 0, result.output
    assert "4 articles" in result.stderr
    assert "达克沃斯" in out.read_text(encoding="utf-8")
    again = runner.invoke(app, ["report", str(records_file), "--html", str(out)])
    assert again.exit_code == 2 and "--overwrite" in again.stderr
    forced = runner.invoke(app, ["report", str(records_file), "--html", str(out), "--overwrite"])
    assert forced.exit_code == 0


def test_report_command_default_output(records_file: Path) -> None:
    result = runner.invoke(app, ["report", str(records_file)])
    assert result.exit_code == 0, result.output
    assert records_file.with_suffix(".html").is_file()


def test_report_command_errors(records_file: Path, tmp_path: Path) -> None:
    missing = runner.invoke(app, ["report", str(tmp_path / "nope.jsonl")])
    assert missing.exit_code == 1 and "nope.jsonl: not_found: no such file" in missing.stderr
    broken = tmp_path / "broken.jsonl"
    lines = records_file.read_text(encoding="utf-8").splitlines()
    broken.write_text("\n".join([lines[0], '{"id": "x"}', *lines[1:]]) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["report", str(broken), "--html", str(tmp_path / "b.html")])
    assert result.exit_code == 1
    assert "broken.jsonl:2: not a valid record" in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "b.html").exists()


def test_show_records_file(records_file: Path) -> None:
    result = runner.invoke(app, ["show", str(records_file), "--id", "000_seed", "--color"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "新年新气象" in out and "2022-01-06 04:45 (Asia/Shanghai)" in out
    assert "奥斯汀 PERSON" in out and "2022年1月6日 DATE=2022-01-06" in out
    assert "Tammy Duckworth" in out and "Entities" in out
    bare = runner.invoke(
        app, ["show", str(records_file), "--no-labels", "--no-entities", "--color"]
    )
    assert bare.exit_code == 0
    assert "PERSON 4" in bare.stdout  # the legend stays
    assert "奥斯汀周四在华盛顿" in bare.stdout and "Entities" not in bare.stdout


def test_show_without_a_terminal_marks_mentions_in_text(records_file: Path) -> None:
    # CliRunner's output is not a terminal: colors would be lost, so boundaries are text.
    result = runner.invoke(app, ["show", str(records_file), "--id", "000_seed"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "[奥斯汀]PERSON" in out and "[2022年1月6日]DATE=2022-01-06" in out
    assert "[美国]LOC国防部长[奥斯汀]PERSON[周四]DATE=2022-01-06" in out
    assert "\x1b[" not in out  # no escape codes
    bare = runner.invoke(app, ["show", str(records_file), "--no-labels", "--no-entities"])
    assert "[美国]国防部长[奥斯汀][周四]在[华盛顿]表示" in bare.stdout


def test_show_missing_and_unreadable_files_exit_1(tmp_path: Path) -> None:
    missing = runner.invoke(app, ["show", str(tmp_path / "nope.txt")])
    assert missing.exit_code == 1 and "nope.txt: not_found: no such file" in missing.stderr
    folder = runner.invoke(app, ["show", str(tmp_path)])
    assert folder.exit_code == 1 and "unreadable: is a directory" in folder.stderr


def test_show_unknown_id_and_bad_options(records_file: Path) -> None:
    result = runner.invoke(app, ["show", str(records_file), "--id", "nope"])
    assert result.exit_code == 2 and "no record with id 'nope' among 4" in result.stderr
    result = runner.invoke(app, ["show", str(records_file), "--model", "x"])
    assert result.exit_code == 2


def test_top_lists_and_pairs_count_by_key() -> None:
    """美, 美國 and 美国 are one row; a person in two scripts is one row and one pair member."""
    from pipeline.report import collect, render_report
    from tests.unit.test_entities import _batch

    stats = collect(_batch(), sample=0)
    (us, *_) = stats.top("LOC", 5)
    assert (us.key, us.articles) == ("iso:US", 3)
    assert set(us.aliases()) == {"美國"}
    people = stats.top("PERSON", 5)
    assert [(p.name, p.articles) for p in people[:2]] == [("达克沃斯", 3), ("奥斯汀", 2)]
    duck, austin = (("PERSON", p.key) for p in people[:2])
    assert stats.cooccurrence([duck, austin])[(duck, austin)] == 1  # article c
    page = render_report(stats, title="t", source="x", top=5)
    top = page[page.index('id="top"') : page.index('id="cooccurrence"')]
    loc_rows = re.findall(r'<tr data-label="LOC">(.*?)</tr>', top, re.S)
    assert "美國" in loc_rows[0] and loc_rows[0].count('class="name"') == 1
