"""Parallel runs: same bytes for any number of workers; crashed workers lose nothing."""

from __future__ import annotations

import json
import os
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from pipeline.batch import BatchOptions, run_batch
from pipeline.batch.engines import InProcessEngine
from pipeline.batch.inputs import Item
from pipeline.batch.job import BatchSummary, _dispatch
from pipeline.batch.journal import WorkDir
from pipeline.batch.work import ChunkResult, ChunkTask, run_chunk
from pipeline.runner import Extractor
from tests.batch.conftest import Outputs, read_bytes


def test_one_and_two_workers_give_identical_bytes(
    corpus: Path, model_dir: str, outputs: Outputs
) -> None:
    (corpus / "d1" / "zz_empty.txt").write_bytes(b"")  # an error line too
    one, two = outputs("one"), outputs("two")
    s1 = run_batch(
        [corpus], BatchOptions(out=one[0], errors=one[1], model=model_dir, workers=1, chunk_size=4)
    )
    s2 = run_batch(
        [corpus], BatchOptions(out=two[0], errors=two[1], model=model_dir, workers=2, chunk_size=4)
    )
    assert read_bytes(one) == read_bytes(two)
    assert (s1.files, s1.records, s1.errors, s1.skipped) == (41, 40, 1, 1)
    assert (s2.files, s2.records, s2.errors, s2.workers) == (41, 40, 1, 2)
    # Worker processes report their memory (on a loaded machine one worker may take every
    # chunk, so the count is 1 or 2, never the coordinator's own pid).
    assert 1 <= len(s2.peak_rss) <= 2 and all(rss > 0 for rss in s2.peak_rss.values())
    assert os.getpid() not in s2.peak_rss
    # Records follow the sorted input order.
    sources = [json.loads(line)["source"] for line in one[0].read_text("utf-8").splitlines()]
    assert sources == sorted(sources, key=lambda s: Path(s).parts)
    assert not list(one[0].parent.glob(".*work"))  # the work dir is gone


class _FlakyEngine(InProcessEngine):
    """Simulates worker deaths: any task holding a poisoned file breaks 'the pool'."""

    def __init__(self, extractor: Extractor, poison: str) -> None:
        super().__init__(extractor)
        self.poison = poison
        self.seen: list[tuple[int, int | None, int]] = []

    def next_result(self) -> tuple[ChunkTask, ChunkResult | BaseException]:
        task = self._queue.popleft()
        self.seen.append((task.index, task.part, task.attempt))
        if any(self.poison in item.source for item in task.items):
            return task, BrokenProcessPool("a child process terminated abruptly")
        return task, run_chunk(task, self._extractor)


def test_a_file_that_kills_its_worker_becomes_one_error_line(
    corpus: Path, test_extractor: Extractor, tmp_path: Path
) -> None:
    files = sorted(str(p) for p in corpus.rglob("*.txt"))[:6]
    items = tuple(Item(f, f) for f in files)
    task = ChunkTask(0, items, "fp", None, 1 << 20)
    engine = _FlakyEngine(test_extractor, poison=Path(files[2]).name)
    wd = WorkDir.create(tmp_path / "wd", {})
    summary = BatchSummary()
    _dispatch(engine, iter([task]), wd, summary, lambda n, r: None, debug=False)
    assert (summary.files, summary.records, summary.errors) == (6, 5, 1)
    assert summary.error_codes == {"worker_crashed": 1}
    # Retried once whole, then split; only the poisoned file was retried alone.
    assert engine.seen[:2] == [(0, None, 0), (0, None, 1)]
    assert sorted(engine.seen[2:]) == sorted([(0, j, 0) for j in range(6)] + [(0, 2, 1)])
    rec, err = wd.part_paths(0)
    assert len(rec.read_text("utf-8").splitlines()) == 5
    error = json.loads(err.read_text("utf-8"))
    assert error["error"] == "worker_crashed" and error["source"] == files[2]
    wd.remove()


class _TwoWorkerFlaky(_FlakyEngine):
    """The flaky engine as the coordinator sees a 2-worker pool (tail parts are used)."""

    workers = 2
    slots = 4


def test_tail_parts_merge_in_order_and_still_isolate_a_crash(
    corpus: Path, test_extractor: Extractor, tmp_path: Path
) -> None:
    files = sorted(str(p) for p in corpus.rglob("*.txt"))[:18]
    tasks = [
        ChunkTask(i, tuple(Item(f, f) for f in files[6 * i : 6 * i + 6]), "fp", None, 1 << 20)
        for i in range(3)
    ]
    clean, flaky = InProcessEngine(test_extractor), _TwoWorkerFlaky(test_extractor, "nothing")
    poisoned = _TwoWorkerFlaky(test_extractor, poison=Path(files[13]).name)
    results = []
    for name, engine in (("clean", clean), ("flaky", flaky), ("poisoned", poisoned)):
        wd = WorkDir.create(tmp_path / name, {})
        summary = BatchSummary()
        _dispatch(engine, iter(tasks), wd, summary, lambda n, r: None, debug=False)
        results.append((summary, [wd.part_paths(i)[0].read_bytes() for i in range(3)]))
    (s_clean, b_clean), (s_flaky, b_flaky), (s_poison, b_poison) = results
    # The chunk left unsent when the input ran out went out in two parts of 3 files
    # (6 files on 2 workers: tail_part_size).
    assert {(i, part) for i, part, _ in flaky.seen} >= {(2, 0), (2, 3)}
    assert b_clean == b_flaky and s_clean.records == s_flaky.records == 18
    # A part holding a fatal file is retried, then split to single files: one error line.
    assert (s_poison.records, s_poison.errors) == (17, 1)
    assert (2, 0, 1) in poisoned.seen and (2, 1, 1) in poisoned.seen  # file 13 = chunk 2, offset 1
    assert b_poison[:2] == b_clean[:2]


def test_tail_part_size_spreads_small_batches_over_every_worker() -> None:
    from pipeline.batch.job import TAIL_PART, tail_part_size

    assert tail_part_size(12, 2) == 3  # 4 parts: 2 each, not 4 + 4 + 4
    assert tail_part_size(8, 2) == 4
    assert tail_part_size(3, 4) == 1
    assert tail_part_size(100, 2) <= TAIL_PART
    assert tail_part_size(12, 1) == TAIL_PART  # one worker: nothing to spread
    for files in range(1, 70):
        for workers in range(2, 9):
            size = tail_part_size(files, workers)
            parts = -(-files // size)
            assert 1 <= size <= TAIL_PART
            # Parts in rounds over the workers finish as early as whole files could.
            makespan = -(-parts // workers) * size
            if files <= workers * TAIL_PART:
                assert makespan == -(-files // workers), (files, workers)


def test_a_batch_smaller_than_one_chunk_uses_every_worker(
    corpus: Path, model_dir: str, outputs: Outputs
) -> None:
    files = sorted(corpus.rglob("*.txt"))[:12]
    one, two = outputs("one"), outputs("two")
    s1 = run_batch(files, BatchOptions(out=one[0], errors=one[1], model=model_dir, workers=1))
    assert (s1.workers, s1.records) == (1, 12)
    s2 = run_batch(files, BatchOptions(out=two[0], errors=two[1], model=model_dir, workers=2))
    assert s2.chunks == 1 and s2.workers == 2  # the default chunk of 32 holds all 12
    assert read_bytes(one) == read_bytes(two)
    # Never more workers than files; a single file runs in this process.
    three = outputs("three")
    s3 = run_batch(
        files[:2], BatchOptions(out=three[0], errors=three[1], model=model_dir, workers=8)
    )
    assert s3.workers == 2
    single = outputs("single")
    assert (
        run_batch(
            files[:1], BatchOptions(out=single[0], errors=single[1], model=model_dir, workers=4)
        ).workers
        == 1
    )
