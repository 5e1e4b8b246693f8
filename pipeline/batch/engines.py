"""Engines run chunk tasks: in this process, in a local process pool, or on Dask.

Each engine has the same small surface: ``slots`` (how many tasks may be in
flight), ``submit``, ``next_result`` (the next finished task, in completion
order, with its result or the exception that ended it) and ``close``. Ordering,
commits and retries live in the coordinator (:mod:`pipeline.batch.job`), so every
engine produces the same bytes.
"""

from __future__ import annotations

import importlib
import logging
import multiprocessing as mp
import sys
import uuid
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Any, Protocol

from pipeline.batch.work import ChunkResult, ChunkTask, init_worker, run_chunk
from pipeline.errors import EngineUnavailable

if TYPE_CHECKING:
    from pipeline.runner import Extractor

logger = logging.getLogger(__name__)

Outcome = tuple[ChunkTask, ChunkResult | BaseException]


class Engine(Protocol):
    """What the coordinator needs from an engine."""

    slots: int
    workers: int

    def submit(self, task: ChunkTask) -> None:
        """Start a task."""

    def next_result(self) -> Outcome:
        """Block until a task finishes; return it with its result or its exception."""

    def close(self) -> None:
        """Stop the workers."""


def is_crash(err: BaseException) -> bool:
    """Whether an exception means the worker died (not that the task code failed)."""
    if isinstance(err, BrokenProcessPool):
        return True
    return type(err).__name__ in {"KilledWorker", "CommClosedError", "FutureCancelledError"}


class InProcessEngine:
    """Runs tasks one by one in this process with an already loaded extractor."""

    workers = 1
    slots = 1

    def __init__(self, extractor: Extractor) -> None:
        self._extractor = extractor
        self._queue: deque[ChunkTask] = deque()

    def submit(self, task: ChunkTask) -> None:
        self._queue.append(task)

    def next_result(self) -> Outcome:
        task = self._queue.popleft()
        try:
            return task, run_chunk(task, self._extractor)
        except Exception as e:
            return task, e

    def close(self) -> None:
        self._queue.clear()


def _context(*, warm: bool = False) -> Any:
    """How workers start.

    ``warm``: this process already holds the model, so workers are forked from it and
    start with the model in memory (pages shared copy-on-write) instead of each loading
    it after start-up (``make bench`` measures the gain). Otherwise forkserver where
    available (fork-safe start), spawn elsewhere.
    """
    if warm and "fork" in mp.get_all_start_methods():
        return mp.get_context("fork")
    if sys.platform != "win32" and "forkserver" in mp.get_all_start_methods():
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(["pipeline.batch.work"])
        return ctx
    return mp.get_context("spawn")


class PoolEngine:
    """A local process pool; each worker loads the model once in its initializer.

    When a worker dies the pool breaks and every task in flight fails with
    ``BrokenProcessPool``; the next submit starts a fresh pool and the
    coordinator decides what to retry.
    """

    def __init__(
        self,
        workers: int,
        model: str | None,
        *,
        log_level: int = logging.WARNING,
        warm: bool = False,
    ):
        self.workers = workers
        self._warm = warm
        self.slots = 2 * workers
        self._model = model
        self._log_level = log_level
        self._pool = self._start()
        self._broken = False
        self._pending: dict[Future[ChunkResult], ChunkTask] = {}
        self._done: deque[Future[ChunkResult]] = deque()

    def _start(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=_context(warm=self._warm),
            initializer=init_worker,
            initargs=(self._model, self._log_level),
        )

    def submit(self, task: ChunkTask) -> None:
        if self._broken:
            logger.warning("a worker process died; starting a new pool")
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = self._start()
            self._broken = False
        self._pending[self._pool.submit(run_chunk, task)] = task

    def next_result(self) -> Outcome:
        if not self._done:
            done, _ = wait(list(self._pending), return_when=FIRST_COMPLETED)
            self._done.extend(sorted(done, key=lambda f: self._pending[f].index))
        future = self._done.popleft()
        task = self._pending.pop(future)
        err = future.exception()
        if err is not None:
            self._broken = self._broken or isinstance(err, BrokenProcessPool)
            return task, err
        return task, future.result()

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


def quiet_distributed(log_level: int) -> None:
    """Keep distributed's own INFO logs (scheduler, nanny, workers) out of the run's output.

    distributed configures its loggers at INFO on import; they stay at WARNING unless
    the run logs at DEBUG (``--debug``).
    """
    if log_level <= logging.DEBUG:
        return
    level = max(log_level, logging.WARNING)
    names = [
        "distributed",
        *(n for n in logging.root.manager.loggerDict if n.startswith("distributed.")),
    ]
    for name in names:
        logger = logging.getLogger(name)
        if logger.level < level:
            logger.setLevel(level)


class DaskEngine:
    """Chunks as Dask futures on a distributed cluster, collected with ``as_completed``.

    Connects to ``scheduler`` (``tcp://host:8786``) or starts a ``LocalCluster`` of
    ``workers`` single-threaded processes. Workers load the model by name/path on
    their first task and keep it; they need the package, the model and the input
    paths (see docs/batch.md).
    """

    def __init__(
        self,
        workers: int,
        model: str | None,
        *,
        scheduler: str | None = None,
        log_level: int = logging.WARNING,
    ):
        try:
            # Typed as Any: distributed is an optional extra without complete annotations.
            dd: Any = importlib.import_module("distributed")
        except ImportError as e:
            raise EngineUnavailable(
                "the dask engine needs the optional extra: pip install 'zh-news-entities[dask]'"
            ) from e
        quiet_distributed(log_level)
        self._cluster: Any = None
        self._client: Any
        try:
            if scheduler:
                self._client = dd.Client(scheduler, set_as_default=False, timeout="30s")
            else:
                self._cluster = dd.LocalCluster(
                    n_workers=workers,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                )
                self._client = dd.Client(self._cluster, set_as_default=False)
        except OSError as e:
            if self._cluster is not None:
                self._cluster.close()
            raise EngineUnavailable(f"cannot reach the Dask scheduler {scheduler}: {e}") from e
        threads = sum(self._client.nthreads().values()) or workers
        self.workers = threads
        self.slots = 2 * threads
        self._model = model
        self._token = uuid.uuid4().hex[:12]  # task keys unique to this run
        self._futures: Any = dd.as_completed(loop=self._client.loop)  # not the default client
        self._tasks: dict[str, ChunkTask] = {}

    def submit(self, task: ChunkTask) -> None:
        part = "" if task.part is None else f"-{task.part}"
        key = f"pipeline-chunk-{self._token}-{task.index}{part}-{task.attempt}"
        future = self._client.submit(run_chunk, task, key=key, pure=False)
        self._tasks[key] = task
        self._futures.add(future)

    def next_result(self) -> Outcome:
        future = next(self._futures)
        task = self._tasks.pop(future.key)
        try:
            result: ChunkResult = future.result()
        except Exception as e:
            return task, e
        finally:
            future.release()
        return task, result

    def close(self) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()
