"""The report in a real headless Chromium: no console errors, no requests, not blank.

Reports built from hostile articles open no dialog and log no error (a CSP
violation would) when every link is clicked.

Marked ``browser``; skips when Chromium (Debian's ``chromium`` package) is absent.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from pipeline.browser import find_chromium, ink_fraction, png_size, visit
from pipeline.render import render_record
from pipeline.report import write_report
from pipeline.schema import Record
from pipeline.stages.parse import parse_text
from tests.hostile import CRAFTED, HOSTILE, record_for
from tests.report.helpers import batch

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        find_chromium() is None, reason="Chromium absent (apt-get install chromium)"
    ),
]


@pytest.fixture(autouse=True)
def _deps() -> None:
    pytest.importorskip("websocket", reason="websocket-client is a dev dependency")
    pytest.importorskip("PIL", reason="Pillow is a dev dependency")


def test_report_opens_cleanly_and_renders(tmp_path: Path) -> None:
    html = write_report(batch(), tmp_path / "report.html")
    page = visit(html, width=1280, height=900, max_height=6000)
    assert page.console_errors == []
    assert page.requests == [page.url]  # self-contained: nothing but the file itself
    width, height = png_size(page.png)
    assert width == 1280 and height > 900  # the full page, taller than the viewport
    assert ink_fraction(page.png) > 0.05


def test_the_check_catches_errors_and_requests(tmp_path: Path) -> None:
    bad = tmp_path / "bad.html"
    bad.write_text(
        '<!DOCTYPE html><html><body><p>x</p><script>console.error("boom");</script>'
        '<img src="missing.png"><script>undefined_function();</script></body></html>',
        encoding="utf-8",
    )
    page = visit(bad, width=400, height=300, full_page=False)
    joined = "\n".join(page.console_errors)
    assert "boom" in joined and "undefined_function" in joined
    assert any(u.endswith("missing.png") for u in page.requests)
    assert ink_fraction(page.png) < 0.05  # a nearly empty page reads as nearly blank


def _hostile_records() -> list[Record]:
    crafted = parse_text(CRAFTED, id="crafted", source="crafted.txt")
    loud = parse_text(
        "<!--1641415501000-->\n"
        f"[{' '.join(HOSTILE[:8])}](https://www.example.com/a?x=<script>)\n------\n\n"
        + "".join(f"<p>美国{html.escape(h)}拜登</p><p>{h}</p>" for h in HOSTILE),
        id="loud",
        source="loud.txt",
    )
    return [
        record_for(crafted, [("美国", "LOC"), ("布林肯", "PERSON"), ("周四", "DATE")], "<b>"),
        record_for(loud, [(h, "ORG") for h in HOSTILE] + [("拜登", "PERSON")], "javascript:x"),
        *batch(),
    ]


def test_hostile_report_runs_nothing_when_every_link_is_clicked(tmp_path: Path) -> None:
    records = _hostile_records()
    report = write_report(records, tmp_path / "hostile.html", sample=len(records))
    page = tmp_path / "record.html"
    page.write_text(render_record(records[0], page=True), encoding="utf-8")
    for path in (report, page):
        seen = visit(path, width=1000, height=700, max_height=4000, click_links=True)
        assert seen.dialogs == [] and seen.console_errors == [], path.name
        assert seen.requests[0] == seen.url
        # Nothing but the file itself and the article links clicked (refused: no network;
        # Chromium's error page for a refused link draws its icons from data: URLs).
        outside = {r for r in seen.requests if not r.startswith("data:")} - {seen.url}
        assert outside == set(seen.blocked)
        assert seen.links or path is page  # the crafted article has no URL left to link
        assert all(re.match(r"https?://|#", h) for h in seen.links)
        assert all(re.match(r"https?://", u) for u in seen.blocked)


def test_the_listener_sees_dialogs_and_clicks_links(tmp_path: Path) -> None:
    bad = tmp_path / "dialog.html"
    bad.write_text(
        '<!DOCTYPE html><html><body><a href="#top">top</a> '
        '<a href="javascript:alert(&quot;clicked&quot;)">x</a> '
        '<a href="https://example.com/">out</a></body></html>',
        encoding="utf-8",
    )
    page = visit(bad, width=400, height=300, full_page=False, click_links=True)
    assert page.dialogs == ["alert: clicked"]
    assert page.links == ["#top", 'javascript:alert("clicked")', "https://example.com/"]
    assert page.blocked == ["https://example.com/"]  # clicked, and refused: no network
