"""Parse stage: header, body HTML → text, footer, encodings, coded errors."""

from __future__ import annotations

import csv
import datetime as dt
import html
import re
import unicodedata
from pathlib import Path

import pytest

from pipeline.errors import BadEncoding, BadHeader, BinaryInput, EmptyInput, PipelineError, TooLarge
from pipeline.stages.parse import (
    clean_inline,
    decode_bytes,
    html_to_paragraphs,
    parse_file,
    parse_text,
    strip_footer,
)
from tests.conftest import ARCHIVE, SEED

FOOTER = (
    '<br><hr><div>获取更多RSS：<br><a href="https://feedx.net" style="color:orange" '
    'target="_blank">https://feedx.net</a> <br></div>'
)


def raw(
    body: str, *, title: str = "标题", url: str = "https://www.rfi.fr/cn/x", ms: int = 0
) -> str:
    return f"<!--{ms}-->\n[{title}]({url})\n------\n\n{body}{FOOTER}\n"


def test_seed_header_and_text() -> None:
    article = parse_file(SEED)
    assert article.id == "000_27cdea0c59f73985"
    assert article.title == "新年新气象 : 美日外长防长会将登场 台湾全民防卫动员署挂牌 - 要闻分析"
    assert article.url is not None and article.url.startswith("https://www.rfi.fr/cn/")
    assert article.published == dt.datetime(2022, 1, 5, 20, 45, 1, tzinfo=dt.UTC)
    lines = article.text.split("\n")
    assert lines[0] == article.title
    assert any(line.startswith("2022新年刚过，美国和日本") for line in lines)
    assert "获取更多RSS" not in article.text and "<" not in article.text
    assert "达克沃斯（Tammy Duckworth）" in article.text


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("<p>第一段。</p><p>第二段。</p>", ["第一段。", "第二段。"]),
        ("<div>甲<br>乙</div>", ["甲", "乙"]),
        ("<p>a&nbsp;&nbsp;b\u3000\u3000c</p>", ["a b c"]),
        ("<p>前<script>var x = '<p>不要</p>';</script>后</p>", ["前后"]),
        ("<style>p {color: red}</style><p>正文</p>", ["正文"]),
        ("<p>视频<iframe src='x'>不要</iframe>结束</p>", ["视频结束"]),
        ("<p>&amp;#22338;&quot;引号&quot;</p>", ['坂"引号"']),
        ("<p>未闭合<b>粗体", ["未闭合粗体"]),
        ("<p></p><p> </p><p>只有这段</p>", ["只有这段"]),
        ("<p>行\u2028分隔\u200b符\ufeff</p>", ["行 分隔符"]),
        (
            "<figure><img src='a.jpg'><figcaption>图说</figcaption></figure><p>正文</p>",
            ["图说", "正文"],
        ),
        ("纯文本没有标签", ["纯文本没有标签"]),
    ],
)
def test_html_to_paragraphs(body: str, expected: list[str]) -> None:
    assert html_to_paragraphs(body) == expected


def test_deeply_nested_html() -> None:
    body = "<div>" * 10_000 + "深处" + "</div>" * 10_000
    assert html_to_paragraphs(body) == ["深处"]


def test_footer_dropped_and_fallback() -> None:
    assert strip_footer("<p>正文</p>" + FOOTER) == "<p>正文</p>"
    assert strip_footer("<p>正文</p>获取更多RSS：https://feedx.net") == "<p>正文</p>"
    assert strip_footer("<p>没有页脚</p>") == "<p>没有页脚</p>"


def test_whitespace_in_title_is_collapsed() -> None:
    article = parse_text(raw("<p>x</p>", title="新年\u00a0: 标题\u3000 尾"), id="t")
    assert article.title == "新年 : 标题 尾"
    assert clean_inline(" a \u00a0\t b ") == "a b"


def test_title_with_brackets_and_empty_title() -> None:
    article = parse_text(
        raw("<p>x</p>", title="[國際] 標題[影]", url="https://rti.org.tw/n"), id="t"
    )
    assert article.title == "[國際] 標題[影]"
    assert article.url == "https://rti.org.tw/n"
    empty = parse_text(raw("<p>正文</p>", title=""), id="t")
    assert empty.title == "" and empty.text == "\n正文"


def test_empty_body_is_a_record() -> None:
    article = parse_text(raw(""), id="t")
    assert article.text == "标题"


@pytest.mark.parametrize(
    "content",
    [
        "没有头部的文本\n第二行\n第三行\n",
        "<!--abc-->\n[t](u)\n------\n\nbody",
        "<!--1-->\nno link line\n------\n\nbody",
        "<!--1-->\n[t](u)\nnot a rule\n\nbody",
        "<!--1-->",
    ],
)
def test_bad_header(content: str) -> None:
    with pytest.raises(BadHeader) as info:
        parse_text(content, id="bad")
    assert info.value.code == "bad_header"


@pytest.mark.parametrize(
    ("encoding", "body", "name"),
    [
        (
            "gb18030",
            "<p>美国国防部长奥斯汀周四在华盛顿表示，会议将讨论同盟关系与地区安全问题。</p>",
            "奥斯汀",
        ),
        (
            "big5",
            "<p>美國國防部長奧斯汀週四在華盛頓表示，會議將討論同盟關係與區域安全問題。</p>",
            "奧斯汀",
        ),
    ],
)
def test_legacy_encodings_are_decoded(tmp_path: Path, encoding: str, body: str, name: str) -> None:
    content = f"<!--1641415501000-->\n[{name}談話](https://example.com/a)\n------\n\n{body * 8}\n"
    path = tmp_path / f"{encoding}.txt"
    path.write_bytes(content.encode(encoding))  # strict: every character is encodable
    article = parse_file(path)
    assert article.title == f"{name}談話"
    assert name in article.text and "?" not in article.text


def test_utf8_bom_and_crlf() -> None:
    content = raw("<p>正文</p>").replace("\n", "\r\n")
    article = parse_text(decode_bytes(("\ufeff" + content).encode("utf-8")), id="t")
    assert article.title == "标题" and article.text.endswith("正文")


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"", EmptyInput),
        (b"   \n\n", EmptyInput),
        (bytes(range(256)) * 40, BinaryInput),
        (b"\x00\x01\x02\x03" * 1000, BinaryInput),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(1, 32)) * 300, BinaryInput),
    ],
)
def test_bad_bytes(data: bytes, error: type[PipelineError]) -> None:
    with pytest.raises((error, BadEncoding)):
        decode_bytes(data)


def test_too_large(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(raw("<p>x</p>").encode() + b"a" * 2000)
    with pytest.raises(TooLarge):
        parse_file(path, max_bytes=1000)


def test_published_keeps_milliseconds() -> None:
    article = parse_text(raw("<p>x</p>", ms=1600000000123), id="t")
    assert article.published == dt.datetime.fromtimestamp(1600000000.123, tz=dt.UTC)


def _manifest() -> list[dict[str, str]]:
    path = ARCHIVE / "MANIFEST.tsv"
    if not path.is_file():
        return []
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def _norm(s: str) -> str:
    s = html.unescape(html.unescape(s.replace('\\"', '"')))
    s = unicodedata.normalize("NFKC", s).replace("\u200b", "")
    return re.sub(r"\s+", " ", s).strip()


@pytest.mark.parametrize("row", _manifest() or [None], ids=lambda r: r["file"] if r else "none")
def test_archive_item_parses(row: dict[str, str] | None, shared: Path) -> None:
    """Every real feed item parses with the title, URL and time of its header."""
    if row is None:
        pytest.skip("archive manifest absent")
    path = ARCHIVE / "raw" / row["file"]
    article = parse_file(path)
    header = path.read_text(encoding="utf-8").split("\n")[1]
    assert article.published is not None
    assert round(article.published.timestamp() * 1000) == int(row["epoch_ms"])
    assert article.url == header[header.rfind("](") + 2 : -1]
    # The archive's post file name is the title (sometimes cut short, '/' written '--').
    name = re.sub(r"^archived/[\d-]+/\d{4}-\d{2}-\d{2}-", "", row["path"]).removesuffix(".md")
    assert _norm(article.title).startswith(_norm(name).replace("--", "/")) or _norm(
        article.title
    ).startswith(_norm(name))
    assert "&quot;" not in article.title and "&amp;" not in article.title
    assert article.text.split("\n")[0] == article.title
    assert "获取更多RSS" not in article.text
    assert "\u00a0" not in article.text and "\u3000" not in article.text


def test_truncated_tag_and_controls_dropped() -> None:
    assert html_to_paragraphs("<p>正文\x00内容</p><p>被截断<span cla") == ["正文内容", "被截断"]


def test_non_utf8_binary_with_few_nuls_is_binary() -> None:
    data = (b"\xff\xfe\xfd" + bytes(range(128, 256)) * 50) + b"\x00" + b"\x01\x02" * 10
    with pytest.raises(BinaryInput):
        decode_bytes(b"x" + data)


def test_fifo_is_unreadable_not_blocking(tmp_path: Path) -> None:
    import os

    from pipeline.errors import Unreadable

    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(Unreadable):
        parse_file(fifo)


def test_timezone_from_outlet_or_given() -> None:
    assert (
        parse_text(raw("<p>x</p>", url="https://www.cna.com.tw/a"), id="t").timezone
        == "Asia/Taipei"
    )
    assert parse_text(raw("<p>x</p>"), id="t", timezone="Asia/Tokyo").timezone == "Asia/Tokyo"


def _codes(article: object) -> list[str]:
    return [w.code for w in article.warnings]  # type: ignore[attr-defined]


def test_truncated_utf8_is_salvaged(tmp_path: Path) -> None:
    data = raw("<p>美国国务院说话</p>").encode()[:-1] + "说".encode()[:2]
    path = tmp_path / "cut.txt"
    path.write_bytes(data)
    article = parse_file(path)
    assert _codes(article) == ["truncated"]
    assert "美国国务院说话" in article.text


def test_nul_run_is_salvaged(tmp_path: Path) -> None:
    head, tail = raw("<p>前一段</p><p>后一段</p>").encode().split(b"</p><p>")
    path = tmp_path / "nul.txt"
    path.write_bytes(head + b"</p>" + b"\x00" * 40 + b"<p>" + tail)
    article = parse_file(path)
    assert _codes(article) == ["nul_bytes"]
    assert article.text.split("\n")[1:] == ["前一段", "后一段"]
    assert "40 NUL" in article.warnings[0].message


def test_legacy_encoding_is_named(tmp_path: Path) -> None:
    path = tmp_path / "gb.txt"
    path.write_bytes(raw("<p>中华人民共和国国务院新闻办公室今天举行发布会。</p>").encode("gb18030"))
    article = parse_file(path)
    assert _codes(article) == ["decoded_as_gb18030"]
    utf16 = tmp_path / "u16.txt"
    utf16.write_bytes(raw("<p>正文</p>").encode("utf-16"))
    assert _codes(parse_file(utf16)) == ["decoded_as_utf16"]


def test_mostly_binary_with_nuls_is_still_binary() -> None:
    with pytest.raises(BinaryInput):
        decode_bytes(b"\x00" * 600 + raw("<p>正文</p>").encode())
    with pytest.raises(BinaryInput):
        decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00\x10\x00\x00\xff" * 200)


def test_clean_file_has_no_warnings() -> None:
    assert parse_file(SEED).warnings == []
