"""The commit protocol of a batch: numbered part files and a journal in a work dir.

Layout, beside ``--out`` (same file system, so renames are atomic)::

    .<out name>.work/
        job.json                 what the job is (inputs, options, model); written once
        lock                     flock()ed while a run owns the directory
        journal.jsonl            one line per committed chunk: the commit point
        part-00000042.jsonl      records of chunk 42
        part-00000042.errors.jsonl
        assembling               present while the final outputs are being replaced

A chunk is committed in this order: both part files are written to ``*.tmp``,
fsynced and renamed into place, the directory is fsynced, then one JSON line is
appended to the journal and the journal is fsynced. A chunk counts as done only
when its journal line is complete and both part files have the sizes it records,
so a crash at any point leaves either a committed chunk or one that is redone.
When every chunk is committed, the parts are concatenated in chunk order into
temporary files beside the outputs, fsynced and renamed over ``--errors`` then
``--out``; then the work dir is removed.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

from pipeline.batch.work import ChunkResult
from pipeline.errors import WorkDirError
from pipeline.stages.write import fsync_dir, temp_beside

logger = logging.getLogger(__name__)

FORMAT = 1
JOB = "job.json"
JOURNAL = "journal.jsonl"
LOCK = "lock"
ASSEMBLING = "assembling"
#: job.json keys that may differ between a run and its resume.
UNCHECKED = frozenset({"format", "overwrite"})


@dataclass(frozen=True, slots=True)
class Entry:
    """One journal line: a committed chunk and its counters."""

    chunk: int
    fingerprint: str
    files: int
    records: int
    errors: int
    chars: int
    codes: dict[str, int]
    records_bytes: int
    errors_bytes: int
    warnings: dict[str, int] = field(default_factory=dict)  # absent in older journals


def work_dir_for(out: Path) -> Path:
    """The work dir of an output file: a hidden directory beside it."""
    return out.parent / f".{out.name}.work"


def _write_durably(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


class WorkDir:
    """A job's work dir, owned (locked) by this process."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.committed: dict[int, Entry] = {}
        self.recorded: dict[str, Any] = {}
        self._lock_file: IO[bytes] | None = None
        self._journal: IO[bytes] | None = None

    # -- opening -----------------------------------------------------------------
    @classmethod
    def create(cls, path: Path, job: dict[str, Any]) -> WorkDir:
        """A fresh work dir for ``job`` (an existing one is removed first)."""
        if path.exists():
            probe = cls(path)
            probe._lock()  # refuse to remove the work dir of a live run
            probe.close()
            shutil.rmtree(path)
        path.mkdir(parents=True)
        wd = cls(path)
        wd._lock()
        _write_durably(path / JOB, json.dumps({"format": FORMAT, **job}, indent=1).encode())
        _write_durably(path / JOURNAL, b"")
        fsync_dir(path)
        fsync_dir(path.parent)
        wd._journal = open(path / JOURNAL, "ab")  # noqa: SIM115 - closed in close()
        return wd

    @classmethod
    def resume(cls, path: Path, job: dict[str, Any]) -> WorkDir:
        """Reopen the work dir of an interrupted run of the same ``job``."""
        wd = cls(path)
        wd._lock()
        try:
            recorded = json.loads((path / JOB).read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            wd.close()
            raise WorkDirError(f"{path} holds no readable {JOB}; use --overwrite") from e
        wd.recorded = dict(recorded)
        keys = (set(job) | set(recorded)) - UNCHECKED
        diffs = sorted(k for k in keys if job.get(k) != recorded.get(k))
        if diffs:
            wd.close()
            raise WorkDirError(
                f"the interrupted run in {path} had other settings ({', '.join(diffs)}); "
                "rerun it with the same options, or use --overwrite to start over"
            )
        wd._load_journal()
        wd._journal = open(path / JOURNAL, "ab")  # noqa: SIM115 - closed in close()
        return wd

    def _lock(self) -> None:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows: no lock
            return
        self._lock_file = open(self.path / LOCK, "wb")  # noqa: SIM115 - closed in close()
        try:
            fcntl.flock(self._lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as e:
            self._lock_file.close()
            self._lock_file = None
            raise WorkDirError(f"another run is using {self.path}") from e

    def _load_journal(self) -> None:
        """Keep the complete, verified journal lines; rewrite the journal without the rest."""
        try:
            raw = (self.path / JOURNAL).read_bytes()
        except FileNotFoundError:
            raw = b""
        entries: dict[int, Entry] = {}
        for line in raw.split(b"\n"):
            if not line.strip():
                continue
            try:
                entry = Entry(**json.loads(line))
            except (ValueError, TypeError):
                logger.info("ignoring a torn journal line", extra={"event": "journal_torn"})
                continue
            rec, err = self.part_paths(entry.chunk)
            if _size(rec) == entry.records_bytes and _size(err) == entry.errors_bytes:
                entries[entry.chunk] = entry
        self.committed = entries
        body = b"".join(_line(e) for _, e in sorted(entries.items()))
        _write_durably(self.path / JOURNAL, body)
        fsync_dir(self.path)

    # -- committing ----------------------------------------------------------------
    def part_paths(self, chunk: int) -> tuple[Path, Path]:
        """The records and errors part files of a chunk."""
        stem = f"part-{chunk:08d}"
        return self.path / f"{stem}.jsonl", self.path / f"{stem}.errors.jsonl"

    def commit(self, result: ChunkResult, fingerprint: str) -> Entry:
        """Make one chunk durable (see the module docstring for the order of steps)."""
        assert self._journal is not None, "work dir is closed"
        rec, err = self.part_paths(result.index)
        _write_durably(rec, bytes(result.records))
        _write_durably(err, bytes(result.errors))
        fsync_dir(self.path)
        entry = Entry(
            chunk=result.index,
            fingerprint=fingerprint,
            files=result.files,
            records=result.n_records,
            errors=result.n_errors,
            chars=result.chars,
            codes=dict(sorted(result.codes.items())),
            records_bytes=len(result.records),
            errors_bytes=len(result.errors),
            warnings=dict(sorted(result.warnings.items())),
        )
        self._journal.write(_line(entry))
        self._journal.flush()
        os.fsync(self._journal.fileno())
        self.committed[entry.chunk] = entry
        return entry

    # -- finishing -----------------------------------------------------------------
    @property
    def assembling(self) -> bool:
        """Whether an earlier run had started replacing the outputs."""
        return (self.path / ASSEMBLING).exists()

    def assemble(self, n_chunks: int, *, out: Path | None, errors: Path | None) -> None:
        """Concatenate chunks ``0..n_chunks-1`` into ``errors`` and ``out``, atomically each.

        A target that is None is skipped (its lines were streamed instead).
        """
        missing = [i for i in range(n_chunks) if i not in self.committed]
        if missing:
            raise WorkDirError(f"chunks {missing[:5]} are not committed; cannot assemble")
        (self.path / ASSEMBLING).touch()
        fsync_dir(self.path)
        with contextlib.ExitStack() as stack:
            commits = [
                stack.enter_context(
                    _atomic_copy(target, (self.part_paths(i)[k] for i in range(n_chunks)))
                )
                for k, target in ((1, errors), (0, out))
                if target is not None
            ]
            for commit in commits:  # the errors file first, then the records
                commit()

    def close(self) -> None:
        """Release the journal and the lock (the directory stays for --resume)."""
        for f in (self._journal, self._lock_file):
            if f is not None:
                f.close()
        self._journal = self._lock_file = None

    def remove(self) -> None:
        """Delete the work dir (after a successful assembly)."""
        self.close()
        shutil.rmtree(self.path, ignore_errors=True)


def _line(entry: Entry) -> bytes:
    return (json.dumps(asdict(entry), ensure_ascii=False, separators=(",", ":")) + "\n").encode()


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return -1


@contextlib.contextmanager
def _atomic_copy(target: Path, parts: Iterable[Path]) -> Iterator[Any]:
    """Concatenate ``parts`` into a temp file beside ``target``; yield a commit function."""
    fd, tmp = temp_beside(target)
    try:
        with os.fdopen(fd, "wb") as f:
            for part in parts:
                with open(part, "rb") as src:
                    shutil.copyfileobj(src, f, 1 << 20)
            f.flush()
            os.fsync(f.fileno())

        def commit() -> None:
            os.replace(tmp, target)
            fsync_dir(target.parent)

        yield commit
    finally:
        Path(tmp).unlink(missing_ok=True)
