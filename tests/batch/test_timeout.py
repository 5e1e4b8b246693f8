"""--file-timeout: a file over its budget is one ``timeout`` error line on every engine.

The pathological file is made deterministic with a test double: the segment step (or
the model step) spins on a marker in the text until the budget stops it, and records
each time it was entered in a file (pool workers are forked from this process and
see the patch too; the Dask cluster runs its worker as a thread of this process).
A broken budget makes the spin give up after a while and fail the test, never hang.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from pipeline.batch import BatchError, BatchOptions, run_batch
from pipeline.batch.deadline import within
from pipeline.cli import app
from pipeline.errors import FileTimeout
from pipeline.runner import Extractor
from pipeline.schema import Article, Record
from tests.batch.conftest import Outputs, make_corpus

#: Budget of the tests: far above what a fixture article takes on a slow, loaded machine.
BUDGET = 2.0
#: How long the double spins before it concludes the budget is broken.
GIVE_UP = 90.0
STUCK = "卡住的文章标记"

_real_make_doc = Extractor.make_doc
_real_pipe_docs = Extractor.pipe_docs


def _spin(entered: Path) -> None:
    with entered.open("a", encoding="utf-8") as f:
        f.write("x")
    end = time.monotonic() + GIVE_UP
    while time.monotonic() < end:  # interruptible between bytecodes, light on the CPU
        time.sleep(0.005)
    raise AssertionError("the file budget never stopped the pathological file")


@pytest.fixture
def entered(tmp_path: Path) -> Path:
    """File that gets one character each time the pathological step is entered."""
    path = tmp_path / "entered"
    path.write_text("", encoding="utf-8")
    return path


@pytest.fixture
def stuck_segmenter(monkeypatch: pytest.MonkeyPatch, entered: Path) -> Path:
    """Segmentation never ends on an article holding the marker (as jieba on issue 17's input)."""

    def make_doc(self: Extractor, article: Article) -> Any:
        if STUCK in article.text:
            _spin(entered)
        return _real_make_doc(self, article)

    monkeypatch.setattr(Extractor, "make_doc", make_doc)
    return entered


def _corpus(root: Path, n: int, stuck_at: int) -> tuple[Path, str]:
    """``n`` fixture articles in one folder; the one at ``stuck_at`` holds the marker."""
    make_corpus(root, n, subdirs=0)
    files = sorted(root.glob("*.txt"))
    target = files[stuck_at]
    text = target.read_text("utf-8")
    target.write_text(text.replace("\n------\n", f"\n------\n<p>{STUCK}</p>", 1), "utf-8")
    return root, str(target)


def _check(out: Path, err: Path, n: int, stuck: str) -> None:
    records = [json.loads(x) for x in out.read_text("utf-8").splitlines()]
    errors = [json.loads(x) for x in err.read_text("utf-8").splitlines()]
    assert len(records) == n - 1 and stuck not in {r["source"] for r in records}
    assert len(errors) == 1
    assert errors[0]["source"] == stuck and errors[0]["error"] == "timeout"
    assert "--file-timeout" in errors[0]["message"]


def test_within_stops_work_and_passes_everything_else() -> None:
    assert within(BUDGET, lambda: 42, source="x") == 42
    assert within(0, lambda: 43, source="x") == 43  # 0: no budget
    with pytest.raises(ZeroDivisionError):
        within(BUDGET, lambda: 1 // 0, source="x")
    started = time.monotonic()
    with pytest.raises(FileTimeout, match=r"budget of 0\.2 s") as caught:
        within(0.2, lambda: _spin_forever(), source="a.txt")
    assert caught.value.code == "timeout" and caught.value.source == "a.txt"
    assert time.monotonic() - started < GIVE_UP
    # Nothing is left pending: many short budgets that end right at their deadline.
    for _ in range(200):
        with contextlib.suppress(FileTimeout):
            within(0.001, lambda: time.sleep(0.001), source="x")


def _spin_forever() -> None:
    end = time.monotonic() + GIVE_UP
    while time.monotonic() < end:
        pass
    raise AssertionError("the budget never fired")


def test_in_process_timeout_is_one_error_line_not_retried(
    tmp_path: Path, model_dir: str, outputs: Outputs, stuck_segmenter: Path
) -> None:
    src, stuck = _corpus(tmp_path / "in", 6, stuck_at=2)
    out, err = outputs("inproc")
    summary = run_batch(
        [src], BatchOptions(out=out, errors=err, model=model_dir, chunk_size=3, file_timeout=BUDGET)
    )
    assert summary.error_codes == {"timeout": 1} and summary.records == 5
    _check(out, err, 6, stuck)
    assert stuck_segmenter.read_text("utf-8") == "x"  # entered once: not retried


def test_process_pool_timeout_keeps_the_worker_and_the_pool(
    tmp_path: Path, model_dir: str, outputs: Outputs, stuck_segmenter: Path
) -> None:
    src, stuck = _corpus(tmp_path / "in", 12, stuck_at=4)
    out, err = outputs("pool")
    summary = run_batch(
        [src],
        BatchOptions(
            out=out, errors=err, model=model_dir, workers=2, chunk_size=3, file_timeout=BUDGET
        ),
    )
    assert summary.workers == 2 and summary.engine == "local"
    assert summary.error_codes == {"timeout": 1} and summary.records == 11
    _check(out, err, 12, stuck)
    assert stuck_segmenter.read_text("utf-8") == "x"  # entered once: not retried
    # No worker died: every worker that reported is one of the pool's original two.
    assert 1 <= len(summary.peak_rss) <= 2


def test_dask_timeout(
    tmp_path: Path, model_dir: str, outputs: Outputs, stuck_segmenter: Path
) -> None:
    distributed = pytest.importorskip("distributed")
    src, stuck = _corpus(tmp_path / "in", 8, stuck_at=5)
    out, err = outputs("dask")
    # Worker threads in this process (processes=False): the budget must work off the
    # main thread, and the worker sees the test double.
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        summary = run_batch(
            [src],
            BatchOptions(
                out=out,
                errors=err,
                model=model_dir,
                chunk_size=3,
                engine="dask",
                scheduler=cluster.scheduler_address,
                file_timeout=BUDGET,
            ),
        )
    assert summary.engine == "dask"
    assert summary.error_codes == {"timeout": 1} and summary.records == 7
    _check(out, err, 8, stuck)
    assert stuck_segmenter.read_text("utf-8") == "x"


def test_model_step_over_budget_isolates_the_file(
    tmp_path: Path,
    model_dir: str,
    outputs: Outputs,
    entered: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def pipe_docs(
        self: Extractor, pairs: Sequence[tuple[Article, Any]], *, batch_size: int = 32
    ) -> Iterator[Record]:
        if any(STUCK in article.text for article, _ in pairs):
            _spin(entered)
        return _real_pipe_docs(self, pairs, batch_size=batch_size)

    monkeypatch.setattr(Extractor, "pipe_docs", pipe_docs)
    src, stuck = _corpus(tmp_path / "in", 5, stuck_at=1)
    out, err = outputs("model")
    summary = run_batch(
        [src], BatchOptions(out=out, errors=err, model=model_dir, chunk_size=5, file_timeout=BUDGET)
    )
    assert summary.error_codes == {"timeout": 1} and summary.records == 4
    _check(out, err, 5, stuck)
    assert entered.read_text("utf-8") == "xx"  # the batch, then the file alone


def test_resume_keeps_a_timeout_like_any_error(
    tmp_path: Path, model_dir: str, outputs: Outputs, stuck_segmenter: Path
) -> None:
    class Stop(Exception):
        pass

    def stop(files: int, resumed: bool) -> None:
        raise Stop

    src, stuck = _corpus(tmp_path / "in", 6, stuck_at=0)
    out, err = outputs("resume")
    with pytest.raises(Stop):  # interrupted after the chunk holding the timeout
        run_batch([src], BatchOptions(out=out, errors=err, model=model_dir, chunk_size=3, file_timeout=BUDGET), on_progress=stop)  # fmt: skip
    summary = run_batch([src], BatchOptions(out=out, errors=err, model=model_dir, chunk_size=3, file_timeout=BUDGET, resume=True))  # fmt: skip
    assert summary.resumed == 3 and summary.error_codes == {"timeout": 1}
    _check(out, err, 6, stuck)
    assert stuck_segmenter.read_text("utf-8") == "x"


def test_cli_file_timeout(
    tmp_path: Path, model_dir: str, outputs: Outputs, stuck_segmenter: Path
) -> None:
    src, stuck = _corpus(tmp_path / "in", 4, stuck_at=3)
    out, err = outputs("cli")
    base = ["run", str(src), "--out", str(out), "--errors", str(err), "--model", model_dir]
    runner = CliRunner()
    bad = runner.invoke(app, [*base, "--file-timeout", "-1"])
    assert bad.exit_code == 2 and not out.exists()
    result = runner.invoke(app, [*base, "-j", "1", "--file-timeout", "2"])
    assert result.exit_code == 1, result.output  # some inputs failed: exit 1
    assert "timeout: 1" in result.stderr
    _check(out, err, 4, stuck)
    shutil.rmtree(out.parent)
    with pytest.raises(BatchError, match="file-timeout"):  # the library refuses NaN too
        run_batch(
            [src], BatchOptions(out=out, errors=err, model=model_dir, file_timeout=float("nan"))
        )
