"""Build data/eval/news_weekday_sample.tsv: the fixed sample of the weekday check.

Articles of ../shared/corpora/news_unlabeled holding a weekday right before a
bracketed date (pipeline.weekday_check.PATTERN), taken in the order of the SHA-1 of
their ids (a fixed pseudo-random order), leaving out the blind dev set's articles
(news_gold), until 150 articles; of each, the sentences with the pattern (cut after
。！？ or a line break). Only ids and offsets are written, never text.
Run: ``python scripts/build_weekday_sample.py``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
from pathlib import Path

from pipeline.weekday_check import PATTERN, SAMPLE, iter_articles

ROOT = Path(__file__).resolve().parents[1]
_SENTENCE = re.compile(r"[^。！？\n]*(?:[。！？]+[”’」』]*|\n|$)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--articles", type=int, default=150)
    args = parser.parse_args()
    gold = args.shared / "corpora" / "news_gold" / "gold.jsonl"
    blind = {json.loads(line)["id"] for line in gold.read_text(encoding="utf-8").splitlines()}
    hits: list[tuple[str, str, list[tuple[int, int]]]] = []
    for a in iter_articles(args.shared):
        if a["id"] in blind or not PATTERN.search(a["text"]):
            continue
        spans = [
            (m.start(), m.end())
            for m in _SENTENCE.finditer(a["text"])
            if m.end() > m.start() and PATTERN.search(m.group())
        ]
        key = hashlib.sha1(a["id"].encode()).hexdigest()
        hits.append((key, a["id"], spans))
    hits.sort()
    chosen = hits[: args.articles]
    lines = [
        "# Weekday check sample (scripts/build_weekday_sample.py): news_unlabeled article id,",
        "# sentence start and end offsets into its text. No text is kept here.",
    ]
    for _, i, spans in sorted(chosen, key=lambda h: h[1]):
        lines.extend(f"{i}\t{s}\t{e}" for s, e in spans)
    SAMPLE.parent.mkdir(parents=True, exist_ok=True)
    SAMPLE.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(
        f"wrote {len(lines) - 2} sentences of {len(chosen)} articles to {SAMPLE.relative_to(ROOT)}"
    )


if __name__ == "__main__":
    main()
