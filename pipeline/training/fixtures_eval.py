"""Score a tagger on the team's annotated news fixtures (tests/fixtures), PERSON/ORG/LOC only.

    python -m pipeline.training.fixtures_eval models/zh_news_ner/zh_news_ner

Multiset match on (label, text) per article, as ANNOTATION.md "Scoring" defines.
"""

# ruff: noqa: T201  (command-line tool)

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from pipeline.model.tagger import CharTagger

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
LABELS = ("PERSON", "ORG", "LOC")


def load_fixtures() -> list[tuple[str, str, Counter[tuple[str, str]]]]:
    """(name, text, gold multiset) for every annotated article."""
    from pipeline.stages.parse import parse_file

    out = []
    for tsv in sorted((FIXTURES / "annotations").glob("*.tsv")):
        art = FIXTURES / "articles" / (tsv.stem + ".txt")
        if not art.is_file():
            continue
        gold: Counter[tuple[str, str]] = Counter()
        for i, line in enumerate(tsv.read_text(encoding="utf-8").splitlines()):
            parts = line.split("\t")
            if i == 0 or len(parts) < 2 or parts[1] not in LABELS:
                continue
            surface = parts[0]
            if "[" in surface and "]" in surface:  # 对[华]: the mention in its context
                surface = surface[surface.index("[") + 1 : surface.index("]")]
            gold[(parts[1], surface)] += 1
        out.append((tsv.stem, parse_file(art).text, gold))
    return out


def score(tagger: CharTagger, *, show: int = 0) -> dict[str, Any]:
    """Per-label P/R/F1 over all fixtures; ``show`` prints that many errors per label."""
    from pipeline.stages.segment import JiebaSegmenter
    from pipeline.stages.simplified import to_simplified

    seg = JiebaSegmenter()
    tp: Counter[str] = Counter()
    npred: Counter[str] = Counter()
    ngold: Counter[str] = Counter()
    fp_all: Counter[tuple[str, str]] = Counter()
    fn_all: Counter[tuple[str, str]] = Counter()
    for _name, text, gold in load_fixtures():
        spans = tagger.predict([to_simplified(text)], [seg.spans(text)])[0]
        pred = Counter((lab, text[s:e]) for s, e, lab in spans)
        hit = pred & gold
        for (lab, _), n in hit.items():
            tp[lab] += n
        for (lab, _), n in pred.items():
            npred[lab] += n
        for (lab, _), n in gold.items():
            ngold[lab] += n
        fp_all.update(pred - gold)
        fn_all.update(gold - pred)
    res: dict[str, Any] = {}
    for lab in [*LABELS, "ALL"]:
        t = sum(tp.values()) if lab == "ALL" else tp[lab]
        p_ = sum(npred.values()) if lab == "ALL" else npred[lab]
        g = sum(ngold.values()) if lab == "ALL" else ngold[lab]
        prec, rec = (t / p_ if p_ else 0.0), (t / g if g else 0.0)
        f = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        res[lab] = {"p": round(prec, 4), "r": round(rec, 4), "f": round(f, 4), "n": g}
    if show:
        print("false positives:", fp_all.most_common(show))
        print("false negatives:", fn_all.most_common(show))
    return res


if __name__ == "__main__":
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "models/zh_news_ner/zh_news_ner")
    print(json.dumps(score(CharTagger.from_disk(path), show=40), ensure_ascii=False, indent=1))
