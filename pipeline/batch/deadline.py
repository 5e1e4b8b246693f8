"""A time budget for a block of work in the current thread (``--file-timeout``).

:func:`within` arms a watchdog; when the budget runs out while the work still
runs, the watchdog raises :class:`Expired` inside the thread that runs it, and the
work ends with :class:`~pipeline.errors.FileTimeout`. It works in any thread (the
CLI's main thread, a process-pool worker, a Dask worker's executor thread), costs
no process and no signal handler, and leaves the worker alive and its pool intact.

The exception is delivered between two Python bytecodes (``PyThreadState_SetAsyncExc``),
which is where every stage spends its time (jieba's segmentation, the rules, the
date parser, the tagger's loop over batches). A single call into compiled code that
runs long (one regular expression match, one model batch) finishes before the
exception lands.
"""

from __future__ import annotations

import ctypes
import heapq
import itertools
import os
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from pipeline.errors import FileTimeout

_ARMED, _FIRED, _DONE = 0, 1, 2
T = TypeVar("T")


class Expired(BaseException):
    """Raised asynchronously in a thread whose budget ran out.

    A BaseException, so that no ``except Exception`` inside a stage swallows it.
    """


def _raise_in(thread_id: int, exc: type[BaseException] | None) -> None:
    """Make ``thread_id`` raise ``exc`` at its next bytecode (None: cancel a pending one)."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread_id), ctypes.py_object(exc) if exc is not None else None
    )


class _Guard:
    """One armed budget: the thread it guards and where it stands."""

    __slots__ = ("due", "state", "thread_id")

    def __init__(self, thread_id: int, due: float) -> None:
        self.thread_id = thread_id
        self.due = due
        self.state = _ARMED


class _Watchdog:
    """One daemon thread per process that fires the budgets that run out."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._heap: list[tuple[float, int, _Guard]] = []
        self._order = itertools.count()
        self._thread: threading.Thread | None = None

    def arm(self, seconds: float) -> _Guard:
        guard = _Guard(threading.get_ident(), time.monotonic() + seconds)
        with self._cond:
            if len(self._heap) > 256:  # drop the guards that ended long before their time
                self._heap = [e for e in self._heap if e[2].state == _ARMED]
                heapq.heapify(self._heap)
            heapq.heappush(self._heap, (guard.due, next(self._order), guard))
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="file-timeout", daemon=True)
                self._thread.start()
            self._cond.notify()
        return guard

    def disarm(self, guard: _Guard) -> bool:
        """End a guard; True when it had already fired."""
        with self._cond:
            fired = guard.state == _FIRED
            guard.state = _DONE
        return fired

    def _run(self) -> None:
        with self._cond:
            while True:
                while self._heap and self._heap[0][2].state != _ARMED:
                    heapq.heappop(self._heap)
                if not self._heap:
                    self._cond.wait()
                    continue
                wait = self._heap[0][0] - time.monotonic()
                if wait > 0:
                    self._cond.wait(wait)
                    continue
                _, _, guard = heapq.heappop(self._heap)
                guard.state = _FIRED  # under the lock: disarm() sees it or the guard stays quiet
                _raise_in(guard.thread_id, Expired)

    def reset(self) -> None:
        """Forget the parent's state in a forked child (its watchdog thread is gone)."""
        self._cond = threading.Condition()
        self._heap = []
        self._thread = None


_watchdog = _Watchdog()
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_watchdog.reset)


def within(seconds: float, work: Callable[[], T], *, source: str, what: str = "processing") -> T:
    """``work()`` if it finishes within ``seconds`` of wall time, else FileTimeout for ``source``.

    ``seconds <= 0`` means no budget. Budgets do not nest: guard one level only. A
    function rather than a context manager, so that every place the exception may land
    (the work, the end of the guard) is inside this one frame's handlers.
    """
    if seconds <= 0:
        return work()
    guard = _watchdog.arm(seconds)
    expired = False
    failure: BaseException | None = None
    try:
        try:
            result = work()
        except Expired:
            expired = True
        except BaseException as e:  # re-raised below, unless the budget ran out meanwhile
            failure = e
        finally:
            if _watchdog.disarm(guard) and not expired:
                expired = True
                _raise_in(guard.thread_id, None)  # fired just as the work ended: cancel it
    except Expired:  # it landed while the guard ended, which consumes it
        expired = True
    if expired:
        raise FileTimeout(
            f"{what} took more than the budget of {seconds:g} s (--file-timeout); "
            "the file was stopped",
            source=source,
        ) from None
    if failure is not None:
        raise failure
    return result
