"""jieba's prefix dictionary with the project's user dictionary, cached per user.

A ``jieba.Tokenizer`` starts by loading its prefix dictionary (every word of
``dict.txt`` and every prefix of one) from jieba's own cache, a ``marshal`` file in
the system temp directory, then parses the user dictionary line by line: the largest
single cost of a whole model load. This module keeps the finished state (jieba's dictionary plus the user dictionary)
in the user cache directory (:mod:`pipeline.cache`) as flat arrays: the words as one
UTF-8 blob, their frequencies as integers. Rebuilding the Python dict from them is
faster than jieba's ``marshal`` load, needs no code execution to read (no pickle),
and skips the user dictionary's parsing.

The cache file is named by a digest of everything the state depends on (a format
number, jieba's version, the bytes of ``dict.txt`` and of the user dictionary), so
editing either dictionary, or upgrading jieba, selects a new file; the file repeats
its key, and any mismatch or read error means a rebuild. Without a writable cache
directory the tokenizer is built the usual way.
"""

from __future__ import annotations

import hashlib
import io
import logging
import zipfile
from pathlib import Path
from typing import IO

import jieba
import jieba.finalseg
import numpy as np

from pipeline.cache import cache_dir, write_atomic

logger = logging.getLogger(__name__)

#: Bumped when the file layout changes (old files are then never read again).
FORMAT = 1
PREFIX = "jieba-prefix-"
#: Cache files kept: the newest few, so a changed dictionary does not pile up files.
KEEP = 4


def main_dictionary() -> bytes:
    """The bytes of jieba's main dictionary (``dict.txt`` of the installed jieba)."""
    with jieba.Tokenizer().get_dict_file() as f:
        data: bytes = f.read()
    return data


def cache_key(main: bytes, user: bytes) -> str:
    """Digest of what the tokenizer's state depends on."""
    h = hashlib.sha256()
    h.update(f"{FORMAT}\0{jieba.__version__}\0{len(main)}\0{len(user)}\0".encode())
    h.update(main)
    h.update(b"\0")
    h.update(user)
    return h.hexdigest()


def force_split_words(user: bytes) -> list[str]:
    """Words of a user dictionary listed with frequency 0, parsed as jieba parses them.

    jieba's ``add_word(word, 0)`` also adds the word to a module-wide set of the HMM
    (``finalseg.Force_Split_Words``); a tokenizer restored from the cache repeats that.
    """
    out: list[str] = []
    for raw in io.BytesIO(user):
        line = raw.strip().decode("utf-8").lstrip("\ufeff")
        if not line:
            continue
        match = jieba.re_userdict.match(line)
        if match is None:
            continue
        word, freq, _ = match.groups()
        if freq is not None and int(freq.strip()) == 0:
            out.append(word)
    return out


def build(user: bytes) -> jieba.Tokenizer:
    """A tokenizer initialised the usual way (jieba's own cache), with ``user`` loaded."""
    tk = jieba.Tokenizer()
    tk.initialize()
    if user:
        tk.load_userdict(io.BytesIO(user))
    return tk


def _save(path: Path, key: str, tk: jieba.Tokenizer, force: list[str]) -> bool:
    words = list(tk.FREQ)
    tags = list(tk.user_word_tag_tab.items())
    if any("\n" in w for w in words) or any("\n" in w or "\n" in t for w, t in tags):
        return False  # the blobs are newline-separated; jieba never produces such words

    def blob(items: list[str]) -> np.ndarray:
        return np.frombuffer("\n".join(items).encode("utf-8"), dtype=np.uint8)

    arrays = {
        "key": np.array(key),
        "words": blob(words),
        "freq": np.fromiter(tk.FREQ.values(), dtype=np.int64, count=len(words)),
        "total": np.array(tk.total, dtype=np.int64),
        "tag_words": blob([w for w, _ in tags]),
        "tags": blob([t for _, t in tags]),
        "force": blob(force),
    }

    def write(f: IO[bytes]) -> None:
        np.savez(f, **arrays)  # type: ignore[arg-type]  # uncompressed: reading is a copy

    return write_atomic(path, write)


def _split(blob: np.ndarray) -> list[str]:
    text = blob.tobytes().decode("utf-8")
    return text.split("\n") if text else []


def _load(path: Path, key: str) -> jieba.Tokenizer:
    with np.load(path, allow_pickle=False) as z:
        if str(z["key"]) != key:
            raise ValueError(f"{path} holds another dictionary")
        words = _split(z["words"])
        freq = z["freq"].tolist()
        if len(words) != len(freq):
            raise ValueError(f"{path} is inconsistent")
        tag_words, tags = _split(z["tag_words"]), _split(z["tags"])
        if len(tag_words) != len(tags):
            raise ValueError(f"{path} is inconsistent")
        total = int(z["total"])
        force = _split(z["force"])
    tk = jieba.Tokenizer()
    tk.FREQ = dict(zip(words, freq, strict=True))
    tk.total = total
    tk.user_word_tag_tab = dict(zip(tag_words, tags, strict=True))
    tk.initialized = True
    for word in force:
        jieba.finalseg.add_force_split(word)
    return tk


def _prune(directory: Path, keep: Path) -> None:
    """Remove all but the newest :data:`KEEP` cache files (``keep`` always stays)."""
    try:
        files = sorted(
            (p for p in directory.glob(PREFIX + "*.npz") if p != keep),
            key=lambda p: p.stat().st_mtime,
            reverse=True,
        )
        for old in files[KEEP - 1 :]:
            old.unlink()
    except OSError:
        pass


def tokenizer(user: bytes) -> jieba.Tokenizer:
    """An initialised ``jieba.Tokenizer`` with the user dictionary ``user`` loaded.

    Read from the cache when a current file is there; otherwise built (jieba's own
    way) and, when the cache directory is writable, saved for the next process.
    """
    directory = cache_dir()
    if directory is None:
        return build(user)
    key = cache_key(main_dictionary(), user)
    path = directory / f"{PREFIX}{key[:32]}.npz"
    if path.is_file():
        try:
            return _load(path, key)
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
            logger.debug("jieba cache %s unreadable (%s): rebuilding it", path, exc)
    tk = build(user)
    if _save(path, key, tk, force_split_words(user)):
        _prune(directory, path)
    return tk
