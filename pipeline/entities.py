"""The archive's entity table: one row per entity across a batch of records.

Records carry article-level keys (:mod:`pipeline.stages.keys`). Some merges need the
whole batch, so they are made here, as a reduction over record files:

1. **Shared forms.** Keys whose entities share a surface form (as written or as keys
   fold it) merge, when the form was linked to a fuller name in some article: a Latin ↔
   Chinese pair in brackets (达克沃斯（Tammy Duckworth）), an abbreviation in brackets,
   a last name written after its full name. 达克沃斯 alone in one article and Tammy
   Duckworth alone in another meet through the article that brackets them. A short form
   keyed by its article's other entities (王 for 王小明) links no other article.
   Organizations whose names differ only in how the place in front is written merge
   (澳洲… / 澳大利亚…, 中共外交部 / 中国外交部). A form an article defines
   (世界卫生组织（下称世卫）: :mod:`pipeline.stages.definitions`) joins the name it
   defines across the batch unless two names claim it.
2. **Transliterations.** A Latin-only person name joins the one Chinese full name of
   the batch that the shipped CEDPANE list gives for it word by word
   (Lloyd Austin → 劳埃德·奥斯汀).
3. **Last names.** A foreign person known only by a last name (奥斯汀) joins the full
   name (劳埃德·奥斯汀) when the batch holds no other full name with that last part,
   also a full name in the other script whose last part the shipped list transliterates
   that way (奥斯汀 / Lloyd Austin).
4. **Organizations' short forms.** A Chinese organization name joins the one longer
   name of the batch it shortens, with evidence (:meth:`EntityTable._merge_org_short_forms`):
   世卫 / 世界卫生组织, 国务院 / 美国国务院, 德国之声 / 德国之声中文网; also the full
   name that two articles or more naming both resolve it to, and none another
   (:meth:`EntityTable._merge_article_abbreviations`).
5. **Place designations.** A place written bare joins the one form of the batch with a
   designation after it (东京 / 东京都, 金门 / 金门县; 阿拉斯加 / 阿拉斯加州 when the bare
   name has no code and is not also a city).

Merging never crosses labels, never joins two different full names or two place
codes, and never joins organizations whose Chinese names are not abbreviations of
one another: when a form would, it merges nothing (ambiguity keeps keys apart).

:class:`EntityTable` is the reduction's state: :meth:`EntityTable.add` a record,
:meth:`EntityTable.update` with another table (partial tables of record files, in
any order and grouping), :meth:`EntityTable.rows` for the result. The result depends
only on the set of records, so a Dask run and a local run give the same table.
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pipeline.schema import LABELS, Label, Record
from pipeline.stages.definitions import definitions, spells
from pipeline.stages.keys import (
    article_keys,
    entity_key,
    fold,
    has_han,
    is_full_name,
    name_parts,
    normal,
    place_key,
    place_prefix,
    simplify,
    source_names,
    transliterations,
)

TableFormat = Literal["jsonl", "csv"]
#: Columns of the CSV form (``aliases`` and ``keys`` are JSON arrays).
CSV_COLUMNS = (
    "key",
    "label",
    "name",
    "aliases",
    "keys",
    "articles",
    "mentions",
    "first_published",
    "last_published",
)
_CODE_PREFIXES = ("iso:", "gb:")
_MAX_CANDIDATES = 64
_ALL_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
#: What may follow an organization's whole name in a name of the same organization
#: (德国之声中文网 is 德国之声); any other continuation names another body (苹果日报).
_EDITION_SUFFIXES = ("中文网", "中文版", "中文台", "网站", "电子报", "海外版", "集团")
#: The same after a name of three characters or more: a paper, a team, a ship (大纪元时报,
#: 国际米兰队, 辽宁号航空母舰); after a shorter one they name another body (中国时报 is
#: not 中国, 中国队 not the state).
_LONG_NAME_SUFFIXES = ("时报", "队", "电视台", "航空母舰", "航母")
#: Designations after a place's name that name the same place (东京都, 仰光市, 金门县, 康沃尔郡),
#: longest first. 州 and 区 are weaker (below), and 岛 is left out (香港岛 is a part of 香港).
_LOC_SUFFIXES = ("特别行政区", "自治区", "地区", "群岛", "特区", "省", "市", "县", "郡", "都", "邦")
#: Designations that name the same place only when the bare name has no code (阿拉斯加 /
#: 阿拉斯加州; 墨西哥 / 墨西哥州 are a country and its state) and is not a city sharing its
#: name with a state.
_LOC_WEAK_SUFFIXES = ("州", "区")
#: A Latin full name as names are written: two words or more, each capitalized.
_TITLED = re.compile(r"[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)+")
_STATE_CITIES = frozenset({"纽约", "华盛顿", "圣保罗", "里约热内卢"})


class AliasCount(BaseModel):
    """A surface form of an archive entity and how often it was written."""

    model_config = ConfigDict(extra="forbid")

    form: str
    count: int = Field(ge=1)


class EntityRow(BaseModel):
    """One entity across the batch (a line of ``pipeline entities``)."""

    model_config = ConfigDict(extra="forbid")

    key: str = Field(description="Archive key: the record key chosen for the merged entity.")
    label: Label
    name: str = Field(description="Canonical name: the most frequent Simplified form.")
    aliases: list[AliasCount] = Field(
        default_factory=list, description="Other surface forms as written, most frequent first."
    )
    keys: list[str] = Field(description="The record keys merged into this entity.")
    articles: int = Field(ge=0, description="Articles naming it.")
    mentions: int = Field(ge=0, description="Mentions of it.")
    first_published: dt.datetime | None = None
    last_published: dt.datetime | None = None


@dataclass
class _KeyStat:
    label: str
    forms: Counter[str] = field(default_factory=Counter)
    articles: set[str] = field(default_factory=set)
    mentions: int = 0
    first: dt.datetime | None = None
    last: dt.datetime | None = None

    def seen(self, published: dt.datetime | None) -> None:
        if published is None:
            return
        if self.first is None or published < self.first:
            self.first = published
        if self.last is None or published > self.last:
            self.last = published

    def update(self, other: _KeyStat) -> None:
        self.forms.update(other.forms)
        self.articles |= other.articles
        self.mentions += other.mentions
        self.seen(other.first)
        self.seen(other.last)


def record_keys(record: Record) -> list[str]:
    """The key of each entity of a record (computed now for records without one, as the
    link stage does: :func:`~pipeline.stages.keys.entity_key`, then
    :func:`~pipeline.stages.keys.article_keys`)."""
    if all(e.key is not None for e in record.entities):
        return [e.key for e in record.entities if e.key is not None]
    forms: list[Counter[str]] = [Counter() for _ in record.entities]
    for m in record.mentions:
        if 0 <= m.entity < len(forms):
            forms[m.entity][m.text] += 1
    raw = []
    for i, e in enumerate(record.entities):
        forms[i] = forms[i] or Counter({e.name: 1})
        raw.append(e.key or entity_key(e.label, forms[i], value=e.value, context=record.text))
    refined = article_keys([(e.label, forms[i], raw[i]) for i, e in enumerate(record.entities)])
    return [e.key if e.key is not None else refined[i] for i, e in enumerate(record.entities)]


def _article_short_form(label: str, form: str, key: str) -> bool:
    """A person's or place's short form keyed by its article's other entities (王 for
    王小明, 伊 for 伊朗: :func:`~pipeline.stages.keys.article_keys`): it links no other
    article, where 王 and 伊 may be someone or somewhere else."""
    if label not in ("PERSON", "LOC") or not _ALL_HAN.fullmatch(form):
        return False
    if len(form) > (2 if label == "PERSON" else 1):
        return False
    if label == "PERSON" and not _ALL_HAN.fullmatch(key.split(":", 1)[1]):
        return False  # 拜登 of 乔·拜登, 戴琪 of Katherine Tai: linked in the article's text
    return entity_key(label, {form: 1}) != key


def _abbreviation(short: str, full: str) -> bool:
    """``short``'s characters all occur in ``full`` in order (世卫组织 in 世界卫生组织)."""
    it = iter(full)
    return all(ch in it for ch in short)


def _pieces(short: str, full: str) -> int:
    """The fewest runs of ``full`` that ``short`` is made of, in order (中新社 from 中国新闻社:
    3; 美国空军 from 美国太空军: 2); a large number when ``short`` is no subsequence."""
    n, m = len(short), len(full)
    inf = n + 1
    # best[i][j]: fewest runs making short[:i] with short[i-1] taken from full[j-1].
    best = [[inf] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        for j in range(i, m + 1):
            if short[i - 1] != full[j - 1]:
                continue
            if i == 1:
                best[i][j] = 1
                continue
            joined = best[i - 1][j - 1]
            after = min(best[i - 1][: j - 1], default=inf) + 1
            best[i][j] = min(joined, after)
    return min(best[n][1:], default=inf)


def _other_body(short: str, full: str) -> bool:
    """The longer name opens with a place, the shorter with the same place, and after it
    the shorter never opens as the longer does: the place is all they share at the front,
    so the shorter is another body of that place (美 + 国会 against 美国 + 白宫国安会), not
    an abbreviation (美 + 国务院 shortens 美国 + 国务院)."""
    f_code, f_rest = place_prefix(full)
    if f_code is None or not f_rest:
        return False
    rests = [short[i:] for i in range(1, len(short)) if place_key(short[:i]) == f_code]
    return bool(rests) and all(r[0] != f_rest[0] for r in rests)


def _related(a: str, b: str) -> bool:
    """One name is an abbreviation of the other (or they are equal), also without the
    place in front, written two ways or on one side only (澳洲战略政策研究所 /
    澳大利亚战略政策研究所, 全国人民代表大会 / 中国全国人大); two places differ: no."""
    if _abbreviation(a, b) or _abbreviation(b, a):
        return True
    code_a, rest_a = place_prefix(a)
    code_b, rest_b = place_prefix(b)
    if code_a is None and code_b is None:
        return False
    if code_a is not None and code_b is not None and code_a != code_b:
        return False  # 美国国防部 and 台湾国防部
    return _abbreviation(rest_a, rest_b) or _abbreviation(rest_b, rest_a)


@dataclass
class _Group:
    label: str
    codes: set[str] = field(default_factory=set)
    han_full: set[str] = field(default_factory=set)
    latin_full: set[str] = field(default_factory=set)
    han_names: set[str] = field(default_factory=set)

    def conflicts(self, other: _Group) -> bool:
        if self.label != other.label:
            return True
        if self.codes and other.codes and self.codes != other.codes:
            return True
        if self.label == "PERSON":
            if self.latin_full and other.latin_full:
                # One Latin full name: the Chinese ones are transliteration variants.
                return not self.latin_full & other.latin_full
            return bool(self.han_full and other.han_full and not self.han_full & other.han_full)
        for a, b in itertools.product(self.han_names, other.han_names):
            if not _related(a, b):
                return True
        return False

    def absorb(self, other: _Group) -> None:
        self.codes |= other.codes
        self.han_full |= other.han_full
        self.latin_full |= other.latin_full
        self.han_names |= other.han_names


class _Merger:
    """Union-find over record keys that refuses unions of conflicting groups."""

    def __init__(self, stats: dict[str, _KeyStat]) -> None:
        self.parent: dict[str, str] = {k: k for k in stats}
        self.groups: dict[str, _Group] = {}
        for key, stat in stats.items():
            g = _Group(label=stat.label)
            if key.startswith(_CODE_PREFIXES):
                g.codes.add(key)
            else:
                name = key.split(":", 1)[1]
                if stat.label == "PERSON":
                    for form in {normal("PERSON", f) for f in stat.forms} | {name}:
                        if is_full_name(form):
                            (g.han_full if has_han(form) else g.latin_full).add(form)
                elif has_han(name):
                    g.han_names.add(name)
            self.groups[key] = g

    def find(self, key: str) -> str:
        root = key
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[key] != root:
            self.parent[key], key = root, self.parent[key]
        return root

    def union_all(self, keys: Iterable[str]) -> bool:
        """Merge the groups of ``keys`` if no two conflict; True when merged."""
        roots = sorted({self.find(k) for k in keys})
        if len(roots) < 2:
            return False
        for a, b in itertools.combinations(roots, 2):
            if self.groups[a].conflicts(self.groups[b]):
                return False
        head = roots[0]
        for other in roots[1:]:
            self.parent[other] = head
            self.groups[head].absorb(self.groups[other])
        return True


def _candidates(latin: str) -> set[str]:
    """Chinese full names a Latin person name transliterates to, word by word."""
    table = transliterations()
    options = []
    for part in name_parts(latin):
        forms = table.get(part)
        if not forms:
            return set()
        options.append(forms)
    if len(options) < 2 or any(len(o) > 8 for o in options):
        return set()
    out: set[str] = set()
    for combo in itertools.product(*options):
        out.add("·".join(combo))
        if len(out) > _MAX_CANDIDATES:
            return set()
    return out


@dataclass
class EntityTable:
    """The reduction state over records; mergeable, order-independent."""

    stats: dict[str, _KeyStat] = field(default_factory=dict)
    #: (label, long name's record key, short form as written, kind) → articles defining
    #: it (:mod:`pipeline.stages.definitions`).
    defined: dict[tuple[str, str, str, str], int] = field(default_factory=dict)

    def add(self, record: Record) -> None:
        """Count one record's entities under their keys."""
        published = record.published.astimezone(dt.UTC) if record.published else None
        article = f"{record.source or ''}\x00{record.id}"
        keys = record_keys(record)
        for i, entity in enumerate(record.entities):
            stat = self.stats.get(keys[i])
            if stat is None:
                stat = self.stats[keys[i]] = _KeyStat(label=entity.label)
            stat.articles.add(article)
            stat.seen(published)
        for m in record.mentions:
            stat = self.stats[keys[m.entity]]
            stat.forms[m.text] += 1
            stat.mentions += 1
        pairs = {
            (d.label, keys[record.mentions[d.mention].entity], d.short, d.kind)
            for d in definitions(record.text, record.mentions)
        }
        for pair in pairs:
            self.defined[pair] = self.defined.get(pair, 0) + 1

    def update(self, other: EntityTable) -> None:
        """Merge another partial table into this one."""
        for key, stat in other.stats.items():
            mine = self.stats.get(key)
            if mine is None:
                mine = self.stats[key] = _KeyStat(label=stat.label)
            mine.update(stat)
        for pair, n in other.defined.items():
            self.defined[pair] = self.defined.get(pair, 0) + n

    # -- the batch merges -------------------------------------------------
    def resolve(self) -> dict[str, str]:
        """Record key → archive key, after the batch merges (module docstring)."""
        merger = _Merger(self.stats)
        mergeable = sorted(
            k for k, s in self.stats.items() if s.label != "DATE" and not k.startswith("date:")
        )
        # 1. Shared surface forms.
        by_form: dict[tuple[str, str], set[str]] = defaultdict(set)
        for key in mergeable:
            stat = self.stats[key]
            for form in stat.forms:
                if _article_short_form(stat.label, form, key):
                    continue
                by_form[(stat.label, fold(form))].add(key)
                # The form keys are made of (aliases, 公司 and 有限公司 dropped) too.
                by_form[(stat.label, normal(stat.label, form))].add(key)
        for (_, _form), keys in sorted(by_form.items()):
            if len(keys) > 1:
                merger.union_all(keys)
        # 1b. Organizations whose names differ only in how the place in front is written
        # (澳洲 / 澳大利亚, 湖北 / 湖北省, 中共 / 中国 before a state body).
        by_place: dict[tuple[str, str], set[str]] = defaultdict(set)
        for key in mergeable:
            name = key.split(":", 1)[1]
            if self.stats[key].label == "ORG" and _ALL_HAN.fullmatch(name):
                code, rest = place_prefix(name)
                if code is not None:
                    by_place[(code, rest)].add(key)
        for _, keys in sorted(by_place.items()):
            if len(keys) > 1:
                merger.union_all(keys)
        # 1c. Forms an article defines (世界卫生组织（下称世卫）), when no other long name
        # of the batch claims them.
        self._merge_definitions(merger, by_form)
        # 2. Latin-only person names → the one Chinese full name they transliterate to.
        han_full: dict[str, set[str]] = defaultdict(set)
        for key in mergeable:
            if self.stats[key].label == "PERSON":
                for name in merger.groups[merger.find(key)].han_full:
                    han_full[name].add(key)
        for key in mergeable:
            stat = self.stats[key]
            if stat.label != "PERSON" or any(has_han(f) for f in stat.forms):
                continue
            hits = {
                merger.find(k)
                for name in _candidates(key.split(":", 1)[1])
                for k in han_full.get(name, ())
            }
            if len(hits) == 1:
                merger.union_all([key, *hits])
        # 3. Last names → the one full name of the batch ending with them.
        by_last: dict[str, set[str]] = defaultdict(set)
        for key in mergeable:
            if self.stats[key].label != "PERSON":
                continue
            root = merger.find(key)
            g = merger.groups[root]
            for full in g.han_full | g.latin_full:
                by_last[name_parts(full)[-1]].add(root)
        titled = {
            k
            for k in mergeable
            if self.stats[k].label == "PERSON"
            and any(_TITLED.fullmatch(f) for f in self.stats[k].forms)
        }
        for key in mergeable:
            stat = self.stats[key]
            name = key.split(":", 1)[1]
            # A Latin word alone needs four letters (Thu, May are dates more often).
            if (
                stat.label != "PERSON"
                or is_full_name(name)
                or len(name) < (2 if has_han(name) else 4)
            ):
                continue
            g = merger.groups[merger.find(key)]
            if g.han_full or g.latin_full:
                continue
            roots = {merger.find(r) for r in by_last.get(name, ())}
            if not roots:
                # No full name of this script ends with it: the other script's, by the
                # shipped transliterations (梅多斯 for a Latin full name ending in meadows).
                # A Latin full name counts when written as one (It read is no name).
                other = source_names(name) if has_han(name) else transliterations().get(name, ())
                roots = {merger.find(r) for n in other for r in by_last.get(n, ())}
                if has_han(name) and roots - {merger.find(k) for k in titled}:
                    roots = set()
            if len(roots) == 1:
                merger.union_all([key, *roots])
        # 4. Organizations' short forms → the one longer name of the batch they shorten.
        self._merge_org_short_forms(merger, mergeable)
        # 4b. Short forms that the articles naming them resolve the same way.
        self._merge_article_abbreviations(merger, mergeable)
        # 5. Places with and without a designation (东京 / 东京都), when unique.
        self._merge_loc_designations(merger, mergeable)
        members: dict[str, list[str]] = defaultdict(list)
        for key in self.stats:
            members[merger.find(key)].append(key)
        out: dict[str, str] = {}
        for group in members.values():
            head = min(group, key=self._rank)
            for key in group:
                out[key] = head
        return out

    def _merge_definitions(self, merger: _Merger, by_form: dict[tuple[str, str], set[str]]) -> None:
        """Join the keys written with a defined short form to the long name defining it.

        A bracketed Latin acronym counts when the long name's entity has a Latin name it
        spells (欧洲药品管理局（EMA） with European Medicines Agency elsewhere). A short
        form that two long names of the batch claim joins neither.
        """
        claims: dict[tuple[str, str], set[str]] = defaultdict(set)
        latin: dict[str, set[str]] | None = None
        for label, long, short, kind in sorted(self.defined):
            if long not in self.stats or self.stats[long].label != label:
                continue
            if kind == "acronym":
                if latin is None:  # root → the Latin forms of its entity
                    latin = defaultdict(set)
                    for k, stat in self.stats.items():
                        latin[merger.find(k)] |= {f for f in stat.forms if not has_han(f)}
                if not any(spells(short, f) for f in latin[merger.find(long)]):
                    continue
            claims[(label, fold(short))].add(long)
        for (label, short), longs in sorted(claims.items()):
            roots = {merger.find(k) for k in longs}
            if len(roots) != 1:
                continue  # two long names claim it
            keys = by_form.get((label, short), set()) | by_form.get(
                (label, normal(label, short)), set()
            )
            if keys:
                merger.union_all([*sorted(longs), *sorted(keys)])

    def _articles(self) -> dict[str, set[str]]:
        """Article → the record keys it names."""
        out: dict[str, set[str]] = defaultdict(set)
        for key, stat in self.stats.items():
            for article in stat.articles:
                out[article].add(key)
        return out

    def _merge_org_short_forms(self, merger: _Merger, mergeable: list[str]) -> None:
        """Join an organization's short form to the one longer name it shortens.

        ``short`` shortens ``full`` when its characters occur in ``full`` in order:
        an abbreviation (世卫 / 世界卫生组织, 国台办 / 国务院台湾事务办公室), a name
        without the country or parent body in front (国务院 / 美国国务院), or a name
        without an edition after it (德国之声 / 德国之声中文网). A name followed by
        anything else is another body (苹果 / 苹果日报, 欧盟 / 欧盟委员会) and no
        candidate. The merge needs exactly one candidate entity in the batch, and
        evidence by kind: an abbreviation that keeps the first character needs an
        article naming both, unless it is made of three runs or more of the longer
        name and keeps its last character (中新社 / 中国新闻社; 美国空军 is 美国太空军
        without 太, no abbreviation); a name without its prefix needs every article
        naming it to name the longer name too, or the place the prefix names (美国 for
        美国国务院); any other subsequence (台湾 in 日本台湾交流协会), or one that shares
        only the place in front (美国会, 美 + 国会, in 美国白宫国安会: :func:`_other_body`),
        is never evidence, though it makes a short form ambiguous. Short forms that would join one entity
        but are not abbreviations of one another (民主党 and 民进党 for 民主进步党) join
        nothing.
        """
        names = {
            key: key.split(":", 1)[1]
            for key in mergeable
            if self.stats[key].label == "ORG" and _ALL_HAN.fullmatch(key.split(":", 1)[1])
        }
        if len(names) < 2:
            return
        by_article = self._articles()
        # Character → the names holding it: a short form's candidates hold all its characters.
        holding: dict[str, set[str]] = defaultdict(set)
        for key, name in names.items():
            for ch in name:
                holding[ch].add(key)

        def names_entity(article: str, root: str) -> bool:
            return any(merger.find(k) == root for k in by_article[article])

        for length in sorted({len(n) for n in names.values()}, reverse=True):
            if length < 2:
                break
            proposals: dict[str, list[str]] = defaultdict(list)
            for short, s_name in sorted(names.items()):
                if len(s_name) != length:
                    continue
                s_root = merger.find(short)
                roots: set[str] = set()
                evidence = False
                for full in sorted(set.intersection(*(holding[ch] for ch in s_name))):
                    f_name = names[full]
                    if len(f_name) <= length or not _abbreviation(s_name, f_name):
                        continue
                    f_root = merger.find(full)
                    if f_root == s_root:
                        continue
                    rest = place_prefix(f_name)[1]
                    if f_name.startswith(s_name):
                        tail = f_name[length:]
                        if tail not in _EDITION_SUFFIXES and (
                            length < 3 or tail not in _LONG_NAME_SUFFIXES
                        ):
                            continue  # 苹果日报 is not 苹果
                        ok = True
                    elif rest.startswith(s_name) and rest[length:] not in ("", *_EDITION_SUFFIXES):
                        continue  # 中国全国人大常委会 is not 全国人大 either
                    elif f_name.endswith(s_name):
                        code, rest = place_prefix(f_name)
                        if rest != s_name:
                            code = place_key(f_name[:-length])
                        # The body in front (联合国 for 联合国人权理事会) is evidence as the
                        # place is (美国 for 美国国务院).
                        parent = f"org:{normal('ORG', f_name[:-length])}"
                        p_root = merger.find(parent) if parent in merger.parent else None
                        ok = all(
                            names_entity(a, f_root)
                            or (code is not None and code in by_article[a])
                            or (p_root is not None and names_entity(a, p_root))
                            for a in self.stats[short].articles
                        )
                    elif _other_body(s_name, f_name):
                        ok = False  # 美国会 (美 + 国会) does not shorten 美国白宫国安会
                    elif s_name[0] == f_name[0]:
                        ok = (
                            length >= 3
                            and s_name[-1] == f_name[-1]
                            and _pieces(s_name, f_name) >= 3
                        ) or any(names_entity(a, f_root) for a in self.stats[short].articles)
                    else:
                        ok = False  # 台湾 in 日本台湾交流协会: a name inside another body's
                    roots.add(f_root)
                    evidence = evidence or ok
                if len(roots) == 1 and evidence:
                    proposals[roots.pop()].append(short)
            if not proposals:
                continue
            forms = self._han_forms(merger, "ORG")
            for target, shorts in sorted(proposals.items()):
                for short in shorts:
                    others = set(forms[merger.find(target)])
                    for other in shorts:
                        if other != short:
                            others |= forms[merger.find(other)]
                    mine = forms[merger.find(short)]
                    if all(_related(a, b) for a in mine for b in others):
                        merger.union_all([short, target])

    def _merge_article_abbreviations(self, merger: _Merger, mergeable: list[str]) -> None:
        """Join an organization's short form to the full name it abbreviates in the
        articles naming both, when two articles or more resolve it that way and none
        another way (选委会 with 选举委员会 in two articles, though the batch also holds
        another body's 区选举委员会).

        In one article, the short form's candidates are the article's longer organization
        names holding its characters in order; one that keeps its first character, or
        whose name without the place in front does, or that ends with it, resolves it;
        a name followed by anything but an edition (苹果日报 for 苹果) is another body and
        no candidate; two candidates, or one inside another body (台湾 in
        日本台湾交流协会), resolve nothing in that article, and make the short form
        ambiguous in the batch.
        """
        names = {
            key: key.split(":", 1)[1]
            for key in mergeable
            if self.stats[key].label == "ORG" and _ALL_HAN.fullmatch(key.split(":", 1)[1])
        }
        votes: dict[str, Counter[str]] = defaultdict(Counter)
        ambiguous: set[str] = set()
        for _, keys in sorted(self._articles().items()):
            orgs = sorted(k for k in keys if k in names)
            for short in orgs:
                s_name = names[short]
                if len(s_name) < 2:
                    continue
                s_root = merger.find(short)
                resolved: set[str] = set()
                inside = False
                for full in orgs:
                    f_name = names[full]
                    if len(f_name) <= len(s_name) or not _abbreviation(s_name, f_name):
                        continue
                    f_root = merger.find(full)
                    if f_root == s_root:
                        continue
                    if f_name.startswith(s_name) and f_name[len(s_name) :] not in (
                        _EDITION_SUFFIXES
                    ):
                        continue  # 苹果日报 is not 苹果
                    rest = place_prefix(f_name)[1]
                    if f_name.endswith(s_name) or (
                        s_name[0] in (f_name[0], rest[0]) and not _other_body(s_name, f_name)
                    ):
                        resolved.add(f_root)
                    else:
                        inside = True
                if inside or len(resolved) > 1:
                    ambiguous.add(short)
                elif resolved:
                    votes[short][resolved.pop()] += 1
        for short, counts in sorted(votes.items()):
            if short in ambiguous or len(counts) != 1:
                continue
            root, n = next(iter(counts.items()))
            if n >= 2:
                merger.union_all([short, root])

    def _han_forms(self, merger: _Merger, label: str) -> dict[str, set[str]]:
        """Root → the folded Chinese forms of its entity (name dots dropped)."""
        out: dict[str, set[str]] = defaultdict(set)
        for k, stat in self.stats.items():
            if stat.label != label:
                continue
            mine = out[merger.find(k)]
            for f in stat.forms:
                if has_han(f):  # as written (民进党) and as keyed (中国全国人民代表大会)
                    mine |= {fold(f).replace("·", ""), normal(label, f).replace("·", "")}
            name = k.split(":", 1)[1]
            if has_han(name) and not k.startswith(_CODE_PREFIXES):
                mine.add(name)
        return out

    def _merge_loc_designations(self, merger: _Merger, mergeable: list[str]) -> None:
        """Join a place written bare to the one form of the batch with a designation after
        it (东京 / 东京都, 仰光 / 仰光市, 金门 / 金门县; 州 and 区 only for a bare name
        without a code that is not also a city: 阿拉斯加州, 三桥区); two such forms (纽约市
        and a 纽约省) keep the bare one apart. A state's first character with 州 joins the
        one longer state name of the batch starting with it (宾州 / 宾夕法尼亚州). Codes
        that differ never merge (:class:`_Group`)."""
        bare: dict[str, set[str]] = defaultdict(set)
        designated: dict[str, set[str]] = defaultdict(set)
        weak: dict[str, set[str]] = defaultdict(set)
        states: dict[str, set[str]] = defaultdict(set)
        for key in mergeable:
            stat = self.stats[key]
            if stat.label != "LOC":
                continue
            for form in {normal("LOC", f) for f in stat.forms}:
                if not _ALL_HAN.fullmatch(form):
                    continue
                bare[form].add(key)
                for suffix in _LOC_SUFFIXES:
                    if form.endswith(suffix) and len(form) - len(suffix) >= 2:
                        designated[form[: -len(suffix)]].add(key)
                        break
                else:
                    if form[-1] in _LOC_WEAK_SUFFIXES and len(form) >= 3:
                        weak[form[:-1]].add(key)
                    if form[-1] == "州" and len(form) >= 4 and not key.startswith(_CODE_PREFIXES):
                        states[form[0]].add(key)
        for base, keys in sorted(bare.items()):
            for key in sorted(keys):
                candidates = set(designated.get(base, ()))
                if base not in _STATE_CITIES and not key.startswith(_CODE_PREFIXES):
                    candidates |= weak.get(base, set())  # 阿拉斯加州; not 墨西哥州 (a country's)
                roots = {merger.find(k) for k in candidates} - {merger.find(key)}
                # The bare form of one entity may be written with its designation elsewhere.
                if len(roots) == 1:
                    merger.union_all([key, *roots])
        # A state named by its first character and 州 (宾州 / 宾夕法尼亚州), when the batch
        # holds one such state and neither has a code (德州 is also a city of Shandong).
        for form, keys in sorted(bare.items()):
            if len(form) != 2 or form[1] != "州" or form[0] not in states:
                continue
            for key in sorted(keys):
                if key.startswith(_CODE_PREFIXES):
                    continue
                roots = {merger.find(k) for k in states[form[0]]} - {merger.find(key)}
                if len(roots) == 1:
                    merger.union_all([key, *roots])

    def _rank(self, key: str) -> tuple[int, int, int, int, str]:
        """Which record key names a merged entity: a code, a full name, Chinese, most used."""
        stat = self.stats[key]
        name = key.split(":", 1)[1]
        return (
            0 if key.startswith(_CODE_PREFIXES) else 1,
            0 if stat.label == "PERSON" and is_full_name(name) else 1,
            0 if has_han(name) else 1,
            -len(stat.articles),
            key,
        )

    def rows(self) -> list[EntityRow]:
        """One row per archive entity, most articles first."""
        resolved = self.resolve()
        members: dict[str, list[str]] = defaultdict(list)
        for key, head in resolved.items():
            members[head].append(key)
        rows = []
        for head, keys in members.items():
            merged = _KeyStat(label=self.stats[head].label)
            for key in keys:
                merged.update(self.stats[key])
            rows.append(_row(head, sorted(keys), merged))
        rows.sort(key=lambda r: (-r.articles, -r.mentions, LABELS.index(r.label), r.key))
        return rows


def _row(head: str, keys: list[str], stat: _KeyStat) -> EntityRow:
    simplified: Counter[str] = Counter()
    for form, n in stat.forms.items():
        simplified[simplify(form)] += n
    ranked = sorted(simplified.items(), key=lambda kv: (not has_han(kv[0]), -kv[1], kv[0]))
    name = ranked[0][0] if ranked else head.split(":", 1)[1]
    aliases = [
        AliasCount(form=f, count=n)
        for f, n in sorted(stat.forms.items(), key=lambda kv: (-kv[1], kv[0]))
        if f != name
    ]
    return EntityRow(
        key=head,
        label=stat.label,  # type: ignore[arg-type]
        name=name,
        aliases=aliases,
        keys=keys,
        articles=len(stat.articles),
        mentions=stat.mentions,
        first_published=stat.first,
        last_published=stat.last,
    )


def collect_entities(records: Iterable[Record]) -> EntityTable:
    """The reduction state over a stream of records."""
    table = EntityTable()
    for record in records:
        table.add(record)
    return table


def entity_table(
    sources: Iterable[Record] | str | Path | Iterable[str | Path],
) -> list[EntityRow]:
    """The archive entity table of records, or of one or more records JSONL files.

    Each file is reduced on its own and the partial tables merged, the way a
    distributed run reduces its parts; the rows are the same as for one pass.
    """
    return _table(sources).rows()


def _table(sources: Iterable[Record] | str | Path | Iterable[str | Path]) -> EntityTable:
    from pipeline import read_records

    if isinstance(sources, str | Path):
        return collect_entities(read_records(sources))
    table = EntityTable()
    for item in sources:
        if isinstance(item, Record):
            table.add(item)
        elif isinstance(item, str | Path):
            table.update(collect_entities(read_records(item)))
        else:
            raise TypeError(f"expected Record objects or paths, got {type(item).__name__}")
    return table


def reduce_files(
    paths: Iterable[str | Path], *, on_bad_line: Callable[[str], None] | None = None
) -> EntityTable:
    """Reduce record files to one table, one partial table per file.

    A line that is not a valid record is skipped (nothing else is lost) and reported
    through ``on_bad_line`` with its file and line number. A missing file raises
    :class:`~pipeline.errors.InputNotFound` (a ``FileNotFoundError``), as
    :func:`pipeline.read_records` does.
    """
    from pipeline.stages.parse import check_readable

    table = EntityTable()
    for path in paths:
        check_readable(path)
        part = EntityTable()
        with Path(path).open(encoding="utf-8", errors="replace") as f:
            for number, line in enumerate(f, start=1):
                if not line.strip():
                    continue
                try:
                    record = Record.model_validate_json(line)
                except ValidationError as e:
                    first = e.errors()[0]
                    where = ".".join(str(p) for p in first.get("loc", ())) or "record"
                    if on_bad_line is not None:
                        on_bad_line(
                            f"{path}:{number}: not a valid record ({where}: {first['msg']})"
                        )
                    continue
                part.add(record)
        table.update(part)
    return table


def write_table(rows: Iterable[EntityRow], f: IO[str], *, fmt: TableFormat = "jsonl") -> int:
    """Write rows as JSONL or CSV; returns the number of rows."""
    n = 0
    if fmt == "jsonl":
        for row in rows:
            f.write(row.model_dump_json() + "\n")
            n += 1
        return n
    writer = csv.writer(f, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        data = row.model_dump(mode="json")
        data["aliases"] = json.dumps(data["aliases"], ensure_ascii=False)
        data["keys"] = json.dumps(data["keys"], ensure_ascii=False)
        writer.writerow(["" if data[c] is None else data[c] for c in CSV_COLUMNS])
        n += 1
    return n


def read_table(path: str | Path) -> Iterator[EntityRow]:
    """Stream rows back from a JSONL entity table."""
    with Path(path).open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield EntityRow.model_validate_json(line)


def table_format(path: Path) -> TableFormat:
    """The format an output path asks for (by suffix; JSONL unless ``.csv``)."""
    return "csv" if path.suffix.lower() == ".csv" else "jsonl"
