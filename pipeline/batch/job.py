"""The coordinator of a batch run: walk → chunks → engine → commits → final outputs.

Inputs are cut into chunks of ``chunk_size`` in sorted input order. Chunks go to
an engine (at most ``engine.slots`` in flight, so memory stays bounded whatever
the input size); each finished chunk is committed to the work dir as soon as it
arrives, in any order, and the outputs are assembled in chunk order at the end.
Because a chunk's bytes depend only on its inputs and the model, the output is
the same for any number of workers, any engine, and across kill/resume cycles.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import os
import shutil
import sys
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, TextIO

from pipeline.batch.engines import (
    DaskEngine,
    Engine,
    InProcessEngine,
    PoolEngine,
    is_crash,
)
from pipeline.batch.inputs import Item, Walk, iter_inputs
from pipeline.batch.journal import Entry, WorkDir, work_dir_for
from pipeline.batch.options import BatchOptions, EngineName
from pipeline.batch.work import (
    ChunkResult,
    ChunkTask,
    crashed_result,
    limit_threads,
    worker_extractor,
)
from pipeline.defaults import DEFAULT_CHUNK_SIZE
from pipeline.errors import (
    BatchError,
    EngineUnavailable,
    NothingToResume,
    OutputExists,
    WorkDirError,
)
from pipeline.stages.write import check_writable

if TYPE_CHECKING:
    from pipeline.runner import Extractor

logger = logging.getLogger("pipeline.batch")

#: Called with (files, resumed) as chunks are committed (or found committed).
ProgressCallback = Callable[[int, bool], None]


@dataclass(slots=True)
class BatchSummary:
    """What a batch run did (counts include chunks committed by an interrupted run)."""

    files: int = 0
    records: int = 0
    errors: int = 0
    skipped: int = 0
    chars: int = 0
    seconds: float = 0.0
    error_codes: dict[str, int] = field(default_factory=dict)
    #: Records that carry a warning, by warning code (``date_rules_failed``, ...).
    warning_codes: dict[str, int] = field(default_factory=dict)
    resumed: int = 0  # files an earlier, interrupted run had already committed
    chunks: int = 0
    engine: str = "local"
    workers: int = 1
    peak_rss: dict[int, int] = field(default_factory=dict)  # worker pid → peak RSS (bytes)

    @property
    def processed(self) -> int:
        """Files processed by this run (not resumed)."""
        return self.files - self.resumed

    @property
    def chars_per_second(self) -> float:
        """Throughput over the article texts."""
        return self.chars / self.seconds if self.seconds > 0 else 0.0

    def add(self, entry: Entry, *, resumed: bool = False) -> None:
        """Count one committed chunk."""
        self.chunks += 1
        self.files += entry.files
        self.records += entry.records
        self.errors += entry.errors
        self.chars += entry.chars
        self.resumed += entry.files if resumed else 0
        for code, n in entry.codes.items():
            self.error_codes[code] = self.error_codes.get(code, 0) + n
        for code, n in entry.warnings.items():
            self.warning_codes[code] = self.warning_codes.get(code, 0) + n


def fingerprint(items: Sequence[Item]) -> str:
    """Identity of a chunk's inputs: detects files added or removed before a resume."""
    h = hashlib.sha256()
    for item in items:
        h.update(item.source.encode("utf-8", "surrogatepass") + b"\0")
    return h.hexdigest()[:16]


def model_spec(model: str | Path | None) -> str | None:
    """What workers load: an existing path made absolute (workers may run elsewhere)."""
    if model is None:
        return None
    path = Path(model)
    return str(path.resolve()) if path.exists() else str(model)


class _Outputs:
    """Where records and error lines go, and whether this run may replace existing files.

    A path is written atomically when the run ends; a stream (``out`` or ``errors`` is
    None) gets each chunk's lines as soon as every chunk before it is committed, so
    standard output carries the records in input order while the run goes on.
    """

    def __init__(
        self,
        options: BatchOptions,
        *,
        stream: BinaryIO | None = None,
        error_stream: TextIO | None = None,
    ) -> None:
        self.out, self.errors, self.replace = options.out, options.errors_path, options.overwrite
        self._stream = stream if stream is not None or self.out is not None else sys.stdout.buffer
        self._error_stream = (
            error_stream if error_stream is not None or self.errors is not None else sys.stderr
        )
        self._next = 0  # the next chunk to stream

    @property
    def streaming(self) -> bool:
        return self.out is None or self.errors is None

    def check(self) -> None:
        for path in (self.out, self.errors):
            if path is not None:
                check_writable(path, overwrite=self.replace)

    def committed(self, wd: WorkDir) -> None:
        """Stream the chunks that are now committed without a gap before them."""
        if not self.streaming:
            return
        while self._next in wd.committed:
            records, errors = wd.part_paths(self._next)
            if self._stream is not None:
                self._stream.write(records.read_bytes())
                self._stream.flush()
            if self._error_stream is not None:
                self._error_stream.write(errors.read_bytes().decode("utf-8"))
                self._error_stream.flush()
            self._next += 1

    def finish(self, wd: WorkDir, n_chunks: int) -> None:
        """Write the output files from the committed chunks (streams are already done)."""
        self.committed(wd)
        if self.streaming and self._next != n_chunks:
            raise WorkDirError(f"chunk {self._next} is not committed; cannot finish the output")
        self.check()  # an output that appeared during the run is not clobbered
        wd.assemble(n_chunks, out=self.out, errors=self.errors)


def _open_work_dir(job: dict[str, object], options: BatchOptions, outputs: _Outputs) -> WorkDir:
    if options.out is None:  # streaming: a private work dir, gone when the run ends
        outputs.check()
        return WorkDir.create(Path(tempfile.mkdtemp(prefix="pipeline-run-")) / "work", job)
    path = work_dir_for(options.out)
    resume, overwrite = options.resume, options.overwrite
    errors = options.errors_path
    if resume and not path.exists() and options.out.exists() and errors and errors.exists():
        raise NothingToResume(
            f"nothing to resume: the run that wrote {options.out} finished (no interrupted "
            "work is left); pass --overwrite to run it again"
        )
    if resume and path.exists():
        wd = WorkDir.resume(path, job)
        # Outputs present now are ours if the interrupted run had begun replacing them.
        outputs.replace = wd.assembling or bool(wd.recorded.get("overwrite"))
        try:
            outputs.check()
        except OutputExists:
            wd.close()
            raise
        return wd
    outputs.check()
    if path.exists() and not overwrite:
        raise WorkDirError(
            f"an interrupted run left {path}: pass --resume to continue it, "
            "or --overwrite to start over"
        )
    return WorkDir.create(path, job)


def _chunks(
    inputs: Sequence[str | Path], walk: Walk, size: int
) -> Iterator[tuple[int, tuple[Item, ...]]]:
    it = iter_inputs(inputs, walk)
    index = 0
    while batch := tuple(islice(it, size)):
        yield index, batch
        index += 1


def run_batch(
    inputs: Sequence[str | Path],
    options: BatchOptions,
    *,
    extractor: Extractor | None = None,
    on_progress: ProgressCallback | None = None,
    stream: BinaryIO | None = None,
    error_stream: TextIO | None = None,
) -> BatchSummary:
    """Run the whole job: one record or one error line per input, committed durably.

    Args:
        inputs: Files and directories (walked recursively in sorted order).
        options: Outputs, model, workers, engine, limits (:class:`BatchOptions`,
            validated when it was made).
        extractor: An already loaded extractor for in-process work (one worker);
            with several workers pass ``options.model`` as well (workers load it).
        on_progress: Called with (files, resumed) as chunks are committed.
        stream: Where records go when ``options.out`` is None (default: standard
            output, bytes); error_stream: where error lines go when no errors file is
            named (default: standard error, text).

    Raises:
        BatchError, OutputExists, WorkDirError, EngineUnavailable, ModelNotFound:
            before any output is written.
        NothingToResume: ``resume`` of a run that finished; nothing was done.
    """
    if not isinstance(options, BatchOptions):
        raise TypeError(f"options must be a BatchOptions, not {type(options).__name__}")
    workers = options.workers or 1
    # The clock starts before any model is loaded, whichever process loads it, so the
    # reported seconds and rates compare like with like across worker counts.
    start = time.perf_counter()
    from pipeline.resources import model_meta
    from pipeline.runner import Extractor, pipeline_info  # spaCy: imported when a job runs

    spec = model_spec(options.model)
    if extractor is not None:
        if options.model is None and options.parallel:
            raise BatchError("worker processes load the model themselves: pass model= as well")
        info = extractor.info
    else:
        # Workers load the model; the main process only needs its identity (meta.json).
        meta = model_meta(spec) if options.parallel else None
        if meta is None:
            extractor = Extractor.load(spec)
            info = extractor.info
        else:
            info = pipeline_info(meta, spec)

    settings = options.job()
    job: dict[str, object] = {
        "inputs": [os.fspath(i) for i in inputs],
        **settings,
        "pipeline": info.model_dump(),
    }
    outputs = _Outputs(options, stream=stream, error_stream=error_stream)
    wd = _open_work_dir({**job, "overwrite": options.overwrite}, options, outputs)
    summary = BatchSummary(engine=options.engine, workers=1)
    walk = Walk(glob=options.glob)
    n_chunks = 0
    progress = on_progress or (lambda files, resumed: None)
    logger.info(
        "run started",
        extra={"event": "run_start", "job": job, "resumed_chunks": len(wd.committed)},
    )

    def todo() -> Iterator[ChunkTask]:
        nonlocal n_chunks
        for index, items in _chunks(inputs, walk, options.chunk_size):
            n_chunks = index + 1
            fp = fingerprint(items)
            entry = wd.committed.get(index)
            if entry is not None and entry.fingerprint == fp and entry.files == len(items):
                summary.add(entry, resumed=True)
                progress(entry.files, True)
                continue
            yield ChunkTask(
                index,
                items,
                fp,
                spec,
                options.max_bytes,
                options.debug,
                tz=options.tz,
                file_timeout=options.file_timeout,
            )

    tasks = todo()
    first = list(islice(tasks, 2))
    # A batch of one chunk is still split over the workers (see _dispatch), so only a
    # single file runs in this process; never more workers than files.
    pool = workers if len(first) > 1 else min(workers, sum(len(t.items) for t in first))
    log_level = logging.getLogger().getEffectiveLevel()
    eng: Engine | None = None
    done = False
    try:
        if options.engine == "dask":
            eng = DaskEngine(workers, spec, scheduler=options.scheduler, log_level=log_level)
        elif pool > 1:
            # Load the model here once and fork the workers from this process.
            with limit_threads():
                worker_extractor(spec).nlp.make_doc("预热")
            eng = PoolEngine(pool, spec, log_level=log_level, warm=True)
        else:
            eng = InProcessEngine(extractor or Extractor.load(spec))
        summary.workers = eng.workers
        _dispatch(
            eng,
            chain(first, tasks),
            wd,
            summary,
            progress,
            debug=options.debug,
            on_commit=outputs.committed,
        )
        eng.close()
        eng = None
        outputs.finish(wd, n_chunks)
        done = True
    finally:
        if eng is not None:
            eng.close()
        if done or options.out is None:  # a streamed run cannot be resumed: no leftovers
            wd.remove()
            if options.out is None:
                shutil.rmtree(wd.path.parent, ignore_errors=True)
        else:
            wd.close()
    summary.skipped = walk.skipped
    summary.seconds = time.perf_counter() - start
    logger.info(
        "run finished",
        extra={
            "event": "run_end",
            "files": summary.files,
            "records": summary.records,
            "errors": summary.errors,
            "resumed": summary.resumed,
            "skipped": summary.skipped,
            "chars": summary.chars,
            "seconds": round(summary.seconds, 3),
            "error_codes": summary.error_codes,
            "warning_codes": summary.warning_codes,
        },
    )
    return summary


#: Most files per part when the last chunks of a parallel run are split (about one NER batch).
TAIL_PART = 4


def tail_part_size(files: int, workers: int) -> int:
    """Files per part for the last ``files`` inputs of a run on ``workers`` workers.

    Parts of at most TAIL_PART files, in a number that is a multiple of ``workers``
    where possible, so every worker gets about the same share: 12 files on 2
    workers go out as 4 parts of 3 (not 4 + 4 + 4, which leaves one worker idle
    for the last part), 3 files on 4 workers as 3 parts of 1.
    """
    if files <= 0 or workers <= 1:
        return TAIL_PART
    rounds = -(-files // (workers * TAIL_PART))
    return max(1, -(-files // (workers * rounds)))


def _dispatch(
    eng: Engine,
    tasks: Iterator[ChunkTask],
    wd: WorkDir,
    summary: BatchSummary,
    progress: ProgressCallback,
    *,
    debug: bool,
    on_commit: Callable[[WorkDir], None] | None = None,
) -> None:
    """Keep ``eng.slots`` tasks in flight; commit results; retry and isolate crashes.

    A chunk whose worker died is retried once (it may have been a bystander of
    another chunk's crash); if it fails again it is split into single files, and
    a file that kills its worker twice becomes a ``worker_crashed`` error line.

    With several workers the last chunks go out in parts (:func:`tail_part_size`):
    the dispatcher reads ``workers`` chunks ahead, and once the input is exhausted
    the chunks not yet sent are split, so no worker idles while another finishes a
    whole chunk, and a batch smaller than one chunk still uses every worker. A part
    is named by the offset of its first file in the chunk; parts are merged in
    offset order before the commit, so chunks, journal and output are the same as
    without splitting.
    """
    retry: deque[ChunkTask] = deque()
    ahead: deque[ChunkTask] = deque()
    parts: dict[int, dict[int, ChunkResult]] = {}  # chunk -> offset -> result
    missing: dict[int, int] = {}  # chunk -> files not yet delivered
    in_flight = 0
    exhausted = False
    split_tail = eng.workers > 1
    lookahead = eng.workers if split_tail else 0

    def split(task: ChunkTask, size: int) -> list[ChunkTask]:
        if task.part is None:
            parts[task.index] = {}
            missing[task.index] = len(task.items)
        base = task.part or 0
        return [
            _replace(task, items=task.items[k : k + size], part=base + k, attempt=0)
            for k in range(0, len(task.items), size)
        ]

    def next_task() -> ChunkTask | None:
        nonlocal exhausted
        if retry:
            return retry.popleft()
        while not exhausted and len(ahead) <= lookahead:
            task = next(tasks, None)
            if task is None:
                exhausted = True
                if split_tail:
                    whole = list(ahead)
                    ahead.clear()
                    size = tail_part_size(sum(len(t.items) for t in whole), eng.workers)
                    for t in whole:
                        ahead.extend(split(t, size) if t.part is None else [t])
            else:
                ahead.append(task)
        return ahead.popleft() if ahead else None

    def deliver(task: ChunkTask, result: ChunkResult) -> None:
        if task.part is not None:
            got = parts[task.index]
            got[task.part] = result
            missing[task.index] -= len(task.items)
            if missing[task.index]:
                return
            result = ChunkResult.merge(task.index, [got[k] for k in sorted(got)])
            del parts[task.index], missing[task.index]
        entry = wd.commit(result, task.fingerprint)
        summary.add(entry)
        if on_commit is not None:
            on_commit(wd)
        if result.pid:
            summary.peak_rss[result.pid] = max(summary.peak_rss.get(result.pid, 0), result.peak_rss)
        logger.info(
            "chunk %d committed",
            entry.chunk,
            extra={
                "event": "chunk",
                "chunk": entry.chunk,
                "files": entry.files,
                "records": entry.records,
                "errors": entry.errors,
                "error_codes": entry.codes,
                "warning_codes": entry.warnings,
                "seconds": round(result.seconds, 3),
                "worker_pid": result.pid,
                "peak_rss": result.peak_rss,
            },
        )
        progress(entry.files, False)

    def failed(task: ChunkTask, err: BaseException) -> None:
        if debug and not is_crash(err):
            raise err
        logger.warning(
            "chunk %d failed (%s: %s); attempt %d",
            task.index,
            type(err).__name__,
            err,
            task.attempt + 1,
            extra={"event": "chunk_failed", "chunk": task.index, "part": task.part},
        )
        if task.attempt == 0:
            retry.append(_replace(task, attempt=1))
        elif len(task.items) > 1:
            retry.extend(split(task, 1))
        else:
            deliver(task, crashed_result(task, err))

    while True:
        while in_flight < eng.slots:
            task = next_task()
            if task is None:
                break
            eng.submit(task)
            in_flight += 1
        if in_flight == 0:
            break
        task, outcome = eng.next_result()
        in_flight -= 1
        if isinstance(outcome, BaseException):
            failed(task, outcome)
        else:
            deliver(task, outcome)


def _replace(
    task: ChunkTask,
    *,
    attempt: int,
    items: tuple[Item, ...] | None = None,
    part: int | None = None,
) -> ChunkTask:
    return dataclasses.replace(
        task,
        items=task.items if items is None else items,
        attempt=attempt,
        part=task.part if part is None else part,
    )


__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "BatchError",
    "BatchOptions",
    "BatchSummary",
    "EngineName",
    "EngineUnavailable",
    "NothingToResume",
    "OutputExists",
    "WorkDirError",
    "run_batch",
]
