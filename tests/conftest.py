"""Shared test fixtures: paths, the ../shared folder (optional), the bundled model."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
ARCHIVE = SHARED / "examples" / "archive"
SEED = ROOT / "data" / "raw" / "000_27cdea0c59f73985.txt"
BUNDLED = ROOT / "models" / "zh_news_ner"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--slow", action="store_true", default=False, help="run slow tests")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--slow"):
        return
    skip = pytest.mark.skip(reason="slow: run with --slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def shared() -> Path:
    """The ../shared folder; tests that need it skip cleanly when it is absent."""
    if not SHARED.is_dir():
        pytest.skip("../shared is absent")
    return SHARED


@pytest.fixture(scope="session")
def extractor() -> Iterator[object]:
    """The bundled model, loaded once per test session."""
    if not (BUNDLED / "config.cfg").is_file():
        pytest.skip("bundled model not built (make train)")
    from pipeline.runner import Extractor

    yield Extractor.load()
