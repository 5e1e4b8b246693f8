"""Write stage: atomic output, never overwriting unless asked."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.schema import ErrorRecord
from pipeline.stages.write import OutputExists, atomic_writer, to_json_line


def test_json_line_is_utf8_not_escaped() -> None:
    line = to_json_line(ErrorRecord(source="文件.txt", error="empty", message="空"))
    assert line.endswith("\n") and "文件" in line and "\\u" not in line


def test_atomic_write_and_no_overwrite(tmp_path: Path) -> None:
    out = tmp_path / "sub" / "out.jsonl"
    with atomic_writer(out) as f:
        f.write("a\n")
    assert out.read_text() == "a\n"
    with pytest.raises(OutputExists), atomic_writer(out) as f:
        f.write("b\n")
    assert out.read_text() == "a\n"
    with atomic_writer(out, overwrite=True) as f:
        f.write("c\n")
    assert out.read_text() == "c\n"


def test_failed_write_leaves_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    with pytest.raises(RuntimeError), atomic_writer(out) as f:
        f.write("partial\n")
        raise RuntimeError("boom")
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_output_mode_follows_umask(tmp_path: Path) -> None:
    import os

    out = tmp_path / "out.jsonl"
    with atomic_writer(out) as f:
        f.write("x\n")
    mask = os.umask(0)
    os.umask(mask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~mask
