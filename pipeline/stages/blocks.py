"""Body HTML → classified blocks: what a reader calls the article, and what is around it.

A feed body mixes the article (paragraphs, headings, list items, captions) with
chrome: timestamps, bylines, promotion, navigation, ads and chart numbers. The
extractor keeps, for every line of text, the structure it came from (tags and
class names of its ancestors, an image just before it); the classifier then
applies named rules, in order, to give each line a kind. The rules are
structural where a structure says it (a ``<figcaption>``, ``<small>`` under an
image, a class ``picinfo``) and textual where only the words do (``作者 …``,
``延伸閱讀``); the patterns are data at the top of this module.

Kinds kept in the record: ``paragraph`` and ``caption`` (the title is the header's).
Dropped: ``byline`` (names go to ``authors``), ``timestamp`` and ``chrome``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Literal

BodyKind = Literal["paragraph", "caption", "byline", "timestamp", "chrome"]
#: Kinds whose lines stay in the record's text.
KEPT_KINDS: frozenset[str] = frozenset({"paragraph", "caption"})

# -- structure: tags and attribute hints ------------------------------------------------

#: Elements whose content is never article text.
SKIP_TAGS = frozenset(
    {
        "script", "style", "iframe", "noscript", "svg", "video", "audio", "template",
        "object", "embed", "canvas", "button", "select", "textarea", "head", "math",
    }
)  # fmt: skip
#: Elements that end a line.
BLOCK_TAGS = frozenset(
    {
        "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
        "figcaption", "figure", "table", "tr", "td", "th", "section", "article", "header",
        "footer", "pre", "hr", "dd", "dt", "dl", "aside", "main", "nav", "form", "caption",
        "address", "center",
    }
)  # fmt: skip
VOID_TAGS = frozenset(
    {"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "source", "track", "wbr"}
)

# Bit flags: the inline or block context of a piece of text.
F_LINK = 1  # inside <a>
F_BOLD = 2  # <b>, <strong>
F_ITALIC = 4  # <i>, <em>
F_SMALL = 8  # <small>
F_FIGCAPTION = 16  # <figcaption>, <caption>
F_LIST = 32  # <li>
F_TIME = 64  # <time>
F_NAV = 128  # <nav>

TAG_FLAGS: dict[str, int] = {
    "a": F_LINK, "b": F_BOLD, "strong": F_BOLD, "i": F_ITALIC, "em": F_ITALIC,
    "small": F_SMALL, "figcaption": F_FIGCAPTION, "caption": F_FIGCAPTION, "li": F_LIST,
    "time": F_TIME, "nav": F_NAV,
}  # fmt: skip

#: Attribute values (class, id, data-*, itemprop, role, aria-label) that mark a container.
ATTR_HINTS: dict[str, re.Pattern[str]] = {
    "caption": re.compile(
        r"caption|picinfo|pic-?info|pic-?note|photo-?text|img-?desc|image-?desc", re.I
    ),
    "chrome": re.compile(
        r"(?:^|[\s_-])(?:ads?|adslot\w*|advert\w*|dfp\S*|gpt-ad\S*|o-ads|in-article-advert)"
        r"(?:$|[\s_-])|moreArticle|trustBadge|self-promo|m-interstitial|block-ad|newsletter"
        r"|subscri|social-?share|share-?(?:bar|tools|buttons)|related-?(?:news|links|stories)"
        r"|readmore|bottomArticleBanner|Inline Ad",
        re.I,
    ),
    "byline": re.compile(r"byline|author", re.I),
}
_HINT_ATTRS = frozenset(
    {"class", "id", "itemprop", "role", "data-test-id", "data-component", "data-o-ads-name"}
)

#: Anchor texts that are navigation even inside a paragraph (RTI's ``...more``).
INLINE_CHROME_LINKS = re.compile(r"^\s*(?:\.{2,}|…+)?\s*(?:more|更多|閱讀全文|阅读全文)\s*$", re.I)

# -- text patterns ---------------------------------------------------------------------

_MONTHS = r"Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
#: A line that is nothing but a date or instant (the feeds' date divs).
TIMESTAMP_LINE = re.compile(
    r"^(?:"
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"  # ISO
    r"|\d{1,2}/\d{1,2}/\d{4}(?:\s*-\s*\d{1,2}:\d{2})?"  # RFI 05/01/2022 - 21:17
    rf"|(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun),? \d{{1,2}} (?:{_MONTHS})\w* \d{{4}}"
    r"(?: \d{2}:\d{2}(?::\d{2})?)?(?: (?:GMT|UTC|[+-]\d{4}))?"  # RFC 2822
    rf"|(?:{_MONTHS})\w* \d{{1,2}}(?:st|nd|rd|th)?,? \d{{4}}"  # Oct 15th 2020
    r"|1\d{2}(?:0[1-9]|1[0-2])(?:[0-2]\d|3[01])"  # CNA's ROC date stamp 1091023
    r"|\d+\s*(?:分钟|分鐘|小时|小時|天)前|(?:最近更新|最後更新|最后更新)[:：]?\s*.{0,30}"
    r"|\d{4}年\d{1,2}月\d{1,2}日(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?"
    r"|(?:更新|發布|发布|發表|发表|Updated|Published)(?:時間|时间)?[:：]?\s*\S.{0,30}"
    r")$",
    re.I,
)
#: Copyright and agency lines (``© 2020 AFP``).
COPYRIGHT_LINE = re.compile(
    r"^(?:(?:©|\(c\))\s*\d{4}|copyright\b|版權所有|版权所有)|^©.{0,20}(?:版權|版权|著作權|著作权)",
    re.I,
)
#: Photo credits with nothing else (``©Science Photo Library``, ``图像来源，Getty Images``).
CREDIT_LINE = re.compile(
    r"^(?:©.{0,60}|(?:圖像|图像|圖片|图片|照片|圖|图)(?:來源|来源|提供)[:：，,\s]\s*\S.{0,50}"
    r"|(?:photo|image|picture)\s*(?:credit)?[:：]\s*.{1,50}|Getty Images|AFP|Reuters|EPA|AP"
    r"|(?:影片來源|视频来源|視頻來源)[:：].{1,50}|(?:ILLUSTRATIONS?|PHOTOGRAPHS?|Additional images|Images?|Illustration)[:：]\s*.{1,60})$",
    re.I,
)
#: Whole-line promotion, navigation and subscription text.
CHROME_LINE = re.compile(
    r"^(?:延伸閱讀|延伸阅读|相關新聞|相关新闻|相關報導|相关报道|相关阅读|相關閱讀|推薦閱讀|推荐阅读"
    r"|熱門新聞|热门新闻|更多新聞|更多新闻|廣告|广告|Advertisement|Array|null|分享|Share"
    r"|相关话题|相關話題|标签|標籤|Tags?|閱讀全文|阅读全文|more|\.{3}more)[:：]?$"
    r"|^(?:相关报道|相關報導|相关阅读|相關閱讀|延伸閱讀|延伸阅读|推荐阅读|推薦閱讀)[:：\s]"
    r"|歡迎訂閱|欢迎订阅|感謝您的訂閱|感谢您的订阅|訂閱電子報|订阅电子报|请输入正确的电子信箱|請輸入正確的電子信箱"
    r"|点击查看本文英文版|點擊查看本文英文版|^我们的标准[:：]|^我們的標準[:：]|汤森路透“信任原则”"
    r"|欢迎点击此处订阅|歡迎點擊此處訂閱|点击此处订阅|點擊此處訂閱|感谢阅读今天的简报"
    r"|欢迎在\s*(?:Twitter|Facebook|Instagram|微博|脸书)|在Twitter上关注|^請追蹤|^请关注我们"
    r"|第三方内容可能包含广告|第三方內容可能包含廣告|^跳过.{0,20}(?:帖子|post)|(?:帖子|post)结束$"
    r"|請更新你的瀏覽器|请更新你的浏览器|^(?:放大到|顯示|显示|篩選|筛选|詳細資料|详细资料)[:：]?$"
    r"|請捲動表格|请滚动表格|^(?:資料來源|资料来源|數據來源|数据来源)[:：]"
    r"|阅读英文原文|閱讀英文原文|^View this post on"
    r"|快來訂閱|快来订阅|同步發送電子報|同步发送电子报|^(?:看更多|關閉|关闭|展開|展开|收起)$|^!\[https?://"
    r"|^Post tags[:：]|^This article appeared in the|^A post shared by"
    r"|^©.{0,60}(?:get_post_time|中国数字时代|China Digital Times)|^Feed enhanced by|^The post .{1,200} (?:first )?appeared (?:first )?on"
    r"|^(?:閱讀全文|阅读全文|點擊閱讀|点击阅读)\s*>>"
    r"|^【支持】|^(?:好，)?如果您有爆料"
    r"|^详情请阅全文|^詳情請閱全文|^欲浏览详情|^欲瀏覽詳情|(?:请|請)(?:点选|點選)[:：]"
    r"|(?:仅|僅)代表作者(?:或专家)?(?:个人|個人|本人)?(?:观点|觀點|立场|立場)"
    r"|^[^\s:：。，]{1,12}[:：]\s*https?://\S+$|^(?:网络收看方式|網絡收看方式|收看方式)[:：]$"
    r"|^(?:Feed-URL|iTunes|RSS|Spotify|Podcast|Apple Podcasts)[:：]?$|^https?://\S+$"
    r"|^下载(?:BBC|VOA|RFA|美国之音|自由亚洲)|^下載(?:BBC|VOA|RFA)"
    r"|^(?:欢迎|歡迎)?(?:订阅|訂閱).{0,12}(?:频道|頻道|电子报|電子報|簡報|简报|newsletter)|^Subscribe to",
    re.I,
)
#: Numbers with no words: chart axes, table figures.
NUMBER_LINE = re.compile(r"^[\d\s.,:%+\-−–—/$€£¥()（）]+$")

#: Roles of a byline, normalized (Traditional → Simplified).
ROLES: dict[str, str] = {
    "记者": "记者", "記者": "记者", "编译": "编译", "編譯": "编译", "翻译": "翻译", "翻譯": "翻译",
    "译者": "翻译", "譯者": "翻译", "审校": "审校", "審校": "审校", "作者": "作者",
    "撰稿": "作者", "撰文": "作者", "编辑": "编辑", "編輯": "编辑", "责任编辑": "编辑",
    "責任編輯": "编辑", "责编": "编辑", "責編": "编辑", "摄影": "摄影", "攝影": "摄影",
    "发稿": "发稿", "發稿": "发稿", "网编": "编辑", "網編": "编辑",
    "文字整理": "编辑", "整理": "编辑", "by": "作者", "By": "作者", "BY": "作者",
}  # fmt: skip
_ROLE_ALT = "|".join(sorted(map(re.escape, ROLES), key=len, reverse=True))
#: Outlets that sign ``寒冬記者 葉玲``, ``自由亚洲电台记者黄春梅 台北报道``.
OUTLET_PREFIXES = (
    "寒冬", "本台", "本网", "本網", "自由亚洲电台", "自由亞洲電台", "大纪元", "大紀元",
    "美国之音", "美國之音", "德国之声", "德國之聲", "中央社", "维权网", "維權網",
)  # fmt: skip
#: A role word opening a byline segment: ``作者 沈燕``, ``译者/何黎``, ``审校：王兴亚``.
ROLE_TOKEN = re.compile(
    rf"(?:^|(?<=[\s；;，,、|]))({_ROLE_ALT})(?:\s*[:：/／|]\s*|\s+)"
    rf"|^(?:{'|'.join(OUTLET_PREFIXES)})(记者|記者)\s*"
)
_NAME_SPLIT = re.compile(r"\s*(?:[,，、/／&]|\band\b|和|及)\s*")
#: Names followed by the agencies or sources they compiled from (DW: ``雨涵/任琛（路透社）``).
AGENCY_CREDIT = re.compile(
    r"^(?P<names>[^\s（(。，,：:]{1,5}(?:\s*/\s*[^\s（(。，,：:]{1,5}){0,3})\s*"
    r"[（(](?P<src>[^）)]*(?:社|综合|綜合|报道|報導|Reuters|AFP|dpa|AP)[^）)]*)[）)]$"
)
#: A signature at the end of a letter or statement: ``彭某某 2020年12月29日``.
SIGNATURE_LINE = re.compile(r"^(?P<names>[\u4e00-\u9fff]{2,4})\s+\d{4}年\d{1,2}月\d{1,2}日$")
#: An editor's note closing a paragraph (CNA: ``…（編輯：方沛清）1090815``); the text stays.
CLOSING_EDITOR = re.compile(
    r"[（(](?P<byline>(?:編輯|编辑|責任編輯|责任编辑|責編|责编)[:：/][^（）()]{1,30})[）)]\s*\d{0,7}$"
)
#: Credits for help with the story (NYT: ``Claire Fu对本文有研究贡献。``).
CONTRIBUTION_LINE = re.compile(
    r"^.{1,120}(?:对本文(?:亦)?有.{0,8}贡献|對本文(?:亦)?有.{0,8}貢獻|参与报道|參與報導|协助报道|協助報導)[。.]?$"
    r"|contributed (?:reporting|research)"
    r"|^\S{0,20}(?:制作组|製作組)$"
    r"|^[（(]本文(?:根据|根據|综合|綜合|编译自|編譯自|来源|來源).{0,30}[）)]$"
)
# -- extraction --------------------------------------------------------------------------


@dataclass
class RawBlock:
    """One line of body text with the structure it came from."""

    text: str
    flags: dict[int, int] = field(default_factory=dict)  # flag → characters under it
    hints: frozenset[str] = frozenset()
    image_before: bool = False
    index: int = 0
    table: int = -1  # the <table> holding the line (numbered in order), -1 outside tables

    def share(self, flag: int) -> float:
        """Fraction of the line's characters under ``flag`` (0 for an empty line)."""
        n = sum(1 for ch in self.text if not ch.isspace())
        return self.flags.get(flag, 0) / n if n else 0.0


@dataclass
class _Frame:
    tag: str
    flags: int
    hints: frozenset[str]


def _attr_hints(attrs: list[tuple[str, str | None]]) -> frozenset[str]:
    values = " ".join(v for k, v in attrs if v and (k in _HINT_ATTRS or k.startswith("data-")))
    if not values:
        return frozenset()
    return frozenset(name for name, rx in ATTR_HINTS.items() if rx.search(values))


class BlockExtractor(HTMLParser):
    """Collect lines of body text with their context; iterative, so any depth is safe."""

    def __init__(self, clean: Callable[[str], str]) -> None:
        super().__init__(convert_charrefs=True)
        self._clean = clean
        self.blocks: list[RawBlock] = []
        self._pieces: list[tuple[str, int, frozenset[str]]] = []
        self._stack: list[_Frame] = []
        self._skip: list[str] = []
        self._image = False
        self._link_pieces: list[tuple[str, int, frozenset[str]]] | None = None
        self._tables: list[int] = []
        self._table_count = 0

    # context of the innermost open element
    def _flags(self) -> int:
        return self._stack[-1].flags if self._stack else 0

    def _hints(self) -> frozenset[str]:
        return self._stack[-1].hints if self._stack else frozenset()

    def _flush(self) -> None:
        if not self._pieces:
            return
        text = self._clean("".join(p for p, _, _ in self._pieces))
        if text:
            flags: dict[int, int] = {}
            hints: set[str] = set()
            for piece, f, h in self._pieces:
                n = sum(1 for ch in piece if not ch.isspace())
                if n:
                    hints |= h
                    bit = 1
                    while bit <= f:
                        if f & bit:
                            flags[bit] = flags.get(bit, 0) + n
                        bit <<= 1
            table = self._tables[-1] if self._tables else -1
            self.blocks.append(
                RawBlock(text, flags, frozenset(hints), self._image, len(self.blocks), table)
            )
            self._image = False
        self._pieces = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._skip:
            if tag in SKIP_TAGS:
                self._skip.append(tag)
            return
        if tag in SKIP_TAGS:
            self._skip.append(tag)
            return
        if tag in BLOCK_TAGS:
            self._flush()
        if tag == "img":
            if self._pieces and not self._clean("".join(p for p, _, _ in self._pieces)):
                self._pieces = []
            self._image = self._image or not self._pieces
            return
        if tag in VOID_TAGS:
            return
        self._stack.append(
            _Frame(tag, self._flags() | TAG_FLAGS.get(tag, 0), self._hints() | _attr_hints(attrs))
        )
        if tag == "a":
            self._link_pieces = []
        elif tag == "table":
            self._tables.append(self._table_count)
            self._table_count += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID_TAGS or tag in BLOCK_TAGS:
            self.handle_starttag(tag, attrs)
            if tag not in VOID_TAGS:
                self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._skip:
            if tag == self._skip[-1]:
                self._skip.pop()
            elif tag in self._skip:  # tolerate unclosed inner skip tags
                while self._skip and self._skip.pop() != tag:
                    pass
            return
        if tag == "a" and self._link_pieces is not None:
            anchor = "".join(p for p, _, _ in self._link_pieces)
            if self._link_pieces and INLINE_CHROME_LINKS.match(anchor):
                del self._pieces[len(self._pieces) - len(self._link_pieces) :]
            self._link_pieces = None
        if tag in BLOCK_TAGS:
            self._flush()
        if tag == "table" and self._tables:
            self._tables.pop()
        for i in range(len(self._stack) - 1, max(-1, len(self._stack) - 64), -1):
            if self._stack[i].tag == tag:
                del self._stack[i:]
                break

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        piece = (data, self._flags(), self._hints())
        self._pieces.append(piece)
        if self._link_pieces is not None:
            self._link_pieces.append(piece)

    def close(self) -> None:
        super().close()
        self._flush()


# -- classification ----------------------------------------------------------------------


@dataclass(frozen=True)
class Author:
    """A name from a byline, with its role (记者, 编译, 翻译, 审校, …) when the byline says it."""

    name: str
    role: str | None = None


@dataclass
class Block:
    """A classified line of the body."""

    kind: BodyKind
    text: str
    rule: str
    authors: list[Author] = field(default_factory=list)


@dataclass(frozen=True)
class Context:
    """What a rule sees: the line, its neighbours and the body as a whole."""

    blocks: Sequence[RawBlock]
    i: int
    all_links: bool  # every line of the body is a link (a list of headlines: 新闻联播)
    title: str = ""

    @property
    def block(self) -> RawBlock:
        return self.blocks[self.i]

    def next(self) -> RawBlock | None:
        return self.blocks[self.i + 1] if self.i + 1 < len(self.blocks) else None


Rule = Callable[[Context], BodyKind | None]


def timestamp_line(ctx: Context) -> BodyKind | None:
    """A line that is only a date or instant (a date div, ``<time>``, CNA's ``1091023``)."""
    b = ctx.block
    if TIMESTAMP_LINE.match(b.text) or (b.share(F_TIME) > 0.9 and b.index <= 3):
        return "timestamp"
    return None


def copyright_line(ctx: Context) -> BodyKind | None:
    """``© 2020 AFP``, ``版权所有``: chrome."""
    return "chrome" if COPYRIGHT_LINE.match(ctx.block.text) and len(ctx.block.text) <= 80 else None


def chrome_container(ctx: Context) -> BodyKind | None:
    """Inside an ad, promotion, related-links or subscription container, or a ``<nav>``."""
    b = ctx.block
    return "chrome" if "chrome" in b.hints or b.share(F_NAV) > 0.5 else None


def chrome_text(ctx: Context) -> BodyKind | None:
    """Promotion, navigation and subscription lines known by their words."""
    b = ctx.block
    return "chrome" if len(b.text) <= 200 and CHROME_LINE.search(b.text) else None


def repeated_title(ctx: Context) -> BodyKind | None:
    """The headline repeated at the top of the body (BBC): already the record's title line."""
    b = ctx.block
    if b.index <= 2 and ctx.title and _squash(b.text) == _squash(ctx.title):
        return "chrome"
    return None


def table_label(ctx: Context) -> BodyKind | None:
    """A short label between figures of a chart or table (a country name by its numbers)."""
    b = ctx.block
    if len(b.text) > 16 or re.search(r"[。！？，：:；]", b.text):
        return None
    if b.table >= 0:
        cells = [x for x in ctx.blocks if x.table == b.table]
        numbers = sum(1 for x in cells if NUMBER_LINE.match(x.text))
        return "chrome" if numbers * 5 >= len(cells) * 2 else None
    near = [*ctx.blocks[max(0, ctx.i - 2) : ctx.i], *ctx.blocks[ctx.i + 1 : ctx.i + 3]]
    numbers = sum(1 for n in near if NUMBER_LINE.match(n.text))
    return "chrome" if numbers >= 2 else None


def _squash(text: str) -> str:
    return re.sub(r"[\W_]+", "", text).lower()


def number_line(ctx: Context) -> BodyKind | None:
    """Numbers without words (a chart's axis labels, a table's figures) or stray markup."""
    text = ctx.block.text
    if NUMBER_LINE.match(text) or not any(ch.isalpha() for ch in text):
        return "chrome"
    return None


def byline_before_timestamp(ctx: Context) -> BodyKind | None:
    """The feeds' ``<div><i>NAME<br>TIMESTAMP</i></div>`` header (DW, NYT): the name line."""
    b, nxt = ctx.block, ctx.next()
    if (
        nxt is not None
        and b.index <= 1
        and len(b.text) <= 40
        and (b.share(F_ITALIC) > 0.5 or "byline" in b.hints)
        and TIMESTAMP_LINE.match(nxt.text)
        and not re.search(r"[。！？；]", b.text)
    ):
        return "byline"
    return None


def byline_text(ctx: Context) -> BodyKind | None:
    """``作者 …``, ``发稿 …；审校 …``, ``译者/…``, ``翻译：…``, ``by …``, or a byline container."""
    b = ctx.block
    if byline_parts(b.text) is not None or AGENCY_CREDIT.match(b.text):
        return "byline"
    if ctx.i == len(ctx.blocks) - 1 and SIGNATURE_LINE.match(b.text):
        return "byline"
    if CONTRIBUTION_LINE.search(b.text) or _is_about(b.text):
        return "byline"
    if "byline" in b.hints and len(b.text) <= 60 and not re.search(r"[。！？]", b.text):
        return "byline"
    return None


def _is_about(text: str) -> bool:
    """``本文作者…``, ``作者简介…``, ``…欢迎在Twitter上关注她``: about the author, not the story."""
    return text.startswith(("本文作者", "作者簡介", "作者简介")) or bool(
        re.search(r"(?:关注|關注)(?:他|她)", text) and len(text) <= 300
    )


def credit_line(ctx: Context) -> BodyKind | None:
    """A photo credit with no description (``©Science Photo Library``)."""
    return "byline" if CREDIT_LINE.match(ctx.block.text) else None


def caption_structure(ctx: Context) -> BodyKind | None:
    """``<figcaption>``, a caption class, or ``<small>`` right under an image.

    A caption that is only a credit or the author's portrait is a byline.
    """
    b = ctx.block
    is_caption = b.share(F_FIGCAPTION) > 0.5 or "caption" in b.hints
    if not is_caption and b.share(F_SMALL) > 0.5:
        is_caption = b.image_before or (b.index > 0 and _image_run(ctx))
    if not is_caption:
        return None
    if CREDIT_LINE.match(b.text) or _is_about(b.text) or b.text.startswith(("作者：", "作者:")):
        return "byline"
    if CHROME_LINE.search(b.text):
        return "chrome"
    return "caption"


def gallery_item(ctx: Context) -> BodyKind | None:
    """A gallery entry: an image, then a bold lead and its text (DW ``相关图集``)."""
    b = ctx.block
    if b.image_before and b.flags.get(F_BOLD, 0) and re.match(r"^.{1,40}?[：:]", b.text):
        lead = b.text.split("：", 1)[0].split(":", 1)[0]
        if b.flags.get(F_BOLD, 0) >= len(lead.replace(" ", "")) * 0.8:
            return "caption"
    if b.text.startswith(("相关图集", "相關圖集", "图集：", "圖集：", "視頻：", "视频：")) and (
        len(b.text) <= 60
    ):
        return "caption"
    return None


def related_links(ctx: Context) -> BodyKind | None:
    """A line that is all link: related stories and navigation (not a list of headlines)."""
    b = ctx.block
    if ctx.all_links or b.share(F_LINK) < 0.95:
        return None
    if b.share(F_LIST) > 0.5 or b.share(F_BOLD) > 0.5 or len(b.text) <= 40:
        return "chrome"
    return None


def _image_run(ctx: Context) -> bool:
    prev = ctx.blocks[ctx.i - 1]
    return prev.image_before and prev.share(F_SMALL) > 0.5


#: The rules, in order; the first that answers gives the kind, else ``paragraph``.
RULES: tuple[Rule, ...] = (
    chrome_container,
    timestamp_line,
    copyright_line,
    byline_before_timestamp,
    caption_structure,
    byline_text,
    credit_line,
    chrome_text,
    repeated_title,
    number_line,
    table_label,
    gallery_item,
    related_links,
)


def classify(blocks: Sequence[RawBlock], *, title: str = "") -> list[Block]:
    """Give every line a kind (the first rule that answers; ``paragraph`` otherwise)."""
    all_links = len(blocks) > 1 and all(b.share(F_LINK) >= 0.95 for b in blocks)
    out: list[Block] = []
    for i, b in enumerate(blocks):
        ctx = Context(blocks, i, all_links, title)
        kind: BodyKind = "paragraph"
        rule = "default"
        for r in RULES:
            found = r(ctx)
            if found is not None:
                kind, rule = found, r.__name__
                break
        authors = parse_authors(b.text) if kind == "byline" else []
        closing = CLOSING_EDITOR.search(b.text) if kind == "paragraph" else None
        if closing is not None:
            authors = parse_authors(closing.group("byline"))
        out.append(Block(kind, b.text, rule, authors))
    for i, block in enumerate(out[:-1]):
        if (
            block.kind == "paragraph"
            and len(block.text) <= 12
            and not re.search(r"[。！？，；]", block.text)
            and out[i + 1].rule == "chrome_container"
        ):
            block.kind, block.rule = "chrome", "chrome_heading"  # 今晨最新 over a link box
    return out


def byline_parts(text: str) -> list[tuple[str | None, str]] | None:
    """``[(role, names)]`` when the whole line is a byline, else ``None``."""
    t = text.strip().strip("（）()【】[]").strip()
    if not t or len(t) > 80 or re.search(r"[。！？!?]", t):
        return None
    found = list(ROLE_TOKEN.finditer(t))
    if not found or found[0].start() != 0:
        return None
    parts: list[tuple[str | None, str]] = []
    for j, m in enumerate(found):
        end = found[j + 1].start() if j + 1 < len(found) else len(t)
        names = t[m.end() : end].strip(" ；;，,、|")
        if not names or any(len(n) > 30 for n in _NAME_SPLIT.split(names)):
            return None
        role = m.group(1) or m.group(2)
        if role.lower() == "by" and not all(
            w[:1].isupper() for w in re.split(r"[\s,]+", names) if w and w != "and"
        ):
            return None  # "by the way": an English sentence, not a byline
        parts.append((ROLES[role], names))
    return parts


def parse_authors(text: str) -> list[Author]:
    """Names and roles from a byline line (``作者 沈燕``, ``KONEY BAI,KONEY BAI``).

    A credit that names no person (``©Science Photo Library``) gives no author.
    """
    text = text.strip()
    if text[:1] in "（(" and text[-1:] in "）)":
        text = text[1:-1].strip()
    parts = byline_parts(text)
    if parts is None:
        credit = AGENCY_CREDIT.match(text) or SIGNATURE_LINE.match(text)
        if credit is not None:
            parts = [(None, credit.group("names"))]
        elif CREDIT_LINE.match(text) or CONTRIBUTION_LINE.search(text) or _is_about(text):
            return []
        else:
            parts = [(None, re.sub(r"[（(][^）)]*[）)]$", "", text))]
    authors: list[Author] = []
    seen: set[tuple[str, str | None]] = set()
    for role, names in parts:
        if re.search(r"(?:报道|報導|报导)$", names):  # 黄春梅 台北报道: the place is not a name
            names = names.split()[0] if " " in names else ""
        split = _NAME_SPLIT.split(names)
        if not re.search(r"[A-Za-z]", names):
            split = [n for part in split for n in part.split()]
        for name in split:
            name = re.sub(r"^(?:null|undefined)\s+", "", name.strip(" #＃"), flags=re.I).strip()
            name = re.sub(r"[（(][^）)]*[）)]?$", "", name).strip()
            if not name or name.lower() in {"null", "undefined"}:
                continue
            if " " in name and re.fullmatch(r"[A-Z .'\-]+", name):
                name = name.title()  # AMY QIN → Amy Qin; ARD stays
            if (name, role) not in seen:
                seen.add((name, role))
                authors.append(Author(name, role))
    return authors


def extract_blocks(body: str, *, clean: Callable[[str], str]) -> list[RawBlock]:
    """Lines of body text with their context (``clean`` normalizes each line)."""
    parser = BlockExtractor(clean)
    parser.feed(body)
    parser.close()
    return parser.blocks
