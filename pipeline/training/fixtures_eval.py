"""Score a tagger alone on an annotated gold file (docs/gold.md), PERSON/ORG/LOC only.

    python -m pipeline.training.fixtures_eval tests/fixtures/gold.jsonl models/zh_news_ner/zh_news_ner

The gold is the team's annotated news fixtures in practice; its path is an argument,
so the library never reads tests/. Scoring is :func:`pipeline.evaluation.scoring.score`
(multiset match on (label, text) per article, ANNOTATION.md "Scoring").
"""

# ruff: noqa: T201  (command-line tool)

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from pipeline.evaluation.gold import GoldDoc, Triple, load_gold
from pipeline.evaluation.labels import NER_LABELS
from pipeline.evaluation.scoring import score as score_docs
from pipeline.model.tagger import CharTagger


def predict(tagger: CharTagger, docs: list[GoldDoc]) -> dict[str, list[Triple]]:
    """The tagger's mentions on each gold text (jieba words, Simplified shadow)."""
    from pipeline.stages.segment import JiebaSegmenter
    from pipeline.stages.simplified import to_simplified

    seg = JiebaSegmenter()
    out: dict[str, list[Triple]] = {}
    for doc in docs:
        text = doc.text or ""
        spans = tagger.predict([to_simplified(text)], [seg.spans(text)])[0]
        out[doc.id] = [(lab, text[s:e], None) for s, e, lab in spans]
    return out


def score(tagger: CharTagger, gold: str | Path, *, show: int = 0) -> dict[str, Any]:
    """Per-label P/R/F1 over the gold file; ``show`` prints that many errors per kind."""
    docs = load_gold(gold)
    scores = score_docs(docs, predict(tagger, docs), NER_LABELS)
    res: dict[str, Any] = {}
    for lab, s in [*scores.labels.items(), ("ALL", scores.ALL)]:
        res[lab] = {"p": round(s.p, 4), "r": round(s.r, 4), "f": round(s.f1, 4), "n": s.tp + s.fn}
    if show:
        print(
            "false positives:", [((e.label, e.text), e.count) for e in scores.false_alarms[:show]]
        )
        print("false negatives:", [((e.label, e.text), e.count) for e in scores.misses[:show]])
    return res


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gold", type=Path, help="gold JSONL, e.g. tests/fixtures/gold.jsonl")
    ap.add_argument("model", type=Path, nargs="?", default=Path("models/zh_news_ner/zh_news_ner"))
    ap.add_argument("--show", type=int, default=40, help="errors to print per kind")
    args = ap.parse_args(argv)
    result = score(CharTagger.from_disk(args.model), args.gold, show=args.show)
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
