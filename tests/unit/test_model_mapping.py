"""Any installed spaCy pipeline can be selected; its labels map to the guide's."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from pipeline.errors import ModelNotFound
from pipeline.runner import Extractor
from pipeline.stages.ner import map_label


@pytest.mark.parametrize(
    ("theirs", "ours"),
    [("PERSON", "PERSON"), ("ORG", "ORG"), ("GPE", "LOC"), ("LOC", "LOC"), ("FAC", "LOC"),
     ("DATE", "DATE"), ("NORP", None), ("MONEY", None), ("TIME", None)],
)  # fmt: skip
def test_label_map(theirs: str, ours: str | None) -> None:
    assert map_label(theirs) == ours


def _ontonotes_like_pipeline(path: Path) -> Path:
    """A small zh pipeline with OntoNotes labels (as zh_core_web_sm has), saved to disk."""
    nlp = spacy.blank("zh")  # character segmentation, like a third-party pipeline
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(  # type: ignore[attr-defined]
        [
            {"label": "PERSON", "pattern": "奥斯汀"},
            {"label": "GPE", "pattern": "美国"},
            {"label": "FAC", "pattern": "羽田机场"},
            {"label": "FAC", "pattern": "五角大楼"},
            {"label": "ORG", "pattern": "共同社"},
            {"label": "NORP", "pattern": "日本人"},
            {"label": "DATE", "pattern": "去年11月"},
            {"label": "PERSON", "pattern": "周四"},  # a model error the date rules override
        ]
    )
    nlp.meta["name"] = "onto_test"
    nlp.to_disk(path)
    return path


def test_third_party_pipeline_labels_mapped(tmp_path: Path) -> None:
    extractor = Extractor.load(_ontonotes_like_pipeline(tmp_path / "onto_test"))
    text = "美国防长奥斯汀去年11月在五角大楼对共同社和日本人说，他周四会从羽田机场出发。"
    record = extractor.extract(text, published="2022-01-05T20:45:01Z")
    got = {(m.label, m.text, m.value) for m in record.mentions}
    assert ("LOC", "美国", None) in got
    assert ("PERSON", "奥斯汀", None) in got
    assert ("LOC", "羽田机场", None) in got  # FAC → LOC
    assert ("ORG", "五角大楼", None) in got  # the guide's building rule (gazetteer) wins
    assert ("ORG", "共同社", None) in got
    assert ("DATE", "去年11月", "2021-11") in got  # the model's DATE, normalized
    assert ("DATE", "周四", "2022-01-06") in got  # the date rules win over PERSON 周四
    assert ("PERSON", "周四", None) not in got
    assert not any(m.text == "日本人" for m in record.mentions)  # NORP dropped
    assert record.pipeline.model == "onto_test"


def test_unknown_model_raises() -> None:
    with pytest.raises(ModelNotFound):
        Extractor.load("no_such_pipeline_xyz")
