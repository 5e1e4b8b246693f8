"""The weekday corpus check of `make eval`: names must stop where a weekday begins.

Overseas outlets open report sentences with subject + weekday + bracketed date + verb
(…星期四（4月13日）说). A fixed sample of such sentences of
../shared/corpora/news_unlabeled is kept in the project as article ids and
character offsets only (``data/eval/news_weekday_sample.tsv``, built by
``scripts/build_weekday_sample.py``); the text is read from ../shared when the check
runs. Each sentence goes through the pipeline with its article's publication time.

Figures: the weekdays right before a bracketed date (星期X, 礼拜X, 週X, 周X), how many
non-DATE mentions overlap one of them (target 0), and the share of them found as a
DATE that covers them (the weekday itself, or 上周三 around 周三; target at least
0.99).
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipeline.runner import Extractor

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "eval" / "news_weekday_sample.tsv"
#: A weekday right before a bracketed month-day date; group 1 is the weekday.
PATTERN = re.compile(
    r"((?:星期|礼拜|禮拜)[一二三四五六日天]|[周週][一二三四五六日])"
    r"[（(][0-9０-９一二三四五六七八九十]{1,2}月[0-9０-９一二三四五六七八九十]{1,3}日[）)]"
)
TARGET_OVERLAPS = 0
TARGET_SHARE = 0.99


@dataclass(frozen=True, slots=True)
class SentenceRef:
    """One sampled sentence: the news_unlabeled article id and character offsets."""

    id: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class WeekdayFigures:
    """What the check measured."""

    articles: int
    sentences: int
    chars: int
    weekdays: int
    found: int
    overlaps: int

    @property
    def share(self) -> float:
        return self.found / self.weekdays if self.weekdays else 1.0

    @property
    def passed(self) -> bool:
        return self.overlaps <= TARGET_OVERLAPS and self.share >= TARGET_SHARE

    def table(self) -> str:
        """Markdown table of the figures and their targets."""
        return "\n".join(
            [
                "| weekday check (news_unlabeled sample) | value | target |",
                "| --- | ---: | ---: |",
                f"| articles / sentences / chars | {self.articles} / {self.sentences} "
                f"/ {self.chars:,} | |",
                f"| weekdays before a bracketed date | {self.weekdays} | |",
                f"| non-DATE mentions overlapping one | {self.overlaps} | {TARGET_OVERLAPS} |",
                f"| share found as DATE | {self.share:.3f} | ≥ {TARGET_SHARE} |",
            ]
        )


def read_sample(path: Path = SAMPLE) -> list[SentenceRef]:
    """The sample's references (``id<TAB>start<TAB>end`` lines, ``#`` comments)."""
    refs: list[SentenceRef] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            i, s, e = line.split("\t")
            refs.append(SentenceRef(i, int(s), int(e)))
    return refs


def iter_articles(shared: Path, ids: set[str] | None = None) -> Iterable[dict[str, str]]:
    """news_unlabeled articles (all, or those with the given ids), in file order."""
    for path in sorted((shared / "corpora" / "news_unlabeled").glob("news-*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for line in f:
                obj: dict[str, str] = json.loads(line)
                if ids is None or obj["id"] in ids:
                    yield obj


def run_check(extractor: Extractor, shared: Path, refs: list[SentenceRef]) -> WeekdayFigures:
    """Run the pipeline on the sampled sentences and count weekdays, hits and overlaps."""
    from pipeline.schema import Article

    wanted = {r.id for r in refs}
    articles = {a["id"]: a for a in iter_articles(shared, wanted)}
    missing = wanted - set(articles)
    if missing:
        raise ValueError(
            f"{len(missing)} sampled articles are not in {shared}: {sorted(missing)[:3]}"
        )
    items = []
    for n, r in enumerate(refs):
        a = articles[r.id]
        published = a.get("published")
        when = dt.datetime.fromisoformat(published.replace("Z", "+00:00")) if published else None
        items.append(Article(id=str(n), text=a["text"][r.start : r.end], published=when))
    weekdays = found = overlaps = 0
    for record in extractor.pipe(items):
        days = [m.span(1) for m in PATTERN.finditer(record.text)]
        weekdays += len(days)
        dates = [(m.start, m.end) for m in record.mentions if m.label == "DATE"]
        # found: a DATE covers the weekday (上周三 holds 周三 and is the right mention)
        found += sum(1 for s, e in days if any(a <= s and e <= b for a, b in dates))
        overlaps += sum(
            1
            for m in record.mentions
            if m.label != "DATE" and any(m.start < e and s < m.end for s, e in days)
        )
    return WeekdayFigures(
        articles=len(wanted),
        sentences=len(refs),
        chars=sum(len(i.text) for i in items),
        weekdays=weekdays,
        found=found,
        overlaps=overlaps,
    )
