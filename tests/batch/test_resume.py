"""The commit protocol: kill -9 and --resume give the bytes of an uninterrupted run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pipeline.batch import (
    BatchOptions,
    NothingToResume,
    OutputExists,
    WorkDirError,
    run_batch,
    work_dir_for,
)
from pipeline.batch.journal import JOURNAL
from pipeline.runner import Extractor
from tests.batch.conftest import Outputs, make_corpus, read_bytes
from tests.conftest import ROOT


class _Stop(Exception):
    pass


def _interrupt_after(chunks: int) -> Callable[[int, bool], None]:
    seen = {"n": 0}

    def progress(files: int, resumed: bool) -> None:
        if not resumed:
            seen["n"] += 1
            if seen["n"] >= chunks:
                raise _Stop

    return progress


def _journal(out: Path) -> list[dict[str, object]]:
    path = work_dir_for(out) / JOURNAL
    return [json.loads(x) for x in path.read_text("utf-8").splitlines() if x.strip()]


def test_sigkill_mid_run_then_resume_gives_identical_bytes(
    tmp_path: Path, model_dir: str, outputs: Outputs
) -> None:
    src = make_corpus(tmp_path / "in", 160)
    ref = outputs("ref")
    run_batch([src], BatchOptions(out=ref[0], errors=ref[1], model=model_dir, chunk_size=4))
    got = outputs("killed")
    cmd = [sys.executable, "-m", "pipeline", "run", str(src), "--out", str(got[0])]
    cmd += ["--errors", str(got[1]), "--model", model_dir, "--chunk-size", "4", "-j", "2", "-q"]
    # Its own session, so the kill takes the workers too, as a crash of the machine would.
    proc = subprocess.Popen(cmd, cwd=ROOT, start_new_session=True)
    journal = work_dir_for(got[0]) / JOURNAL
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            if journal.is_file() and journal.read_bytes().count(b"\n") >= 3:
                break
            time.sleep(0.005)
        assert proc.poll() is None, "the run finished before it could be killed"
        os.killpg(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    assert not got[0].exists() and not got[1].exists()
    done = len(_journal(got[0]))
    assert 3 <= done < 40
    # Without --resume an interrupted run is never silently redone or overwritten.
    with pytest.raises(WorkDirError, match="--resume"):
        run_batch([src], BatchOptions(out=got[0], errors=got[1], model=model_dir, chunk_size=4))
    summary = run_batch(
        [src], BatchOptions(out=got[0], errors=got[1], model=model_dir, chunk_size=4, resume=True)
    )
    assert read_bytes(got) == read_bytes(ref)
    assert summary.resumed >= 4 * done and summary.files == 160  # finished work was skipped
    assert not work_dir_for(got[0]).exists()


def test_torn_journal_and_orphan_parts_are_redone(
    corpus: Path, model_dir: str, test_extractor: Extractor, outputs: Outputs
) -> None:
    ref = outputs("ref")
    run_batch(
        [corpus], BatchOptions(out=ref[0], errors=ref[1], chunk_size=3), extractor=test_extractor
    )
    got = outputs("got")
    with pytest.raises(_Stop):
        run_batch(
            [corpus],
            BatchOptions(out=got[0], errors=got[1], chunk_size=3),
            extractor=test_extractor,
            on_progress=_interrupt_after(4),
        )
    wd = work_dir_for(got[0])
    assert len(_journal(got[0])) == 4
    # A crash in the middle of a commit: a torn journal line, a part without a line,
    # a part whose size does not match its line.
    with (wd / JOURNAL).open("ab") as f:
        f.write(b'{"chunk": 4, "fingerprint": "x", "fi')
    (wd / "part-00000005.jsonl").write_bytes(b'{"half a rec')
    (wd / "part-00000001.jsonl").write_bytes(b"garbage\n")
    summary = run_batch(
        [corpus],
        BatchOptions(out=got[0], errors=got[1], chunk_size=3, resume=True),
        extractor=test_extractor,
    )
    assert read_bytes(got) == read_bytes(ref)
    assert summary.resumed == 9  # chunks 0, 2, 3 were kept; 1 was redone


def test_resume_redoes_only_chunks_whose_inputs_changed(
    corpus: Path, test_extractor: Extractor, outputs: Outputs
) -> None:
    got = outputs("got")
    with pytest.raises(_Stop):
        run_batch(
            [corpus],
            BatchOptions(out=got[0], errors=got[1], chunk_size=5),
            extractor=test_extractor,
            on_progress=_interrupt_after(6),
        )
    (corpus / "d2" / "art0005.txt").unlink()  # the 29th input: in committed chunk 5
    summary = run_batch(
        [corpus],
        BatchOptions(out=got[0], errors=got[1], chunk_size=5, resume=True),
        extractor=test_extractor,
    )
    ref = outputs("ref")
    run_batch(
        [corpus], BatchOptions(out=ref[0], errors=ref[1], chunk_size=5), extractor=test_extractor
    )
    assert read_bytes(got) == read_bytes(ref)
    assert summary.resumed == 25  # chunks 0-4 kept; from 5 on, positions moved


def test_resume_refuses_other_options_and_outputs_are_never_touched(
    corpus: Path, test_extractor: Extractor, outputs: Outputs
) -> None:
    got = outputs("got")
    kw: dict[str, Any] = {"chunk_size": 5}
    ex = test_extractor
    with pytest.raises(_Stop):
        run_batch(
            [corpus],
            BatchOptions(out=got[0], errors=got[1], **kw),
            extractor=ex,
            on_progress=_interrupt_after(1),
        )
    with pytest.raises(WorkDirError, match="max_bytes"):
        run_batch(
            [corpus],
            BatchOptions(out=got[0], errors=got[1], resume=True, max_bytes=10, **kw),
            extractor=ex,
        )
    # --overwrite starts over; a finished output is then never replaced without it.
    run_batch([corpus], BatchOptions(out=got[0], errors=got[1], overwrite=True, **kw), extractor=ex)
    before = read_bytes(got)
    with pytest.raises(OutputExists):
        run_batch([corpus], BatchOptions(out=got[0], errors=got[1], **kw), extractor=ex)
    # --resume of the finished run: nothing to resume (the CLI exits 0), nothing touched.
    with pytest.raises(NothingToResume, match="nothing to resume"):
        run_batch(
            [corpus], BatchOptions(out=got[0], errors=got[1], resume=True, **kw), extractor=ex
        )
    assert read_bytes(got) == before
    assert not work_dir_for(got[0]).exists()


def test_crash_between_the_two_final_renames(
    corpus: Path, test_extractor: Extractor, outputs: Outputs, monkeypatch: pytest.MonkeyPatch
) -> None:
    ref, got = outputs("ref"), outputs("got")
    kw: dict[str, Any] = {"chunk_size": 7}
    ex = test_extractor
    run_batch([corpus], BatchOptions(out=ref[0], errors=ref[1], **kw), extractor=ex)
    real_replace = os.replace

    def replace(src: str, dst: str) -> None:
        if Path(dst) == got[0]:
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(OSError):
        run_batch([corpus], BatchOptions(out=got[0], errors=got[1], **kw), extractor=ex)
    monkeypatch.setattr(os, "replace", real_replace)
    assert got[1].exists() and not got[0].exists()
    run_batch([corpus], BatchOptions(out=got[0], errors=got[1], resume=True, **kw), extractor=ex)
    assert read_bytes(got) == read_bytes(ref)
