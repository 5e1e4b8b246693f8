"""The in-domain standoff store: opening, records, text rebuilding, checker, selection.

Most tests build a small corpus of their own in tmp_path (same file layout as
../shared/corpora/news_unlabeled); the last one checks the committed store against
../shared and skips without it.
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.annotations.check import check_store, consistency_findings
from pipeline.annotations.corpus import corpus_dir, fetch, gold_ids, opening, text_sha256
from pipeline.annotations.select import select
from pipeline.annotations.store import (
    StandoffArticle,
    load_annotations,
    read_standoff,
    rebuild_text,
    to_gold,
    to_standoff,
    write_standoff,
)
from pipeline.errors import AnnotationError
from pipeline.evaluate import GoldDoc, GoldMention

ROOT = Path(__file__).resolve().parents[2]
STORE = ROOT / "data" / "annotations" / "news_train"
PUBLISHED = "2021-02-19T01:00:00Z"

TEXTS = {
    "news-000000": "美国国务院周四表示支持台湾\n华盛顿是美国首都。\n" + "补" * 30,
    "news-000001": "中央社记者在台北报道\n美国总统拜登今天发表讲话。",
    "news-000002": "世卫组织呼吁各国分享疫苗\n" + "段" * 40,
}


def _corpus(tmp_path: Path, texts: dict[str, str], outlet: str = "www.rfi.fr") -> Path:
    shared = tmp_path / "shared"
    directory = shared / "corpora" / "news_unlabeled"
    directory.mkdir(parents=True)
    with gzip.open(directory / "news-00.jsonl.gz", "wt", encoding="utf-8") as f:
        for doc_id, text in texts.items():
            row = {"id": doc_id, "outlet": outlet, "published": PUBLISHED, "title": "", "url": ""}
            f.write(json.dumps({**row, "text": text}, ensure_ascii=False) + "\n")
    gold = shared / "corpora" / "news_gold"
    gold.mkdir(parents=True)
    (gold / "gold.jsonl").write_text(json.dumps({"id": "news-000002"}) + "\n", encoding="utf-8")
    return shared


def _record(doc_id: str, text: str, mentions: list[dict[str, object]]) -> dict[str, object]:
    return {
        "id": doc_id,
        "outlet": "www.rfi.fr",
        "published": PUBLISHED,
        "sha256": text_sha256(text),
        "chars": len(text),
        "method": "reviewed",
        "mentions": mentions,
    }


def _write(path: Path, records: list[dict[str, object]]) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    (path / "train-001.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("标题\n第一段", 1000, "标题\n第一段"),
        ("标题\n一二三\n四五六七", 8, "标题\n一二三"),
        ("标题\n一二三\n四五六七", 6, "标题\n一二三"),
        ("很长的标题文字\n正文", 3, "很长的标题文字"),
        ("没有换行的长文本", 3, "没有换行的长文本"),
    ],
)
def test_opening_cuts_at_the_last_line_break_within_the_limit(
    text: str, limit: int, expected: str
) -> None:
    assert opening(text, limit) == expected


def test_record_rejects_unknown_fields_labels_and_bad_hashes() -> None:
    good = _record("news-000001", "x", [{"start": 0, "end": 1, "label": "LOC"}])
    StandoffArticle.model_validate(good)
    with pytest.raises(ValueError):
        StandoffArticle.model_validate({**good, "text": "article text is never stored"})
    with pytest.raises(ValueError):
        StandoffArticle.model_validate(
            {**good, "mentions": [{"start": 0, "end": 1, "label": "GPE"}]}
        )
    with pytest.raises(ValueError):
        StandoffArticle.model_validate({**good, "sha256": "abc"})


def test_round_trip_through_the_store_and_back_to_gold(tmp_path: Path) -> None:
    text = opening(TEXTS["news-000001"])
    doc = GoldDoc(
        id="news-000001",
        text=text,
        published=PUBLISHED,  # type: ignore[arg-type]
        mentions=[
            GoldMention(start=0, end=3, label="ORG", text="中央社"),
            GoldMention(start=6, end=8, label="LOC", text="台北"),
        ],
    )
    rec = to_standoff(doc, outlet="www.cna.com.tw", method="reviewed")
    write_standoff(tmp_path / "a.jsonl", [rec])
    stored = (tmp_path / "a.jsonl").read_text(encoding="utf-8")
    assert "中央社" not in stored and "台北" not in stored  # offsets only, no text
    (back,) = read_standoff(tmp_path / "a.jsonl")
    rebuilt = to_gold(back, rebuild_text(back, TEXTS["news-000001"]))
    assert [(m.label, m.text) for m in rebuilt.mentions] == [("ORG", "中央社"), ("LOC", "台北")]
    with pytest.raises(AnnotationError, match="hash"):
        rebuild_text(back, TEXTS["news-000001"].replace("台北", "台中"))


def test_load_annotations_rebuilds_texts_and_needs_the_corpus(tmp_path: Path) -> None:
    shared = _corpus(tmp_path, TEXTS)
    text = opening(TEXTS["news-000001"])
    store = _write(
        tmp_path / "store", [_record("news-000001", text, [{"start": 6, "end": 8, "label": "LOC"}])]
    )
    (doc,) = load_annotations(store, shared)
    assert doc.mentions[0].text == "台北"
    assert doc.published is not None
    with pytest.raises(AnnotationError, match="absent"):
        load_annotations(store, tmp_path / "nowhere")


def test_fetch_finds_ids_in_the_numbered_file_and_gold_ids_are_read(tmp_path: Path) -> None:
    shared = _corpus(tmp_path, TEXTS)
    directory = corpus_dir(shared)
    assert directory is not None
    found = fetch(directory, ["news-000001", "news-999999"])
    assert set(found) == {"news-000001"}
    assert gold_ids(shared) == {"news-000002"}
    assert corpus_dir(tmp_path / "nowhere") is None


def test_checker_reports_every_kind_of_problem(tmp_path: Path) -> None:
    shared = _corpus(tmp_path, TEXTS)
    t0, t1, t2 = (opening(TEXTS[i]) for i in ("news-000000", "news-000001", "news-000002"))
    records = [
        _record(
            "news-000000",
            t0,
            [
                {"start": 0, "end": 5, "label": "ORG"},
                {"start": 3, "end": 7, "label": "LOC"},  # overlaps the ORG
                {"start": 5, "end": 7, "label": "DATE", "value": "2021-13"},
                {"start": 14, "end": 17, "label": "LOC", "value": "2021"},
                {"start": 900, "end": 902, "label": "LOC"},
            ],
        ),
        _record("news-000001", t1 + "改", []),  # the text has changed
        _record("news-000002", t2, []),  # the blind dev set
        _record("news-000001", t1, []),  # duplicate id
    ]
    report = check_store(_write(tmp_path / "store", records), shared)
    text = "\n".join(report.problems)
    assert not report.ok
    for expected in (
        "overlaps",
        "month 13 out of range",
        "only DATE mentions carry a value",
        "ends after the text",
        "does not match the recorded hash",
        "blind dev set",
        "duplicate id",
    ):
        assert expected in text, expected


def test_checker_passes_a_clean_store_and_counts_it(tmp_path: Path) -> None:
    shared = _corpus(tmp_path, TEXTS)
    t0 = opening(TEXTS["news-000000"])
    mentions = [
        {"start": 0, "end": 5, "label": "ORG"},
        {"start": 5, "end": 7, "label": "DATE", "value": "2021-02-18"},
        {"start": 11, "end": 13, "label": "LOC"},
        {"start": 14, "end": 17, "label": "LOC"},
        {"start": 19, "end": 21, "label": "LOC"},
    ]
    report = check_store(_write(tmp_path / "store", [_record("news-000000", t0, mentions)]), shared)
    assert report.ok, report.problems
    assert report.labels == {"DATE": 1, "LOC": 3, "ORG": 1}
    assert report.outlets == {"www.rfi.fr": 1}
    assert report.scripts == {"zhs": 1}


def _doc(doc_id: str, text: str, spans: list[tuple[int, int, str]]) -> GoldDoc:
    mentions = [GoldMention(start=s, end=e, label=lab, text=text[s:e]) for s, e, lab in spans]  # type: ignore[arg-type]
    return GoldDoc(id=doc_id, text=text, mentions=mentions)


def test_consistency_lists_label_conflicts_and_unlabelled_occurrences() -> None:
    a = _doc("a", "白宫发言人说", [(0, 2, "ORG")])
    b = _doc("b", "白宫是建筑，白宫很大", [(0, 2, "LOC")])
    c = _doc("c", "2020年和12020号", [(0, 4, "DATE")])
    findings = consistency_findings([a, b, c])
    assert any("'白宫' has different labels" in f for f in findings)
    assert any(f.startswith("b: '白宫' at 6 is not annotated") for f in findings)
    assert not any("'2020'" in f for f in findings)  # bare numbers are left to context


def test_selection_is_seeded_stratified_and_leaves_out_the_blind_set(tmp_path: Path) -> None:
    texts = {f"news-{n:06d}": f"标题{n}\n" + "文" * 250 for n in range(30)}
    texts["news-000002"] = TEXTS["news-000002"] * 10
    shared = _corpus(tmp_path, texts)
    quotas = {"dev": {"www.rfi.fr": 3}, "train": {"www.rfi.fr": 10}}
    first = select(shared, seed=7, quotas=quotas, train_rounds=1)  # type: ignore[arg-type]
    again = select(shared, seed=7, quotas=quotas, train_rounds=1)  # type: ignore[arg-type]
    other = select(shared, seed=8, quotas=quotas, train_rounds=1)  # type: ignore[arg-type]
    assert first == again and first != other
    ids = [s.id for s in first]
    assert len(ids) == len(set(ids)) == 13
    assert "news-000002" not in ids
    assert [s.rank for s in first if s.split == "train"] == list(range(1, 11))
    with pytest.raises(AnnotationError, match="candidates"):
        select(shared, quotas={"dev": {"www.rfi.fr": 40}, "train": {}})  # type: ignore[dict-item]
    # A second train round appends ranks 11-20 and leaves the first round as it was.
    two = select(shared, seed=7, quotas=quotas, train_rounds=2)  # type: ignore[arg-type]
    assert two[:13] == first
    assert [s.rank for s in two if s.split == "train"] == list(range(1, 21))
    assert len({s.id for s in two}) == 23
    # Ids of other samples drawn later are kept out of a new round; the rounds before it,
    # which held none of them, stay as they were.
    later = {s.id for s in two[13:16]}
    three = select(shared, seed=7, quotas=quotas, train_rounds=2, exclude=later)  # type: ignore[arg-type]
    assert three[:13] == first
    assert not later & {s.id for s in three} and len(three) == 23


def test_check_script_fails_on_problems_and_skips_without_shared(tmp_path: Path) -> None:
    shared = _corpus(tmp_path, TEXTS)
    bad = _write(tmp_path / "store", [_record("news-000002", opening(TEXTS["news-000002"]), [])])
    script = str(ROOT / "scripts" / "check_annotations.py")
    run = subprocess.run(
        [sys.executable, script, str(bad), "--shared", str(shared)], capture_output=True, text=True
    )
    assert run.returncode == 1 and "blind dev set" in run.stdout
    run = subprocess.run(
        [sys.executable, script, str(bad), "--shared", str(tmp_path / "nowhere")],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0 and run.stdout.startswith("skipped")


def test_committed_store_passes_the_checker(shared: Path) -> None:
    if corpus_dir(shared) is None:
        pytest.skip("../shared/corpora/news_unlabeled is absent")
    report = check_store(STORE, shared)
    assert report.articles >= 1
    assert report.ok, report.problems


def test_consistency_lists_a_mention_inside_an_unlabelled_longer_name() -> None:
    a = _doc("a", "台湾选举", [(0, 2, "LOC")])
    b = _doc("b", "他对台湾很好", [(2, 3, "LOC")])
    findings = consistency_findings([a, b])
    assert any(f.startswith("b: LOC '台' at 2 lies inside '台湾'") for f in findings)


def test_silver_labels_leave_out_blind_and_selected_articles_and_read_back(tmp_path: Path) -> None:
    from pipeline.training import distill
    from pipeline.training.indomain import news_sentences

    long = "美国国务院周四表示支持台湾。\n华盛顿是美国首都，拜登总统今天在白宫讲话。\n" * 8
    texts = {f"news-90000{n}": long + "补" * n for n in range(4)}
    texts["news-000002"] = long  # the fake corpus's news_gold id
    shared = _corpus(tmp_path, texts)
    picked = distill.choose(shared, 3, seed=1)
    assert len(picked) == 3 and "news-000002" not in {a.id for a in picked}
    assert [a.id for a in picked] == [a.id for a in distill.choose(shared, 3, seed=1)]
    out = tmp_path / "silver.jsonl"
    teacher = ROOT / "models" / "zh_news_ner"
    n = distill.label(teacher, picked, out)
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["method"] for r in rows] == ["silver"] * 3 and n > 0
    assert all(m["label"] in ("PERSON", "ORG", "LOC") for r in rows for m in r["mentions"])
    chunks = news_sentences(out, shared)
    names = {s.text[a:b] for s, _ in chunks for a, b, _ in s.spans}
    assert "美国" in names
    # A store that holds silver records fails the checker.
    store = tmp_path / "store"
    store.mkdir()
    (store / "train-001.jsonl").write_text(out.read_text(encoding="utf-8"), encoding="utf-8")
    assert any("silver" in p for p in check_store(store, shared).problems)


def test_selected_ids_read_the_selection_by_split(tmp_path: Path) -> None:
    from pipeline.annotations.select import selected_ids

    path = tmp_path / "selection.jsonl"
    rows = [
        {"split": "dev", "rank": 1, "id": "news-000001", "outlet": "www.rfi.fr", "script": "zhs"},
        {"split": "train", "rank": 1, "id": "news-000002", "outlet": "www.rfi.fr", "script": "zht"},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n\n", encoding="utf-8")
    assert selected_ids(path=path) == {"news-000001", "news-000002"}
    assert selected_ids("dev", path) == {"news-000001"}
    assert selected_ids(path=tmp_path / "absent.jsonl") == set()
