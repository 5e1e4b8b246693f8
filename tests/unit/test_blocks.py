"""Body blocks: each outlet structure of the archive sample, imitated by a small fixture.

The fixtures are written for these tests (made-up sentences in each feed's markup);
no archive text is copied. Each case lists the lines that stay in ``text`` with their
kind, and the authors the bylines give.
"""

from __future__ import annotations

import pytest

from pipeline.schema import Author
from pipeline.stages.blocks import byline_parts, parse_authors
from pipeline.stages.parse import body_blocks, html_to_paragraphs, parse_text

P = "paragraph"
C = "caption"

# (structure, body HTML, kept lines [(kind, text)], authors [(name, role)])
CASES: list[tuple[str, str, list[tuple[str, str]], list[tuple[str, str | None]]]] = [
    (
        "cna: picinfo caption, dateline kept, subscription box and 延伸閱讀 dropped",
        '<div class="fullPic"><div class="floatImg center"><div class="wrap"><img src="a.jpg" '
        'alt="圖說"></div><div class="picinfo">市長參觀展覽。中央社記者王小明攝 113年5月1日</div>'
        '</div></div><div class="paragraph"><p>（中央社記者王小明台北1日電）市長今天參觀展覽。</p>'
        '<div class="newsletter"><div>訂閱《早安世界》電子報</div><div>請輸入正確的電子信箱格式</div>'
        "<div>感謝您的訂閱！</div></div><p>展覽將持續到月底。（編輯：陳大文）1130501</p>"
        "<div class='paragraph moreArticle'><div class='moreArticle-title'>延伸閱讀</div>"
        "<a class='moreArticle-link' href='x'><span>另一則新聞標題</span></a></div></div>",
        [
            (C, "市長參觀展覽。中央社記者王小明攝 113年5月1日"),
            (P, "（中央社記者王小明台北1日電）市長今天參觀展覽。"),
            (P, "展覽將持續到月底。（編輯：陳大文）1130501"),
        ],
        [("陳大文", "编辑")],
    ),
    (
        "rfi: date div, ad interstitial, 相关报道 link, © AFP",
        '<div>05/01/2022 - 21:17</div><img src="a.jpg"><p><strong>导语一句话。</strong></p>'
        '<div class="t-content__body u-clearfix"><div class="m-interstitial"><span>广告</span>'
        "</div><p>正文第一段。</p><p><strong>相关报道 <a href='x'>另一篇文章</a></strong></p>"
        "<p>正文第二段。</p><p>© 2020 AFP</p></div>",
        [(P, "导语一句话。"), (P, "正文第一段。"), (P, "正文第二段。")],
        [],
    ),
    (
        "dw: name and instant in <i>, small caption, gallery, agency credit, copyright",
        '<div><i>null 李小华<br>2020-09-09T11:52:13.539Z</i></div><img src="a.jpg" width="100%">'
        '<div><small style="color: #999;">会场外的示威者</small></div>'
        "<p>（德国之声中文网）会议周一开幕。</p><p><strong>各方反应</strong></p><p>外长表示欢迎。</p>"
        "<p>延伸阅读：<a href='x'>另一篇报道</a></p>"
        "<p>相关图集：会议的一天</p><div><img src='b.jpg'><b>开幕</b>：代表们入场。</div>"
        "<div><img src='c.jpg'><b>闭幕 (2)</b>：代表们离场。</div>"
        "<p>雨林/任一（路透社、法新社）</p>"
        "<p>© 2020年德国之声版权声明：本文所有内容受到著作权法保护。</p>",
        [
            (C, "会场外的示威者"),
            (P, "（德国之声中文网）会议周一开幕。"),
            (P, "各方反应"),
            (P, "外长表示欢迎。"),
            (C, "相关图集：会议的一天"),
            (C, "开幕：代表们入场。"),
            (C, "闭幕 (2)：代表们离场。"),
        ],
        [("李小华", None), ("雨林", None), ("任一", None)],
    ),
    (
        "nyt: byline names, subscribe line, translator, English-version link, bio credit",
        '<div><i>JANE DOE,JANE DOE<br>2020-07-17 16:57:45</i></div><img src="a.jpg">'
        '<div><small style="color: #999;"></small></div>'
        "<p>（<i>欢迎</i><a href='x'><i>点击此处</i></a><i>订阅</i><a href='y'><i>NYT简报</i>"
        "</a><i>，我们将在每个工作日发送最新内容至您的邮箱。）</i></p>"
        "<p>北京——某部门周三宣布新政策。</p><p>John Roe对本文有研究贡献。</p>"
        "<p>翻译：纽约时报中文网</p><p><a href='z'>点击查看本文英文版。</a></p>",
        [(P, "北京——某部门周三宣布新政策。")],
        [("Jane Doe", None), ("纽约时报中文网", "翻译")],
    ),
    (
        "reuters: instant, 作者, figcaption, dateline kept, 发稿/审校, trust badge",
        '<div><i>2020-07-17T10:50:55</i></div><div class="StandardArticleBody_body">'
        "<p>作者 张三 </p><figure><img src='a.jpg'></figure><figcaption><div class='Image_caption'>"
        "<span>资料图片：某地街景。REUTERS/Someone</span></div></figcaption>"
        "<p>路透北京12月17日 - 某机构周四公布数据。 </p><p>编译 李四；审校 王五</p>"
        "<div class='StandardArticleBody_trustBadgeContainer'><span>我们的标准：</span>"
        "<span><a href='x'>汤森路透“信任原则”</a></span></div></div>",
        [
            (C, "资料图片：某地街景。REUTERS/Someone"),
            (P, "路透北京12月17日 - 某机构周四公布数据。"),
        ],
        [("张三", "作者"), ("李四", "编译"), ("王五", "审校")],
    ),
    (
        "voa: RFC 2822 date, small caption under the image, source note",
        "<div><i>Thu, 17 Dec 2020 05:41:38 GMT</i></div><img src='a.jpg' width='100%'>"
        '<div><small style="color: #999;">资料照：某地的集会。（2020年12月1日）</small></div>'
        "<p>某国星期三宣布新措施。</p><p>（本文根据路透社报道）</p>",
        [(C, "资料照：某地的集会。（2020年12月1日）"), (P, "某国星期三宣布新措施。")],
        [],
    ),
    (
        "bbc: repeated headline, relative time, credit-only figcaption, related links, chart",
        "<h1>标题重复一次</h1><div><time>6 分钟前</time></div>"
        "<figure><img src='a.jpg'><figcaption> ©Getty Images</figcaption></figure>"
        "<p>第一段正文。</p><figure><img src='b.jpg'><figcaption>图中人物在讲话。 ©Reuters"
        "</figcaption></figure><ul><li><a href='x'>相关文章一</a></li><li><a href='y'>相关文章二"
        "</a></li></ul><div>美国</div><div>6357902</div><div>190,000</div><div>巴西</div>"
        "<div>4238446</div><div>130,000</div><p>第二段正文。</p>",
        [(P, "第一段正文。"), (C, "图中人物在讲话。 ©Reuters"), (P, "第二段正文。")],
        [],
    ),
    (
        "rfa: related list, caption class, multi-role byline",
        "<p>第一段。<br/><br/>第二段。</p><ul><li><b><a class='external-link' href='x'>"
        "相关新闻标题</a></b></li></ul><div class='wp-caption'><img src='a.jpg'>"
        "<p class='wp-caption-text'>示威者在街头（路透社）</p></div>"
        "<p>记者：张三 李四 责编：王五 网编：赵六</p>",
        [(P, "第一段。"), (P, "第二段。"), (C, "示威者在街头（路透社）")],
        [("张三", "记者"), ("李四", "记者"), ("王五", "编辑"), ("赵六", "编辑")],
    ),
    (
        "epochtimes: dateline kept, heading kept, 详情请阅全文 and editor",
        "<p>【大纪元2020年10月17日讯】（大纪元记者张三报导）某地房价下跌。</p>"
        "<h2>【分析】</h2><p>专家认为还会下跌。</p><p>详情请阅全文。</p><p>责任编辑：李四#</p>",
        [
            (P, "【大纪元2020年10月17日讯】（大纪元记者张三报导）某地房价下跌。"),
            (P, "【分析】"),
            (P, "专家认为还会下跌。"),
        ],
        [("李四", "编辑")],
    ),
    (
        "ft: story lead, in-article ad, translator",
        "<div class='story-lead'>导语一句。</div><div class='story-body'><p>正文一段。</p>"
        "<div data-o-ads-name='mpu-middle1' class='o-ads in-article-advert'><div>广告</div></div>"
        "<p>正文二段。</p><p>译者/王五</p></div>",
        [(P, "导语一句。"), (P, "正文一段。"), (P, "正文二段。")],
        [("王五", "翻译")],
    ),
    (
        "xwlb: a list of headline links is the article",
        "<li><a href='x#1'>第一条新闻标题</a></li><li><a href='x#2'>第二条新闻标题</a></li>",
        [(P, "第一条新闻标题"), (P, "第二条新闻标题")],
        [],
    ),
    (
        "rti: image then bare text, the ...more link dropped inside the paragraph",
        "<img src='a.jpg' alt='圖'><br>某國今天宣布新規定，旅客...<a href='x'>...more</a>",
        [(P, "某國今天宣布新規定，旅客...")],
        [],
    ),
    (
        "economist: aside with time and byline",
        "<img src='a.jpg'/><div></div><aside><div><time dateTime='2020-10-15'>Oct 15th 2020</time>"
        "<p itemProp='byline'>by John Roe</p></div></aside><p>First paragraph.</p>"
        "<div id='gpt-ad-slot-1' data-test-id='Inline Ad'></div><p>Second paragraph.</p>",
        [(P, "First paragraph."), (P, "Second paragraph.")],
        [("John Roe", "作者")],
    ),
    (
        "cdt: author line, post tags and feed credits",
        "<div>标题再写一次不同</div><div>作者：张三</div><p>正文。</p>"
        "<p>Post tags: 甲, 乙</p><p>Feed enhanced by Better Feed from Ozh</p>"
        "<p>The post 某标题 appeared first on 中国数字时代.</p>",
        [(P, "标题再写一次不同"), (P, "正文。")],
        [("张三", "作者")],
    ),
    (
        "bitterwinter: wp-caption, 閱讀全文>> link, reporter line",
        "<p>正文一段。</p><figure class='wp-caption'><img src='a.jpg'><figcaption>"
        "教堂被拆除（知情人提供）</figcaption></figure><p>閱讀全文&gt;&gt;另一篇文章</p>"
        "<p>寒冬記者 林小文</p>",
        [(P, "正文一段。"), (C, "教堂被拆除（知情人提供）")],
        [("林小文", "记者")],
    ),
    (
        "zaobao: dfp ad section between paragraphs",
        "<p>第一段。</p><section id='imu'><div id='dfp-ad-imu1-wrapper' "
        "class='dfp-tag-wrapper'><div>广告内容</div></div></section><p>第二段。</p>",
        [(P, "第一段。"), (P, "第二段。")],
        [],
    ),
    (
        "solidot: bare text and inline links",
        "某公司<a href='x'>发布</a>了新版本。<p><img src='a.jpg'/></p>",
        [(P, "某公司发布了新版本。")],
        [],
    ),
]


@pytest.mark.parametrize(("name", "body", "kept", "authors"), CASES, ids=[c[0] for c in CASES])
def test_structure(
    name: str,
    body: str,
    kept: list[tuple[str, str]],
    authors: list[tuple[str, str | None]],
) -> None:
    article = parse_text(
        f"<!--0-->\n[标题重复一次](https://example.com/a)\n------\n\n{body}", id="t"
    )
    lines = article.text.split("\n")
    assert lines[0] == "标题重复一次"
    got = [(b.kind, article.text[b.start : b.end]) for b in article.blocks[1:]]
    assert got == kept
    assert [(a.name, a.role) for a in article.authors] == authors


def test_blocks_cover_every_line() -> None:
    article = parse_text(
        "<!--0-->\n[题](https://example.com/a)\n------\n\n<p>甲</p><figcaption>乙</figcaption>",
        id="t",
    )
    assert [(b.kind, b.start, b.end) for b in article.blocks] == [
        ("title", 0, 1),
        ("paragraph", 2, 3),
        ("caption", 4, 5),
    ]


def test_dropped_kinds_are_named() -> None:
    kinds = {
        b.text: b.kind
        for b in body_blocks(
            "<div><i>张三<br>2020-08-03T05:23:13.968Z</i></div><p>正文。</p><p>© 2020 AFP</p>"
            "<p>审校 李四</p>"
        )
    }
    assert kinds == {
        "张三": "byline",
        "2020-08-03T05:23:13.968Z": "timestamp",
        "正文。": "paragraph",
        "© 2020 AFP": "chrome",
        "审校 李四": "byline",
    }


@pytest.mark.parametrize(
    "text",
    [
        "记者也曾于25日多次拨打他的电话。",  # a sentence that starts with a role word
        "翻译成今天的语言即：人民很辛苦",
        "作者认为，这一政策不会改变。",
        "by the way",
        "网友爆料信息显示，该官员已被带走。",  # words of chrome patterns inside prose
        "他说路透的信任原则很重要。",
        "这位博主订阅了该频道。",
        "2019年的数据显示。",
    ],
)
def test_sentences_are_not_bylines_or_chrome(text: str) -> None:
    assert html_to_paragraphs(f"<p>{text}</p>") == [text]


@pytest.mark.parametrize(
    ("text", "authors"),
    [
        ("发稿 沈一;审校 吴二", [Author(name="沈一", role="发稿"), Author(name="吴二", role="审校")]),
        ("文字整理：叶一，责任编辑：高二", [Author(name="叶一", role="编辑"), Author(name="高二", role="编辑")]),
        ("（记者：韩一 责编：申二）", [Author(name="韩一", role="记者"), Author(name="申二", role="编辑")]),
        ("自由亚洲电台记者黄一 台北报道 责编：许二", [Author(name="黄一", role="记者"), Author(name="许二", role="编辑")]),
        ("AMY ROE", [Author(name="Amy Roe", role=None)]),
        ("©Getty Images", []),
    ],
)  # fmt: skip
def test_parse_authors(text: str, authors: list[Author]) -> None:
    got = [Author(name=a.name, role=a.role) for a in parse_authors(text)]
    assert got == authors


def test_byline_parts_rejects_long_or_sentence_lines() -> None:
    assert byline_parts("作者 张三") == [("作者", "张三")]
    assert byline_parts("作者 " + "很长" * 30) is None
    assert byline_parts("审校 王五。他说") is None


def test_paragraph_text_never_cut_inside() -> None:
    # datelines and end stamps stay inside their paragraph
    body = "<p>路透北京12月17日 - 某事发生。</p><p>（中央社記者某某台北17日電）某事。1091217</p>"
    assert html_to_paragraphs(body) == [
        "路透北京12月17日 - 某事发生。",
        "（中央社記者某某台北17日電）某事。1091217",
    ]


def test_nav_is_chrome() -> None:
    body = "<nav><a href='/'>首页</a> <a href='/world'>国际新闻频道</a></nav><p>正文。</p>"
    assert html_to_paragraphs(body) == ["正文。"]
