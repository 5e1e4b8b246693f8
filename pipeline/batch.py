"""Batch job: a tree of raw files → records JSONL + errors JSONL.

Every input ends up as exactly one record or one error line with a stable code;
a bad file never stops the batch. Inputs are walked lazily in sorted order (one
directory listing in memory at a time), so output order is deterministic.
"""

from __future__ import annotations

import fnmatch
import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import InputNotFound, PipelineError, Unreadable
from pipeline.runner import Extractor
from pipeline.schema import Article, ErrorRecord, Record
from pipeline.stages.parse import DEFAULT_MAX_BYTES, parse_file
from pipeline.stages.write import atomic_writer, check_writable, to_json_line

logger = logging.getLogger(__name__)

DEFAULT_GLOB = "*.txt"


@dataclass(slots=True)
class BatchSummary:
    """What a batch run did."""

    files: int = 0
    records: int = 0
    errors: int = 0
    skipped: int = 0
    chars: int = 0
    seconds: float = 0.0
    error_codes: dict[str, int] = field(default_factory=dict)

    @property
    def chars_per_second(self) -> float:
        """Throughput over the article texts."""
        return self.chars / self.seconds if self.seconds > 0 else 0.0


@dataclass(slots=True)
class _Walk:
    glob: str
    skipped: int = 0
    missing: list[Path] = field(default_factory=list)


def _walk_dir(root: Path, walk: _Walk, seen: set[tuple[int, int]]) -> Iterator[Path]:
    try:
        st = root.stat()
        key = (st.st_dev, st.st_ino)
        if key in seen:  # symlink loop
            return
        seen.add(key)
        with os.scandir(root) as it:
            names = sorted(e.name for e in it)
    except OSError as e:
        logger.warning("cannot list %s: %s", root, e)
        yield root  # becomes an "unreadable" error line
        return
    for name in names:
        path = root / name
        if path.is_dir():
            yield from _walk_dir(path, walk, seen)
        elif fnmatch.fnmatch(name, walk.glob):
            yield path
        else:
            walk.skipped += 1


def iter_inputs(inputs: Iterable[Path], walk: _Walk) -> Iterator[Path]:
    """Files named directly, and files matching the glob under directories, sorted."""
    for item in inputs:
        if item.is_dir():
            yield from _walk_dir(item, walk, set())
        else:
            yield item  # missing or unreadable files become error lines later


def _to_error(path: Path, err: Exception) -> ErrorRecord:
    if isinstance(err, PipelineError):
        return ErrorRecord(source=str(path), error=err.code, message=err.message)
    return ErrorRecord(
        source=str(path), error="extract_failed", message=f"{type(err).__name__}: {err}"
    )


def process(
    paths: Iterable[Path],
    extractor: Extractor,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    batch_size: int = 16,
    debug: bool = False,
) -> Iterator[Record | ErrorRecord]:
    """Parse and extract, yielding one Record or ErrorRecord per path, in input order."""
    pending: list[tuple[Path, Article | ErrorRecord]] = []

    def flush() -> Iterator[Record | ErrorRecord]:
        articles = [a for _, a in pending if isinstance(a, Article)]
        try:
            records = iter(list(extractor.pipe(articles, batch_size=batch_size)))
        except Exception:
            if debug:
                raise
            records = None
        for path, item in pending:
            if isinstance(item, ErrorRecord):
                yield item
            elif records is not None:
                yield next(records)
            else:  # isolate the failing article
                try:
                    yield extractor.extract_article(item)
                except Exception as e:
                    if debug:
                        raise
                    logger.debug("extract failed on %s", path, exc_info=True)
                    yield _to_error(path, e)
        pending.clear()

    for path in paths:
        try:
            if path.is_dir():
                raise Unreadable("is a directory that cannot be listed", source=str(path))
            if not path.exists() and not path.is_symlink():
                raise InputNotFound("no such file", source=str(path))
            item: Article | ErrorRecord = parse_file(path, max_bytes=max_bytes)
        except Exception as e:
            if debug and not isinstance(e, PipelineError):
                raise
            item = _to_error(path, e)
        pending.append((path, item))
        if len(pending) >= batch_size:
            yield from flush()
    if pending:
        yield from flush()


def run_batch(
    inputs: Iterable[Path],
    *,
    out: Path,
    errors: Path,
    extractor: Extractor,
    overwrite: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    glob: str = DEFAULT_GLOB,
    debug: bool = False,
    on_item: Callable[[Record | ErrorRecord], None] | None = None,
) -> BatchSummary:
    """Run the whole job; outputs appear (atomically) only when it completes."""
    check_writable(out, overwrite=overwrite)
    check_writable(errors, overwrite=overwrite)
    summary = BatchSummary()
    walk = _Walk(glob=glob)
    start = time.perf_counter()
    with (
        atomic_writer(out, overwrite=overwrite) as fout,
        atomic_writer(errors, overwrite=overwrite) as ferr,
    ):
        items = process(iter_inputs(inputs, walk), extractor, max_bytes=max_bytes, debug=debug)
        for item in items:
            summary.files += 1
            if isinstance(item, Record):
                summary.records += 1
                summary.chars += len(item.text)
                fout.write(to_json_line(item))
            else:
                summary.errors += 1
                summary.error_codes[item.error] = summary.error_codes.get(item.error, 0) + 1
                ferr.write(to_json_line(item))
            if on_item is not None:
                on_item(item)
    summary.skipped = walk.skipped
    summary.seconds = time.perf_counter() - start
    return summary
