"""The spaCy glue: one assembly of the pipeline, checked requires/assigns, factory
settings from the config, the Doc extensions installed once."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.tokens import Doc

from pipeline.errors import PipelineConfigError
from pipeline.model.tagger import BATCH_CHARS, SHARED_CACHE_BATCH_CHARS
from pipeline.resources import load_pipeline
from pipeline.stages.assemble import assemble, check_pipeline
from pipeline.stages.docs import EXTENSIONS, install_extensions
from pipeline.stages.names import BUNDLED_ORDER, CLAIMS, DATES, NER, RULES, TOKENIZER
from pipeline.stages.ner import NerComponent
from pipeline.stages.rules import RulesComponent, load_gazetteer
from pipeline.stages.segment import ZhNewsTokenizer, blank_nlp
from tests.conftest import BUNDLED


def test_extensions_are_installed_once_and_idempotently() -> None:
    install_extensions()
    install_extensions()
    for name in EXTENSIONS:
        assert Doc.has_extension(name)


def test_assemble_completes_a_pipeline_in_the_bundled_order() -> None:
    nlp = assemble(blank_nlp())
    assert nlp.pipe_names == [CLAIMS, RULES, DATES]
    other = blank_nlp()
    other.add_pipe("entity_ruler")
    other.add_pipe(DATES)
    assert assemble(other).pipe_names == [CLAIMS, "entity_ruler", RULES, DATES]


def test_bundled_model_is_assembled_in_order() -> None:
    assert tuple(load_pipeline(BUNDLED).pipe_names) == BUNDLED_ORDER


def test_a_component_without_what_it_requires_is_refused() -> None:
    nlp = blank_nlp()
    nlp.add_pipe(RULES)  # requires doc.ents: nothing before it sets entities
    with pytest.raises(PipelineConfigError, match=r"zh_news_rules.*doc\.ents"):
        check_pipeline(nlp)


def test_entities_set_before_the_claims_are_refused() -> None:
    nlp = blank_nlp()
    nlp.add_pipe("entity_ruler")
    nlp.add_pipe(CLAIMS)
    with pytest.raises(PipelineConfigError, match="entity_ruler"):
        assemble(nlp)


def test_loading_a_misordered_model_raises_pipeline_config_error(tmp_path: Path) -> None:
    nlp = blank_nlp()
    nlp.add_pipe("entity_ruler")
    nlp.add_pipe(DATES)
    nlp.add_pipe(CLAIMS, last=True)
    nlp.to_disk(tmp_path / "bad")
    with pytest.raises(PipelineConfigError) as err:
        load_pipeline(tmp_path / "bad")
    assert err.value.code == "bad_pipeline"


def test_ner_factory_settings_come_from_the_config() -> None:
    nlp = blank_nlp()
    assert nlp.add_pipe(NER).batch_chars == BATCH_CHARS  # type: ignore[attr-defined]
    assert nlp.get_pipe_config(NER) == {
        "factory": NER,
        "batch_size": 64,
        "batch_chars": 8192,
        "backend": None,
    }
    small = blank_nlp().add_pipe(NER, config={"batch_size": 3, "batch_chars": 100})
    assert isinstance(small, NerComponent)
    assert (small.batch_size, small.batch_chars) == (3, 100)
    with pytest.raises(ValueError, match="batch_size"):
        blank_nlp().add_pipe(NER, config={"batch_size": 0})
    with pytest.raises(ValueError, match="backend"):
        blank_nlp().add_pipe(NER, config={"backend": "gpu"})


def test_load_settings_reach_the_tagger_and_skip_absent_components() -> None:
    nlp = load_pipeline(BUNDLED, settings={NER: {"batch_chars": SHARED_CACHE_BATCH_CHARS}})
    ner = nlp.get_pipe(NER)
    assert isinstance(ner, NerComponent) and ner.tagger is not None
    assert ner.tagger.batch_chars == SHARED_CACHE_BATCH_CHARS
    assert load_pipeline(BUNDLED).get_pipe(NER).tagger.batch_chars == BATCH_CHARS  # type: ignore[attr-defined]
    reference = load_pipeline(BUNDLED, settings={NER: {"backend": "numpy"}}).get_pipe(NER)
    assert reference.tagger.backend == "numpy"  # type: ignore[attr-defined]


def test_settings_for_a_component_the_model_lacks_are_ignored(tmp_path: Path) -> None:
    nlp = blank_nlp()
    nlp.add_pipe("entity_ruler")
    nlp.to_disk(tmp_path / "m")
    loaded = load_pipeline(tmp_path / "m", settings={NER: {"batch_chars": 1}})
    assert loaded.pipe_names == [CLAIMS, "entity_ruler", RULES, DATES]


def test_rules_gazetteer_from_the_config(tmp_path: Path) -> None:
    lists = tmp_path / "names.tsv"
    lists.write_text("某某研究所\tORG\n", encoding="utf-8")
    rules = blank_nlp().add_pipe(RULES, config={"gazetteer": [str(lists)]})
    assert isinstance(rules, RulesComponent)
    assert rules.table == {"某某研究所": "ORG"}
    default = blank_nlp().add_pipe(RULES)
    assert isinstance(default, RulesComponent) and default.table == load_gazetteer()


def test_tokenizer_user_dictionary_from_the_config(tmp_path: Path) -> None:
    word = "甲乙丙丁戊己"
    userdict = tmp_path / "userdict.txt"
    userdict.write_text(f"{word} 100000 n\n", encoding="utf-8")
    nlp = spacy.blank(
        "zh", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER, "userdict": str(userdict)}}}
    )
    assert isinstance(nlp.tokenizer, ZhNewsTokenizer)
    assert nlp(f"{word}说")[0].text == word
    assert blank_nlp()(f"{word}说")[0].text != word
