"""Build the static tables behind entity keys (pipeline/data/place_keys.tsv, transliterations.tsv).

``place_keys.tsv``: one place name a line with its key, ``iso:XX`` (ISO 3166-1
alpha-2) for countries and territories, ``gb:NNNNNN`` (GB/T 2260) for Chinese
provinces, cities and counties. Sources: the iso_countries lexicon (MIT), the
world_countries and china_admin lexicons (Apache-2.0, from jionlp), pycountry's
English country names and its Chinese translations, and the short forms of the
annotation guide written out below. A name that would get two different keys is
left out (ambiguity keeps keys apart), except that ISO codes win over GB codes for
the three territories both lists hold (台湾, 香港, 澳门).

``transliterations.tsv``: Western names (capitalized entries of the CEDPANE
lexicon, public domain) with their Simplified Chinese transliterations, several
per name where the lexicon has several.

Run: ``python scripts/build_entity_keys.py [--lexicons ../shared/corpora/lexicons]``.
"""

from __future__ import annotations

import argparse
import csv
import gettext
import re
import unicodedata
from collections import defaultdict
from pathlib import Path

import pycountry
from opencc import OpenCC

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "pipeline" / "data"

#: Forms the guide annotates as LOC that no list holds: one-character short forms
#: (中美, 美方, 访华, 赴台) and common names of modern news. 澳 is left out on purpose
#: (Australia or Macau: the link stage decides from the article).
SHORT_FORMS: dict[str, str] = {
    "中": "CN",
    "华": "CN",
    "中华": "CN",
    "中国大陆": "CN",
    "大陆": "CN",
    "内地": "CN",
    "陆": "CN",  # Taiwan's and Hong Kong's press: 陆方, 陆媒, 两岸 (大陆 and 台)
    "美": "US",
    "日": "JP",
    "韩": "KR",
    "朝": "KP",
    "俄": "RU",
    "英": "GB",
    "法": "FR",
    "德": "DE",
    "台": "TW",
    "台湾": "TW",
    "港": "HK",
    "越": "VN",
    "印": "IN",
    "菲": "PH",
    "泰": "TH",
    "缅": "MM",
    "以": "IL",
    "加": "CA",
    "加国": "CA",
    "俄联邦": "RU",
    "意": "IT",
    "澳洲": "AU",
    "纽西兰": "NZ",
    "星加坡": "SG",
    "南韩": "KR",
    "北韩": "KP",
    "US": "US",
    "U.S.": "US",
    "USA": "US",
    "U.S.A.": "US",
    "UK": "GB",
    "U.K.": "GB",
    "PRC": "CN",
}
#: One-character names of provinces, only those that name nothing else in news
#: (苏 is also the Soviet Union, 新 Singapore, 蒙 Mongolia, 吉 Kyrgyzstan...).
PROVINCE_SHORT: dict[str, str] = {
    "沪": "310000",
    "京": "110000",
    "津": "120000",
    "渝": "500000",
    "冀": "130000",
    "晋": "140000",
    "辽": "210000",
    "浙": "330000",
    "皖": "340000",
    "闽": "350000",
    "赣": "360000",
    "鲁": "370000",
    "豫": "410000",
    "鄂": "420000",
    "湘": "430000",
    "粤": "440000",
    "琼": "460000",
    "黔": "520000",
    "滇": "530000",
    "陇": "620000",
}
_HAN = re.compile(r"^[\u3400-\u9fff·]+$")
_LATIN_NAME = re.compile(r"^[A-Z][A-Za-z\u00c0-\u024f'\-\. ]*$")
_T2S = OpenCC("t2s")


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def fold(name: str) -> str:
    """The form keys are looked up by: NFKC, Simplified, no spaces; Latin lowercased."""
    text = _T2S.convert(unicodedata.normalize("NFKC", name)).strip()
    return re.sub(r"\s+", " ", text).casefold()


def place_keys(lexicons: Path) -> dict[str, str]:
    iso: dict[str, set[str]] = defaultdict(set)
    for r in rows(lexicons / "iso_countries" / "countries_zh.tsv"):
        for name in r["name_zh(|-separated variants)"].split("|"):
            iso[fold(name)].add(r["alpha2"])
    # pycountry: English names (Latin forms in Chinese news) and its Chinese translations.
    zh = [
        gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True)
        for lang in ("zh_CN", "zh_TW")
    ]
    for c in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            name = getattr(c, attr, None)
            if name:
                iso[fold(name)].add(c.alpha_2)
                for t in zh:
                    translated = t.gettext(name)
                    if translated != name:
                        iso[fold(translated)].add(c.alpha_2)
    # world_countries: short and full Chinese names, matched to a code by any known name.
    for r in rows(lexicons / "world_countries" / "world_countries_capitals_zh.tsv"):
        names = [fold(r["short_name"]), fold(r["full_name"])]
        codes = {code for n in names for code in iso.get(n, ())}
        if len(codes) == 1:
            for n in names:
                iso[n].add(next(iter(codes)))
    for name, code in SHORT_FORMS.items():
        iso[fold(name)] = {code}

    gb: dict[str, set[str]] = defaultdict(set)
    for r in rows(lexicons / "china_admin" / "china_admin_prov_city_county.tsv"):
        if not re.fullmatch(r"\d{6}", r["code"] or ""):
            continue  # a few rows (Taiwan's districts) have no code
        gb[fold(r["name"])].add(r["code"])
        short = fold(r["short_name"])
        if r["level"] in ("province", "city") or len(short) >= 2:
            gb[short].add(r["code"])
    for name, code in PROVINCE_SHORT.items():
        gb[name] = {code}

    table: dict[str, str] = {}
    for name, codes in gb.items():
        if len(codes) == 1 and name:
            table[name] = f"gb:{next(iter(codes))}"
    for name, codes in iso.items():
        if len(codes) == 1 and name:
            table[name] = f"iso:{next(iter(codes))}"  # ISO wins over GB (台湾, 香港, 澳门)
        elif name in table:
            del table[name]
    return table


def transliterations(lexicons: Path) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for r in rows(lexicons / "cedpane" / "cedpane_2020-06-16.tsv"):
        simplified = r["Simplified"].strip()
        if not _HAN.match(simplified):
            continue
        word = re.sub(r"\([^)]*\)", "", r["Word"])
        for variant in word.split(";"):
            variant = re.sub(r"\s+", " ", variant).strip()
            if _LATIN_NAME.match(variant) and len(variant) > 1:
                out[variant.casefold()].add(simplified)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lexicons", type=Path, default=ROOT.parent / "shared/corpora/lexicons")
    args = parser.parse_args()
    table = place_keys(args.lexicons)
    with (DATA / "place_keys.tsv").open("w", encoding="utf-8") as f:
        f.write(
            "# Generated by scripts/build_entity_keys.py from the iso_countries, world_countries\n"
            "# and china_admin lexicons and pycountry (licenses in pipeline/data/licenses/).\n"
        )
        for name in sorted(table):
            f.write(f"{name}\t{table[name]}\n")
    names = transliterations(args.lexicons)
    with (DATA / "transliterations.tsv").open("w", encoding="utf-8") as f:
        f.write(
            "# Generated by scripts/build_entity_keys.py from CEDPANE (public domain, Unlicense;\n"
            "# pipeline/data/licenses/cedpane.LICENSE). Latin name (lowercase), then its\n"
            "# Simplified transliterations separated by |.\n"
        )
        for name in sorted(names):
            f.write(f"{name}\t{'|'.join(sorted(names[name]))}\n")
    print(f"place_keys.tsv: {len(table)} names; transliterations.tsv: {len(names)} names")


if __name__ == "__main__":
    main()
