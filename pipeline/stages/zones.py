"""Outlet time zones: the newsroom zone of a URL and the local calendar date of an instant.

The article parser uses these to date an article; the date rules resolve relative
expressions (今天, 周四) against that local date.
"""

from __future__ import annotations

import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pipeline.defaults import DEFAULT_ZONE

# Outlet host (a suffix of the URL's host) -> IANA zone of the newsroom whose
# local calendar the relative expressions (今天, 周四) refer to. Longest suffix wins.
OUTLET_ZONES: dict[str, str] = {
    # Taiwan
    "cna.com.tw": "Asia/Taipei",
    "rti.org.tw": "Asia/Taipei",
    "epochtimes.com.tw": "Asia/Taipei",
    "udn.com": "Asia/Taipei",
    "ltn.com.tw": "Asia/Taipei",
    "storm.mg": "Asia/Taipei",
    "setn.com": "Asia/Taipei",
    "ettoday.net": "Asia/Taipei",
    "chinatimes.com": "Asia/Taipei",
    "twreporter.org": "Asia/Taipei",
    "pts.org.tw": "Asia/Taipei",
    "cw.com.tw": "Asia/Taipei",
    # Hong Kong, Singapore
    "rthk.hk": "Asia/Hong_Kong",
    "hk01.com": "Asia/Hong_Kong",
    "scmp.com": "Asia/Hong_Kong",
    "mingpao.com": "Asia/Hong_Kong",
    "thestandnews.com": "Asia/Hong_Kong",
    "zaobao.com": "Asia/Singapore",
    "zaobao.com.sg": "Asia/Singapore",
    # United States (Chinese services written in Washington / New York / Berkeley)
    "voachinese.com": "America/New_York",
    "voacantonese.com": "America/New_York",
    "rfa.org": "America/New_York",
    "epochtimes.com": "America/New_York",
    "ntdtv.com": "America/New_York",
    "nytimes.com": "America/New_York",
    "wsj.com": "America/New_York",
    "chinadigitaltimes.net": "America/Los_Angeles",
    # Europe
    "rfi.fr": "Europe/Paris",
    "bbc.com": "Europe/London",
    "bbc.co.uk": "Europe/London",
    "economist.com": "Europe/London",
    "dw.com": "Europe/Berlin",
    "bitterwinter.org": "Europe/Rome",
    "sputniknews.cn": "Europe/Moscow",
    # Asia-Pacific
    "nhk.or.jp": "Asia/Tokyo",
    "nikkei.com": "Asia/Tokyo",
    "kyodonews.net": "Asia/Tokyo",
    "yna.co.kr": "Asia/Seoul",
    "chosun.com": "Asia/Seoul",
    "abc.net.au": "Australia/Sydney",
    "sbs.com.au": "Australia/Sydney",
}

# Same-length character map: full-width forms and the Traditional characters


def local_date(published: datetime.datetime, tz: str) -> datetime.date:
    """Convert an instant to the calendar date in IANA zone ``tz``.

    Args:
        published: An aware datetime; a naive one is taken as UTC.
        tz: IANA zone name such as "Asia/Shanghai".

    Returns:
        The local date.

    Raises:
        ValueError: If ``tz`` is not a known zone.
    """
    try:
        zone = ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as e:
        raise ValueError(f"unknown time zone {tz!r}") from e
    if published.tzinfo is None:
        published = published.replace(tzinfo=datetime.UTC)
    return published.astimezone(zone).date()


def zone_for_url(url: str | None) -> str:
    """Publication zone of an outlet, by the URL's host (see ``OUTLET_ZONES``).

    Args:
        url: Article URL, or None.

    Returns:
        An IANA zone name; ``DEFAULT_ZONE`` for unknown or missing hosts.
    """
    if not url:
        return DEFAULT_ZONE
    try:
        host = (urlsplit(url.strip()).hostname or "").lower().rstrip(".")
    except ValueError:
        return DEFAULT_ZONE
    best = ""
    for suffix in OUTLET_ZONES:
        if (host == suffix or host.endswith("." + suffix)) and len(suffix) > len(best):
            best = suffix
    return OUTLET_ZONES[best] if best else DEFAULT_ZONE
