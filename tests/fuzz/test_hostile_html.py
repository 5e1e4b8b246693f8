"""Fuzz: hostile title, link, body, captions and entities through parse → record → renderers.

Every HTML output (``_repr_html_``, ``render``, the standalone page, the batch report)
is parsed with an HTML parser and must hold no script element, no ``on*`` attribute
and no ``href``/``src`` whose scheme is not http(s) (fragments allowed); the terminal
view must print without a markup error and without a hyperlink; the record must keep
only an http(s) URL, warn when it dropped one, and survive its JSONL round trip.
"""

from __future__ import annotations

import html
import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console

from pipeline.cli.show import record_view
from pipeline.markup import CSP
from pipeline.render import render_record
from pipeline.report import build_report
from pipeline.schema import LABELS, Record
from pipeline.stages.parse import clean_inline, deep_unescape, parse_text
from pipeline.stages.write import to_json_line
from pipeline.urls import safe_url
from tests.hostile import HOSTILE, html_problems, record_for
from tests.report.helpers import batch

_piece = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=8))
hostile = st.lists(_piece, min_size=1, max_size=4).map("".join)
one_line = hostile.map(lambda s: s.replace("\n", " ").replace("\r", " "))
urls = st.one_of(
    one_line,
    st.sampled_from(
        [
            "https://www.example.com/a.html",
            'https://www.example.com/"><script>alert(1)</script>',
            "http://example.com/?q=<img src=x onerror=alert(1)>",
            "HTTPS://EXAMPLE.COM/' onclick='alert(1)",
            "javascript:alert(3)",
            "javascript://example.com/%0aalert(1)",
            "//evil.example/x",
            "/relative/path",
            "data:text/html,<script>alert(1)</script>",
        ]
    ),
)

FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,  # the same examples on every run: a red CI run is reproducible
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _surface(text: str) -> str:
    """How a piece of escaped body text reads after the parse stage."""
    return clean_inline(deep_unescape(text))


def _check_terminal(record: Record) -> None:
    out = io.StringIO()
    Console(file=out, force_terminal=True, width=100, color_system="truecolor").print(
        record_view(record)
    )
    assert "\x1b]8;" not in out.getvalue()  # no terminal hyperlink


@FUZZ
@given(
    title=one_line,
    url=urls,
    paragraphs=st.lists(hostile, max_size=3),
    caption=hostile,
    entities=st.lists(hostile, min_size=1, max_size=4),
    value=hostile,
)
def test_hostile_articles_render_safely(
    title: str, url: str, paragraphs: list[str], caption: str, entities: list[str], value: str
) -> None:
    body = "".join(f"<p>{p}</p><p>{html.escape(p)}</p>" for p in paragraphs)
    body += f"<figure><img src=x onerror=alert(1)><figcaption>{caption}</figcaption></figure>"
    body += "".join(f"<p>{html.escape(e)}</p>" for e in entities)
    raw = f"<!--1641415501000-->\n[{title}]({url})\n------\n\n{body}"
    article = parse_text(raw, id="fuzz", source="fuzz.txt")  # never lost

    kept = safe_url(url.strip())
    assert article.url == kept
    assert (kept is None and url.strip() != "") == any(
        w.code == "url_rejected" for w in article.warnings
    )

    wanted = [_surface(e) for e in entities] + [article.title]
    spans = [(text, LABELS[i % len(LABELS)]) for i, text in enumerate(wanted)]
    record = record_for(article, spans, value)
    assert Record.model_validate_json(to_json_line(record)) == record

    outputs = {
        "_repr_html_": record._repr_html_(),
        "render": record.render(),
        "page": render_record(record, page=True),
        "report": build_report([record, *batch()], sample=10),
    }
    for name, markup in outputs.items():
        assert html_problems(markup) == [], name
    for name in ("page", "report"):
        assert CSP.replace("'", "&#x27;") in outputs[name], name
    _check_terminal(record)
