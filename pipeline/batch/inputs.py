"""Inputs of a batch: a lazy, sorted walk over files and directories, and bounded reads.

The walk holds one directory listing (names only) per level of the current path in
memory, never the whole tree, and yields inputs in a deterministic order: names
sorted by code point inside each directory, directories entered where their name
sorts. Reads are bounded by ``max_bytes`` and never block (a FIFO is an error, not
a hang).
"""

from __future__ import annotations

import fnmatch
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from pipeline.defaults import DEFAULT_GLOB
from pipeline.schema import ErrorCode
from pipeline.stages.parse import read_bytes as read_input  # the one reader, re-exported

__all__ = ["DEFAULT_GLOB", "Item", "Walk", "count_inputs", "iter_inputs", "read_input"]


class Item(NamedTuple):
    """One input: how it is reported (``source``), where it is opened, a walk-time error."""

    source: str
    path: str
    error: ErrorCode | None = None
    message: str = ""


@dataclass(slots=True)
class Walk:
    """Options and counters of one walk over the inputs."""

    glob: str = DEFAULT_GLOB
    skipped: int = 0  # files under a directory that do not match the glob


def display(path: str) -> str:
    """The path as valid Unicode (undecodable name bytes become ``\\xNN`` escapes)."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(path).decode("utf-8", "backslashreplace")
    return path


def _item(path: str, error: ErrorCode | None = None, message: str = "") -> Item:
    return Item(display(path), os.path.abspath(path), error, message)


def _listing(path: str) -> list[str] | OSError:
    try:
        with os.scandir(path) as it:
            return sorted(e.name for e in it)
    except OSError as e:
        return e


def _dir_key(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino) if stat.S_ISDIR(st.st_mode) else None


def _walk_dir(root: str, walk: Walk) -> Iterator[Item]:
    """Depth-first walk with an explicit stack (any depth), following directory links.

    A directory link that points to one of its own ancestors is a loop: it becomes
    one ``symlink_loop`` item instead of an endless walk.
    """
    key = _dir_key(root)
    names = _listing(root)
    if key is None or isinstance(names, OSError):
        reason = names.strerror if isinstance(names, OSError) else "not a directory"
        yield _item(root, "unreadable", f"cannot list the directory: {reason}")
        return
    stack: list[tuple[str, Iterator[str], tuple[int, int]]] = [(root, iter(names), key)]
    ancestors = {key}
    while stack:
        folder, it, folder_key = stack[-1]
        name = next(it, None)
        if name is None:
            stack.pop()
            ancestors.discard(folder_key)
            continue
        path = os.path.join(folder, name)
        sub = _dir_key(path)
        if sub is None:  # a file, or anything that is not a directory (even a broken link)
            if fnmatch.fnmatchcase(name, walk.glob):
                yield _item(path)
            else:
                walk.skipped += 1
        elif sub in ancestors:
            yield _item(path, "symlink_loop", "directory link to one of its own ancestors")
        else:
            listing = _listing(path)
            if isinstance(listing, OSError):
                yield _item(path, "unreadable", f"cannot list the directory: {listing.strerror}")
                continue
            stack.append((path, iter(listing), sub))
            ancestors.add(sub)


def iter_inputs(inputs: Iterable[str | Path], walk: Walk) -> Iterator[Item]:
    """Files named directly (whatever their name), then files matching the glob under dirs."""
    for given in inputs:
        path = os.fspath(given)
        if os.path.isdir(path):
            yield from _walk_dir(path, walk)
        else:
            yield _item(path)  # missing or unreadable files become error lines later


def count_inputs(inputs: Iterable[str | Path], *, glob: str = DEFAULT_GLOB) -> int:
    """How many items a walk yields (names only; used for the progress total)."""
    return sum(1 for _ in iter_inputs(inputs, Walk(glob=glob)))
