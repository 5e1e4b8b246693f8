"""The evaluation and corpus layer (pipeline.evaluation): one reader, one label map, one
BIO decoder, one s2tw conversion, shared by evaluation, training and the scripts.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from pipeline.evaluation import corpora
from pipeline.evaluation.formats import (
    iter_cluener,
    iter_tagged,
    map_spans,
    read_bio,
    read_cluener,
    read_iob2,
    s2tw,
    tags_to_spans,
    to_traditional,
)
from pipeline.evaluation.gold import GoldDoc, GoldFormatError, GoldMention
from pipeline.evaluation.labels import CLUENER_LABEL_MAP, NER_LABEL_MAP, parse_label_map
from pipeline.evaluation.scoring import score, span_scores

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"


@pytest.mark.parametrize(
    ("tags", "spans"),
    [
        (["B-PER", "I-PER", "O", "B-LOC"], [(0, 2, "PER"), (3, 4, "LOC")]),
        (["I-ORG", "I-ORG", "B-ORG"], [(0, 2, "ORG"), (2, 3, "ORG")]),  # I after O starts
        (["B-LOC", "I-PER", "O"], [(0, 1, "LOC"), (1, 2, "PER")]),  # a type change splits
        (
            ["S-PER", "B-LOC", "M-LOC", "E-LOC", "S-LOC"],
            [(0, 1, "PER"), (1, 4, "LOC"), (4, 5, "LOC")],
        ),
        (["O", "O"], []),
    ],
)
def test_tags_to_spans(tags: list[str], spans: list[tuple[int, int, str]]) -> None:
    assert tags_to_spans(tags) == spans


def test_word_tokens_give_character_offsets(tmp_path: Path) -> None:
    """A word file: spans cover all characters of their words (IOB2 and BIO alike)."""
    iob2 = tmp_path / "u.iob2"
    iob2.write_text(
        "# sent_id = 1\n1\t美国\tB-LOC\t-\t-\n2\t总统\tO\t-\t-\n3\t拜\tB-PER\t-\t-\n"
        "4\t登\tI-PER\t-\t-\n5\t访问\tO\t-\t-\n6\t北京市\tB-LOC\t-\t-\n\n",
        encoding="utf-8",
    )
    (doc,) = read_iob2(iob2)
    assert doc.id == "uner:1"
    assert doc.text == "美国总统拜登访问北京市"
    assert [(m.start, m.end, m.label, m.text) for m in doc.mentions] == [
        (0, 2, "LOC", "美国"),
        (4, 6, "PERSON", "拜登"),
        (8, 11, "LOC", "北京市"),
    ]
    bio = tmp_path / "w.bio"
    bio.write_text("国务院\tB-ORG\n办公厅\tI-ORG\n发布\tO\n\n", encoding="utf-8")
    (doc,) = read_bio(bio)
    assert [(m.start, m.end, m.text) for m in doc.mentions] == [(0, 6, "国务院办公厅")]


def test_hash_is_a_character_unless_comments_are_on(tmp_path: Path) -> None:
    path = tmp_path / "c.bio"
    path.write_text("#\tO\n美\tB-LOC\n\n", encoding="utf-8")
    (t,) = iter_tagged(path)
    assert t.text == "#美" and t.spans == [(1, 2, "LOC")]
    (t,) = iter_tagged(path, comments=True)
    assert t.text == "美"


def test_bad_tagged_line_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.bio"
    path.write_text("美\tB-LOC\n国\t\n", encoding="utf-8")
    with pytest.raises(GoldFormatError, match=r"bad.bio:2"):
        list(iter_tagged(path))


def test_cluener_core_and_reader(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    line = {
        "text": "国务院和北京故宫的张三",
        "label": {
            "name": {"张三": [[9, 10]]},
            "goverment": {"国务院": [[0, 2]]},
            "scene": {"北京故宫": [[4, 7]]},
            "position": {"的": [[8, 8]]},
        },
    }
    path.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    (t,) = iter_cluener(path)
    assert (0, 3, "goverment") in t.spans and (8, 9, "position") in t.spans
    assert sorted(map_spans(t.spans, CLUENER_LABEL_MAP)) == [
        (0, 3, "ORG"),
        (4, 8, "LOC"),
        (9, 11, "PERSON"),
    ]
    (doc,) = read_cluener(path)
    assert [(m.label, m.text) for m in doc.mentions] == [
        ("ORG", "国务院"),
        ("LOC", "北京故宫"),
        ("PERSON", "张三"),
    ]


def test_one_cluener_map_for_evaluation_and_training() -> None:
    """Training maps CLUENER with the evaluation's map (and has no copy of its own)."""
    from pipeline.training import data

    source = Path(data.__file__).read_text(encoding="utf-8")
    assert "CLUENER_LABEL_MAP" in source
    names = {
        t.id
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Assign)
        for t in node.targets
        if isinstance(t, ast.Name)
    }
    assert not {n for n in names if n.endswith("_MAP")}, "label maps belong in evaluation.labels"
    assert CLUENER_LABEL_MAP["government"] == CLUENER_LABEL_MAP["goverment"] == "ORG"
    assert NER_LABEL_MAP == {"PER": "PERSON", "ORG": "ORG", "LOC": "LOC"}


def test_parse_label_map_rejects_unknown_targets() -> None:
    assert parse_label_map("PER=PERSON, T:DATE") == {"PER": "PERSON", "T": "DATE"}
    with pytest.raises(ValueError, match="bad label map item"):
        parse_label_map("PER=PEOPLE")


def test_s2tw_keeps_offsets() -> None:
    text = "台湾的软件和头发，发展里程碑"
    trad = s2tw(text)
    assert len(trad) == len(text) and trad != text
    doc = GoldDoc(
        id="d", text=text, mentions=[GoldMention(start=0, end=2, label="LOC", text="台湾")]
    )
    (out,) = to_traditional([doc])
    assert out.text == trad and out.mentions[0].text == trad[0:2] != "台湾"


def test_span_scores_count_exact_spans() -> None:
    gold = [[(0, 2, "PERSON"), (3, 5, "LOC")], [(0, 1, "ORG")]]
    pred = [[(0, 2, "PERSON"), (3, 6, "LOC")], [(0, 1, "ORG"), (2, 3, "ORG")]]
    s = span_scores(gold, pred, ("PERSON", "ORG", "LOC"))
    assert (s["PERSON"].tp, s["PERSON"].fp, s["PERSON"].fn) == (1, 0, 0)
    assert (s["LOC"].tp, s["LOC"].fp, s["LOC"].fn) == (0, 1, 1)
    assert (s["ORG"].tp, s["ORG"].fp, s["ORG"].fn) == (1, 1, 0)
    assert (s["ALL"].tp, s["ALL"].fp, s["ALL"].fn) == (2, 2, 1)
    assert s["ALL"].f1 == pytest.approx(2 * 2 / (2 * 2 + 2 + 1))


def test_library_code_does_not_read_tests() -> None:
    """No module under pipeline/ builds a path into tests/ (docstrings may name it)."""
    offenders = []
    for path in sorted((ROOT / "pipeline").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
        }
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docstrings
                and (node.value == "tests" or node.value.startswith("tests/"))
            ):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not offenders


def test_fixtures_eval_scores_a_gold_file_it_is_given() -> None:
    from pipeline.model.tagger import CharTagger
    from pipeline.training.fixtures_eval import score as tagger_score

    tagger = CharTagger.from_disk(ROOT / "models" / "zh_news_ner" / "zh_news_ner")
    res = tagger_score(tagger, ROOT / "tests" / "fixtures" / "gold.jsonl")
    assert set(res) == {"PERSON", "ORG", "LOC", "ALL"}
    assert res["ALL"]["n"] == sum(res[lb]["n"] for lb in ("PERSON", "ORG", "LOC")) > 0
    assert 0.5 < res["ALL"]["f"] <= 1.0


def test_score_accepts_reader_output_directly(tmp_path: Path) -> None:
    path = tmp_path / "g.bio"
    path.write_text("美\tB-LOC\n国\tI-LOC\n人\tO\n\n", encoding="utf-8")
    docs = read_bio(path, id_prefix="s")
    assert score(docs, docs).ALL.f1 == 1.0


needs_shared = pytest.mark.skipif(
    not (SHARED / "corpora").is_dir(), reason="../shared/corpora is absent"
)


@needs_shared
def test_named_splits() -> None:
    dev = corpora.msra_dev(SHARED)
    assert len(dev) == corpora.MSRA_DEV_SIZE
    n_msra = len(corpora.msra_sentences(SHARED))
    assert dev[0].id == f"msra:{n_msra - corpora.MSRA_DEV_SIZE + 1}"
    assert [d.text for d in dev] == [t.text for t in corpora.msra_sentences(SHARED)[-3000:]]
    overlap = corpora.pd_overlap(SHARED)
    pd = corpora.pd_dev(SHARED)
    all_pd = read_bio(corpora.corpora_dir(SHARED) / corpora.PD_DEV, id_prefix="pd")
    assert overlap and len(pd) == len(all_pd) - len(overlap)
    assert not {d.id for d in pd} & {f"pd:{i + 1}" for i in overlap}
    assert corpora.missing(SHARED, corpora.MSRA, "nope/none.bio") == [
        str(corpora.corpora_dir(SHARED) / "nope/none.bio")
    ]


@needs_shared
def test_training_and_evaluation_read_the_same_sentences() -> None:
    """The training sentences of a set are the evaluation documents of that set."""
    from pipeline.training import data

    _, dev = data.msra_split()
    docs = corpora.msra_dev(SHARED)
    assert [s.text for s in dev] == [d.text for d in docs]
    assert [s.spans for s in dev] == [[(m.start, m.end, m.label) for m in d.mentions] for d in docs]
    uner = data.read_uner("dev")
    docs = corpora.uner("dev", SHARED)
    assert [s.spans for s in uner] == [
        [(m.start, m.end, m.label) for m in d.mentions] for d in docs
    ]


def test_cli_iob2_format(tmp_path: Path) -> None:
    import typer
    from typer.testing import CliRunner

    from pipeline.cli.eval import eval_command

    app = typer.Typer()
    app.command()(eval_command)
    gold = tmp_path / "g.iob2"
    pred = tmp_path / "p.iob2"
    gold.write_text("1\t美国\tB-LOC\n2\t总统\tO\n3\t拜登\tB-PER\n\n", encoding="utf-8")
    pred.write_text("1\t美国\tB-LOC\n2\t总统\tO\n3\t拜登\tO\n\n", encoding="utf-8")
    out = tmp_path / "s.json"
    args = [str(gold), "--format", "iob2", "--pred", str(pred), "--json", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    scores = json.loads(out.read_text(encoding="utf-8"))
    assert scores["labels"]["LOC"]["tp"] == 1 and scores["labels"]["PERSON"]["fn"] == 1
