"""The notebook section of the docs runs as written: every ```python block, in order.

The blocks live in README.md's "In a notebook" section. They use the bundled model, so the test skips
when the model is not built, and run in a temporary folder that sees the project's
``data/`` so that nothing is written into the work tree.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import BUNDLED, ROOT

DOC = ROOT / "README.md"
BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)
SECTION = re.compile(r"^## In a notebook\n.*?(?=^## |\Z)", re.S | re.M)


def python_blocks(markdown: str) -> list[str]:
    """The source of each fenced ```python block."""
    return BLOCK.findall(markdown)


def notebook_section(markdown: str) -> str | None:
    match = SECTION.search(markdown)
    return match.group(0) if match else None


def test_blocks_are_found() -> None:
    blocks = python_blocks(notebook_section(DOC.read_text(encoding="utf-8")) or "")
    assert len(blocks) >= 5
    assert any("frames(" in b for b in blocks) and any("write_report" in b for b in blocks)


@pytest.mark.parametrize("doc", [DOC], ids=lambda p: p.name)
def test_notebook_section_runs(doc: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if not (BUNDLED / "config.cfg").is_file():
        pytest.skip("bundled model not built (make train)")
    section = notebook_section(doc.read_text(encoding="utf-8"))
    assert section, f"{doc.name} has no '## In a notebook' section"
    (tmp_path / "data").symlink_to(ROOT / "data", target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": "__notebook__"}
    for i, block in enumerate(python_blocks(section), start=1):
        code = compile(block, f"{doc.name}:block{i}", "exec")
        exec(code, namespace)  # the documentation's own examples
    assert (tmp_path / "report.html").is_file() and (tmp_path / "record.html").is_file()
