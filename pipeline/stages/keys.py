"""Entity keys: one identifier for one entity whatever script or short form an article uses.

A record's ``Entity.key`` is computed from that article alone plus static tables, so
it is the same in every run and every batch:

- places (LOC) that are countries or territories: ``iso:XX`` (ISO 3166-1 alpha-2);
  Chinese provinces, cities and counties: ``gb:NNNNNN`` (GB/T 2260), from the shipped
  ``place_keys.tsv`` (one-character forms such as 美, 华, 台, 沪 included; 澳 is
  Macau or Australia as the article's other mentions of 澳门 / 澳大利亚 decide);
- other names: ``<label>:<folded form>``, the folded form being NFKC, Traditional
  → Simplified, white space collapsed, name dots unified (·), Latin lowercased; a
  person's key uses the full name where the article links one (劳埃德·奥斯汀 / 奥斯汀;
  a Latin full name before a Chinese last name: 约翰逊（Jeh Johnson） is jeh johnson),
  an organization's its longest Chinese form (a trailing 公司 dropped), a Latin-only
  name its transliteration when the shipped CEDPANE list gives exactly one; the
  team-written ``aliases.tsv`` maps regional transliterations, abbreviations and
  Latin acronyms of frequently named entities (川普 → 特朗普, 中共 → 中国共产党,
  WHO → 世界卫生组织) to one form first;
- dates: ``date:<value>``.

:func:`article_keys` then settles short forms with the article's other entities (蔡 is
蔡英文 in an article naming 蔡英文, 伊 is Iran in one naming 伊朗).

Merges that need the whole batch (a Latin ↔ Chinese pair bracketed in another article,
a last name whose full name appears elsewhere) are not in the record: they are a
reduction over the batch's records, :mod:`pipeline.entities`.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from pipeline.stages.simplified import opencc_pairs

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_HAN_NAME = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_DOTS = "•‧・∙･．"
_SPACE_BETWEEN_HAN = re.compile(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])")
_SPACES = re.compile(r"\s+")
_SEP = re.compile(r"[·\s\-]+")
_COMPANY_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "公司", "集团")
#: Words between a company's name and 有限公司 that are part of its legal name only
#: (华为技术有限公司 is 华为, 字节跳动科技有限公司 is 字节跳动, 中国海洋石油集团有限公司
#: is 中国海洋石油; a group is written with or without 集团: 鸿海集团 is 鸿海).
_COMPANY_DESCRIPTORS = ("集团", "技术", "科技", "控股", "实业")
#: A news agency's name ends in 通讯社 or 通信社 and is written with 社 alone as well
#: (中央通讯社 / 中央社, 共同通信社 / 共同社).
_AGENCY_SUFFIXES = ("通讯社", "通信社")
#: A local court's or procuratorate's ``人民`` is often left out after its place
#: (海淀区人民法院 is 海淀区法院); not after 最高 (最高人民法院 is the PRC's, 最高法院 also
#: Taiwan's or another country's).
_PEOPLES_COURT = re.compile(r"(?<=[\u3400-\u9fff][区市县省州])人民(?=法院$|检察院$)")
#: A paper's office is the paper (人民日报社 is 人民日报, 光明日报社 光明日报).
_PAPER_OFFICE = re.compile(r"(?<=[\u3400-\u9fff]{2}报)社$")
#: Place names that open organization names without naming the organization's country
#: (中华电信 is Taiwan's, 大陆航空 an American airline).
_NOT_PREFIXES = frozenset({"中华", "大陆", "陆", "内地"})
#: A term's ordinal inside an organization's name (中国13届全国人民代表大会, 第十三届全国人大):
#: the body is the same from one term to the next.
_TERM = re.compile(r"第?[0-9一二三四五六七八九十百]+届(?=[\u3400-\u9fff]{2})")
#: A Latin person name's generational suffix (Lloyd Austin III is Lloyd Austin).
_GENERATION = re.compile(r"(?:,?\s+(?:jr|sr|ii|iii|iv)\.?)+$")
#: What follows a place's name when an autonomous area is written without its designation
#: (新疆维吾尔 is 新疆维吾尔自治区).
_AUTONOMOUS = ("自治区", "自治州", "自治县")
#: Designations after a territory's name that do not change the territory (台湾省, 香港特区).
_TERRITORY_SUFFIXES = ("特别行政区", "特区", "地区", "省")

#: Label → the prefix of name keys.
PREFIX = {"PERSON": "person", "ORG": "org", "LOC": "loc", "DATE": "date"}


def _data_path(name: str) -> Path:
    return Path(str(files("pipeline") / "data" / name))


@lru_cache(maxsize=1)
def _t2s_table() -> dict[int, str]:
    """Traditional → Simplified, one code point to one (OpenCC's character table, with its
    Hong Kong and Taiwan variant characters)."""
    table = {ord(src): dst for src, dst in opencc_pairs("TSCharacters.txt") if src != dst}
    # Hong Kong and Taiwan variant characters (衞, 衹, 僞) to the standard Traditional
    # character first, then to Simplified: 衞 is 衛 is 卫.
    for name in ("HKVariantsRev.txt", "TWVariantsRev.txt"):
        for src, target in opencc_pairs(name):
            if ord(src) not in table:
                folded = table.get(ord(target), target)
                if folded != src:
                    table[ord(src)] = folded
    for dot in _DOTS:
        table[ord(dot)] = "·"
    return table


@lru_cache(maxsize=1)
def place_keys() -> dict[str, str]:
    """Folded place name → ``iso:XX`` or ``gb:NNNNNN`` (the shipped table)."""
    table: dict[str, str] = {}
    for line in _data_path("place_keys.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, _, key = line.partition("\t")
            table[name] = key
    return table


@lru_cache(maxsize=1)
def transliterations() -> dict[str, tuple[str, ...]]:
    """Lowercase Western name → its Simplified transliterations (CEDPANE, shipped)."""
    table: dict[str, tuple[str, ...]] = {}
    path = _data_path("transliterations.tsv")
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, _, forms = line.partition("\t")
            table[name] = tuple(forms.split("|"))
    return table


@lru_cache(maxsize=1)
def _source_names() -> dict[str, tuple[str, ...]]:
    out: dict[str, set[str]] = {}
    for name, forms in transliterations().items():
        if " " not in name:
            for form in forms:
                out.setdefault(form, set()).add(name)
    return {form: tuple(sorted(names)) for form, names in out.items()}


def source_names(chinese: str) -> tuple[str, ...]:
    """The one-word Latin names the shipped list transliterates as ``chinese`` (哈里斯 is
    harris): two transliterations sharing one are variants of one name."""
    return _source_names().get(chinese, ())


@lru_cache(maxsize=1)
def aliases() -> dict[tuple[str, str], str]:
    """(label, folded alias) → folded canonical form (the team-written ``aliases.tsv``)."""
    table: dict[tuple[str, str], str] = {}
    for line in _data_path("aliases.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            label, canonical, alias = line.split("\t")
            table[(label, alias)] = canonical
    return table


def has_han(text: str) -> bool:
    """True when the text holds a Chinese character."""
    return _HAN.search(text) is not None


def simplify(text: str) -> str:
    """NFKC, Traditional → Simplified, name dots unified, white space collapsed (case kept)."""
    text = unicodedata.normalize("NFKC", text).translate(_t2s_table())
    text = _SPACE_BETWEEN_HAN.sub("", text.strip())
    return _SPACES.sub(" ", text)


def fold(text: str) -> str:
    """The form keys compare: :func:`simplify`, then Latin letters lowercased."""
    return simplify(text).casefold()


def canonical(label: str, folded: str) -> str:
    """A folded form with listed aliases replaced (per part for people; also after a
    country in front of an organization: 中国全国人大), a Latin person name's
    generational suffix dropped, and for organizations a term's ordinal left out, a news
    agency's 通讯社 / 通信社 written 社 (中央通讯社 is 中央社) and a
    trailing 公司 / 有限公司 / 集团 dropped with the legal descriptor before it (辉瑞公司 is
    辉瑞, 华为技术有限公司 is 华为, 鸿海集团 is 鸿海), a court's 人民 (海淀区人民法院 is 海淀区法院) and a paper's
    社 (人民日报社 is 人民日报) left out."""
    table = aliases()
    if label == "PERSON" and not has_han(folded):
        folded = _GENERATION.sub("", folded) or folded
    if label == "PERSON" and "·" in folded:
        return "·".join(table.get((label, p), p) for p in folded.split("·"))
    folded = table.get((label, folded), folded)
    if label == "ORG":
        folded = _PAPER_OFFICE.sub("", _PEOPLES_COURT.sub("", _TERM.sub("", folded)))
        for suffix in _AGENCY_SUFFIXES:
            if folded.endswith(suffix) and len(folded) - len(suffix) >= 2:
                folded = folded[: -len(suffix)] + "社"
        folded = table.get((label, folded), folded)
        code, rest = place_prefix(folded) if has_han(folded) else (None, folded)
        if code is not None and code.startswith("iso:") and (label, rest) in table:
            # 中国全国人大 is 中国 + 全国人民代表大会: an alias after the country in front
            # (中国人民银行 is not 中国 + 人民银行's alias 中国人民银行 again; 湖北省人大 is
            # a province's congress, not the national one).
            alias = table[(label, rest)]
            alias_code = place_prefix(alias)[0]
            if alias_code == code:
                folded = alias
            elif alias_code is None:
                front = folded[: len(folded) - len(rest)]
                # 中共中宣部: the alias 中共中央宣传部 already opens with 中共.
                folded = alias if alias.startswith(front) else front + alias
        for suffix in _COMPANY_SUFFIXES:
            if folded.endswith(suffix) and len(folded) - len(suffix) >= 2:
                folded = folded[: -len(suffix)]
                for word in _COMPANY_DESCRIPTORS:
                    if folded.endswith(word) and len(folded) - len(word) >= 2:
                        folded = folded[: -len(word)]
                        break
                return table.get((label, folded), folded)
    return folded


@lru_cache(maxsize=65536)
def place_prefix(name: str) -> tuple[str | None, str]:
    """A folded organization name's place code and the rest: 澳洲战略政策研究所 is
    (iso:AU, 战略政策研究所), as is 澳大利亚战略政策研究所. 中共 before a state body is
    China (中共外交部 is 中国外交部), not before 中央 (中共中央 is the party's); a
    country's one character with 军 is that country (美军太平洋舰队). (None, name) without
    a place in front or when less than two characters follow it."""
    if name.startswith("中共中央"):
        return None, name
    if name.startswith("中共") and len(name) >= 4:
        return "iso:CN", name[2:]
    table = place_keys()
    if len(name) >= 4 and name[1] == "军" and table.get(name[0], "").startswith("iso:"):
        return table[name[0]], name[2:]
    for i in range(min(len(name) - 2, 10), 0, -1):
        prefix = name[:i]
        code = table.get(prefix)
        if code is not None:
            return (None, name) if prefix in _NOT_PREFIXES else (code, name[i:])
    return None, name


def normal(label: str, text: str) -> str:
    """The form a key is made of: :func:`fold`, then :func:`canonical`."""
    return canonical(label, fold(text))


def name_parts(folded: str) -> list[str]:
    """The parts of a name: split at name dots, spaces and hyphens."""
    return [p for p in _SEP.split(folded) if p]


def is_full_name(folded: str) -> bool:
    """A foreign-style full name: more than one part (劳埃德·奥斯汀, lloyd austin)."""
    return len(name_parts(folded)) > 1


def transliterate(folded: str) -> str | None:
    """The one Chinese transliteration the shipped list gives a whole Latin name, if any."""
    forms = transliterations().get(folded)
    if forms is not None and len(forms) == 1:
        return forms[0]
    return None


def place_key(form: str, context: str = "") -> str | None:
    """``iso:``/``gb:`` key of a place name, or None; ``context`` decides 澳 (Macau/Australia)."""
    folded = normal("LOC", form)
    if folded == "澳":
        text = simplify(context)
        macau = "澳门" in text or "港澳" in text
        australia = "澳大利亚" in text or "澳洲" in text
        if macau != australia:
            return "iso:MO" if macau else "iso:AU"
        return None
    key = place_keys().get(folded)
    for suffix in _TERRITORY_SUFFIXES:
        # 台湾省, 香港特别行政区, 台湾地区 are the territory itself (ISO wins over GB).
        if folded.endswith(suffix) and len(folded) > len(suffix):
            base = place_keys().get(folded[: -len(suffix)])
            if base is not None and base.startswith("iso:"):
                return base
    if key is None and has_han(folded):
        # 新疆维吾尔, 广西壮族: an autonomous area whose designation the mention left out.
        for suffix in _AUTONOMOUS:
            code = place_keys().get(folded + suffix)
            if code is not None:
                return code
    if key is None and not has_han(folded):
        chinese = transliterate(folded)
        if chinese is not None:
            key = place_keys().get(chinese)
    return key


def _primary(label: str, forms: Mapping[str, int]) -> str:
    """The folded form a name key is made of (see the module docstring)."""
    folded: Counter[str] = Counter()
    for form, n in forms.items():
        folded[normal(label, form)] += n
    han = [f for f in folded if has_han(f)]
    if label == "PERSON":
        # A full name in any script identifies a person better than a last name.
        best = max(folded, key=lambda f: (is_full_name(f), has_han(f), len(f), folded[f], f))
        return best if has_han(best) else canonical(label, transliterate(best) or best)
    if han:
        if label == "ORG":  # 约翰·霍普金斯大学 is 约翰霍普金斯大学
            return max(han, key=lambda f: (len(f), folded[f], f)).replace("·", "")
        return max(han, key=lambda f: (folded[f], len(f), f))
    best = max(folded, key=lambda f: (is_full_name(f), len(f), folded[f], f))
    return canonical(label, transliterate(best) or best)


def entity_key(
    label: str, forms: Mapping[str, int], *, value: str | None = None, context: str = ""
) -> str:
    """The key of one article's entity from its surface forms (with counts).

    Args:
        label: The entity's label.
        forms: Its surface forms as written, with their mention counts.
        value: The normalized value (DATE).
        context: The article's text (decides 澳).
    """
    if label == "DATE":
        if value:
            return f"date:{value}"
        return f"date:{_primary(label, forms)}"
    if label == "LOC":
        for form, _ in sorted(forms.items(), key=lambda kv: (-kv[1], kv[0])):
            key = place_key(form, context)
            if key is not None:
                return key
    return f"{PREFIX[label]}:{_primary(label, forms)}"


def _short_of(short: str, full: str, shortest_rest: int) -> bool:
    return full.startswith(short) and len(full) - len(short) >= shortest_rest


def _is_area(key: str) -> bool:
    """A key a one-character place form can stand for: a country (伊 / 伊朗) or a
    continent (欧 / 欧洲). Provinces are left out: their one-character names are in the
    place table where they are unambiguous, and the others are not their first
    character (藏 is Tibet, 西藏's 西 is not)."""
    if key.startswith("iso:"):
        return True
    name = key.partition(":")[2]
    return key.startswith("loc:") and len(name) == 2 and name.endswith("洲")


def article_keys(entities: Sequence[tuple[str, Mapping[str, int], str]]) -> list[str]:
    """Refine one article's entity keys with its other entities.

    ``entities`` are (label, surface forms with counts, key from :func:`entity_key`).
    Within an article, a person's short form is the one person it starts (蔡 / 蔡英文,
    菅 / 菅义伟, 林郑 / 林郑月娥: a Chinese name of at most four characters, two or more
    characters longer than a two-character short form), and a one-character place
    without a code is the one country or continent it starts (伊 / 伊朗, 欧 / 欧洲);
    two candidates keep the key as it is.
    """
    out = [key for _, _, key in entities]
    # The candidates, gathered once (long texts have thousands of entities).
    people: list[tuple[str, str]] = []  # (key, Chinese name of at most four characters)
    areas: list[tuple[str, set[str]]] = []  # (country or continent key, its Chinese forms)
    for label, forms, key in entities:
        name = key.partition(":")[2]
        if label == "PERSON" and len(name) <= 4 and _HAN_NAME.fullmatch(name):
            people.append((key, name))
        elif label == "LOC" and _is_area(key):
            folded = {normal(label, f) for f in forms} | {name}
            areas.append((key, {n for n in folded if _HAN_NAME.fullmatch(n)}))
    for i, (label, _, key) in enumerate(entities):
        name = key.partition(":")[2]
        if not _HAN_NAME.fullmatch(name):
            continue
        candidates: set[str] = set()
        if label == "PERSON" and key.startswith("person:") and len(name) <= 2:
            rest = 1 if len(name) == 1 else 2
            candidates = {k for k, full in people if k != key and _short_of(name, full, rest)}
        elif label == "LOC" and key.startswith("loc:") and len(name) == 1:
            candidates = {
                k for k, names in areas if k != key and any(_short_of(name, n, 1) for n in names)
            }
        if len(candidates) == 1:
            out[i] = candidates.pop()
    return out
