"""Fixtures of the batch tests: a small on-disk model, article trees, output helpers."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.runner import Extractor
from tests.conftest import ROOT, SEED

ARTICLES = sorted((ROOT / "tests" / "fixtures" / "articles").glob("*.txt"))


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A small real spaCy pipeline on disk (jieba tokenizer, entity ruler, dates).

    Worker processes load models by name or path, so tests save one; it is fast to
    load and deterministic, unlike the bundled model that may still be training.
    """
    import pipeline.stages.dates_component  # noqa: F401  (registers the factory)
    from pipeline.stages.segment import blank_nlp

    nlp = blank_nlp()
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(  # type: ignore[attr-defined]
        [
            {"label": "PERSON", "pattern": "奥斯汀"},
            {"label": "PERSON", "pattern": "拜登"},
            {"label": "LOC", "pattern": "台湾"},
            {"label": "LOC", "pattern": "美国"},
            {"label": "LOC", "pattern": "中国"},
            {"label": "ORG", "pattern": "美国国务院"},
        ]
    )
    nlp.add_pipe("zh_news_dates")
    nlp.meta["name"] = "batch_test_model"
    path = tmp_path_factory.mktemp("models") / "batch_test_model"
    nlp.to_disk(path)
    return str(path)


@pytest.fixture(scope="session")
def test_extractor(model_dir: str) -> Extractor:
    """The test model loaded in this process."""
    from pipeline.runner import Extractor

    return Extractor.load(model_dir)


def make_corpus(root: Path, n: int, *, subdirs: int = 3) -> Path:
    """``n`` articles (the repo's fixtures, cycled under new names) in a few subfolders."""
    sources = [SEED, *ARTICLES]
    root.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        folder = root / f"d{i % subdirs}" if subdirs else root
        folder.mkdir(exist_ok=True)
        shutil.copyfile(sources[i % len(sources)], folder / f"art{i:04d}.txt")
    return root


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """40 articles in three folders, plus a file the glob skips."""
    root = make_corpus(tmp_path / "in", 40)
    (root / "README.md").write_text("not an article", encoding="utf-8")
    return root


Outputs = Callable[[str], tuple[Path, Path]]


@pytest.fixture
def outputs(tmp_path: Path) -> Outputs:
    """``outputs("a")`` → (records path, errors path) in a fresh folder."""

    def make(name: str) -> tuple[Path, Path]:
        folder = tmp_path / "out" / name
        return folder / "records.jsonl", folder / "errors.jsonl"

    return make


def read_bytes(paths: tuple[Path, Path]) -> tuple[bytes, bytes]:
    """Both output files' bytes."""
    return paths[0].read_bytes(), paths[1].read_bytes()
