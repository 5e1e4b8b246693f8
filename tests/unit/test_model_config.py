"""The bundled pipeline's config.cfg holds what loading needs, not spaCy's training block."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import BUNDLED


@pytest.mark.skipif(not (BUNDLED / "config.cfg").is_file(), reason="bundled model not built")
def test_config_has_no_training_sections() -> None:
    from thinc.api import Config

    from pipeline.training.package import TRAINING_SECTIONS

    config = Config().from_disk(BUNDLED / "config.cfg", interpolate=False)
    assert not set(TRAINING_SECTIONS) & set(config)
    assert (
        config["nlp"]["pipeline"][-1] == "zh_news_dates"
        and "zh_news_ner" in config["nlp"]["pipeline"]
    )


def test_write_inference_config_drops_the_training_block(tmp_path: Path) -> None:
    """A pipeline saved by spaCy (training sections auto-filled) loads the same without them."""
    import spacy

    from pipeline.stages.segment import blank_nlp
    from pipeline.training.package import write_inference_config

    nlp = blank_nlp()
    nlp.add_pipe("entity_ruler").add_patterns([{"label": "LOC", "pattern": "北京"}])  # type: ignore[attr-defined]
    nlp.to_disk(tmp_path / "m")
    assert "[training]" in (tmp_path / "m" / "config.cfg").read_text(encoding="utf-8")
    write_inference_config(tmp_path / "m")
    text = (tmp_path / "m" / "config.cfg").read_text(encoding="utf-8")
    assert "[training" not in text and "[corpora" not in text
    again = spacy.load(tmp_path / "m")
    assert [(e.text, e.label_) for e in again("我在北京").ents] == [("北京", "LOC")]
    shutil.rmtree(tmp_path / "m")
