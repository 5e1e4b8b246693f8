"""Property tests: random bytes and random HTML never make parse or extract raise."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.errors import PipelineError
from pipeline.stages.parse import decode_bytes, parse_text

HEADER = "<!--1609459200000-->\n[标题](https://www.example.com/a.html)\n------\n\n"
TAGS = ["p", "div", "script", "style", "br", "span", "a", "li", "table", "td", "iframe", "b"]
TEXT = st.text(
    alphabet=st.sampled_from(
        list("美国奥斯汀台湾国务院北京年月日去年昨天1230 \u3000\u00a0&;#<>\"'\n\r\t\x00")
    ),
    max_size=30,
)


@st.composite
def html(draw: Any) -> str:
    parts: list[str] = []
    for _ in range(draw(st.integers(0, 25))):
        kind = draw(st.integers(0, 5))
        tag = draw(st.sampled_from(TAGS))
        if kind == 0:
            parts.append(f"<{tag}>")
        elif kind == 1:
            parts.append(f"</{tag}>")
        elif kind == 2:
            parts.append(
                draw(st.sampled_from(["&amp;", "&nbsp;", "&#22338;", "&#x0;", "&bogus;", "&"]))
            )
        elif kind == 3:
            parts.append(
                draw(st.sampled_from(["<!--", "-->", "<![CDATA[", "<", "</", "<p class='x"]))
            )
        else:
            parts.append(draw(TEXT))
    return "".join(parts)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2048))
def test_random_bytes_parse_or_fail_with_a_code(data: bytes) -> None:
    for raw in (data, HEADER.encode() + data):
        try:
            article = parse_text(decode_bytes(raw), id="x")
        except PipelineError as e:
            assert e.code
        else:
            assert article.text.startswith(article.title)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=html())
def test_random_html_extracts_with_valid_offsets(body: str, test_extractor: Any) -> None:
    article = parse_text(HEADER + body, id="x")
    record = test_extractor.extract_article(article)
    assert record.text == article.text
    for m in record.mentions:
        assert 0 <= m.start < m.end <= len(record.text)
        assert record.text[m.start : m.end] == m.text
        assert record.entities[m.entity].label == m.label


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=html())
def test_random_html_with_the_bundled_model(body: str, extractor: Any) -> None:
    record = extractor.extract_article(parse_text(HEADER + body, id="x"))
    for m in record.mentions:
        assert record.text[m.start : m.end] == m.text
