"""Inputs of a batch: a lazy, sorted walk over files and directories, and bounded reads.

The walk holds one directory listing (names only) per level of the current path in
memory, never the whole tree, and yields inputs in a deterministic order: names
sorted by code point inside each directory, directories entered where their name
sorts. Reads are bounded by ``max_bytes`` and never block (a FIFO is an error, not
a hang).
"""

from __future__ import annotations

import errno
import fnmatch
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from pipeline.errors import InputNotFound, PipelineError, SymlinkLoop, TooLarge, Unreadable
from pipeline.schema import ErrorCode

DEFAULT_GLOB = "*.txt"
_READ_BLOCK = 1 << 20
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


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


def _os_error(path: str, err: OSError) -> PipelineError:
    if err.errno == errno.ELOOP:
        return SymlinkLoop("symbolic link loop", source=path)
    if err.errno == errno.ENOENT:
        what = "dangling symbolic link" if os.path.islink(path) else "no such file"
        return InputNotFound(what, source=path)
    if err.errno in (errno.EACCES, errno.EPERM):
        return Unreadable("permission denied", source=path)
    return Unreadable(f"cannot read: {err.strerror or err}", source=path)


def read_input(path: str, *, max_bytes: int) -> bytes:
    """Read one regular file of at most ``max_bytes`` bytes.

    The file is opened non-blocking and checked on its descriptor (no race between
    the check and the read): directories, FIFOs, sockets and devices are
    ``unreadable``, larger files ``too_large`` without reading a byte beyond the limit.
    """
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as e:
        raise _os_error(path, e) from e
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise Unreadable("is a directory, not a file", source=path)
        if not stat.S_ISREG(st.st_mode):
            raise Unreadable("not a regular file (FIFO, socket or device)", source=path)
        if st.st_size > max_bytes:
            raise TooLarge(f"{st.st_size} bytes, more than the limit of {max_bytes}", source=path)
        blocks: list[bytes] = []
        size = 0
        while size <= max_bytes:
            block = os.read(fd, min(_READ_BLOCK, max_bytes + 1 - size))
            if not block:
                break
            blocks.append(block)
            size += len(block)
        if size > max_bytes:  # the file grew after fstat
            raise TooLarge(f"more than the limit of {max_bytes} bytes", source=path)
        return b"".join(blocks)
    except OSError as e:
        raise _os_error(path, e) from e
    finally:
        os.close(fd)
