"""Gold format, readers, scoring and the baseline comparison of pipeline.evaluate.

The scorer is checked against independent implementations written here: a strict
span scorer (conlleval / seqeval style: a prediction counts when label, start and
end match a gold span) and a naive list-based (label, text) matcher.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.evaluate import (
    GoldDoc,
    GoldMention,
    Scores,
    check_consistency,
    check_gold,
    compare_to_baseline,
    date_value_problem,
    load_gold,
    parse_label_map,
    read_bio,
    read_cluener,
    read_predictions,
    score,
    to_plain,
)

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
GOLD = FIXTURES / "gold.jsonl"
SHARED = ROOT.parent / "shared"
LABELS = ("PERSON", "ORG", "LOC", "DATE")

# --------------------------------------------------------------------------- independent scorers

Span = tuple[str, int, int, str]  # doc, start, end, label


def strict_span_counts(gold: set[Span], pred: set[Span]) -> dict[str, tuple[int, int, int]]:
    """Per-label (tp, fp, fn) by exact span match."""
    out = {}
    for label in LABELS:
        g = {s for s in gold if s[3] == label}
        p = {s for s in pred if s[3] == label}
        out[label] = (len(g & p), len(p - g), len(g - p))
    return out


def naive_text_counts(
    gold: dict[str, list[tuple[str, str]]], pred: dict[str, list[tuple[str, str]]]
) -> dict[str, tuple[int, int, int]]:
    """Per-label (tp, fp, fn) by removing each matched gold mention from a list."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for doc, g_list in gold.items():
        remaining = list(g_list)
        for item in pred.get(doc, []):
            if item in remaining:
                remaining.remove(item)
                tp[item[0]] += 1
            else:
                fp[item[0]] += 1
        for label, _ in remaining:
            fn[label] += 1
    return {lb: (tp[lb], fp[lb], fn[lb]) for lb in LABELS}


def bio_chunks(tags: list[str]) -> set[tuple[int, int, str]]:
    """Chunks of a BIO/BIOES tag sequence, conlleval's rules (I after O starts a chunk)."""
    chunks = set()
    start, kind = None, None
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, t = tag.partition("-")
        ends = tag == "O" or prefix in ("B", "S") or t != kind
        if start is not None and ends:
            chunks.add((start, i, kind))
            start, kind = None, None
        if tag != "O" and start is None:
            start, kind = i, t
        if prefix in ("E", "S") and start is not None:
            chunks.add((start, i + 1, kind))
            start, kind = None, None
    return chunks


def counts_of(scores: Scores) -> dict[str, tuple[int, int, int]]:
    return {lb: (s.tp, s.fp, s.fn) for lb, s in scores.labels.items()}


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def gold_docs() -> list[GoldDoc]:
    return load_gold(GOLD)


def perturb(docs: list[GoldDoc]) -> tuple[dict[str, list[tuple[str, int, int, str]]], set[Span]]:
    """Predictions derived from gold whose strict span score equals the text score.

    Drops every 4th mention, relabels every 7th, and adds a false alarm whose text
    is not a gold text of its label in that document.
    """
    preds: dict[str, list[tuple[str, int, int, str]]] = {}
    for doc in docs:
        out = []
        for i, m in enumerate(doc.mentions):
            if i % 4 == 3:
                continue
            label = m.label
            if i % 7 == 5:
                label = "ORG" if m.label != "ORG" else "PERSON"
                if any(g.label == label and g.text == m.text for g in doc.mentions):
                    label = m.label
            out.append((m.text, m.start, m.end, label))
        text = doc.text or ""
        for start in range(len(text) - 3):
            cand = text[start : start + 3]
            if "\n" in cand or cand in text[:start] or cand in text[start + 1 :]:
                continue  # a unique string, so the span and the text score agree
            if not any(m.start < start + 3 and start < m.end for m in doc.mentions):
                out.append((cand, start, start + 3, "LOC"))
                break
        preds[doc.id] = out
    spans = {(d, s, e, lb) for d, items in preds.items() for (_, s, e, lb) in items}
    return preds, spans


# --------------------------------------------------------------------------- scoring


def test_score_agrees_with_strict_span_scoring_on_fixtures(gold_docs: list[GoldDoc]) -> None:
    preds, pred_spans = perturb(gold_docs)
    gold_spans = {(d.id, m.start, m.end, m.label) for d in gold_docs for m in d.mentions}
    plain = {d: [(lb, t, None) for (t, _, _, lb) in items] for d, items in preds.items()}
    ours = counts_of(score(gold_docs, plain))
    assert ours == strict_span_counts(gold_spans, pred_spans)
    assert sum(fp for _, fp, _ in ours.values()) > 0
    assert sum(fn for _, _, fn in ours.values()) > 0


def test_score_agrees_with_naive_text_matching(gold_docs: list[GoldDoc]) -> None:
    """Shifted and duplicated predictions: text scoring differs from spans, not from itself."""
    gold = {d.id: [(m.label, m.text) for m in d.mentions] for d in gold_docs}
    pred = {}
    for n, (doc, items) in enumerate(gold.items()):
        items = items[n % 3 :: 2] + items[:2] + [("PERSON", "某某")]
        pred[doc] = items
    ours = score(gold, {d: [(lb, t, None) for lb, t in v] for d, v in pred.items()})
    assert counts_of(ours) == naive_text_counts(gold, pred)
    total = ours.ALL
    assert (total.tp, total.fp, total.fn) == tuple(
        sum(c[i] for c in naive_text_counts(gold, pred).values()) for i in range(3)
    )


def test_perfect_predictions_score_one(gold_docs: list[GoldDoc]) -> None:
    s = score(gold_docs, gold_docs)
    assert s.ALL.f1 == 1.0 and s.ALL.fp == 0 and s.ALL.fn == 0
    assert s.date_value_accuracy == 1.0
    assert s.date_values_checked == s.labels["DATE"].tp


def test_score_by_text_not_offsets() -> None:
    gold = {"a": [("LOC", "美", None), ("LOC", "中", None)]}
    pred = {"a": [("LOC", "美", None), ("LOC", "美", None), ("ORG", "中", None)], "z": []}
    s = score(gold, pred)
    assert counts_of(s)["LOC"] == (1, 1, 1)
    assert counts_of(s)["ORG"] == (0, 1, 0)
    assert s.unscored_docs == ["z"]
    assert [(e.label, e.text, e.count) for e in s.misses] == [("LOC", "中", 1)]
    assert {(e.label, e.text, e.count) for e in s.false_alarms} == {
        ("LOC", "美", 1),
        ("ORG", "中", 1),
    }


def test_missing_prediction_document_counts_as_misses() -> None:
    s = score({"a": [("PERSON", "习近平", None)]}, {})
    assert (s.ALL.tp, s.ALL.fp, s.ALL.fn) == (0, 0, 1)
    assert s.ALL.p == 0.0 and s.ALL.f1 == 0.0


def test_date_value_accuracy_pairs_matched_mentions() -> None:
    gold = {
        "a": [
            ("DATE", "周四", "2022-01-06"),
            ("DATE", "周四", "2022-01-13"),
            ("DATE", "去年", "2021"),
            ("DATE", "今天", "2022-01-05"),
        ]
    }
    pred = {
        "a": [
            ("DATE", "周四", "2022-01-13"),  # pairs with the second gold 周四
            ("DATE", "去年", "2020"),
            ("DATE", "明天", "2022-01-06"),  # not matched: no value check
        ]
    }
    s = score(gold, pred)
    assert counts_of(s)["DATE"] == (2, 1, 2)
    assert (s.date_values_correct, s.date_values_checked) == (1, 2)
    assert s.date_value_accuracy == 0.5
    assert [(e.text, e.gold, e.pred) for e in s.date_value_errors] == [("去年", "2021", "2020")]


def test_label_subset_and_unknown_label() -> None:
    gold = {"a": [("PERSON", "甲", None), ("LOC", "乙", None)]}
    s = score(gold, {"a": [("LOC", "乙", None)]}, labels=["LOC"])
    assert list(s.labels) == ["LOC"] and s.ALL.f1 == 1.0
    with pytest.raises(ValueError):
        score(gold, gold, labels=["GPE"])


def test_scores_json_shape(gold_docs: list[GoldDoc]) -> None:
    s = score(gold_docs, {d.id: d.triples()[::2] for d in gold_docs})
    data = json.loads(s.to_json(errors=3))
    assert set(data["labels"]) == set(LABELS)
    for entry in [*data["labels"].values(), data["ALL"]]:
        assert set(entry) == {"p", "r", "f1", "tp", "fp", "fn"}
    assert 0 < data["ALL"]["f1"] < 1
    assert data["date_value_accuracy"] == 1.0
    assert len(data["misses"]) == 3


# --------------------------------------------------------------------------- MSRA-format BIO

MSRA_GOLD = """\
美\tB-LOC
国\tI-LOC
国\tO
防\tO
部\tO
长\tO
奥\tB-PER
斯\tI-PER
汀\tI-PER
访\tO
问\tO
北\tB-LOC
京\tI-LOC
。\tO

新\tB-ORG
华\tI-ORG
社\tI-ORG
报\tO
道\tO
，\tO
中\tB-LOC
美\tB-LOC
两\tO
国\tO
在\tO
日\tB-LOC
内\tI-LOC
瓦\tI-LOC
会\tO
谈\tO
。\tO
"""

MSRA_PRED = """\
美 B-ORG
国 I-ORG
国 I-ORG
防 I-ORG
部 I-ORG
长 O
奥 B-PER
斯 I-PER
汀 I-PER
访 O
问 O
北 B-LOC
京 I-LOC
。 O

新 B-ORG
华 I-ORG
社 I-ORG
报 O
道 O
， O
中 S-LOC
美 S-LOC
两 O
国 O
在 O
日 B-LOC
内 I-LOC
瓦 O
会 O
谈 O
。 O
"""


def _tags(bio: str) -> list[list[str]]:
    sents, cur = [], []
    for line in bio.splitlines():
        if not line.strip():
            sents.append(cur)
            cur = []
        else:
            cur.append(line.split()[-1])
    if cur:
        sents.append(cur)
    return sents


def test_msra_bio_scoring_matches_strict_chunk_scoring(tmp_path: Path) -> None:
    (tmp_path / "gold.bio").write_text(MSRA_GOLD, encoding="utf-8")
    (tmp_path / "pred.bio").write_text(MSRA_PRED, encoding="utf-8")
    gold = read_bio(tmp_path / "gold.bio", id_prefix="s")
    pred = read_bio(tmp_path / "pred.bio", id_prefix="s")
    assert [d.text for d in gold] == [
        "美国国防部长奥斯汀访问北京。",
        "新华社报道，中美两国在日内瓦会谈。",
    ]
    assert [(m.label, m.text) for m in gold[1].mentions] == [
        ("ORG", "新华社"), ("LOC", "中"), ("LOC", "美"), ("LOC", "日内瓦"),
    ]  # fmt: skip

    label_of = {"PER": "PERSON", "LOC": "LOC", "ORG": "ORG"}
    gold_spans = {
        (f"s:{n}", s, e, label_of[k])
        for n, tags in enumerate(_tags(MSRA_GOLD), 1)
        for s, e, k in bio_chunks(tags)
    }
    pred_spans = {
        (f"s:{n}", s, e, label_of[k])
        for n, tags in enumerate(_tags(MSRA_PRED), 1)
        for s, e, k in bio_chunks(tags)
    }
    expected = strict_span_counts(gold_spans, pred_spans)
    ours = score(gold, pred)
    assert counts_of(ours) == expected
    assert expected["LOC"] == (3, 1, 2)  # 日内 is wrong; 美国 became part of an ORG
    assert ours.labels["PERSON"].f1 == 1.0


def test_read_bio_bioes_and_label_map(tmp_path: Path) -> None:
    path = tmp_path / "x.bio"
    path.write_text(
        "王\tB-PER\n小\tM-PER\n明\tE-PER\n在\tO\n沪\tS-LOC\n前\tB-TIME\n天\tI-TIME\n"
        "到\tO\n达\tI-ORG\n\n"
        "\u3000\tO\n京\tS-LOC\n",
        encoding="utf-8",
    )
    docs = read_bio(path)
    assert [d.id for d in docs] == ["x:1", "x:2"]
    assert [(m.label, m.text) for m in docs[0].mentions] == [
        ("PERSON", "王小明"), ("LOC", "沪"), ("DATE", "前天"), ("ORG", "达"),
    ]  # fmt: skip
    assert docs[1].text == "\u3000京" and docs[1].mentions[0].start == 1
    only_per = read_bio(path, label_map={"PER": "PERSON"})
    assert [m.text for d in only_per for m in d.mentions] == ["王小明"]


def test_read_cluener(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    lines = [
        {
            "text": "浙商银行企业信贷部叶老桂博士则从另一个角度对五道门槛进行了解读。",
            "label": {"name": {"叶老桂": [[9, 11]]}, "company": {"浙商银行": [[0, 3]]}},
        },
        {
            "text": "在北京故宫参观的游客读了《红楼梦》。",
            "label": {
                "address": {"北京": [[1, 2]]},
                "scene": {"故宫": [[3, 4]]},
                "book": {"红楼梦": [[13, 15]]},
            },
        },
    ]
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines), encoding="utf-8")
    docs = read_cluener(path)
    assert [(m.label, m.text, m.start, m.end) for m in docs[0].mentions] == [
        ("ORG", "浙商银行", 0, 4), ("PERSON", "叶老桂", 9, 12),
    ]  # fmt: skip
    assert [(m.label, m.text) for m in docs[1].mentions] == [("LOC", "北京"), ("LOC", "故宫")]
    mapped = read_cluener(path, {"book": "ORG"})
    assert [m.text for d in mapped for m in d.mentions] == ["红楼梦"]
    path.write_text(json.dumps({"text": "北京", "label": {"address": {"北京": [[0, 0]]}}}))
    with pytest.raises(ValueError, match="not at"):
        read_cluener(path)


def test_parse_label_map() -> None:
    assert parse_label_map("PER=PERSON, TIME:DATE") == {"PER": "PERSON", "TIME": "DATE"}
    assert parse_label_map(None) is None
    with pytest.raises(ValueError):
        parse_label_map("PER=PEOPLE")


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared is absent")
def test_readers_on_shared_corpora(tmp_path: Path) -> None:
    msra = SHARED / "corpora" / "msra_train" / "msra_train.bio"
    head = []
    with msra.open(encoding="utf-8") as f:
        blanks = 0
        for line in f:
            head.append(line)
            blanks += not line.strip()
            if blanks == 200:
                break
    sample = tmp_path / "msra.bio"
    sample.write_text("".join(head), encoding="utf-8")
    docs = read_bio(sample)
    assert len(docs) == 200
    assert all(d.text and len(d.text) == sum(1 for _ in d.text) for d in docs)
    assert score(docs, docs).ALL.f1 == 1.0
    cluener = read_cluener(SHARED / "corpora" / "cluener" / "dev.jsonl")
    assert len(cluener) > 1000
    assert {m.label for d in cluener for m in d.mentions} == {"PERSON", "ORG", "LOC"}


# --------------------------------------------------------------------------- gold validation


@pytest.mark.parametrize(
    "value",
    ["2022", "2022-01", "2022-01-06", "2021-W52", "2020-W53", "2021-W04-WE", "2022-Q3", "2021-H1", "2022-SP",
     "199", "2022-01-05/2022-01-07", "2019/2021", "2021-05/2021-07", "2022-Q1/2022-01"],
)  # fmt: skip
def test_good_date_values(value: str) -> None:
    assert date_value_problem(value) is None


@pytest.mark.parametrize(
    "value",
    ["22", "2022-1", "2022-13", "2022-02-30", "2021-W53", "2021-W53-WE", "2021-W04-SA", "2022-Q5", "2022-H3", "2022-AU",
     "20221", "2022/2021", "2022/2022", "2019/2020/2021", "2022-01-06T10:00", "next week", ""],
)  # fmt: skip
def test_bad_date_values(value: str) -> None:
    assert date_value_problem(value)


def _line(doc_id: str, text: str, mentions: list[dict[str, object]]) -> str:
    return json.dumps({"id": doc_id, "text": text, "mentions": mentions}, ensure_ascii=False)


def test_check_gold_reports_problems_with_line_numbers(tmp_path: Path) -> None:
    t = "美国国防部长奥斯汀周四访问北京。"
    ok = [
        {"start": 0, "end": 5, "label": "ORG", "text": "美国国防部"},
        {"start": 6, "end": 9, "label": "PERSON", "text": "奥斯汀"},
        {"start": 9, "end": 11, "label": "DATE", "text": "周四", "value": "2022-01-06"},
    ]
    lines = [
        _line("ok", t, ok),  # 1
        _line("offsets", t, [{"start": 1, "end": 3, "label": "LOC", "text": "美国"}]),  # 2
        _line("overlap", t, [ok[0], {"start": 4, "end": 6, "label": "ORG", "text": "部长"}]),  # 3
        _line("unsorted", t, [ok[1], ok[0]]),  # 4
        _line("label", t, [{"start": 13, "end": 15, "label": "GPE", "text": "北京"}]),  # 5
        _line("value", t, [{**ok[2], "value": "2022-13"}]),  # 6
        '{"id": "broken", "text": ',  # 7
        _line("novalue", t, [{k: v for k, v in ok[2].items() if k != "value"}]),  # 8
        _line("extra", t, [{**ok[1], "value": "2022"}]),  # 9
        _line("ok", t, []),  # 10: duplicate id
        json.dumps({"id": "nothing", "mentions": []}),  # 11
        json.dumps({"id": "src", "source": "missing.txt", "mentions": []}),  # 12
        _line("outside", t, [{"start": 15, "end": 17, "label": "LOC", "text": "北京"}]),  # 13
        _line("keys", t, [{**ok[1], "score": 0.9}]),  # 14
    ]
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = check_gold(path)
    by_line: dict[int, list[str]] = {}
    for p in problems:
        by_line.setdefault(p.line, []).append(p.message)
    assert 1 not in by_line
    assert "the text there is '国国'" in by_line[2][0]
    assert "overlaps" in by_line[3][0]
    assert "not sorted" in by_line[4][0]
    assert "unknown label 'GPE'" in by_line[5][0]
    assert "month 13" in by_line[6][0]
    assert "invalid JSON" in by_line[7][0]
    assert "needs a value" in by_line[8][0]
    assert "only DATE" in by_line[9][0]
    assert "duplicate id 'ok'" in by_line[10][0]
    assert "'text' or 'source'" in by_line[11][0]
    assert "cannot read source" in by_line[12][0]
    assert "ends after the text" in by_line[13][0]
    assert "score" in by_line[14][0]
    assert set(by_line) == set(range(2, 15))


def test_load_gold_parses_sources_relative_to_the_gold_file(tmp_path: Path) -> None:
    raw = (FIXTURES / "articles" / "cna-20211231-1.txt").read_text(encoding="utf-8")
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "a.txt").write_text(raw, encoding="utf-8")
    path = tmp_path / "g.jsonl"
    path.write_text(json.dumps({"id": "a", "source": "raw/a.txt", "mentions": []}) + "\n")
    (doc,) = load_gold(path)
    assert doc.text and doc.text.startswith("民國111年元旦起")
    assert doc.published is not None and doc.published.year == 2021
    assert check_gold(path) == []


def test_gold_mention_model_forbids_extra_fields() -> None:
    with pytest.raises(ValueError):
        GoldMention.model_validate({"start": 0, "end": 2, "label": "LOC", "text": "美国", "x": 1})


# --------------------------------------------------------------------------- consistency


def test_check_consistency() -> None:
    a = GoldDoc(
        id="a",
        text="白宫说，美国将援助乌克兰。",
        mentions=[
            GoldMention(start=0, end=2, label="ORG", text="白宫"),
            GoldMention(start=4, end=6, label="LOC", text="美国"),
        ],
    )
    b = GoldDoc(
        id="b",
        text="白宫位于美国首都，乌克兰总统到访。",
        mentions=[GoldMention(start=0, end=2, label="LOC", text="白宫")],
    )
    findings = check_consistency([a, b])
    assert any("'白宫' has different labels" in f for f in findings)
    assert any(f.startswith("b: '美国' at 4 is not annotated") for f in findings)
    assert not any(f.startswith("b: '乌克兰'") for f in findings)


# --------------------------------------------------------------------------- the gate


def _scores(per_label: dict[str, tuple[int, int, int]], dates: tuple[int, int] = (0, 0)) -> Scores:
    gold: dict[str, list[tuple[str, str, str | None]]] = {"d": []}
    pred: dict[str, list[tuple[str, str, str | None]]] = {"d": []}
    for label, (tp, fp, fn) in per_label.items():
        value = "2022" if label == "DATE" else None
        for i in range(tp):
            gold["d"].append((label, f"t{i}", value))
            good = label != "DATE" or i < dates[0]
            pred["d"].append((label, f"t{i}", value if good else "2021"))
        gold["d"] += [(label, f"m{i}", value) for i in range(fn)]
        pred["d"] += [(label, f"f{i}", value) for i in range(fp)]
    return score(gold, pred)


def test_compare_to_baseline() -> None:
    base = _scores({"PERSON": (90, 10, 10), "ORG": (80, 20, 20), "DATE": (50, 0, 0)}, (50, 0))
    same = _scores({"PERSON": (90, 10, 10), "ORG": (80, 20, 20), "DATE": (50, 0, 0)}, (50, 0))
    assert compare_to_baseline(same, base) == []
    assert compare_to_baseline(same, json.loads(base.to_json())) == []
    # ORG loses 0.5 points of F1: within the tolerance.
    slight = _scores({"PERSON": (90, 10, 10), "ORG": (79, 20, 21), "DATE": (50, 0, 0)}, (50, 0))
    assert compare_to_baseline(slight, base) == []
    worse = _scores({"PERSON": (90, 10, 10), "ORG": (70, 30, 30), "DATE": (50, 0, 0)}, (50, 0))
    problems = compare_to_baseline(worse, base)
    assert [p.split(":")[0] for p in problems] == ["ALL", "ORG"]
    assert "below the baseline" in problems[1]
    dates = _scores({"PERSON": (90, 10, 10), "ORG": (80, 20, 20), "DATE": (50, 0, 0)}, (49, 0))
    assert [p.split(":")[0] for p in compare_to_baseline(dates, base)] == ["DATE value accuracy"]
    no_org = _scores({"PERSON": (90, 10, 10), "DATE": (50, 0, 0)}, (50, 0))
    assert any(p.startswith("ORG: F1 0.0000") for p in compare_to_baseline(no_org, base))
    only = score({"d": [("PERSON", "甲", None)]}, {"d": [("PERSON", "甲", None)]}, ["PERSON"])
    assert any(p.startswith("ORG: missing") for p in compare_to_baseline(only, base))
    better = _scores({"PERSON": (100, 0, 0), "ORG": (100, 0, 0), "DATE": (50, 0, 0)}, (50, 0))
    assert compare_to_baseline(better, base) == []


def test_to_plain_accepts_records_and_mappings(gold_docs: list[GoldDoc]) -> None:
    plain = to_plain(gold_docs[:2])
    assert plain[gold_docs[0].id] == gold_docs[0].triples()
    assert to_plain({"x": [("LOC", "美国")]}) == {"x": [("LOC", "美国", None)]}  # type: ignore[dict-item]


# --------------------------------------------------------------------------- CLI


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


def _app():  # type: ignore[no-untyped-def]
    import typer

    from pipeline.cli.eval import eval_command

    app = typer.Typer()
    app.command()(eval_command)
    return app


def test_cli_check(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(_app(), [str(GOLD), "--check"])
    assert result.exit_code == 0, result.output
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        _line("x", "北京", [{"start": 0, "end": 2, "label": "LOC", "text": "东京"}]) + "\n"
    )
    result = runner.invoke(_app(), [str(bad), "--check"])
    assert result.exit_code == 1
    assert f"{bad}:1:" in result.output


def test_cli_usage_errors(runner: CliRunner, tmp_path: Path) -> None:
    assert runner.invoke(_app(), [str(tmp_path / "none.jsonl")]).exit_code == 1  # not_found
    assert runner.invoke(_app(), [str(GOLD), "--format", "xml"]).exit_code == 2
    assert runner.invoke(_app(), [str(GOLD), "--labels", "GPE", "--pred", str(GOLD)]).exit_code == 2
    assert runner.invoke(_app(), [str(GOLD), "--label-map", "PER"]).exit_code == 2


def test_cli_scores_predictions(
    runner: CliRunner, tmp_path: Path, gold_docs: list[GoldDoc]
) -> None:
    pred = tmp_path / "pred.jsonl"
    with pred.open("w", encoding="utf-8") as f:
        for d in gold_docs:
            mentions = [m.model_dump() for m in d.mentions if m.label != "ORG"]
            f.write(
                json.dumps({"id": d.id, "extra": 1, "mentions": mentions}, ensure_ascii=False)
                + "\n"
            )
    assert read_predictions(pred)[gold_docs[0].id][0][0] in LABELS
    out = tmp_path / "scores.json"
    result = runner.invoke(
        _app(), [str(GOLD), "--pred", str(pred), "--json", str(out), "--errors", "2"]
    )
    assert result.exit_code == 0, result.output
    assert "ALL" in result.output and "most frequent misses" in result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["labels"]["PERSON"]["f1"] == 1.0
    assert data["labels"]["ORG"]["r"] == 0.0
    assert set(data["ALL"]) >= {"p", "r", "f1"} and len(data["misses"]) == 2
    result = runner.invoke(_app(), [str(GOLD), "--pred", str(pred), "--labels", "PERSON,LOC"])
    assert result.exit_code == 0 and "ORG" not in result.output.split("most frequent")[0]


def test_cli_bio_format(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "g.bio").write_text(MSRA_GOLD, encoding="utf-8")
    (tmp_path / "p.bio").write_text(MSRA_PRED, encoding="utf-8")
    out = tmp_path / "s.json"
    args = [str(tmp_path / "g.bio"), "--format", "bio", "--pred", str(tmp_path / "p.bio")]
    result = runner.invoke(_app(), [*args, "--json", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["labels"]["LOC"]["tp"] == 3
    assert (
        runner.invoke(_app(), [str(tmp_path / "g.bio"), "--format", "bio", "--check"]).exit_code
        == 0
    )
