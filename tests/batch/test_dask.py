"""The Dask engine: same bytes as the local engine, on a LocalCluster of 2 processes."""

from __future__ import annotations

import builtins
from pathlib import Path
from typing import Any

import pytest

from pipeline.batch import BatchOptions, EngineUnavailable, run_batch
from tests.batch.conftest import Outputs, read_bytes


def test_dask_local_cluster_gives_the_local_bytes(
    corpus: Path, model_dir: str, outputs: Outputs
) -> None:
    distributed = pytest.importorskip("distributed")
    (corpus / "d0" / "broken.txt").write_bytes(b"\x00\x01binary\xff" * 50)
    local, dask = outputs("local"), outputs("dask")
    run_batch([corpus], BatchOptions(out=local[0], errors=local[1], model=model_dir, chunk_size=4))
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        summary = run_batch(
            [corpus],
            BatchOptions(
                out=dask[0],
                errors=dask[1],
                model=model_dir,
                chunk_size=4,
                engine="dask",
                scheduler=cluster.scheduler_address,
            ),
        )
    assert read_bytes(dask) == read_bytes(local)
    assert (summary.files, summary.errors, summary.engine, summary.workers) == (41, 1, "dask", 2)
    assert len(summary.peak_rss) == 2  # both worker processes took chunks


def test_missing_dask_is_a_clear_error(
    corpus: Path, model_dir: str, outputs: Outputs, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_import = builtins.__import__

    def fake_import(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.split(".")[0] in {"distributed", "dask"}:
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)
    monkeypatch.setattr("importlib.import_module", lambda name: fake_import(name))
    out, err = outputs("x")
    with pytest.raises(EngineUnavailable, match=r"pip install 'zh-news-entities\[dask\]'"):
        run_batch([corpus], BatchOptions(out=out, errors=err, model=model_dir, engine="dask"))
    assert not out.exists() and not err.exists()


@pytest.mark.slow
def test_cli_dask_engine_starts_its_own_local_cluster(
    corpus: Path, model_dir: str, outputs: Outputs
) -> None:
    pytest.importorskip("distributed")
    from typer.testing import CliRunner

    from pipeline.cli import app

    local, dask = outputs("local"), outputs("dask")
    run_batch([corpus], BatchOptions(out=local[0], errors=local[1], model=model_dir, chunk_size=8))
    table = dask[0].with_name("entities.jsonl")
    args = ["run", str(corpus), "-o", str(dask[0]), "-e", str(dask[1]), "--model", model_dir]
    args += ["--entities", str(table)]
    result = CliRunner().invoke(app, [*args, "--engine", "dask", "-j", "2", "--chunk-size", "8"])
    assert result.exit_code == 0, result.output
    assert "(2 workers, dask)" in result.stderr
    assert read_bytes(dask) == read_bytes(local)
    # The entity table of a Dask run is the table of the local run's records.
    import io

    from pipeline.entities import entity_table, write_table

    expected = io.StringIO()
    write_table(entity_table(local[0]), expected)
    assert table.read_text(encoding="utf-8") == expected.getvalue()


def test_distributed_logs_stay_at_warning_unless_debug() -> None:
    import logging

    from pipeline.batch.engines import quiet_distributed

    names = ("distributed", "distributed.scheduler", "distributed.nanny")
    loggers = [logging.getLogger(n) for n in names]
    saved = [lg.level for lg in loggers]
    try:
        for lg in loggers:
            lg.setLevel(logging.INFO)  # what distributed's own config does on import
        quiet_distributed(logging.DEBUG)  # --debug: left as distributed set them
        assert all(lg.level == logging.INFO for lg in loggers)
        quiet_distributed(logging.WARNING)  # the default
        assert all(lg.level == logging.WARNING for lg in loggers)
        assert not loggers[1].isEnabledFor(logging.INFO)
        quiet_distributed(logging.ERROR)  # --quiet
        assert all(lg.level == logging.ERROR for lg in loggers)
    finally:
        for lg, level in zip(loggers, saved, strict=True):
            lg.setLevel(level)
