"""The report in a real headless Chromium: no console errors, no requests, not blank.

Marked ``browser``; skips when Chromium (Debian's ``chromium`` package) is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.browser import find_chromium, ink_fraction, png_size, visit
from pipeline.report import write_report
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
