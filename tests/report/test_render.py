"""A record's HTML: displacy-style marks per mention, label colors, tooltips, escaping."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from pipeline.render import COLORS, render_record
from tests.report.helpers import batch, make_record, seed_record


class Marks(HTMLParser):
    """Collects each <mark>: its attributes and its text (without the label tag)."""

    def __init__(self) -> None:
        super().__init__()
        self.marks: list[dict[str, str]] = []
        self._depth = 0  # inside <mark>: 1; inside its label <span>: 2

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "mark":
            self.marks.append({k: v or "" for k, v in attrs} | {"text": ""})
            self._depth = 1
        elif tag == "span" and self._depth == 1:
            self._depth = 2

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark":
            self._depth = 0
        elif tag == "span" and self._depth == 2:
            self._depth = 1

    def handle_data(self, data: str) -> None:
        if self._depth == 1:
            self.marks[-1]["text"] += data


def marks(markup: str) -> list[dict[str, str]]:
    parser = Marks()
    parser.feed(markup)
    return parser.marks


def test_every_mention_is_one_mark_in_text_order() -> None:
    record = seed_record()
    found = marks(record.render())
    assert [m["text"] for m in found] == [m.text for m in record.mentions]
    assert [m["data-label"] for m in found] == [m.label for m in record.mentions]


def test_marks_use_the_project_colors() -> None:
    for mark in marks(seed_record().render()):
        assert f"background: {COLORS[mark['data-label']]}" in mark["style"]


def test_date_values_and_entity_names_show_on_hover() -> None:
    found = {m["text"]: m["title"] for m in marks(seed_record().render())}
    assert found["2022年1月6日"].startswith("DATE")
    assert "= 2022-01-06" in found["2022年1月6日"]
    assert "= 2021-11" in found["去年11月"]
    assert "→ 达克沃斯" in found["Tammy Duckworth"]
    assert "2 mentions" in found["台湾"]


def test_repr_html_is_render_and_page_is_a_document() -> None:
    record = seed_record()
    assert record._repr_html_() == record.render() == render_record(record)
    page = render_record(record, page=True)
    assert page.startswith("<!DOCTYPE html>") and "<title>新年新气象" in page
    assert record.render() in page


def test_title_line_is_a_heading_and_metadata_is_shown() -> None:
    markup = seed_record().render()
    title = re.search(r'<div class="zhne-title">(.*?)</div></div>', markup)
    assert title is not None and "全民防卫动员署" in title.group(1)
    assert "2022-01-06 04:45 (Asia/Shanghai)" in markup  # 20:45 UTC, shown in newsroom time
    assert "voachinese.com" in markup and "000_seed" in markup
    assert "PERSON 4" in markup  # legend chip with the count per label


def test_text_is_escaped() -> None:
    record = batch()[3]  # title "<b>岸田文雄</b> & 拜登通话"
    markup = record.render()
    assert "<b>" not in markup and "&lt;b&gt;" in markup and "&amp;" in markup
    assert [m["text"] for m in marks(markup)][:2] == ["岸田文雄", "拜登"]


def test_record_without_mentions_or_title() -> None:
    record = make_record("x", "", "没有实体的一句话。", [], published=None, url=None)
    record = record.model_copy(update={"title": "", "text": "没有实体的一句话。"})
    markup = record.render()
    assert "没有实体的一句话。" in markup and "<mark" not in markup


def _with_caption() -> object:
    from pipeline.schema import Record

    rec = make_record(
        "cap",
        "标题",
        "拜登在华盛顿讲话。\n拜登在白宫。\n他说。",
        [("拜登", "PERSON", None), ("白宫", "ORG", None)],
    )
    blocks = [
        {"kind": "title", "start": 0, "end": 2},
        {"kind": "paragraph", "start": 3, "end": 12},
        {"kind": "caption", "start": 13, "end": 19},
        {"kind": "paragraph", "start": 20, "end": 23},
    ]
    return Record.model_validate({**rec.model_dump(), "blocks": blocks})


def test_captions_are_marked() -> None:
    rec = _with_caption()
    markup = render_record(rec)  # type: ignore[arg-type]
    captions = re.findall(r'<div class="zhne-caption">(.*?)</div>\s*(?=<|$)', markup, re.S)
    assert len(re.findall('class="zhne-caption"', markup)) == 1
    assert captions and "白宫" in captions[0] and "华盛顿" not in captions[0]
    parser = Marks()
    parser.feed(markup)
    assert [m["text"].strip() for m in parser.marks] == ["拜登", "白宫"]
    assert "他说。" in markup


def test_records_without_blocks_render_unmarked() -> None:
    assert 'zhne-caption"' not in render_record(seed_record())


def test_a_records_file_with_a_hostile_url_gets_no_link() -> None:
    for url in ("javascript:alert(1)", "data:text/html,x", " https://x.example/"):
        record = seed_record().model_copy(update={"url": url})
        markup = record.render()
        assert "<a " not in markup and "javascript:" not in markup and "data:text" not in markup
        page = render_record(record, page=True)
        assert 'http-equiv="Content-Security-Policy"' in page
