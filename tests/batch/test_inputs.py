"""The walk streams and sorts; reads are bounded and never block."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from pipeline.batch import Walk, iter_inputs, read_input
from pipeline.errors import InputNotFound, PipelineError, TooLarge, Unreadable


def test_walk_is_sorted_lazy_and_counts_skips(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("b/2.txt", "b/1.txt", "a.txt", "c/x.md", "c/d/3.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    listed: list[str] = []
    real_scandir = os.scandir

    def scandir(path: str) -> object:
        listed.append(os.path.relpath(path, tmp_path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    walk = Walk()
    it = iter_inputs([tmp_path], walk)
    first = next(it)
    assert Path(first.source).name == "a.txt" and listed == ["."]  # nothing below is listed yet
    rest = [os.path.relpath(i.source, tmp_path) for i in it]
    assert rest == ["b/1.txt", "b/2.txt", "c/d/3.txt"] and walk.skipped == 1


def test_walk_survives_deep_trees_and_directory_loops(tmp_path: Path) -> None:
    deep = tmp_path
    for _ in range(1200):  # deeper than Python's recursion limit
        deep = deep / "d"
        os.mkdir(deep)
    (deep / "x.txt").write_text("x", encoding="utf-8")
    os.symlink(tmp_path, deep / "up")  # a link to an ancestor
    try:
        items = list(iter_inputs([tmp_path], Walk()))
        assert [Path(i.path).name for i in items] == ["up", "x.txt"]
        assert items[0].error == "symlink_loop" and items[1].error is None
    finally:  # bottom-up: shutil.rmtree (pytest's cleanup) recurses once per level
        (deep / "x.txt").unlink()
        (deep / "up").unlink()
        while deep != tmp_path:
            deep.rmdir()
            deep = deep.parent


def test_read_input_is_bounded_and_maps_os_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 1000)
    assert read_input(str(big), max_bytes=1000) == b"x" * 1000
    with pytest.raises(TooLarge):
        read_input(str(big), max_bytes=999)
    with pytest.raises(InputNotFound):
        read_input(str(tmp_path / "nope.txt"), max_bytes=10)
    with pytest.raises(Unreadable, match="directory"):
        read_input(str(tmp_path), max_bytes=10)
    fifo = tmp_path / "fifo.txt"
    os.mkfifo(fifo)
    with pytest.raises(Unreadable, match="FIFO"):  # and no hang waiting for a writer
        read_input(str(fifo), max_bytes=10)

    def denied(*args: object, **kwargs: object) -> int:
        raise PermissionError(errno.EACCES, "Permission denied")

    # Tests run as root, where chmod 000 does not stop reads: simulate the refusal.
    monkeypatch.setattr(os, "open", denied)
    with pytest.raises(Unreadable, match="permission denied") as info:
        read_input(str(big), max_bytes=10)
    assert isinstance(info.value, PipelineError) and info.value.code == "unreadable"
