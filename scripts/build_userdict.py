"""Build pipeline/data/userdict.txt, the jieba user dictionary the project ships.

Sources: the place lexicons of ../shared/corpora/lexicons whose licenses allow
shipping (world_countries and china_admin: Apache-2.0, from jionlp; iso_countries:
MIT), plus the team's own list of organizations and places of modern news
(pipeline/data/userdict_extra.txt). Frequencies are computed here with jieba's
``suggest_freq`` so the shipped file loads fast. Run: ``python scripts/build_userdict.py``.
"""

from __future__ import annotations

import argparse
import csv
import logging
from pathlib import Path

import jieba

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "pipeline" / "data" / "userdict.txt"
EXTRA = ROOT / "pipeline" / "data" / "userdict_extra.txt"


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def collect(lexicons: Path) -> dict[str, str]:
    """word → POS tag (ns place, nt organization)."""
    words: dict[str, str] = {}
    for r in rows(lexicons / "world_countries" / "world_countries_capitals_zh.tsv"):
        for w in (
            r["short_name"],
            r["full_name"],
            r["capital"],
            *r["other_cities(/-separated)"].split("/"),
        ):
            words[w.strip()] = "ns"
    for r in rows(lexicons / "iso_countries" / "countries_zh.tsv"):
        for w in r["name_zh(|-separated variants)"].split("|"):
            words[w.strip()] = "ns"
    for r in rows(lexicons / "china_admin" / "china_admin_prov_city_county.tsv"):
        words[r["name"].strip()] = "ns"
        if len(r["short_name"].strip()) >= 2:
            words[r["short_name"].strip()] = "ns"
    for line in EXTRA.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            word, _, tag = line.partition(" ")
            words[word] = tag.strip() or "nz"
    return {w: t for w, t in words.items() if len(w) >= 2 and " " not in w}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lexicons", type=Path, default=ROOT.parent / "shared/corpora/lexicons")
    args = parser.parse_args()
    jieba.setLogLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    tk.initialize()
    words = collect(args.lexicons)
    lines = []
    for word in sorted(words):
        freq = max(tk.FREQ.get(word, 0), tk.suggest_freq(word, tune=False), 3)
        lines.append(f"{word} {freq} {words[word]}")
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(lines)} words to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
