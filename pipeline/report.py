"""A one-file HTML report of a batch of records, for people who read rather than code.

The report answers the first questions an editor asks of a folder of articles:
how much of each kind of entity there is, who and what appears most (with the other
names they go by), which people and organizations appear together, when the dated
events happened, and what the extraction looks like on real articles.

It is one self-contained HTML file: inline CSS, inline SVG charts drawn here, no
JavaScript, fonts or images from anywhere, so it opens offline and can be mailed.
Article data reaches the markup only through :mod:`pipeline.markup` (escaping, http(s)
links only), and the page's Content-Security-Policy forbids scripts and requests, so a
hostile article can neither run code in the reader's browser nor call home.

Statistics are gathered in one streaming pass (:class:`BatchStats`); only the
per-article sets of people and organizations and the few sample articles are kept.
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from pipeline.entities import EntityTable, record_keys
from pipeline.markup import HEAD_META, esc
from pipeline.render import COLORS, FONT_STACK, LABEL_NAMES, RECORD_CSS, record_fragment
from pipeline.schema import LABELS, Record
from pipeline.stages.dates.values import value_month
from pipeline.urls import safe_url

#: Labels whose entities go into the co-occurrence table.
COOC_LABELS: tuple[str, ...] = ("PERSON", "ORG")
#: Widest span of the monthly timeline; dates outside it are counted, not drawn.
TIMELINE_MONTHS = 48
#: Headline of a report unless the caller gives one.
DEFAULT_TITLE = "Entities in the news"

_MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

EntityKey = tuple[str, str]  # (label, key): Entity.key, merged across the batch


@dataclass
class EntityStat:
    """One entity across the batch: the articles and mentions that name it."""

    label: str
    name: str
    articles: int = 0
    mentions: int = 0
    forms: Counter[str] = field(default_factory=Counter)
    key: str = ""

    def aliases(self, limit: int = 4) -> list[str]:
        """The most frequent other surface forms."""
        return [f for f, _ in self.forms.most_common() if f != self.name][:limit]


@dataclass
class BatchStats:
    """Counts over a batch of records, gathered in one pass with :meth:`add`."""

    sample_size: int = 5
    articles: int = 0
    chars: int = 0
    mentions: Counter[str] = field(default_factory=Counter)
    articles_with: Counter[str] = field(default_factory=Counter)
    entities: dict[EntityKey, EntityStat] = field(default_factory=dict)
    cooc_sets: list[frozenset[EntityKey]] = field(default_factory=list)
    date_months: Counter[str] = field(default_factory=Counter)
    date_coarse: int = 0
    date_unresolved: int = 0
    published_months: Counter[str] = field(default_factory=Counter)
    first_published: dt.datetime | None = None
    last_published: dt.datetime | None = None
    outlets: Counter[str] = field(default_factory=Counter)
    models: Counter[str] = field(default_factory=Counter)
    table: EntityTable = field(default_factory=EntityTable)
    _sample: list[tuple[int, int, Record]] = field(default_factory=list)
    _merged_at: int = -1

    def add(self, record: Record) -> None:
        """Count one record."""
        self.articles += 1
        self.chars += len(record.text)
        self.outlets[outlet(record)] += 1
        self.models[f"{record.pipeline.model} {record.pipeline.model_version}"] += 1
        if record.published is not None:
            published = record.published.astimezone(dt.UTC)
            self.published_months[f"{published:%Y-%m}"] += 1
            if self.first_published is None or published < self.first_published:
                self.first_published = published
            if self.last_published is None or published > self.last_published:
                self.last_published = published

        self.mentions.update(m.label for m in record.mentions)
        self.articles_with.update({m.label for m in record.mentions})
        self.table.add(record)
        keys = record_keys(record)
        forms: dict[EntityKey, Counter[str]] = defaultdict(Counter)
        for m in record.mentions:
            forms[(m.label, keys[m.entity])][m.text] += 1
            if m.label == "DATE":
                month = value_month(m.value)
                if m.value is None:
                    self.date_unresolved += 1
                elif month is None:
                    self.date_coarse += 1
                else:
                    self.date_months[month] += 1
        for key, counter in forms.items():
            stat = self.entities.get(key)
            if stat is None:
                stat = self.entities[key] = EntityStat(label=key[0], name=key[1], key=key[1])
            stat.articles += 1
            stat.mentions += sum(counter.values())
            stat.forms.update(counter)
        people_orgs = frozenset(k for k in forms if k[0] in COOC_LABELS)
        if len(people_orgs) > 1:
            self.cooc_sets.append(people_orgs)

        # Keep the articles with the most distinct entities as the sample.
        item = (len(record.entities), -self.articles, record)
        if len(self._sample) < self.sample_size:
            heapq.heappush(self._sample, item)
        elif self.sample_size and item[:2] > self._sample[0][:2]:
            heapq.heapreplace(self._sample, item)

    @property
    def sample(self) -> list[Record]:
        """The sample articles, oldest first."""
        records = [r for _, _, r in self._sample]
        far = dt.datetime.max.replace(tzinfo=dt.UTC)
        return sorted(records, key=lambda r: (r.published or far, r.id))

    def merge_keys(self) -> None:
        """Apply the batch's key merges (:mod:`pipeline.entities`) to the counts.

        Called by every query; runs again only after more records were added.
        """
        if self._merged_at == self.articles:
            return
        self._merged_at = self.articles
        rows = self.table.rows()
        resolved: dict[EntityKey, EntityKey] = {
            (row.label, k): (row.label, row.key) for row in rows for k in row.keys
        }
        self.entities = {}
        for row in rows:
            forms = Counter({a.form: a.count for a in row.aliases})
            name = row.name
            if row.label == "DATE":  # shown by value; the words used are the aliases
                forms[row.name] += row.mentions - sum(forms.values())
                name = row.key.split(":", 1)[1]
            self.entities[(row.label, row.key)] = EntityStat(
                label=row.label,
                name=name,
                articles=row.articles,
                mentions=row.mentions,
                forms=forms,
                key=row.key,
            )
        self.cooc_sets = [frozenset(resolved.get(k, k) for k in found) for found in self.cooc_sets]

    def distinct(self, label: str) -> int:
        """Number of distinct entities of a label across the batch."""
        self.merge_keys()
        return sum(1 for k in self.entities if k[0] == label)

    def top(self, label: str, n: int) -> list[EntityStat]:
        """The ``n`` entities of a label found in the most articles, then by mentions."""
        self.merge_keys()
        stats = [s for k, s in self.entities.items() if k[0] == label]
        stats.sort(key=lambda s: (-s.articles, -s.mentions, s.name))
        return stats[:n]

    def cooccurrence(self, keys: Sequence[EntityKey]) -> dict[tuple[EntityKey, EntityKey], int]:
        """Articles in which each pair of ``keys`` appears together."""
        self.merge_keys()
        wanted = set(keys)
        counts: Counter[tuple[EntityKey, EntityKey]] = Counter()
        for found in self.cooc_sets:
            present = sorted(found & wanted)
            for a, b in itertools.combinations(present, 2):
                counts[(a, b)] += 1
                counts[(b, a)] += 1
        return dict(counts)

    def top_pairs(self, n: int, *, min_articles: int = 2) -> list[tuple[EntityKey, EntityKey, int]]:
        """Pairs of people/organizations that share the most articles."""
        self.merge_keys()
        counts: Counter[tuple[EntityKey, EntityKey]] = Counter()
        for found in self.cooc_sets:
            for a, b in itertools.combinations(sorted(found), 2):
                counts[(a, b)] += 1
        pairs = [(a, b, c) for (a, b), c in counts.items() if c >= min_articles]
        pairs.sort(key=lambda p: (-p[2], self.name(p[0]), self.name(p[1])))
        return pairs[:n]

    def name(self, key: EntityKey) -> str:
        """The display name of an entity key."""
        stat = self.entities.get(key)
        return stat.name if stat is not None else key[1]


def outlet(record: Record) -> str:
    """The outlet of a record: the http(s) URL's host without ``www.``, or ``unknown``."""
    url = safe_url(record.url)
    if url:
        host = urlsplit(url).netloc.lower()
        if host.startswith("www."):
            host = host[4:]
        if host:
            return host
    return "unknown"


def collect(records: Iterable[Record], *, sample: int = 5) -> BatchStats:
    """Gather :class:`BatchStats` over records in one pass."""
    stats = BatchStats(sample_size=sample)
    for record in records:
        stats.add(record)
    return stats


# -- HTML pieces ---------------------------------------------------------------

_CSS = f"""
* {{ box-sizing: border-box; }}
body {{ margin: 0; background: #f4f2ee; color: #1d1d1f; font-family: {FONT_STACK};
  font-size: 15px; line-height: 1.5; }}
.page {{ max-width: 1120px; margin: 0 auto; padding: 2rem 1.5rem 3rem; }}
header.top {{ border-bottom: 3px solid #1d1d1f; padding-bottom: 1rem; margin-bottom: 1.2rem; }}
header.top .kicker {{ text-transform: uppercase; letter-spacing: 0.12em; font-size: 0.75rem;
  color: #8a1c1c; font-weight: 700; }}
header.top h1 {{ font-family: Georgia, "Noto Serif CJK SC", "Songti SC", serif; font-size: 2.1rem;
  margin: 0.2rem 0 0.4rem; line-height: 1.2; }}
header.top .dek {{ color: #444; font-size: 1.02rem; }}
nav.toc {{ display: flex; flex-wrap: wrap; gap: 0.3rem 1.2rem; font-size: 0.85rem;
  margin-bottom: 1.5rem; }}
nav.toc a {{ color: #1a5fb4; text-decoration: none; }}
section {{ background: #fff; border-radius: 10px; padding: 1.2rem 1.4rem 1.4rem;
  margin-bottom: 1.4rem; box-shadow: 0 1px 2px rgba(0,0,0,0.06); }}
section h2 {{ font-size: 1.2rem; margin: 0 0 0.2rem; }}
section .note {{ color: #5f6368; font-size: 0.85rem; margin: 0 0 1rem; }}
.cards {{ display: grid; grid-template-columns: repeat(4, 1fr); gap: 0.8rem; }}
.card {{ border-radius: 8px; padding: 0.8rem 1rem; border-top: 6px solid; background: #fafafa; }}
.card .label {{ font-weight: 700; font-size: 0.8rem; letter-spacing: 0.05em; }}
.card .big {{ font-size: 2rem; font-weight: 700; line-height: 1.1; margin: 0.2rem 0; }}
.card .small {{ font-size: 0.8rem; color: #5f6368; }}
.share {{ display: flex; height: 14px; border-radius: 7px; overflow: hidden; margin-top: 1rem; }}
.grid2 {{ display: grid; grid-template-columns: 1fr 1fr; gap: 1rem 1.6rem; }}
table {{ border-collapse: collapse; width: 100%; font-size: 0.88rem; }}
th {{ text-align: left; font-size: 0.72rem; text-transform: uppercase; letter-spacing: 0.05em;
  color: #5f6368; font-weight: 600; border-bottom: 1px solid #ddd; padding: 0.3rem 0.4rem; }}
td {{ border-bottom: 1px solid #eee; padding: 0.3rem 0.4rem; vertical-align: top; }}
td.num, th.num {{ text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }}
td.rank {{ color: #9aa0a6; width: 1.6rem; }}
.name {{ font-weight: 600; }}
.aka {{ color: #5f6368; font-size: 0.8rem; }}
.bar {{ display: inline-block; height: 0.6rem; border-radius: 3px; vertical-align: middle;
  margin-right: 0.35rem; }}
h3.label-head {{ font-size: 0.95rem; margin: 0 0 0.3rem; display: flex; align-items: center;
  gap: 0.4rem; }}
.dot {{ width: 0.8rem; height: 0.8rem; border-radius: 50%; display: inline-block; }}
table.cooc {{ width: auto; }}
table.cooc th.col {{ writing-mode: vertical-rl; text-transform: none; letter-spacing: 0;
  font-size: 0.82rem; color: #1d1d1f; padding: 0.4rem 0.2rem; vertical-align: bottom;
  white-space: nowrap; }}
table.cooc th.row {{ text-transform: none; letter-spacing: 0; font-size: 0.85rem;
  color: #1d1d1f; white-space: nowrap; border-bottom: 1px solid #eee; }}
table.cooc td {{ text-align: center; width: 2.3rem; min-width: 2.3rem; height: 2rem;
  border: 1px solid #fff; font-variant-numeric: tabular-nums; }}
table.cooc td.self {{ background: #eee; color: #9aa0a6; }}
.muted {{ color: #9aa0a6; }}
.samples details {{ border-top: 1px solid #eee; padding: 0.8rem 0 0.2rem; }}
.samples summary {{ cursor: pointer; font-weight: 600; }}
.samples summary .aka {{ font-weight: 400; }}
footer {{ color: #5f6368; font-size: 0.8rem; text-align: center; margin-top: 2rem; }}
@media (max-width: 800px) {{ .cards, .grid2 {{ grid-template-columns: 1fr 1fr; }} }}
@media print {{ body {{ background: #fff; }} section {{ box-shadow: none; }} }}
"""


def _n(value: int) -> str:
    return f"{value:,}"


def _chip(label: str) -> str:
    return f'<span class="dot" style="background: {COLORS[label]}"></span>'


def _cards(stats: BatchStats) -> str:
    cards = []
    total = sum(stats.mentions.values())
    for label in LABELS:
        n = stats.mentions.get(label, 0)
        cards.append(
            f'<div class="card" data-label="{label}" style="border-color: {COLORS[label]}">'
            f'<div class="label">{label} · {esc(LABEL_NAMES[label])}</div>'
            f'<div class="big">{_n(n)}</div>'
            f'<div class="small">mentions of <b>{_n(stats.distinct(label))}</b> distinct '
            f"{esc(LABEL_NAMES[label].lower())}, in {_n(stats.articles_with.get(label, 0))} "
            f"of {_n(stats.articles)} articles</div></div>"
        )
    share = "".join(
        f'<div style="width: {100 * stats.mentions.get(label, 0) / total:.2f}%; '
        f'background: {COLORS[label]}" title="{label}: '
        f'{100 * stats.mentions.get(label, 0) / total:.0f}%"></div>'
        for label in LABELS
        if total
    )
    return (
        '<section id="counts"><h2>Entities by label</h2>'
        '<p class="note">Mentions are occurrences in the text; distinct entities are counted '
        "once per key across the batch: countries and Chinese places by code, other names "
        "across scripts and short forms, dates once per normalized value.</p>"
        f'<div class="cards">{"".join(cards)}</div>'
        f'<div class="share">{share}</div></section>'
    )


def _entity_name(stat: EntityStat) -> str:
    aliases = stat.aliases()
    aka = f' <span class="aka">{esc(" / ".join(aliases))}</span>' if aliases else ""
    return f'<span class="name">{esc(stat.name)}</span>{aka}'


def _top_tables(stats: BatchStats, n: int) -> str:
    blocks = []
    for label in LABELS:
        top = stats.top(label, n)
        most = max((s.articles for s in top), default=1)
        rows = []
        for i, s in enumerate(top, start=1):
            width = 4 * s.articles / most
            rows.append(
                f'<tr data-label="{label}"><td class="rank">{i}</td><td>{_entity_name(s)}</td>'
                f'<td class="num"><span class="bar" style="width: {width:.2f}rem; '
                f'background: {COLORS[label]}"></span>{_n(s.articles)}</td>'
                f'<td class="num">{_n(s.mentions)}</td></tr>'
            )
        body = "".join(rows) or '<tr><td colspan="4" class="muted">none found</td></tr>'
        what = "value, then the words used" if label == "DATE" else "name, then other names"
        blocks.append(
            f'<div><h3 class="label-head">{_chip(label)}{label} · '
            f"{esc(LABEL_NAMES[label])}</h3>"
            f'<table class="top"><thead><tr><th></th><th>{what}</th>'
            '<th class="num">articles</th><th class="num">mentions</th></tr></thead>'
            f"<tbody>{body}</tbody></table></div>"
        )
    return (
        f'<section id="top"><h2>Who and what appears most</h2>'
        f'<p class="note">The {n} entities of each label found in the most articles. '
        "Grey: other names for the same entity (Latin names, short forms).</p>"
        f'<div class="grid2">{"".join(blocks)}</div></section>'
    )


def _display_width(text: str) -> float:
    """Rough width in em: wide (CJK) characters 1, others about half."""
    return sum(1.0 if ord(ch) > 0x2E80 else 0.55 for ch in text)


def _cooc(stats: BatchStats, n: int) -> str:
    candidates = [s for label in COOC_LABELS for s in stats.top(label, n)]
    candidates.sort(key=lambda s: (-s.articles, -s.mentions, s.name))
    chosen = candidates[:n]
    keys = [(s.label, s.key) for s in chosen]
    counts = stats.cooccurrence(keys)
    most = max(counts.values(), default=0)
    if len(chosen) < 2:
        table = '<p class="muted">Too few people and organizations to compare.</p>'
    else:
        # Vertical column heads as tall as the longest name (CJK glyphs are ~1em tall).
        tall = 1.6 + max(_display_width(s.name) for s in chosen)
        head = "".join(
            f'<th class="col" title="{s.label}" style="height: {tall:.1f}em">'
            f"{_chip(s.label)} {esc(s.name)}</th>"
            for s in chosen
        )
        rows = []
        for a in chosen:
            cells = []
            for b in chosen:
                if a is b:
                    cells.append(
                        f'<td class="self" title="{esc(a.name)}: {a.articles} articles">'
                        f"{a.articles}</td>"
                    )
                    continue
                c = counts.get(((a.label, a.key), (b.label, b.key)), 0)
                alpha = 0.12 + 0.88 * c / most if c and most else 0
                style = f' style="background: rgba(138, 28, 28, {alpha:.2f});' + (
                    ' color: #fff;"' if alpha > 0.55 else '"'
                )
                tip = f"{a.name} + {b.name}: {c} articles"
                cells.append(f'<td{style if c else ""} title="{esc(tip)}">{c if c else ""}</td>')
            rows.append(
                f'<tr><th class="row">{_chip(a.label)} {esc(a.name)}</th>{"".join(cells)}</tr>'
            )
        table = (
            f'<table class="cooc"><thead><tr><th></th>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>"
        )
    pairs = stats.top_pairs(10)
    pair_rows = "".join(
        f"<tr><td>{_chip(a[0])} {esc(stats.name(a))}</td>"
        f"<td>{_chip(b[0])} {esc(stats.name(b))}</td>"
        f'<td class="num">{c}</td></tr>'
        for a, b, c in pairs
    )
    pair_table = (
        '<table class="pairs"><thead><tr><th>with</th><th>and</th>'
        f'<th class="num">articles</th></tr></thead><tbody>{pair_rows}</tbody></table>'
        if pairs
        else '<p class="muted">No pair of people or organizations shares two articles.</p>'
    )
    return (
        '<section id="cooccurrence"><h2>Who appears with whom</h2>'
        f'<p class="note">Number of articles naming both, for the {len(chosen)} people and '
        "organizations found in the most articles (diagonal: articles naming each). "
        "Right: the pairs that share the most articles in the whole batch.</p>"
        f'<div class="grid2" style="grid-template-columns: auto 1fr;"><div>{table}</div>'
        f"<div>{pair_table}</div></div></section>"
    )


def _month_index(month: str) -> int:
    year, mon = month.split("-")
    return int(year) * 12 + int(mon) - 1


def _month_name(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def timeline_window(months: Counter[str], width: int = TIMELINE_MONTHS) -> tuple[int, int] | None:
    """The span of at most ``width`` months holding the most dated mentions (inclusive)."""
    if not months:
        return None
    idx = sorted((_month_index(m), c) for m, c in months.items())
    lo, hi = idx[0][0], idx[-1][0]
    if hi - lo < width:
        return lo, hi
    best = (-1, lo)
    total = 0
    j = 0
    for i, (start, _) in enumerate(idx):
        while j < len(idx) and idx[j][0] < start + width:
            total += idx[j][1]
            j += 1
        if total > best[0]:
            best = (total, start)
        total -= idx[i][1]
    start = best[1]
    # Prefer ending at the last month that has dates inside the window.
    end = max(m for m, _ in idx if start <= m < start + width)
    return max(lo, end - width + 1), end


def timeline_svg(stats: BatchStats) -> str:
    """An inline SVG bar chart of DATE mentions per month, with publications marked."""
    window = timeline_window(stats.date_months)
    if window is None:
        return '<p class="muted">No DATE mention has a day or month value.</p>'
    lo, hi = window
    months = list(range(lo, hi + 1))
    counts = [stats.date_months.get(_month_name(m), 0) for m in months]
    published = [stats.published_months.get(_month_name(m), 0) for m in months]
    left, right, top, bottom = 36, 12, 16, 42
    width = 1040
    height = 240
    plot_w = width - left - right
    plot_h = height - top - bottom
    step = plot_w / len(months)
    bar_w = max(2.0, step * 0.72)
    peak = max(max(counts), 1)
    ticks = _nice_ticks(peak)
    scale_top = ticks[-1]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="DATE mentions per month" '
        f'style="max-width: {width}px; font-family: {esc(FONT_STACK)}; font-size: 11px;">'
    ]
    for t in ticks:
        y = top + plot_h - plot_h * t / scale_top
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="#e6e6e6" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#777">{t}</text>'
        )
    label_every = max(1, round(len(months) / 16))
    for i, (m, c, p) in enumerate(zip(months, counts, published, strict=True)):
        x = left + i * step + (step - bar_w) / 2
        h = plot_h * c / scale_top
        name = _month_name(m)
        tip = f"{name}: {c} DATE mentions" + (f"; {p} articles published" if p else "")
        parts.append(
            f'<g class="month" data-month="{name}"><title>{esc(tip)}</title>'
            f'<rect x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{bar_w:.1f}" '
            f'height="{max(h, 0):.1f}" rx="2" fill="{COLORS["DATE"]}" stroke="#9b6fc4" '
            f'stroke-width="{1 if c else 0}"/>'
        )
        if p:
            cx = left + i * step + step / 2
            parts.append(
                f'<path d="M{cx - 5:.1f},{top + plot_h + 12} l5,-7 l5,7 z" fill="#8a1c1c"/>'
            )
        parts.append("</g>")
        month_no = m % 12 + 1
        if i % label_every == 0 or month_no == 1:
            tx = left + i * step + step / 2
            abbr = _MONTH_ABBR[month_no - 1]
            text = f"{abbr} {m // 12}" if month_no == 1 or i == 0 else abbr
            weight = ' font-weight="700"' if month_no == 1 or i == 0 else ""
            parts.append(
                f'<text x="{tx:.1f}" y="{height - 12}" text-anchor="middle" '
                f'fill="#555"{weight}>{text}</text>'
            )
    parts.append(
        f'<line x1="{left}" x2="{width - right}" y1="{top + plot_h}" y2="{top + plot_h}" '
        'stroke="#999" stroke-width="1"/></svg>'
    )
    return "".join(parts)


def _nice_ticks(peak: int) -> list[int]:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if peak / step <= 5:
            return [step * i for i in range(int(-(-peak // step)) + 1)]
    step = 10 ** len(str(peak))
    return [0, step]


def _timeline(stats: BatchStats) -> str:
    window = timeline_window(stats.date_months)
    drawn = outside = 0
    if window is not None:
        lo, hi = window
        for month, c in stats.date_months.items():
            if lo <= _month_index(month) <= hi:
                drawn += c
            else:
                outside += c
    notes = [f"{_n(drawn)} DATE mentions with a day, week or month value, by month"]
    if window is not None:
        notes[0] += f" ({_month_name(window[0])} to {_month_name(window[1])})"
    if outside:
        notes.append(f"{_n(outside)} more fall outside this {TIMELINE_MONTHS}-month window")
    if stats.date_coarse:
        notes.append(f"{_n(stats.date_coarse)} name only a year, quarter, season or decade")
    if stats.date_unresolved:
        notes.append(f"{_n(stats.date_unresolved)} have no value")
    legend = (
        f'<span class="bar" style="width: 0.8rem; background: {COLORS["DATE"]}"></span>'
        'dated mentions &nbsp; <span style="color: #8a1c1c">▲</span> month with articles '
        "published (hover a bar for numbers)"
    )
    return (
        '<section id="timeline"><h2>When things happened</h2>'
        f'<p class="note">{"; ".join(notes)}. {legend}.</p>'
        f"{timeline_svg(stats)}</section>"
    )


def _outlets(stats: BatchStats) -> str:
    rows = "".join(
        f'<tr><td>{esc(host)}</td><td class="num">{_n(c)}</td></tr>'
        for host, c in stats.outlets.most_common(8)
    )
    return (
        '<table class="outlets"><thead><tr><th>outlet</th><th class="num">articles</th>'
        f"</tr></thead><tbody>{rows}</tbody></table>"
    )


def _samples(stats: BatchStats) -> str:
    sample = stats.sample
    if not sample:
        return ""
    items = []
    for i, record in enumerate(sample):
        summary = esc(record.title or record.id)
        n = len(record.entities)
        items.append(
            f"<details{' open' if i == 0 else ''}><summary>{summary} "
            f'<span class="aka">· {n} entities</span></summary>'
            f'<div class="zhne">{record_fragment(record)}</div></details>'
        )
    return (
        '<section id="sample" class="samples"><h2>Sample articles</h2>'
        f'<p class="note">The {len(sample)} articles with the most distinct entities, '
        "oldest first. Hover a highlight for its label, its entity and a date's value.</p>"
        f"{''.join(items)}</section>"
    )


def _period(stats: BatchStats) -> str:
    if stats.first_published is None or stats.last_published is None:
        return "publication dates unknown"
    a = f"{stats.first_published:%Y-%m-%d}"
    b = f"{stats.last_published:%Y-%m-%d}"
    return f"published {a}" if a == b else f"published {a} to {b}"


def build_report(
    records: Iterable[Record],
    *,
    title: str = DEFAULT_TITLE,
    source: str | None = None,
    top: int = 10,
    sample: int = 5,
    generated: dt.datetime | None = None,
) -> str:
    """Return the report of a batch of records as one self-contained HTML document.

    Args:
        records: The records (read streaming; any iterable).
        title: Headline of the report.
        source: Where the records came from, shown in the header (a file name).
        top: Entities per label in the top tables, and people/organizations in the
            co-occurrence table.
        sample: Number of articles rendered with highlighting.
        generated: Time stamp shown in the footer (default: now).
    """
    stats = collect(records, sample=sample)
    return render_report(stats, title=title, source=source, top=top, generated=generated)


def render_report(
    stats: BatchStats,
    *,
    title: str = DEFAULT_TITLE,
    source: str | None = None,
    top: int = 10,
    generated: dt.datetime | None = None,
) -> str:
    """The HTML report of statistics already gathered (see :func:`build_report`)."""
    generated = generated or dt.datetime.now(dt.UTC)
    total_mentions = sum(stats.mentions.values())
    total_entities = len(stats.entities)
    dek = (
        f"{_n(stats.articles)} articles from {_n(len(stats.outlets))} "
        f"outlet{'s' if len(stats.outlets) != 1 else ''}, {_period(stats)} · "
        f"{_n(total_mentions)} mentions of {_n(total_entities)} distinct entities · "
        f"{_n(stats.chars)} characters"
    )
    if stats.articles == 0:
        body = (
            '<section><h2>No records</h2><p class="note">The input held no records.</p></section>'
        )
    else:
        body = (
            _cards(stats)
            + _top_tables(stats, top)
            + _cooc(stats, top)
            + _timeline(stats)
            + '<section id="outlets"><h2>Outlets</h2>'
            '<p class="note">Articles per outlet (host of the article URL).</p>'
            f"{_outlets(stats)}</section>" + _samples(stats)
        )
    models = ", ".join(f"{esc(m)}" for m, _ in stats.models.most_common(3)) or "none"
    from_source = f" from <code>{esc(source)}</code>" if source else ""
    kicker = f" · {esc(source)}" if source else ""
    toc = "".join(
        f'<a href="#{a}">{t}</a>'
        for a, t in (
            ("counts", "Labels"),
            ("top", "Top entities"),
            ("cooccurrence", "Who with whom"),
            ("timeline", "Timeline"),
            ("outlets", "Outlets"),
            ("sample", "Sample articles"),
        )
    )
    return (
        f'<!DOCTYPE html>\n<html lang="zh"><head>{HEAD_META}'
        '<meta name="generator" content="zh-news-entities">'
        f"<title>{esc(title)}</title><style>{_CSS}{RECORD_CSS}</style></head>"
        '<body><div class="page"><header class="top">'
        f'<div class="kicker">Entity report{kicker}</div>'
        f'<h1>{esc(title)}</h1><div class="dek">{dek}</div></header>'
        f'<nav class="toc">{toc}</nav>{body}'
        f"<footer>Generated {generated:%Y-%m-%d %H:%M} UTC{from_source} by "
        f"zh-news-entities · model {models}. Self-contained: no network needed to view."
        "</footer></div></body></html>\n"
    )


def write_report(
    records_or_path: Iterable[Record] | str | Path,
    path: str | Path,
    *,
    overwrite: bool = True,
    title: str = DEFAULT_TITLE,
    source: str | None = None,
    top: int = 10,
    sample: int = 5,
) -> Path:
    """Write the report of records (or of a records JSONL file) to ``path`` atomically.

    Args:
        records_or_path: Records, or the path of a records JSONL file (read streaming).
        path: Where to write the HTML.
        overwrite: Replace an existing file (the CLI asks for ``--overwrite``).
        title: Headline of the report.
        source: Where the records came from, for the header (default: the file name).
        top: Entities per label in the top tables.
        sample: Number of articles rendered with highlighting.

    Returns:
        The path written.
    """
    from pipeline.stages.write import atomic_writer

    if isinstance(records_or_path, str | Path):
        from pipeline import read_records

        source = source or Path(records_or_path).name
        records: Iterable[Record] = read_records(records_or_path)
    else:
        records = records_or_path
    out = Path(path)
    markup = build_report(records, title=title, source=source, top=top, sample=sample)
    with atomic_writer(out, overwrite=overwrite) as f:
        f.write(markup)
    return out
