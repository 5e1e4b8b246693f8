"""The data a saved pipeline carries besides its weights: the rules' gazetteer and the
tokenizer's user dictionary round-trip through to_disk/from_disk and to_bytes/from_bytes,
and the bundled model carries the lists shipped in pipeline/data."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from spacy.vocab import Vocab

from pipeline.stages.rules import COMPONENT as RULES
from pipeline.stages.rules import GAZETTEER_FILE, RulesComponent, load_gazetteer
from pipeline.stages.segment import USERDICT_NAME, JiebaSegmenter, ZhNewsTokenizer
from pipeline.training.package import refresh_data
from tests.conftest import BUNDLED


def test_rules_round_trip_on_disk_and_in_bytes(tmp_path: Path) -> None:
    rules = RulesComponent()
    rules.to_disk(tmp_path / RULES)
    other = RulesComponent().from_bytes("某某研究所\tORG\n".encode())
    assert other.table == {"某某研究所": "ORG"}
    assert other.pattern.search("他在某某研究所工作")
    other.from_disk(tmp_path / RULES)
    assert other.table == rules.table
    assert RulesComponent().from_bytes(rules.to_bytes()).table == rules.table


def test_rules_without_saved_data_keep_the_shipped_lists(tmp_path: Path) -> None:
    rules = RulesComponent().from_disk(tmp_path / "nothing-here")
    assert rules.table == load_gazetteer()


def test_tokenizer_from_bytes_uses_its_input(tmp_path: Path) -> None:
    word = "甲乙丙丁戊己"
    plain = ZhNewsTokenizer(Vocab(), JiebaSegmenter(tmp_path / "none.txt"))
    assert plain(f"{word}说")[0].text != word
    data = f"{word} 100000 nt\n".encode()
    tok = ZhNewsTokenizer(Vocab()).from_bytes(data)
    assert tok.to_bytes() == data
    assert tok(f"{word}说")[0].text == word
    tok.to_disk(tmp_path / "tok")
    assert (tmp_path / "tok" / USERDICT_NAME).read_bytes() == data
    again = ZhNewsTokenizer(Vocab()).from_disk(tmp_path / "tok")
    assert again(f"{word}说")[0].text == word


def test_bundled_model_carries_the_shipped_lists() -> None:
    if not (BUNDLED / "config.cfg").is_file():
        pytest.skip("bundled model not built (make train)")
    saved = (BUNDLED / RULES / GAZETTEER_FILE).read_bytes()
    assert saved == RulesComponent().to_bytes(), (
        "the bundled model's gazetteer differs from pipeline/data: run `make model-data`"
    )
    shipped = JiebaSegmenter().userdict_bytes()
    assert (BUNDLED / "tokenizer" / USERDICT_NAME).read_bytes() == shipped, (
        "the bundled model's user dictionary differs from pipeline/data: run `make model-data`"
    )


def test_refresh_bumps_the_patch_version_only_on_a_change(tmp_path: Path) -> None:
    if not (BUNDLED / "config.cfg").is_file():
        pytest.skip("bundled model not built (make train)")
    out = tmp_path / "model"
    out.mkdir()
    shutil.copy(BUNDLED / "meta.json", out / "meta.json")
    shutil.copytree(BUNDLED / RULES, out / RULES)
    shutil.copytree(BUNDLED / "tokenizer", out / "tokenizer")
    version = json.loads((out / "meta.json").read_text(encoding="utf-8"))["version"]
    assert refresh_data(out) is False
    assert json.loads((out / "meta.json").read_text(encoding="utf-8"))["version"] == version
    with (out / RULES / GAZETTEER_FILE).open("a", encoding="utf-8") as f:
        f.write("某某研究所\tORG\n")
    assert refresh_data(out) is True
    major, minor, patch = version.split(".")
    bumped = json.loads((out / "meta.json").read_text(encoding="utf-8"))["version"]
    assert bumped == f"{major}.{minor}.{int(patch) + 1}"
    assert (out / RULES / GAZETTEER_FILE).read_bytes() == RulesComponent().to_bytes()
