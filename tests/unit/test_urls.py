"""Article URLs: only absolute http(s) URLs are kept and linked; the rest warn."""

from __future__ import annotations

import pytest

from pipeline.markup import link
from pipeline.stages.parse import parse_text
from pipeline.urls import check_url, safe_url

HEADER = "<!--1641415501000-->\n[美国国务卿访问东京]({})\n------\n\n<p>美国国务卿周四访问东京。</p>"


@pytest.mark.parametrize(
    "url",
    [
        "https://www.rfi.fr/cn/亚洲/20220105-新年新气象",
        "http://www.voachinese.com/a/6380001.html?x=1&y=<2>#top",
        "HTTPS://EXAMPLE.COM/",
        "http://[::1]:8080/a",
    ],
)
def test_absolute_http_urls_are_kept(url: str) -> None:
    assert check_url(url) == (url, None)
    assert safe_url(url) == url


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("javascript:alert(3)", "scheme 'javascript'"),
        ("JaVaScRiPt:alert(3)", "scheme 'javascript'"),
        ("data:text/html,<script>alert(1)</script>", "scheme 'data'"),
        ("vbscript:msgbox(1)", "scheme 'vbscript'"),
        ("file:///etc/passwd", "scheme 'file'"),
        ("mailto:a@example.com", "scheme 'mailto'"),
        ("/cn/a.html", "relative"),
        ("//evil.example/x", "relative"),
        ("www.example.com/a", "relative"),
        ("http://", "without a host"),
        ("https:///path", "without a host"),
        ("java\tscript:alert(1)", "whitespace or control"),
        ("https://exa mple.com/", "whitespace or control"),
        ("https://example.com:99999/", "malformed"),
        ("https://[::1/", "malformed"),
        ("https:\\\\evil.example\\x", "without a host"),
        ("http://evil.example\\@good.example/", "backslash"),
    ],
)
def test_other_urls_are_rejected_with_the_reason(url: str, reason: str) -> None:
    kept, message = check_url(url)
    assert kept is None and safe_url(url) is None
    assert message is not None and reason in message


def test_parse_keeps_the_article_and_warns() -> None:
    article = parse_text(HEADER.format("javascript:alert(3)"), id="x")
    assert article.url is None
    assert [w.code for w in article.warnings] == ["url_rejected"]
    assert "'javascript'" in article.warnings[0].message
    assert "javascript:" not in article.warnings[0].message  # the scheme, not the URL
    assert article.text.startswith("美国国务卿访问东京\n美国国务卿周四访问东京。")
    assert article.timezone == "Asia/Shanghai"  # no outlet: the default zone
    good = parse_text(HEADER.format("https://www.rfi.fr/cn/a.html"), id="y")
    assert good.url == "https://www.rfi.fr/cn/a.html" and good.warnings == []
    assert good.timezone == "Europe/Paris"
    empty = parse_text(HEADER.format(""), id="z")
    assert empty.url is None and empty.warnings == []  # no URL is not a rejected URL


def test_links_only_for_http_urls_and_always_escaped() -> None:
    assert link("javascript:alert(1)", "<x>") == "&lt;x&gt;"
    assert link(None, "a&b") == "a&amp;b"
    assert link('https://a.example/?q="><script>', "<b>") == (
        '<a href="https://a.example/?q=&quot;&gt;&lt;script&gt;" rel="noopener noreferrer">'
        "&lt;b&gt;</a>"
    )
