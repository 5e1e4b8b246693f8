"""The identity gold and its pairwise scorer."""

from __future__ import annotations

import gzip
import hashlib
import json
from collections import Counter
from pathlib import Path

import pytest

from pipeline.annotations.corpus import read_id_file
from pipeline.identity import (
    GoldForm,
    GoldMismatch,
    GoldRef,
    corpus_records,
    form_digest,
    load_identity_gold,
    resolve_gold,
    score_identity,
    score_standoff,
    standoff_rows,
)
from tests.conftest import ROOT
from tests.report.helpers import make_record

GOLD = ROOT / "tests" / "fixtures" / "identity" / "gold.tsv"
DEV = ROOT / "tests" / "fixtures" / "identity" / "dev.tsv"
DEV_ARTICLES = ROOT / "tests" / "fixtures" / "identity" / "dev_articles.txt"
DEV2 = ROOT / "tests" / "fixtures" / "identity" / "dev2.tsv"
DEV2_ARTICLES = ROOT / "tests" / "fixtures" / "identity" / "dev2_articles.txt"
BLIND3 = ROOT / "tests" / "fixtures" / "identity" / "blind3.tsv"
BLIND3_ARTICLES = ROOT / "tests" / "fixtures" / "identity" / "blind3_articles.txt"
BLIND4 = ROOT / "tests" / "fixtures" / "identity" / "blind4.tsv"
BLIND4_ARTICLES = ROOT / "tests" / "fixtures" / "identity" / "blind4_articles.txt"
CORPUS_GOLDS = [
    (DEV, DEV_ARTICLES),
    (DEV2, DEV2_ARTICLES),
    (BLIND3, BLIND3_ARTICLES),
    (BLIND4, BLIND4_ARTICLES),
]
ARTICLE_LISTS = [DEV_ARTICLES, DEV2_ARTICLES, BLIND3_ARTICLES, BLIND4_ARTICLES]


def test_gold_file_is_well_formed() -> None:
    gold = load_identity_gold(GOLD)
    assert len(gold) >= 300
    groups = Counter(g.group for g in gold)
    assert sum(1 for n in groups.values() if n > 1) >= 100  # entities with several forms
    labels = Counter(g.label for g in gold)
    assert {"PERSON", "ORG", "LOC"} <= set(labels)
    # A group holds one label.
    assert all(len({g.label for g in gold if g.group == grp}) == 1 for grp in groups)


@pytest.mark.parametrize(("path", "articles"), CORPUS_GOLDS)
def test_corpus_golds_are_well_formed(path: Path, articles: Path) -> None:
    gold = load_identity_gold(path)
    ids = articles.read_text(encoding="utf-8").split()
    assert len(ids) == len(set(ids)) == 120
    assert {g.doc for g in gold} <= set(ids)
    assert len(gold) >= 300
    groups = Counter(g.group for g in gold)
    assert sum(1 for n in groups.values() if n > 1) >= 100
    assert {"PERSON", "ORG", "LOC"} == {g.label for g in gold}
    assert all(len({g.label for g in gold if g.group == grp}) == 1 for grp in groups)


@pytest.mark.parametrize("articles", ARTICLE_LISTS)
def test_corpus_gold_articles_leave_out_news_gold(shared: Path, articles: Path) -> None:
    gold_file = shared / "corpora" / "news_gold" / "gold.jsonl"
    if not gold_file.is_file():
        pytest.skip("no news_gold under ../shared")
    assert not read_id_file(gold_file) & read_id_file(articles)


def test_corpus_golds_share_no_article() -> None:
    seen: set[str] = set()
    for articles in ARTICLE_LISTS:
        ids = set(articles.read_text(encoding="utf-8").split())
        assert not seen & ids, articles.name
        seen |= ids


@pytest.mark.parametrize("articles", ARTICLE_LISTS)
def test_corpus_gold_articles_are_not_training_data(articles: Path) -> None:
    # Its figures mean something only while its articles stay out of annotation sets.
    selection = ROOT / "data" / "annotations" / "selection.jsonl"
    if not selection.is_file():
        pytest.skip("no annotation selection")
    assert not read_id_file(selection) & read_id_file(articles)


@pytest.mark.parametrize("path", [GOLD, DEV, DEV2, BLIND3, BLIND4])
def test_gold_files_hold_no_text(path: Path) -> None:
    # Standoff only: article ids, 16-hex-digit hashes, labels, ASCII group ids.
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            assert line.isascii(), line


def test_bad_gold_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "gold.tsv"
    head = "doc\tform_sha256\tlabel\tgroup\n"
    digest = form_digest("美国")
    path.write_text(head + f"a\t{digest}\tTHING\tus\n", encoding="utf-8")
    with pytest.raises(ValueError, match="bad gold line 2"):
        load_identity_gold(path)
    path.write_text(head + "a\t美国\tLOC\tus\n", encoding="utf-8")  # a form, not its hash
    with pytest.raises(ValueError, match="bad gold line 2"):
        load_identity_gold(path)
    path.write_text(head + f"a\t{digest}\tLOC\tus\nb\t{digest}\tLOC\tx\n", encoding="utf-8")
    with pytest.raises(ValueError, match="twice"):
        load_identity_gold(path)
    path.write_text("group\tlabel\tform\nus\tLOC\t美国\n", encoding="utf-8")
    with pytest.raises(ValueError, match="header"):
        load_identity_gold(path)


def test_standoff_rows_resolve_to_the_forms(tmp_path: Path) -> None:
    records = [
        make_record("b", "乙", "美國與川普。", [("美國", "LOC", None), ("川普", "PERSON", None)]),
        make_record("a", "甲", "美国和美國。", [("美国", "LOC", None), ("美國", "LOC", None)]),
    ]
    gold = [GoldForm("us", "LOC", "美国"), GoldForm("us", "LOC", "美國")]
    refs = standoff_rows(gold, records)
    assert [(r.doc, r.label, r.group) for r in refs] == [("a", "LOC", "us"), ("a", "LOC", "us")]
    assert refs[0].digest == hashlib.sha256("美国".encode()).hexdigest()[:16]
    assert resolve_gold(refs, records) == gold
    path = tmp_path / "gold.tsv"
    rows = [f"{r.doc}\t{r.digest}\t{r.label}\t{r.group}" for r in refs]
    path.write_text("# note\ndoc\tform_sha256\tlabel\tgroup\n" + "\n".join(rows), encoding="utf-8")
    assert load_identity_gold(path) == refs
    assert score_standoff(records, refs).recall == 1.0
    with pytest.raises(GoldMismatch, match="in no record"):
        standoff_rows([GoldForm("trump", "PERSON", "特朗普")], records)


def test_unresolvable_gold_fails_clearly() -> None:
    records = [make_record("a", "甲", "美国。", [("美国", "LOC", None)])]
    wrong_label = GoldRef("a", form_digest("美国"), "ORG", "us")
    with pytest.raises(GoldMismatch, match=r"ORG .* matches no mention of its record or of any"):
        resolve_gold([wrong_label], records)
    with pytest.raises(GoldMismatch, match=r"record 'z'.* has its record missing from the batch"):
        resolve_gold([GoldRef("z", form_digest("中国"), "LOC", "cn")], records)
    with pytest.raises(GoldMismatch, match="1 of 2 gold rows"):
        score_standoff(
            records,
            [
                GoldRef("a", form_digest("中国"), "LOC", "cn"),
                GoldRef("a", form_digest("美国"), "LOC", "us"),
            ],
        )


def test_gold_rows_move_with_the_batch() -> None:
    # The row's record no longer has the form (a parser change), another record does.
    records = [
        make_record("a", "甲", "中国。", [("中国", "LOC", None)]),
        make_record("b", "乙", "美国和美國。", [("美国", "LOC", None), ("美國", "LOC", None)]),
    ]
    refs = [
        GoldRef("a", form_digest("美国"), "LOC", "us"),
        GoldRef("z", form_digest("美國"), "LOC", "us"),
    ]
    assert [g.form for g in resolve_gold(refs, records)] == ["美国", "美國"]


def test_missing_forms_can_be_scored_as_unmerged() -> None:
    records = [
        make_record("a", "甲", "美国和美國。", [("美国", "LOC", None), ("美國", "LOC", None)])
    ]
    refs = [
        GoldRef("a", form_digest("美国"), "LOC", "us"),
        GoldRef("a", form_digest("美國"), "LOC", "us"),
        GoldRef("a", form_digest("美"), "LOC", "us"),
    ]
    score = score_standoff(records, refs, allow_missing=True)
    assert (score.forms, score.found, score.true_pairs, score.correct_pairs) == (3, 2, 3, 1)


def test_pairwise_scores() -> None:
    records = [
        make_record(
            "a",
            "甲",
            "美国和美方，中国。",
            [("美国", "LOC", None), ("美", "LOC", None), ("中国", "LOC", None)],
        ),
        make_record("b", "乙", "美國與川普。", [("美國", "LOC", None), ("川普", "PERSON", None)]),
        make_record("c", "丙", "中共。", [("中共", "ORG", None)]),
    ]
    gold = [
        GoldForm("us", "LOC", "美国"),
        GoldForm("us", "LOC", "美"),
        GoldForm("us", "LOC", "美國"),
        GoldForm("cn", "LOC", "中国"),
        GoldForm("trump", "PERSON", "川普"),
        GoldForm("trump", "PERSON", "特朗普"),  # not in the records: stays alone
        GoldForm("ccp", "ORG", "中共"),
    ]
    score = score_identity(records, gold)
    assert (score.forms, score.groups, score.found) == (7, 4, 6)
    assert (score.true_pairs, score.predicted_pairs, score.correct_pairs) == (4, 3, 3)
    assert score.precision == 1.0 and score.recall == 0.75
    assert [(a.form, b.form) for a, b in score.missed_merges] == [("川普", "特朗普")]
    wrong = [GoldForm("x", "LOC", "美国"), GoldForm("y", "LOC", "美")]
    bad = score_identity(records, wrong)
    assert bad.precision == 0.0 and bad.recall == 1.0 and len(bad.false_merges) == 1


def test_scores_by_label() -> None:
    records = [
        make_record("a", "甲", "美国和美國。", [("美国", "LOC", None), ("美國", "LOC", None)]),
        make_record(
            "b", "乙", "川普，特朗普。", [("川普", "PERSON", None), ("特朗普", "PERSON", None)]
        ),
    ]
    gold = [
        GoldForm("us", "LOC", "美国"),
        GoldForm("us", "LOC", "美國"),
        GoldForm("trump", "PERSON", "川普"),
        GoldForm("trump", "PERSON", "特朗普"),
    ]
    score = score_identity(records, gold)
    by_label = score.by_label()
    assert by_label["LOC"] == (1, 1, 1)
    correct, predicted, true = by_label["PERSON"]
    assert true == 1 and correct == predicted
    assert sum(c for c, _, _ in by_label.values()) == score.correct_pairs


def test_corpus_records(tmp_path: Path, extractor: object) -> None:
    from pipeline.runner import Extractor

    assert isinstance(extractor, Extractor)
    items = [
        {
            "id": "news-2",
            "outlet": "www.cna.com.tw",
            "published": "2021-03-02T01:00:00Z",
            "title": "美國國務卿訪問日本",
            "url": "https://www.cna.com.tw/news/1.aspx",
            "text": "美國國務卿訪問日本\n布林肯今天抵達東京。",
        },
        {
            "id": "news-1",
            "outlet": "www.rfi.fr",
            "published": "2021-03-01T08:00:00Z",
            "title": "t",
            "url": "https://www.rfi.fr/cn/1",
            "text": "标题\n正文。",
        },
    ]
    with gzip.open(tmp_path / "news-00.jsonl.gz", "wt", encoding="utf-8") as f:
        for item in items:
            f.write(json.dumps(item, ensure_ascii=False) + "\n")
    records = corpus_records(tmp_path, ["news-2"], extractor)
    assert [r.id for r in records] == ["news-2"]
    record = records[0]
    assert record.title == "美國國務卿訪問日本"
    assert record.text == "美國國務卿訪問日本\n布林肯今天抵達東京。"
    assert (
        record.published is not None and record.published.isoformat() == "2021-03-02T01:00:00+00:00"
    )
    assert record.timezone == "Asia/Taipei"
    with pytest.raises(GoldMismatch, match="1 articles are not in"):
        corpus_records(tmp_path, ["news-2", "news-9"], extractor)
