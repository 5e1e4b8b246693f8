"""No network at run time; nothing written outside --out, --errors and the temp dir."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.batch import BatchOptions, run_batch
from pipeline.cli import app
from tests.batch.conftest import Outputs, make_corpus
from tests.conftest import BUNDLED, ROOT, SEED


def test_extract_with_sockets_disabled(
    monkeypatch: pytest.MonkeyPatch, model_dir: str, outputs: Outputs, tmp_path: Path
) -> None:
    def no_network(*args: object, **kwargs: object) -> socket.socket:
        raise OSError("network access attempted during extraction")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    from pipeline.runner import Extractor

    models = [model_dir] + ([str(BUNDLED)] if (BUNDLED / "config.cfg").is_file() else [])
    for model in models:
        record = Extractor.load(model).extract_file(SEED)  # loading included
        assert record.text and record.published is not None
    out, err = outputs("offline")
    summary = run_batch(
        [make_corpus(tmp_path / "in", 6)],
        BatchOptions(out=out, errors=err, model=model_dir, chunk_size=2),
    )
    assert summary.records == 6


def _snapshot(root: Path) -> dict[str, tuple[int, int]]:
    found: dict[str, tuple[int, int]] = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = os.path.join(folder, name)
            st = os.lstat(path)
            is_dir = name in dirs  # a folder counts by its existence (entries change its mtime)
            found[os.path.relpath(path, root)] = (0, 0) if is_dir else (st.st_size, st.st_mtime_ns)
    return found


def test_nothing_is_written_outside_out_errors_tmp_and_the_cache(
    tmp_path: Path, model_dir: str
) -> None:
    """Outputs, the temp dir and the per-user cache (jieba's dictionary) only."""
    src = make_corpus(tmp_path / "in", 10)
    (src / "d0" / "bad.txt").write_bytes(b"")
    for name in ("cwd", "home", "tmp", "out"):
        (tmp_path / name).mkdir()
    before = _snapshot(tmp_path)
    env = {**os.environ, "HOME": str(tmp_path / "home"), "TMPDIR": str(tmp_path / "tmp")}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    out, err = tmp_path / "out" / "records.jsonl", tmp_path / "out" / "errors.jsonl"
    cmd = [sys.executable, "-m", "pipeline", "run", str(src), "--out", str(out)]
    cmd += ["--errors", str(err), "--model", model_dir, "-j", "2", "--chunk-size", "3", "-q"]
    proc = subprocess.run(cmd, cwd=tmp_path / "cwd", env=env, capture_output=True, timeout=300)
    assert proc.returncode == 1, proc.stderr.decode()
    after = _snapshot(tmp_path)
    changed = {p for p in set(before) | set(after) if before.get(p) != after.get(p)}
    cache = os.path.join("home", ".cache", "zh_news_ner")
    cached = {p for p in changed if p.startswith(cache + os.sep)}
    assert cached and all(
        os.path.basename(p).startswith("jieba-prefix-") and p.endswith(".npz") for p in cached
    )
    outside = {p for p in changed if not p.startswith("tmp" + os.sep) and p != "tmp"}
    outside -= cached | {os.path.join("home", ".cache"), cache}
    assert outside == {os.path.join("out", "records.jsonl"), os.path.join("out", "errors.jsonl")}
    assert len(out.read_text("utf-8").splitlines()) == 10


def test_cli_usage_errors_and_json_logs(corpus: Path, model_dir: str, outputs: Outputs) -> None:
    out, err = outputs("cli")
    base = ["run", str(corpus), "--out", str(out), "--errors", str(err), "--model", model_dir]
    runner = CliRunner()
    for extra, message in (
        (["--resume", "--overwrite"], "exclude each other"),
        (["--scheduler", "tcp://127.0.0.1:1"], "--engine dask"),
        (["--workers", "0"], "Usage"),
        (["--errors", str(out)], "different files"),
    ):
        result = runner.invoke(app, base + extra)
        assert result.exit_code == 2, (extra, result.output)
        assert message in result.output and "Traceback" not in result.output
    log = out.parent / "log.jsonl"
    result = runner.invoke(app, [*base, "-j", "1", "--chunk-size", "10", "--log-json", str(log)])
    assert result.exit_code == 0, result.output
    assert "files 40, records 40, errors 0" in result.stderr
    events = [json.loads(line) for line in log.read_text("utf-8").splitlines()]
    assert [e["event"] for e in events] == ["run_start", *["chunk"] * 4, "run_end"]
    assert events[-1]["files"] == 40 and events[1]["records"] == 10
    assert not any("Traceback" in line for line in log.read_text("utf-8").splitlines())
    assert ROOT.is_dir()
