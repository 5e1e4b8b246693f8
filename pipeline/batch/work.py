"""The unit of work of a batch: one chunk of inputs → its records and error lines.

This module runs inside worker processes (local pool or Dask workers). A process
loads each model once and keeps it (:func:`worker_extractor`); a chunk comes back
as ready-to-write JSONL bytes plus counters, so the coordinator only writes bytes.
The output of a chunk depends on nothing but the chunk and the model, which is
what makes the output byte-identical whatever the number of workers or the engine.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.batch.deadline import within
from pipeline.batch.inputs import Item, read_input
from pipeline.defaults import PIPE_BATCH
from pipeline.errors import InputError, PipelineError
from pipeline.schema import Article, ErrorRecord, Record
from pipeline.stages.parse import parse_bytes
from pipeline.stages.write import to_json_line

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from pipeline.runner import Extractor

    Prepared = tuple[Article, Doc | None]

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ChunkTask:
    """A chunk of inputs to process; ``part`` is set when a crashed chunk is split up."""

    index: int
    items: tuple[Item, ...]
    fingerprint: str
    model: str | None
    max_bytes: int
    debug: bool = False
    attempt: int = 0
    part: int | None = None
    tz: str | None = None
    file_timeout: float = 0.0  # seconds per file; 0 = no budget


@dataclass(slots=True)
class ChunkResult:
    """JSONL bytes and counters of one processed chunk (or one part of it)."""

    index: int
    records: bytearray = field(default_factory=bytearray)
    errors: bytearray = field(default_factory=bytearray)
    files: int = 0
    n_records: int = 0
    n_errors: int = 0
    chars: int = 0
    codes: dict[str, int] = field(default_factory=dict)
    warnings: dict[str, int] = field(default_factory=dict)  # records with a warning, by code
    seconds: float = 0.0
    pid: int = 0
    peak_rss: int = 0  # bytes, of the process that ran the chunk

    def add(self, item: Record | ErrorRecord) -> None:
        """Append one output line."""
        self.files += 1
        line = to_json_line(item).encode("utf-8")
        if isinstance(item, Record):
            self.n_records += 1
            self.chars += len(item.text)
            self.records += line
            for code in {w.code for w in item.warnings}:
                self.warnings[code] = self.warnings.get(code, 0) + 1
        else:
            self.n_errors += 1
            self.codes[item.error] = self.codes.get(item.error, 0) + 1
            self.errors += line

    @classmethod
    def merge(cls, index: int, parts: Sequence[ChunkResult]) -> ChunkResult:
        """One chunk from its parts, in order."""
        out = cls(index=index)
        for p in parts:
            out.records += p.records
            out.errors += p.errors
            out.files += p.files
            out.n_records += p.n_records
            out.n_errors += p.n_errors
            out.chars += p.chars
            out.seconds += p.seconds
            for code, n in p.codes.items():
                out.codes[code] = out.codes.get(code, 0) + n
            for code, n in p.warnings.items():
                out.warnings[code] = out.warnings.get(code, 0) + n
            if p.peak_rss >= out.peak_rss:
                out.pid, out.peak_rss = p.pid, p.peak_rss
        return out


def peak_rss() -> int:
    """Peak resident set size of this process, in bytes (0 where unknown)."""
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        return 0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss if sys.platform == "darwin" else rss * 1024


# -- one extractor per process ---------------------------------------------------
_extractors: dict[str | None, Extractor] = {}
_load_lock = threading.Lock()
#: spaCy pipelines are not thread-safe: Dask workers with several threads take turns.
_run_lock = threading.Lock()
#: The thread limits a pool worker holds for its whole life (see init_worker).
_worker_limits: list[object] = []


def limit_threads() -> contextlib.AbstractContextManager[object]:
    """One BLAS/OpenMP thread while a chunk runs: the parallelism is the processes.

    Use it as a context manager: the previous limits come back when the block ends,
    so a notebook that runs a batch in-process keeps its own settings afterwards.
    Only a worker process of ours (:func:`init_worker`) keeps the limit for its life.
    """
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # optional; without it BLAS may oversubscribe the cores
        return contextlib.nullcontext()
    return threadpool_limits(1)  # type: ignore[no-any-return]


def worker_extractor(model: str | None) -> Extractor:
    """The extractor for ``model`` in this process, loaded on first use."""
    extractor = _extractors.get(model)
    if extractor is None:
        with _load_lock:
            extractor = _extractors.get(model)
            if extractor is None:
                from pipeline.runner import Extractor

                with limit_threads():
                    extractor = Extractor.load(model, settings=worker_settings())
                _extractors[model] = extractor
    return extractor


def worker_settings() -> dict[str, dict[str, Any]]:
    """Component settings of a batch worker: smaller inference batches, as a worker
    shares the CPU's last-level cache with the others."""
    from pipeline.model.tagger import SHARED_CACHE_BATCH_CHARS
    from pipeline.stages.names import NER

    return {NER: {"batch_chars": SHARED_CACHE_BATCH_CHARS}}


def init_worker(model: str | None, log_level: int) -> None:
    """Pool initializer: quiet logs, one BLAS thread, the model loaded before any task.

    The thread limit stays on for the worker's life: the process is the pool's own.
    """
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the coordinator's to handle
    logging.basicConfig(level=log_level, format="%(levelname)s %(name)s: %(message)s")
    _worker_limits.append(limit_threads())  # kept (not exited) until the process ends
    worker_extractor(model).nlp.make_doc("预热")  # load jieba's dictionary now, not in a task


# -- processing --------------------------------------------------------------------
def to_error(source: str, err: BaseException) -> ErrorRecord:
    """The error line of a failed input (unexpected exceptions are ``extract_failed``)."""
    if isinstance(err, InputError):
        return ErrorRecord(source=source, error=err.code, message=err.message)
    return ErrorRecord(
        source=source, error="extract_failed", message=f"{type(err).__name__}: {err}"
    )


def parse_item(item: Item, *, max_bytes: int, tz: str | None = None) -> Article:
    """Read, decode and parse one input (id = file stem, source = the path as given).

    ``tz`` replaces the newsroom zone derived from the URL (``--tz``).
    """
    data = read_input(item.path, max_bytes=max_bytes)
    return parse_bytes(data, id=Path(item.source).stem, source=item.source, timezone=tz)


def prepare(item: Item, extractor: Extractor, *, max_bytes: int, tz: str | None) -> Prepared:
    """The per-file steps before the model: read, decode, parse, segment.

    A text too long for one Doc is segmented later, piece by piece, with the model.
    """
    article = parse_item(item, max_bytes=max_bytes, tz=tz)
    if len(article.text) > extractor.piece_chars:
        return article, None
    return article, extractor.make_doc(article)


def process(
    items: Sequence[Item],
    extractor: Extractor,
    *,
    max_bytes: int,
    batch_size: int = PIPE_BATCH,
    debug: bool = False,
    tz: str | None = None,
    file_timeout: float = 0.0,
) -> Iterator[Record | ErrorRecord]:
    """Parse and extract, yielding exactly one Record or ErrorRecord per item, in order.

    A failure never escapes (unless ``debug``): a batch the model fails on is rerun
    article by article so that only the failing article becomes an error line.

    ``file_timeout`` (seconds, 0 = none) bounds each file's reading, parsing and
    segmentation, and the model's pass over a batch; a batch over it is rerun article
    by article, each within the budget. A file over its budget is a ``timeout`` error
    line, and the worker goes on with the next file.
    """
    for start in range(0, len(items), batch_size):
        batch = items[start : start + batch_size]
        parsed: list[Prepared | ErrorRecord] = []
        for item in batch:
            if item.error is not None:
                parsed.append(
                    ErrorRecord(source=item.source, error=item.error, message=item.message)
                )
                continue
            try:
                work = partial(prepare, item, extractor, max_bytes=max_bytes, tz=tz)
                parsed.append(
                    within(
                        file_timeout,
                        work,
                        source=item.source,
                        what="reading, parsing and segmenting",
                    )
                )
            except Exception as e:
                if debug and not isinstance(e, PipelineError):
                    raise
                parsed.append(to_error(item.source, e))
        pairs = [p for p in parsed if not isinstance(p, ErrorRecord)]
        records: Iterator[Record] | None
        try:
            model = partial(_records, extractor, pairs, batch_size, debug)
            records = iter(within(file_timeout, model, source="batch", what="the model"))
        except Exception as e:
            if debug and not isinstance(e, InputError):  # a timeout is no bug: not raised
                raise
            logger.debug("model failed on a batch; retrying article by article", exc_info=True)
            records = None
        for item, entry in zip(batch, parsed, strict=True):
            if isinstance(entry, ErrorRecord):
                yield entry
            elif records is not None:
                yield next(records)
            else:
                try:
                    alone = partial(_extract_one, extractor, entry[0], debug)
                    yield within(file_timeout, alone, source=item.source, what="extraction")
                except Exception as e:
                    if debug and not isinstance(e, InputError):
                        raise
                    logger.debug("extract failed on %s", item.source, exc_info=True)
                    yield to_error(item.source, e)


def _records(
    extractor: Extractor, pairs: Sequence[Prepared], batch_size: int, debug: bool
) -> list[Record]:
    from pipeline.stages.date_errors import raise_rule_errors

    with raise_rule_errors(debug):
        return list(extractor.pipe_docs(pairs, batch_size=batch_size))


def _extract_one(extractor: Extractor, article: Article, debug: bool) -> Record:
    from pipeline.stages.date_errors import raise_rule_errors

    with raise_rule_errors(debug):
        return extractor.extract_article(article)


def run_chunk(task: ChunkTask, extractor: Extractor | None = None) -> ChunkResult:
    """Process one chunk (in a worker: with the process's own extractor for the model)."""
    start = time.perf_counter()
    ex = extractor if extractor is not None else worker_extractor(task.model)
    result = ChunkResult(index=task.index)
    with _run_lock, limit_threads():
        ex.nlp.make_doc("预热")  # jieba loads its dictionary on first use: not on a file's clock
        for item in process(
            task.items,
            ex,
            max_bytes=task.max_bytes,
            debug=task.debug,
            tz=task.tz,
            file_timeout=task.file_timeout,
        ):
            result.add(item)
    result.seconds = time.perf_counter() - start
    result.pid = os.getpid()
    result.peak_rss = peak_rss()
    return result


def crashed_result(task: ChunkTask, err: BaseException) -> ChunkResult:
    """Error lines for inputs whose worker died every time they were processed."""
    from pipeline.errors import WorkerCrashed

    result = ChunkResult(index=task.index)
    reason = f"the worker process died on this file ({type(err).__name__}: {err})"
    for item in task.items:
        result.add(to_error(item.source, WorkerCrashed(reason, source=item.source)))
    return result
