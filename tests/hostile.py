"""Hostile articles and the checks every HTML output must pass (security tests).

``CRAFTED`` is the feed file of issue 20: script and event-handler markup in the
title, escaped markup in the body, a ``javascript:`` anchor and a ``javascript:``
article URL. :func:`html_problems` parses markup with an HTML parser and lists what
would run or call out in a browser: script elements, ``on*`` attributes, and links
or sources whose scheme is not http(s) (fragments allowed).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

from pipeline.runner import record_from_spans
from pipeline.schema import Article, Record
from pipeline.stages.link import Span
from tests.report.helpers import INFO

CRAFTED = (
    "<!--1641415501000-->\n"
    "[美国国务卿<script>alert(1)</script>访问东京 <img src=x onerror=alert(2)>]"
    "(javascript:alert(3))\n"
    "------\n\n"
    "<p>美国国务卿布林肯周四访问东京。&lt;script&gt;alert(4)&lt;/script&gt;</p>"
    "<p>&lt;img src=x onerror=alert(5)&gt; 日本外相林芳正会见了他。</p>"
    '<p><a href="javascript:alert(6)">点击这里</a>了解更多。</p>'
    "<figure><img src=x onerror=alert(7)><figcaption>图：&lt;svg onload=alert(8)&gt;"
    "</figcaption></figure>"
    "<br><hr><div>获取更多RSS：https://feedx.net</div>"
)

#: Pieces of hostile text: markup that runs, URL schemes that run, rich markup, odd bytes.
HOSTILE = (
    "<script>alert(1)</script>",
    "</script><script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "' onmouseover='alert(1)' x='",
    '" onfocus="alert(1)" autofocus="',
    "<a href=javascript:alert(1)>x</a>",
    "javascript:alert(1)",
    " JaVa\tScRiPt:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&amp;lt;img src=x onerror=alert(1)&amp;gt;",
    "&#x3C;script&#x3E;",
    "<iframe srcdoc='<script>alert(1)</script>'></iframe>",
    "<base href=//evil.example/>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "<style>@import url(//evil.example/x.css)</style>",
    "</style><script>alert(1)</script>",
    "</textarea></title></noscript><script>alert(1)</script>",
    "<!--",
    "-->",
    "]]>",
    "{label}{tip}{{}}%s",
    "[/b]",
    "[link=javascript:alert(1)]x[/link]",
    "[bold red]x[/]",
    "\x1b]8;;javascript:alert(1)\x1b\\x\x1b]8;;\x1b\\",
    "\x00\u2028\u2029\ufeff",
    "`${alert(1)}`",
)

#: Tags our renderers write; anything else in an output came from data.
ALLOWED_TAGS = frozenset(
    {
        "html", "head", "meta", "title", "style", "body", "div", "article", "span", "mark",
        "a", "code", "br", "section", "h1", "h2", "h3", "p", "nav", "header", "footer",
        "table", "thead", "tbody", "tr", "th", "td", "details", "summary", "svg", "g",
        "rect", "line", "text", "path", "b",
    }
)  # fmt: skip

_SAFE_LINK = re.compile(r"^(?:https?://|#)", re.I)
_SCHEMES = frozenset({"", "http", "https"})
_LINK_ATTRS = frozenset({"href", "src", "xlink:href", "action", "formaction", "srcdoc"})


class _Audit(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"element <{tag}>")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.problems.append(f"event handler {name}= on <{tag}>")
            unsafe = not _SAFE_LINK.match(value) or urlsplit(value).scheme not in _SCHEMES
            if name in _LINK_ATTRS and unsafe:
                self.problems.append(f"{name}={value!r} on <{tag}>")
            if (
                tag == "meta"
                and name == "http-equiv"
                and value.lower() != "content-security-policy"
            ):
                self.problems.append(f"meta http-equiv={value!r}")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)


def html_problems(markup: str) -> list[str]:
    """What in ``markup`` could run script or call out; empty when it is safe."""
    audit = _Audit()
    audit.feed(markup)
    audit.close()
    return audit.problems


def record_for(article: Article, entities: list[tuple[str, str]], value: str) -> Record:
    """A record of ``article`` whose mentions are the (text, label) found in its text.

    Built with the linking stage the runner uses; a DATE's value is ``value`` (any
    string: the renderers must escape it too).
    """
    spans: list[Span] = []
    taken: list[tuple[int, int]] = []
    for surface, label in entities:
        if not surface.strip():
            continue
        start = article.text.find(surface)
        end = start + len(surface)
        if start < 0 or any(start < e and s < end for s, e in taken):
            continue
        taken.append((start, end))
        spans.append(Span(start, end, label, surface, value if label == "DATE" else None))  # type: ignore[arg-type]
    spans.sort(key=lambda s: (s.start, s.end))
    return record_from_spans(article, spans, INFO)
