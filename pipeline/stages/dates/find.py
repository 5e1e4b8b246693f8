"""Finding: text -> DATE mentions (recognize, parse, resolve, join ranges and weekdays)."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from pipeline.stages.dates.parse import Spec, cn_int, parse_nrange, parse_single
from pipeline.stages.dates.patterns import (
    MASTER,
    NEVER_RANGE,
    RANGE_DAY_END,
    RANGE_FAMILY,
    RANGE_SEP,
)
from pipeline.stages.dates.resolve import resolve, resolve_pair
from pipeline.stages.dates.tables import NORM
from pipeline.stages.dates.values import parse_period


@dataclass(frozen=True, slots=True)
class DateMention:
    """One DATE mention: character offsets, surface text and normalized value."""

    start: int
    end: int
    text: str
    value: str | None


def find_dates(text: str, *, published: datetime.date | None) -> list[DateMention]:
    """Find every DATE mention in ``text`` and normalize it.

    Args:
        text: Article text (title and body).
        published: Publication date in the article's local zone, or None.

    Returns:
        Sorted, non-overlapping mentions; ``value`` is None when unresolvable.

    A bug in the rules raises: the DATE component decides what an article gets then
    (a ``date_rules_failed`` warning, or the exception under ``--debug``).
    """
    return _find_dates(text, published)


def _find_dates(text: str, pub: datetime.date | None) -> list[DateMention]:
    if not text:
        return []
    norm = text.translate(NORM)
    found: list[tuple[int, int, str]] = [
        (m.start(), m.end(), m.lastgroup or "") for m in MASTER.finditer(norm)
    ]
    out: list[DateMention] = []
    i = 0
    while i < len(found):
        start, end, kind = found[i]
        s, raw = norm[start:end], text[start:end]
        trad = "國" in raw
        value: str | None = None
        if kind == "nrange":
            pair = parse_nrange(s)
            if pair is not None:
                value = resolve_pair(*pair, pub, traditional=trad)
        else:
            spec = parse_single(kind, s)
            nxt = found[i + 1] if i + 1 < len(found) else None
            if (
                spec is not None
                and nxt is not None
                and RANGE_FAMILY.get(kind, kind) == RANGE_FAMILY.get(nxt[2], nxt[2])
                and kind not in NEVER_RANGE
                and RANGE_SEP.fullmatch(norm, end, nxt[0])
            ):
                second = parse_single(nxt[2], norm[nxt[0] : nxt[1]])
                if second is not None:  # a range written as one expression: A 至 B
                    end = nxt[1]
                    i += 1
                    value = resolve_pair(
                        spec, second, pub, traditional=trad or "國" in text[nxt[0] : end]
                    )
                    out.append(DateMention(start, end, text[start:end], value))
                    i += 1
                    continue
            tail = RANGE_DAY_END.match(norm, end) if spec is not None else None
            if (
                spec is not None
                and spec.grain == "day"
                and tail is not None
                and (nxt is None or nxt[0] >= tail.end())
            ):
                end = tail.end()
                value = resolve_pair(
                    spec, Spec("dayonly", day=cn_int(tail.group("d"))), pub, traditional=trad
                )
            elif spec is not None:
                r = resolve(spec, pub, traditional=trad)
                value = None if r is None else r.value
        out.append(DateMention(start, end, text[start:end], value))
        i += 1
    return _attach_weekdays(norm, text, out)


_BARE_WEEKDAY = re.compile(r"(?:周|星期|礼拜)([一二三四五六日天])")
_WEEKDAY_INDEX = {c: i for i, c in enumerate("一二三四五六日")} | {"天": 6}


def _weekday_of(value: str | None) -> int | None:
    """Weekday of a value naming one day, else None."""
    if not value:
        return None
    try:
        period = parse_period(value)
    except ValueError:
        return None
    return period.first.weekday() if period.kind == "day" else None


def _attach_weekdays(norm: str, text: str, found: list[DateMention]) -> list[DateMention]:
    """A weekday written with a full date names that date.

    ``8月7日周五`` is one expression (one mention, the date's value); in
    ``周四（2022年1月6日）`` or ``8月4日（周二）`` both stay mentions and the weekday takes
    the date's value when the two agree.
    """
    out: list[DateMention] = []
    for m in found:
        prev = out[-1] if out else None
        wd = _BARE_WEEKDAY.fullmatch(norm, m.start, m.end)
        if prev is not None and wd is not None:
            day = _weekday_of(prev.value)
            gap = norm[prev.end : m.start]
            if day == _WEEKDAY_INDEX[wd.group(1)]:
                if gap == "":
                    out[-1] = DateMention(prev.start, m.end, text[prev.start : m.end], prev.value)
                    continue
                if gap in ("(", "（") and norm[m.end : m.end + 1] in (")", "）"):
                    m = DateMention(m.start, m.end, m.text, prev.value)
        elif prev is not None and _BARE_WEEKDAY.fullmatch(norm, prev.start, prev.end):
            day = _weekday_of(m.value)
            if (
                day == _WEEKDAY_INDEX[norm[prev.end - 1]]
                and norm[prev.end : m.start] in ("(", "（")
                and norm[m.end : m.end + 1] in (")", "）")
            ):
                out[-1] = DateMention(prev.start, prev.end, prev.text, m.value)
        out.append(m)
    return out


def normalize_date(expression: str, *, published: datetime.date | None) -> str | None:
    """Normalize one DATE expression (e.g. a span proposed by the NER model).

    Args:
        expression: The expression; surrounding suffixes such as 前 are tolerated.
        published: Publication date in the article's local zone, or None.

    Returns:
        The value, or None when the text holds no single resolvable date.
    """
    mentions = find_dates(expression.strip(), published=published)
    return mentions[0].value if len(mentions) == 1 else None
