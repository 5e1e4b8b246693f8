"""Measure the DATE stage: against jionlp, on People's Daily TIME spans, and its speed.

Writes the generated sections of docs/dates.md (between ``<!-- name:begin -->`` and
``<!-- name:end -->`` markers; the rest of the page is left as is).

    .venv/bin/pip install jionlp      # dev/bench only, not a runtime dependency
    .venv/bin/python scripts/compare_jionlp.py            # all sections
    .venv/bin/python scripts/compare_jionlp.py --only bench --no-write

Sections:
- jionlp: ``jionlp.parse_time`` on every DATE of tests/unit/date_cases.jsonl, and
  ``jionlp.extract_time`` on every case text, compared with the guide's answers.
- pd: recognition of the rules against People's Daily TIME spans
  (../shared/corpora/people_daily_time/dev.char.bio.tsv).
- bench: find_dates throughput on the archive sample (../shared/examples/archive/raw).
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import html
import json
import re
import sys
import time
import unicodedata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CASES = ROOT / "tests" / "unit" / "date_cases.jsonl"
DOC = ROOT / "docs" / "dates.md"
sys.path.insert(0, str(ROOT))

from pipeline.evaluation.scoring import LabelScore  # noqa: E402
from pipeline.stages.dates import find_dates, value_interval  # noqa: E402

Interval = tuple[dt.date, dt.date]


# --- helpers -----------------------------------------------------------------


def _jio_interval(res: Any) -> Interval | None:
    try:
        start, end = res["time"]
        return dt.date.fromisoformat(start[:10]), dt.date.fromisoformat(end[:10])
    except (TypeError, KeyError, ValueError):
        return None


def _fmt(iv: Interval | None) -> str:
    if iv is None:
        return "—"
    return iv[0].isoformat() if iv[0] == iv[1] else f"{iv[0]}..{iv[1]}"


def _category(text: str, ours: Interval, theirs: Interval | None, res: Any) -> str:
    """Why jionlp and the guide disagree on one expression (best guess, by rule)."""
    if theirs is None and isinstance(res, dict) and res.get("time"):
        return "jionlp returns a year it cannot convert (ROC, full-width digits)"
    if theirs is None:
        return "jionlp: no result (raises on the expression)"
    if re.search(r"年代", text):
        return "decade read as one year"
    if re.search(r"民[国國]", text):
        return "ROC year not converted"
    if re.search(r"[春夏秋冬][天季]|[今去明][春夏秋冬]", text):
        return "season boundaries (solar terms vs months)"
    if re.search(r"[初底末中]$|[上中下]旬|年[初底末中]|月[初底末]", text):
        return "part of a period: jionlp narrows, guide keeps the period"
    if re.search(r"^(?:周|週|星期|礼拜|禮拜)[一二三四五六日天]$", text):
        return "bare weekday: current calendar week vs nearest day"
    if res.get("definition") == "blur":
        return "jionlp marks it vague (blur) with another range"
    if (theirs[0].month, theirs[0].day) == (ours[0].month, ours[0].day) and theirs[0] != ours[0]:
        return "year-less date: current year vs nearest occurrence"
    if re.search(r"[周週]|星期|礼拜|禮拜", text):
        return "week arithmetic"
    if re.search(r"[节節]|除夕|元旦|五一|国庆|國慶|七夕|中秋|端午|重阳|圣诞|聖誕", text):
        return "holiday resolution"
    return "other"


# --- sections ----------------------------------------------------------------


def section_jionlp() -> str:
    import jionlp as jio  # dev dependency

    cases = [json.loads(x) for x in CASES.read_text(encoding="utf-8").splitlines() if x]
    agree = total = 0
    by_cat: dict[str, list[str]] = collections.defaultdict(list)
    # value comparison, expression by expression
    for case in cases:
        if not case["published"]:
            continue
        pub = dt.date.fromisoformat(case["published"])
        base = time.mktime((pub.year, pub.month, pub.day, 12, 0, 0, 0, 0, -1))
        for mention in case["mentions"]:
            if mention["value"] is None:
                continue
            ours = value_interval(mention["value"])
            if ours is None:
                continue
            total += 1
            try:
                res = jio.parse_time(mention["text"], time_base=base)
            except Exception:
                res = None
            theirs = _jio_interval(res) if isinstance(res, dict) else None
            if theirs == ours:
                agree += 1
                continue
            cat = _category(mention["text"], ours, theirs, res if isinstance(res, dict) else {})
            by_cat[cat].append(
                f"{mention['text']} ({pub}): guide {mention['value']}, jionlp {_fmt(theirs)}"
            )
    # recognition: jionlp's extractor on the case texts vs the expected mentions
    tp = fp = fn = 0
    fp_examples: list[str] = []
    fn_examples: list[str] = []
    for case in cases:
        pub = dt.date.fromisoformat(case["published"] or "2022-01-05")
        base = time.mktime((pub.year, pub.month, pub.day, 12, 0, 0, 0, 0, -1))
        try:
            found = [e["text"] for e in jio.ner.extract_time(case["text"], time_base=base)]
        except Exception:
            found = []
        gold = [m["text"] for m in case["mentions"]]
        for t in found:
            if t in gold:
                tp += 1
                gold.remove(t)
            else:
                fp += 1
                fp_examples.append(t)
        fn += len(gold)
        fn_examples.extend(gold)
    prf = LabelScore.from_counts(tp, fp, fn)
    lines = [
        f"Values: jionlp `parse_time` gives the guide's interval for **{agree} of {total}** "
        f"resolvable DATE expressions of the case table ({agree / total:.1%}); the rest, by "
        "cause (rules in `_category`, first examples):",
        "",
        "| cause | n | examples |",
        "| --- | ---: | --- |",
    ]
    for cat, items in sorted(by_cat.items(), key=lambda kv: -len(kv[1])):
        lines.append(f"| {cat} | {len(items)} | {'; '.join(items[:3])} |")
    lines += [
        "",
        f"Spans: jionlp `extract_time` on the {len(cases)} case texts, exact match with the "
        f"guide's mentions: P {prf.p:.3f}, R {prf.r:.3f}, "
        f"F1 {prf.f1:.3f} (the rules: 1.000 on this table, which they were written against).",
        f"Extra spans (guide says not DATE or other boundaries), first ones: "
        f"{', '.join(fp_examples[:15])}.",
        f"Missed guide mentions, first ones: {', '.join(fn_examples[:15])}.",
    ]
    return "\n".join(lines)


TIME_OF_DAY = re.compile(r"[时點点分秒]|上午|下午|中午|晚|夜|凌晨|清晨|早晨|早上|傍晚|黄昏|午")
# A gold TIME span the guide would also call DATE (calendar words); the rest of
# PD's TIME (目前, 现在, 过去, 当年, 当代, 会上, 昔日 ...) is vague, anaphoric or an era.
DATE_LIKE = re.compile(
    r"[0-9〇零一二三四五六七八九十]+(?:年|月|日|号)|星期|礼拜|周[一二三四五六日]|[今去明前后昨]天"
    r"|[今昨明]日|^(?:今|去|明|前|后|上|大前|大后)年|[上下本]月|上个月|下个月|[上下本]周|[上下]半年"
    r"|季度|春节|元旦|国庆|[今去明][春夏秋冬]|[春夏秋冬][天季]|年底|年初|[上中下]旬"
)


def _pd_sentences(path: Path) -> list[tuple[str, list[tuple[int, int]]]]:
    """People's Daily sentences (NFKC per character, offsets kept) with their TIME spans."""
    from pipeline.evaluation.formats import iter_tagged

    sents: list[tuple[str, list[tuple[int, int]]]] = []
    for t in iter_tagged(path):
        text = "".join(unicodedata.normalize("NFKC", c)[:1] or " " for c in t.text)
        sents.append((text, [(s, e) for s, e, kind in t.spans if kind == "TIME"]))
    return sents


def _merge_adjacent(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join TIME spans that touch (PD tags 今年 and 5月 as two words: 今年5月)."""
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if out and out[-1][1] == s:
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def _prf(sents: list[tuple[str, list[tuple[int, int]]]]) -> tuple[float, float, float]:
    tp = fp = fn = 0
    for text, gold in sents:
        pred = {(m.start, m.end) for m in find_dates(text, published=dt.date(1998, 1, 1))}
        tp += len(pred & set(gold))
        fp += len(pred - set(gold))
        fn += len(set(gold) - pred)
    prf = LabelScore.from_counts(tp, fp, fn)
    return prf.p, prf.r, prf.f1


def section_pd() -> str:
    from pipeline.evaluation.corpora import PD_DEV, corpora_dir

    path = corpora_dir(SHARED) / PD_DEV
    raw_sents = _pd_sentences(path)
    raw_p, raw_r, raw_f1 = _prf(raw_sents)
    sents = [(text, _merge_adjacent(gold)) for text, gold in raw_sents]
    tp = fp = fn = overlap_fn = 0
    kinds: collections.Counter[str] = collections.Counter()
    kinds_hit: collections.Counter[str] = collections.Counter()
    fp_kinds: collections.Counter[str] = collections.Counter()
    fp_examples: list[str] = []
    fn_examples: collections.Counter[str] = collections.Counter()
    boundary_examples: list[str] = []
    for text, gold in sents:
        pred = [(m.start, m.end) for m in find_dates(text, published=dt.date(1998, 1, 1))]
        gold_set, pred_set = set(gold), set(pred)
        tp += len(gold_set & pred_set)
        for s, e in gold:
            g = text[s:e]
            kind = (
                "time of day"
                if TIME_OF_DAY.search(g)
                else "date-like"
                if DATE_LIKE.search(g)
                else "vague/anaphora/era/other"
            )
            kinds[kind] += 1
            if (s, e) in pred_set:
                kinds_hit[kind] += 1
            else:
                fn += 1
                if any(ps < e and s < pe for ps, pe in pred):
                    overlap_fn += 1
                    if kind == "date-like" and len(boundary_examples) < 12:
                        boundary_examples.append(
                            f"{g} → {'/'.join(text[ps:pe] for ps, pe in pred if ps < e and s < pe)}"
                        )
                elif kind == "date-like":
                    fn_examples[g] += 1
        for s, e in pred:
            if (s, e) in gold_set:
                continue
            fp += 1
            if any(gs < e and s < ge for gs, ge in gold):
                fp_kinds["inside/overlapping a gold TIME span (boundary)"] += 1
            else:
                fp_kinds["no gold TIME span there"] += 1
                if len(fp_examples) < 15:
                    fp_examples.append(f"{text[max(0, s - 4) : s]}[{text[s:e]}]{text[e : e + 4]}")
    prf = LabelScore.from_counts(tp, fp, fn)
    p, r, f1 = prf.p, prf.r, prf.f1
    n_gold = sum(kinds.values())
    lines = [
        f"People's Daily dev ({len(sents)} sentences), exact span match, rules only, against "
        f"PD's TIME definition: raw word-level spans P {raw_p:.3f}, R {raw_r:.3f}, "
        f"F1 {raw_f1:.3f}; after joining touching TIME words into one expression "
        f"({n_gold} spans; PD tags 今年 and 5月 separately, the guide takes 今年5月 as one "
        f"mention): **P {p:.3f}, R {r:.3f}, F1 {f1:.3f}**.",
        "",
        "| gold TIME span kind (heuristic) | spans | found exactly | recall |",
        "| --- | ---: | ---: | ---: |",
    ]
    for kind in ("date-like", "time of day", "vague/anaphora/era/other"):
        lines.append(
            f"| {kind} | {kinds[kind]} | {kinds_hit[kind]} | "
            f"{kinds_hit[kind] / max(kinds[kind], 1):.3f} |"
        )
    lines += [
        "",
        f"Missed gold spans that overlap a rule span (boundary differences): {overlap_fn}; "
        f"examples (gold → rules): {'; '.join(boundary_examples)}.",
        f"Date-like gold spans with no rule span at all, most frequent: "
        f"{', '.join(f'{g} ({n})' for g, n in fn_examples.most_common(20))}.",
        f"Rule spans not in gold: {fp} ({', '.join(f'{k}: {n}' for k, n in fp_kinds.items())}); "
        f"examples: {'; '.join(fp_examples)}.",
    ]
    return "\n".join(lines)


def section_bench() -> str:
    texts = []
    for f in sorted((SHARED / "examples" / "archive" / "raw").glob("*.txt")):
        raw = f.read_text(encoding="utf-8")
        texts.append(html.unescape(re.sub(r"<[^>]+>", "\n", raw)))
    n = sum(map(len, texts))
    best, found = float("inf"), 0
    for _ in range(5):
        start = time.perf_counter()
        found = sum(len(find_dates(t, published=dt.date(2020, 10, 1))) for t in texts)
        best = min(best, time.perf_counter() - start)
    return (
        f"`find_dates` on the archive sample ({len(texts)} articles, {n:,} characters after "
        f"crude tag stripping, {found} mentions): best of 5 runs {best:.3f} s = "
        f"**{n / best / 1e6:.2f} M chars/s** (one core, Python "
        f"{sys.version.split()[0]}, machine shared with a training run). Command: "
        "`.venv/bin/python scripts/compare_jionlp.py --only bench`."
    )


SECTIONS = {"jionlp": section_jionlp, "pd": section_pd, "bench": section_bench}


def _write(doc: Path, name: str, body: str) -> None:
    text = doc.read_text(encoding="utf-8")
    begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
    if begin not in text:
        text += f"\n{begin}\n{end}\n"
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    doc.write_text(f"{head}{begin}\n{body}\n{end}{tail}", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=sorted(SECTIONS), action="append")
    parser.add_argument("--no-write", action="store_true", help="print, don't edit docs/dates.md")
    args = parser.parse_args()
    for name in args.only or list(SECTIONS):
        body = SECTIONS[name]()
        print(f"== {name}\n{body}\n")
        if not args.no_write:
            _write(DOC, name, body)


if __name__ == "__main__":
    main()
