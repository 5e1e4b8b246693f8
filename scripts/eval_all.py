"""`make eval`: accuracy tables for the README's "Accuracy" section.

Scores the bundled pipeline (strict mention match, ../shared/ANNOTATION.md "Scoring")
on the team's annotated fixtures and, when ../shared is present, on the dev data
of the corpora mapped to the guide's labels:

- MSRA dev: the last 3,000 sentences of msra_train (held out from training, as the
  model card says), and the same converted to Traditional with OpenCC s2tw;
- People's Daily 1998 dev (sentences also in msra_train removed), PER/ORG/LOC;
  its TIME is scored separately against DATE (TIME includes vague times the guide
  excludes, so that row measures overlap, not accuracy);
- CLUENER dev (name→PERSON; organization, government, company→ORG; address,
  scene→LOC: conventions differ from the guide, e.g. titles inside names);
- Universal NER Chinese dev (GSD Simplified; Wikipedia, not news).

Prints the table (``make eval``) and says which sets it could not measure. Only
with ``--readme`` (``make eval-readme``) does it write the table between
``<!-- accuracy:start -->`` and ``<!-- accuracy:end -->`` in README.md, and only
when every set was measured: a missing corpus never drops its row. ``--json``
writes all scores as JSON.

Then, when ../shared is present, the weekday check of issue 18
(:mod:`pipeline.weekday_check`: names overlapping a weekday before a bracketed date,
share of those weekdays found as DATE) on its fixed news_unlabeled sample is printed;
only ``--card`` (``make eval-card``) writes it into the model card, between
``<!-- weekday:start -->`` and ``<!-- weekday:end -->``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

from pipeline.evaluate import GoldDoc, GoldMention, Scores, load_gold, read_bio, read_cluener, score
from pipeline.runner import Extractor

ROOT = Path(__file__).resolve().parents[1]
NER = ("PERSON", "ORG", "LOC")
CARD = ROOT / "models" / "zh_news_ner" / "README.md"


def predict(
    extractor: Extractor, docs: list[GoldDoc]
) -> dict[str, list[tuple[str, str, str | None]]]:
    """Run the pipeline on the gold texts (with their publication time, when known)."""
    from pipeline.evaluate import predict as run

    return run(docs, nlp=extractor)


def to_traditional(docs: list[GoldDoc]) -> list[GoldDoc]:
    """The same documents in Traditional script (OpenCC s2tw), offsets unchanged."""
    from opencc import OpenCC

    cc = OpenCC("s2tw")
    out: list[GoldDoc] = []
    for d in docs:
        text = d.text or ""
        trad = cc.convert(text)
        if len(trad) != len(text):  # a phrase conversion changed the length: per character
            trad = "".join(cc.convert(ch) if len(cc.convert(ch)) == 1 else ch for ch in text)
        mentions = [
            GoldMention(start=m.start, end=m.end, label=m.label, text=trad[m.start : m.end])
            for m in d.mentions
        ]
        out.append(GoldDoc(id=d.id, text=trad, mentions=mentions))
    return out


def read_uner(path: Path) -> list[GoldDoc]:
    """Universal NER IOB2 (word tokens, CoNLL-U-like columns) → character-offset docs."""
    docs: list[GoldDoc] = []
    words: list[tuple[str, str]] = []

    def flush() -> None:
        if not words:
            return
        text, mentions, pos = "", [], 0
        start, kind = -1, ""
        bounds: list[tuple[int, int, str]] = []
        for w, tag in [*words, ("", "O")]:
            if tag == "O" or tag.startswith("B-") or (tag.startswith("I-") and tag[2:] != kind):
                if kind:
                    bounds.append((start, pos, kind))
                start, kind = (pos, tag[2:]) if tag != "O" else (-1, "")
            text += w
            pos += len(w)
        for s, e, k in bounds:
            label = {"PER": "PERSON", "ORG": "ORG", "LOC": "LOC"}.get(k)
            if label:
                mentions.append(GoldMention(start=s, end=e, label=label, text=text[s:e]))  # type: ignore[arg-type]
        docs.append(GoldDoc(id=f"uner:{len(docs) + 1}", text=text, mentions=mentions))
        words.clear()

    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            flush()
        elif not line.startswith("#"):
            cols = line.split("\t")
            words.append((cols[1], cols[2]))
    flush()
    return docs


#: The README's rows, in order: (name, the files under ../shared/corpora it needs).
CORPUS_SETS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("MSRA dev (last 3,000 of train)", ("msra_train/msra_train.bio",)),
    ("MSRA dev, Traditional (OpenCC s2tw)", ("msra_train/msra_train.bio",)),
    (
        "People's Daily dev (not in MSRA train)",
        ("people_daily_time/dev.char.bio.tsv", "people_daily_time/overlap_with_msra_train.txt"),
    ),
    (
        "People's Daily dev: TIME vs DATE (broader TIME)",
        ("people_daily_time/dev.char.bio.tsv", "people_daily_time/overlap_with_msra_train.txt"),
    ),
    ("CLUENER dev (mapped)", ("cluener/dev.jsonl",)),
    ("Universal NER zh dev (Wikipedia)", ("uner_zh_gsdsimp/zh_gsdsimp-ud-dev.iob2",)),
)
FIXTURES = "fixtures (team-written news, all labels)"


def missing_sets(shared: Path) -> dict[str, list[str]]:
    """The corpus rows that cannot be computed, with the files they lack."""
    corpora = shared / "corpora"
    out: dict[str, list[str]] = {}
    for name, needs in CORPUS_SETS:
        lacking = [str(corpora / rel) for rel in needs if not (corpora / rel).is_file()]
        if lacking:
            out[name] = lacking
    return out


def datasets(shared: Path) -> list[tuple[str, list[GoldDoc], tuple[str, ...] | None]]:
    """(name, docs, labels scored) for every evaluation set available."""
    sets: list[tuple[str, list[GoldDoc], tuple[str, ...] | None]] = [
        (FIXTURES, load_gold(ROOT / "tests/fixtures/gold.jsonl"), None)
    ]
    corpora = shared / "corpora"
    available = {name for name, _ in CORPUS_SETS} - set(missing_sets(shared))
    if {CORPUS_SETS[0][0], CORPUS_SETS[1][0]} <= available:
        msra = read_bio(corpora / "msra_train/msra_train.bio", id_prefix="msra")[-3000:]
        sets.append((CORPUS_SETS[0][0], msra, NER))
        sets.append((CORPUS_SETS[1][0], to_traditional(msra), NER))
    if CORPUS_SETS[2][0] in available:
        overlap = {
            int(line.split("\t")[1])
            for line in (corpora / "people_daily_time/overlap_with_msra_train.txt")
            .read_text()
            .splitlines()
            if line.startswith("dev.char.bio.tsv")
        }
        pd = [
            d
            for i, d in enumerate(
                read_bio(corpora / "people_daily_time/dev.char.bio.tsv", id_prefix="pd")
            )
            if i not in overlap
        ]
        sets.append((CORPUS_SETS[2][0], pd, NER))
        sets.append((CORPUS_SETS[3][0], pd, ("DATE",)))
    if CORPUS_SETS[4][0] in available:
        sets.append((CORPUS_SETS[4][0], read_cluener(corpora / "cluener/dev.jsonl"), NER))
    if CORPUS_SETS[5][0] in available:
        sets.append(
            (
                CORPUS_SETS[5][0],
                read_uner(corpora / "uner_zh_gsdsimp/zh_gsdsimp-ud-dev.iob2"),
                NER,
            )
        )
    return sets


def row(name: str, s: Scores, labels: tuple[str, ...] | None, chars: int, secs: float) -> str:
    d = s.to_dict()
    cells = []
    for lab in ("PERSON", "ORG", "LOC", "DATE"):
        entry = d["labels"].get(lab)
        shown = labels is None or lab in labels
        cells.append(
            f"{entry['f1']:.3f}" if entry and shown and (entry["tp"] + entry["fn"]) else "–"
        )
    dva = d.get("date_value_accuracy")
    value = f"{dva:.3f}" if dva is not None and (labels is None) else "–"
    return (
        f"| {name} | {len(s.labels) and d['ALL']['p']:.3f} | {d['ALL']['r']:.3f} | {d['ALL']['f1']:.3f} | "
        + " | ".join(cells)
        + f" | {value} | {chars / secs:,.0f} |"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--model", default=None)
    parser.add_argument(
        "--readme",
        action="store_true",
        help="write the table into README.md (refused unless every set can be measured)",
    )
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument(
        "--card", action="store_true", help="write the weekday figures into the model card"
    )
    parser.add_argument("--weekdays-only", action="store_true", help="run the weekday check only")
    args = parser.parse_args()
    missing = missing_sets(args.shared)
    if missing:
        print(
            f"not measured ({len(missing)} of {len(CORPUS_SETS) + 1} sets; their corpora are "
            f"not under {args.shared / 'corpora'}):",
            file=sys.stderr,
        )
        for name, lacking in missing.items():
            print(f"  {name}: missing {', '.join(lacking)}", file=sys.stderr)
    if args.readme and missing:
        print(
            "README.md left as it was: its accuracy table keeps every row only when every "
            "set is measured (run `make eval-readme` with ../shared present).",
            file=sys.stderr,
        )
        return 1
    extractor = Extractor.load(args.model)
    if args.weekdays_only:
        weekdays(extractor, args.shared, card=args.card)
        return 0
    lines = [
        "| data | P | R | F1 | PERSON | ORG | LOC | DATE | DATE value acc. | chars/s |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    dump = {}
    for name, docs, labels in datasets(args.shared):
        t0 = time.perf_counter()
        pred = predict(extractor, docs)
        secs = time.perf_counter() - t0
        scores = score(docs, pred, labels)
        dump[name] = scores.to_dict()
        lines.append(row(name, scores, labels, sum(len(d.text or "") for d in docs), secs))
    table = "\n".join(lines)
    print(table)
    if args.json:
        args.json.write_text(json.dumps(dump, ensure_ascii=False, indent=2), encoding="utf-8")
    if args.readme:
        write_readme(table, extractor)
        print("README.md: accuracy table updated", file=sys.stderr)
    weekdays(extractor, args.shared, card=args.card)
    return 0


def write_readme(table: str, extractor: Extractor) -> None:
    """Replace the table between the accuracy markers of README.md."""
    readme = ROOT / "README.md"
    block = (
        "<!-- accuracy:start -->\n"
        f"Model `{extractor.info.model}` {extractor.info.model_version}, measured "
        f"{time.strftime('%Y-%m-%d')} by `make eval-readme` (strict mention match; chars/s "
        "includes the whole pipeline, both cores available):\n\n"
        f"{table}\n<!-- accuracy:end -->"
    )
    text = readme.read_text(encoding="utf-8")
    text = re.sub(r"<!-- accuracy:start -->.*?<!-- accuracy:end -->", block, text, flags=re.S)
    readme.write_text(text, encoding="utf-8")


def weekdays(extractor: Extractor, shared: Path, *, card: bool) -> None:
    """Print the weekday check (issue 18); with ``card``, write it into the model card."""
    from pipeline.weekday_check import read_sample, run_check

    if not (shared / "corpora" / "news_unlabeled").is_dir():
        print(f"\nweekday check skipped: {shared}/corpora/news_unlabeled is absent")
        return
    t0 = time.perf_counter()
    figures = run_check(extractor, shared, read_sample())
    secs = time.perf_counter() - t0
    table = figures.table()
    verdict = "targets met" if figures.passed else "TARGETS MISSED"
    print(f"\n{table}\n\nweekday check: {verdict} ({secs:.1f} s)")
    if card:
        path = CARD
        block = (
            "<!-- weekday:start -->\n"
            f"Model `{extractor.info.model}` {extractor.info.model_version}, measured "
            f"{time.strftime('%Y-%m-%d')} by `make eval-card` (the weekday check of "
            "scripts/eval_all.py; sample: data/eval/news_weekday_sample.tsv, ids and offsets "
            f"into ../shared/corpora/news_unlabeled):\n\n{table}\n<!-- weekday:end -->"
        )
        text = path.read_text(encoding="utf-8")
        if "<!-- weekday:start -->" in text:
            text = re.sub(r"<!-- weekday:start -->.*?<!-- weekday:end -->", block, text, flags=re.S)
        else:
            text += "\n## Weekdays after names (make eval-card)\n\n" + block + "\n"
        path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
