"""Date claims: dates the grammar is sure of, fixed on the Doc before any NER model runs.

Overseas outlets open report sentences with subject + weekday + bracketed date + verb
(美国国务卿布林肯星期四（4月13日）说). A tagger alone fuses the weekday into the name
before it (布林肯星期四 as ORG); settling the conflict afterwards can only pick one of
the two. So ``zh_news_date_claims`` runs right after the tokenizer: every date of
:func:`~pipeline.stages.dates.find_dates` whose text holds a sure form (a weekday
星期X, 礼拜X, 週X, 周X; a month and day M月D日; 今天, 昨天 and the other day words) and
that starts and ends on token boundaries is set as a DATE entity of the Doc. NER
components then decode around it, the way spaCy's ``ner`` honours entities already
set on a Doc: no name may cover or cross a claimed date.

周X is also a surname and a given name (周一 the weekday, 周一 a reporter). It is not
claimed, and not a DATE at all, where it reads as a name:

- right after a byline title (记者, 通讯员, 编辑, 实习生, 摄影, 撰稿) and before the end of
  the byline (punctuation, a space, a line end, 摄, 报道);
- in a list of names: next to 、 whose neighbouring item is not itself a date;
- where the gazetteer lists a PERSON that starts with it (周一围).

Everything else 周X is a weekday; docs/dates.md describes the rule.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left
from collections.abc import Callable, Sequence
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.defaults import DEFAULT_ZONE
from pipeline.stages.date_errors import rules_failed
from pipeline.stages.dates import DateMention, find_dates
from pipeline.stages.docs import doc_text, shadow_text, token_spans
from pipeline.stages.names import CLAIMS
from pipeline.stages.rules import load_gazetteer
from pipeline.stages.zones import local_date

COMPONENT = CLAIMS
#: user_data key of the dates found for the claims, reused by the DATE component.
FOUND_KEY = "zh_news_dates_found"

#: Forms the grammar is sure of (on the text with 週 → 周, 禮 → 礼, 號 → 号).
_SURE = re.compile(
    r"(?:星期|礼拜)[一二三四五六日天]|周[一二三四五六日]"
    r"|[0-9〇零一二三四五六七八九十]{1,2}[ ]?月[ ]?[0-9〇零一二三四五六七八九十廿]{1,3}[ ]?[日号]"
    r"|今天|昨天|明天|前天|今日|昨日|明日|今晨|昨晚|今晚|昨夜|今早"
)
_TRAD = str.maketrans("週禮號", "周礼号")
_WEEKDAY_ZHOU = re.compile(r"周[一二三四五六日]")
#: Titles of a byline, right before a reporter's name (记者周一 is a person).
_BYLINE_TITLES = ("记者", "通讯员", "编辑", "实习生", "摄影", "撰稿", "撰文", "主编")
_BYLINE_END = re.compile(r"$|[\s，。、；：:,;）)】」』/|]|摄|报道")
#: What may follow 、 or precede it in a list of dates rather than names.
_DATE_ITEM = re.compile(r"(?:周|星期|礼拜)[一二三四五六日天]|[0-9〇零一二三四五六七八九十]+[日号]")


#: A token that is a weekday and nothing else.
_WEEKDAY_TOKEN = re.compile(r"(?:星期|礼拜)[一二三四五六日天]|周[一二三四五六日]")
#: Tokens before a weekday that make it something else: numerals (三星期 = three
#: weeks), week prefixes (上周四, 每周五, 本礼拜), counters.
_WEEK_PREFIX = re.compile(
    r"[〇零一二三四五六七八九十两百千万几数多]+|[每逢隔上下本这今个]|上上|下下|上个|下个|这个|本个"
)


def _norm(text: str) -> str:
    return text.translate(_TRAD)


def is_sure(mention: DateMention) -> bool:
    """True when a date's text holds a form the grammar is sure of (weekday, M月D日, 今天)."""
    return _SURE.search(_norm(mention.text)) is not None


def zhou_is_name(text: str, start: int, end: int, persons: frozenset[str] = frozenset()) -> bool:
    """True when 周X at ``text[start:end]`` reads as a person's name, not a weekday.

    ``text`` is the Simplified shadow; ``persons`` are listed PERSON names (gazetteer).
    Only the two-character form 周X is ever a name (星期X, 礼拜X, 上周四 never are).
    """
    span = _norm(text[start:end])
    if end - start != 2 or not _WEEKDAY_ZHOU.fullmatch(span):
        return False
    before = text[max(0, start - 4) : start]
    after = text[end : end + 2]
    if any(before.endswith(t) for t in _BYLINE_TITLES) and _BYLINE_END.match(after):
        return True
    if start > 0 and text[start - 1] == "、":
        prev = _norm(text[max(0, start - 4) : start - 1])
        if not _DATE_ITEM.search(prev[-3:]):
            return True
    if end < len(text) and text[end] == "、":
        nxt = _norm(text[end + 1 : end + 4])
        if not _DATE_ITEM.match(nxt):
            return True
    return any(text.startswith(p, start) for p in persons if p.startswith(span) and len(p) > 2)


@lru_cache(maxsize=1)
def listed_persons() -> frozenset[str]:
    """Gazetteer PERSON names that begin with 周X (周一围): these are never weekdays."""
    return frozenset(
        n
        for n, lab in load_gazetteer().items()
        if lab == "PERSON" and _WEEKDAY_ZHOU.match(_norm(n))
    )


def found_dates(doc: Doc) -> list[DateMention]:
    """The dates of a Doc's text against its publication date, computed once per Doc."""
    ref = reference_date(doc._.published, doc._.timezone)
    cached = doc.user_data.get(FOUND_KEY)
    if isinstance(cached, tuple) and cached[0] == ref:
        return list(cached[1])
    dates = find_dates(doc_text(doc), published=ref)
    doc.user_data[FOUND_KEY] = (ref, tuple(dates))
    return dates


def not_names(text: str, dates: Sequence[DateMention]) -> list[DateMention]:
    """The dates without those 周X that read as a person's name."""
    persons = listed_persons()
    return [m for m in dates if not zhou_is_name(text, m.start, m.end, persons)]


def claims(
    text: str,
    dates: Sequence[DateMention],
    spans: Sequence[tuple[int, int]],
    published: dt.date | None = None,
    known: Callable[[str], bool] | None = None,
) -> list[DateMention]:
    """The sure dates that start and end on token boundaries, sorted.

    ``text`` is the Simplified shadow, ``dates`` come from find_dates, ``spans`` are
    the tokens. A date whose edge falls inside a token (周一鸣 segmented as one word)
    is left to the model and the DATE component's overlap rule.

    The grammar does not read 星期五 after 三 or 礼拜二 after 本 (三星期 is three weeks,
    本礼拜 this week), so 安倍晋三星期五 and 墨尔本礼拜二 hold no date for it. Where the
    tokenizer makes the weekday a word of its own after a word that is no numeral
    and no week prefix (安倍晋三 | 星期五), the weekday is claimed too, with the value
    the grammar gives it alone. Where the grammar read a longer date across that
    word's last character (本礼拜日 in 墨尔本 | 礼拜日, 上周三 in 黄循 | 财上 | 周三), the
    weekday is claimed only if the word is ``known`` (a dictionary word or a listed
    name, whose last character belongs to it); an unknown word glued by jieba's HMM
    (财上) leaves the grammar's date. Without ``known``, listed names count.
    """
    if known is None:
        listed = load_listed()
        known = listed.__contains__
    starts = {a for a, _ in spans}
    ends = {b for _, b in spans}
    kept = not_names(text, dates)
    out = [m for m in kept if is_sure(m) and m.start in starts and m.end in ends]
    found = {(m.start, m.end) for m in kept}
    # Dates that cross a token boundary (本礼拜日 in 墨尔本 | 礼拜日) give way to the weekday.
    aligned = [m.start in starts and m.end in ends for m in dates]
    covered = sorted((m.start, m.end) for m, ok in zip(dates, aligned, strict=True) if ok)
    crossing = sorted((m.start, m.end) for m, ok in zip(dates, aligned, strict=True) if not ok)
    persons = listed_persons()
    index = {a: i for i, (a, _) in enumerate(spans)}
    for w in _WEEKDAY_TOKEN.finditer(_norm(text)):
        a, b = w.span()
        i = index.get(a)
        if i is None or i == 0 or spans[i][1] != b or (a, b) in found:
            continue  # not a token of its own, or the grammar has it already
        p0, p1 = spans[i - 1]
        if (
            not _WEEK_PREFIX.fullmatch(_norm(text[p0:p1]))
            and not _overlaps(covered, a, b)
            and (not _overlaps(crossing, a, b) or known(text[p0:p1]))
            and not zhou_is_name(text, a, b, persons)
        ):
            alone = find_dates(text[a:b], published=published)
            if len(alone) == 1 and (alone[0].start, alone[0].end) == (0, b - a):
                out.append(DateMention(a, b, alone[0].text, alone[0].value))
    return sorted(out, key=lambda m: m.start)


def _overlaps(ordered: list[tuple[int, int]], s: int, e: int) -> bool:
    """Does [s, e) overlap one of the sorted, disjoint ``ordered`` spans?"""
    i = bisect_left(ordered, (e,))
    return i > 0 and ordered[i - 1][1] > s


@lru_cache(maxsize=1)
def load_listed() -> frozenset[str]:
    """Every name of the package's lists (Simplified), whatever its label."""
    return frozenset(load_gazetteer())


class DateClaimsComponent:
    """spaCy component: sure, token-aligned dates become DATE entities before NER."""

    def __init__(self, name: str = COMPONENT, tokenizer: object | None = None) -> None:
        self.name = name
        self.tokenizer = tokenizer  # the pipeline's: its dictionary says what is a word

    def known(self) -> Callable[[str], bool]:
        """A test "is this a word of the tokenizer's dictionary or a listed name?"."""
        listed = load_listed()
        segmenter = getattr(self.tokenizer, "segmenter", None)
        freq = getattr(getattr(segmenter, "tokenizer", None), "FREQ", None)
        if not isinstance(freq, dict):
            return listed.__contains__
        return lambda w: bool(freq.get(w)) or w in listed

    def __call__(self, doc: Doc) -> Doc:
        try:
            ref = reference_date(doc._.published, doc._.timezone)
            fixed = claims(shadow_text(doc), found_dates(doc), token_spans(doc), ref, self.known())
        except Exception as e:  # a bug in the rules: the DATE component drops the dates
            rules_failed(doc, e)
            fixed = []
        doc._.date_claims = fixed
        if fixed:
            spans = [doc.char_span(m.start, m.end, label="DATE") for m in fixed]
            # Claims are token-aligned, so every char_span exists.
            doc.ents = [s for s in spans if s is not None]
        return doc


@Language.factory(
    COMPONENT,
    assigns=["doc.ents", "doc._.date_claims", "doc._.date_error"],
    requires=["token.text", "doc._.zhs", "doc._.published", "doc._.timezone"],
)
def make_date_claims(nlp: Language, name: str) -> DateClaimsComponent:
    """Factory of the date-claims component (rules only, runs before NER)."""
    return DateClaimsComponent(name, nlp.tokenizer)


def reference_date(published: dt.datetime | None, timezone: str | None) -> dt.date | None:
    """The local calendar date relative dates resolve against (None without a date)."""
    return local_date(published, timezone or DEFAULT_ZONE) if published is not None else None
