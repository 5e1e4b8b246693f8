"""Baseline for the model card: a linear-chain CRF (python-crfsuite) on the same split.

    python -m pipeline.training.crf_baseline --max-iter 100

Features: characters at -2..2, character bigrams at -1..1, jieba soft-word position
(and word class), all from the same featurizer inputs as the neural model.
"""

# ruff: noqa: T201  (command-line tool)

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from pipeline.model.features import Featurizer, WordClasses
from pipeline.model.tagger import bioes_tags
from pipeline.training import data as D
from pipeline.training.train import LABELS, tag_ids


def sent_features(text: str, sw: list[int]) -> list[list[str]]:
    """crfsuite feature strings per character."""
    n = len(text)
    pad = "^^" + text + "$$"
    out = []
    for i in range(n):
        j = i + 2
        f = [
            "c0=" + pad[j],
            "c-1=" + pad[j - 1],
            "c1=" + pad[j + 1],
            "c-2=" + pad[j - 2],
            "c2=" + pad[j + 2],
            "b-1=" + pad[j - 1 : j + 1],
            "b0=" + pad[j : j + 2],
            "b-2=" + pad[j - 2 : j],
            "t=" + pad[j - 1 : j + 2],
            f"sw={sw[i]}",
            f"swc={sw[i]}|{pad[j]}",
        ]
        out.append(f)
    return out


def main(argv: list[str] | None = None) -> None:
    import pycrfsuite

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--max-iter", type=int, default=100)
    ap.add_argument("--model", type=Path, default=D.CACHE / "crf_baseline.crfsuite")
    args = ap.parse_args(argv)
    train_s, dev_s = D.msra_split()
    train = D.with_words(list(D.split_long(train_s)), "crf_train")
    dev = D.with_words(dev_s, "dev")
    tags = bioes_tags(LABELS)
    wc = WordClasses.default()
    t0 = time.time()
    trainer = pycrfsuite.Trainer(verbose=False)
    for s, w in train:
        sw = wc.word_ids(s.text, w, Featurizer.softword_ids(len(s.text), w)).tolist()
        y = [tags[k] for k in tag_ids(len(s.text), s.spans, tags)]
        trainer.append(sent_features(s.text, sw), y)
    trainer.set_params({"c1": 0.05, "c2": 0.01, "max_iterations": args.max_iter})
    trainer.train(str(args.model))
    train_min = (time.time() - t0) / 60
    tagger = pycrfsuite.Tagger()
    tagger.open(str(args.model))
    tp = {lab: 0 for lab in LABELS}
    np_ = dict(tp)
    ng = dict(tp)
    t1 = time.time()
    for s, w in dev:
        sw = wc.word_ids(s.text, w, Featurizer.softword_ids(len(s.text), w)).tolist()
        pred = tagger.tag(sent_features(s.text, sw))
        spans, start = set(), -1
        for i, t in enumerate(pred):
            if t[0] == "S":
                spans.add((i, i + 1, t[2:]))
            elif t[0] == "B":
                start = i
            elif t[0] == "E" and start >= 0:
                spans.add((start, i + 1, t[2:]))
                start = -1
        gold = set(s.spans)
        for sp in spans:
            np_[sp[2]] += 1
            tp[sp[2]] += sp in gold
        for sp in gold:
            ng[sp[2]] += 1
    secs = time.time() - t1
    res: dict[str, Any] = {}
    for lab in [*LABELS, "ALL"]:
        t = sum(tp.values()) if lab == "ALL" else tp[lab]
        p_ = sum(np_.values()) if lab == "ALL" else np_[lab]
        g = sum(ng.values()) if lab == "ALL" else ng[lab]
        p, r = t / max(p_, 1), t / max(g, 1)
        res[lab] = {"p": round(p, 4), "r": round(r, 4), "f": round(2 * p * r / max(p + r, 1e-9), 4)}
    res["chars_per_s"] = round(sum(len(s.text) for s, _ in dev) / secs)
    res["train_minutes"] = round(train_min, 1)
    print(json.dumps(res))


if __name__ == "__main__":
    main()
