"""Batch options (validated once), streaming to standard output, date-rule failures, threads."""

from __future__ import annotations

import io
import json
import math
import os
from pathlib import Path
from typing import Any

import pytest

from pipeline.batch import BatchError, BatchOptions, default_errors_path, run_batch
from pipeline.runner import Extractor
from tests.batch.conftest import Outputs, make_corpus, read_bytes


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"workers": 0}, "workers"),
        ({"chunk_size": 0}, "chunk size"),
        ({"max_bytes": -1}, "max bytes"),
        ({"workers": True}, "workers"),
        ({"file_timeout": math.nan}, "file-timeout"),
        ({"file_timeout": -1.0}, "file-timeout"),
        ({"file_timeout": math.inf}, "file-timeout"),
        ({"scheduler": "tcp://h:8786"}, "--engine dask"),
        ({"engine": "spark"}, "engine"),
        ({"resume": True, "overwrite": True, "out": Path("o.jsonl")}, "exclude"),
        ({"resume": True}, "--out"),
        ({"out": Path("o.jsonl"), "errors": Path("o.jsonl")}, "different"),
        ({"tz": "Mars/Olympus"}, "time zone"),
        ({"glob": ""}, "glob"),
    ],
)
def test_bad_options_are_refused_when_made(options: dict[str, Any], message: str) -> None:
    with pytest.raises(BatchError, match=message) as info:
        BatchOptions(**options)
    assert isinstance(info.value, ValueError) and info.value.code == "bad_options"


def test_options_are_frozen_normalized_and_resolve_the_errors_file() -> None:
    options = BatchOptions(out="runs/records.jsonl", workers=None, model=Path("m"))  # type: ignore[arg-type]
    assert options.out == Path("runs/records.jsonl") and options.model == "m"
    assert options.workers == (os.cpu_count() or 1)
    assert options.errors_path == Path("runs/records.errors.jsonl")
    assert default_errors_path(Path("x")) == Path("x.errors.jsonl")
    assert BatchOptions().errors_path is None  # standard error
    assert BatchOptions(errors=Path("e.jsonl")).errors_path == Path("e.jsonl")
    with pytest.raises(AttributeError):
        options.workers = 3  # type: ignore[misc]
    assert options.replace(chunk_size=4).chunk_size == 4
    with pytest.raises(BatchError):
        options.replace(chunk_size=0)


def test_run_batch_takes_options_not_keywords(tmp_path: Path) -> None:
    with pytest.raises(TypeError):
        run_batch([tmp_path], out=tmp_path / "o.jsonl")  # type: ignore[call-arg]


def test_stream_mode_gives_the_file_bytes(
    tmp_path: Path, test_extractor: Extractor, outputs: Outputs
) -> None:
    corpus = make_corpus(tmp_path / "in", 9, subdirs=2)
    (corpus / "d0" / "empty.txt").write_bytes(b"")
    ref = outputs("ref")
    run_batch(
        [corpus], BatchOptions(out=ref[0], errors=ref[1], chunk_size=2), extractor=test_extractor
    )
    records, errors = io.BytesIO(), io.StringIO()
    summary = run_batch(
        [corpus],
        BatchOptions(chunk_size=2),
        extractor=test_extractor,
        stream=records,
        error_stream=errors,
    )
    assert records.getvalue() == read_bytes(ref)[0]
    assert errors.getvalue().encode() == read_bytes(ref)[1]
    assert summary.records == 9 and summary.errors == 1
    # Records to a stream, errors to a named file.
    err_file = tmp_path / "e.jsonl"
    records = io.BytesIO()
    run_batch([corpus], BatchOptions(errors=err_file), extractor=test_extractor, stream=records)
    assert records.getvalue() == read_bytes(ref)[0] and err_file.read_bytes() == read_bytes(ref)[1]
    assert not list(tmp_path.glob(".*.work"))


def test_errors_file_defaults_beside_out(tmp_path: Path, test_extractor: Extractor) -> None:
    src = make_corpus(tmp_path / "in", 2, subdirs=0)
    (src / "bad.txt").write_bytes(b"")
    out = tmp_path / "o" / "records.jsonl"
    run_batch([src], BatchOptions(out=out), extractor=test_extractor)
    errors = [json.loads(line) for line in (out.parent / "records.errors.jsonl").open()]
    assert [e["error"] for e in errors] == ["empty"]


def _failing_rules(text: str, *, published: object) -> list[object]:
    if "奥斯汀" in text:
        raise RuntimeError("rules bug")
    from pipeline.stages.dates import find_dates

    return find_dates(text, published=published)  # type: ignore[arg-type]


def test_date_rule_failure_is_a_counted_warning_or_raised_under_debug(
    tmp_path: Path, test_extractor: Extractor, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pipeline.stages.date_claims as date_claims

    src = make_corpus(tmp_path / "in", 6, subdirs=0)
    monkeypatch.setattr(date_claims, "find_dates", _failing_rules)
    out = tmp_path / "r.jsonl"
    summary = run_batch([src], BatchOptions(out=out, chunk_size=4), extractor=test_extractor)
    records = [json.loads(line) for line in out.open(encoding="utf-8")]
    assert summary.records == 6 and summary.errors == 0  # no article is lost
    hit = [r for r in records if "奥斯汀" in r["text"]]
    assert hit and summary.warning_codes == {"date_rules_failed": len(hit)}
    for record in hit:
        assert [w["code"] for w in record["warnings"]][-1] == "date_rules_failed"
        assert "RuntimeError: rules bug" in record["warnings"][-1]["message"]
        assert not [m for m in record["mentions"] if m["label"] == "DATE"]
    for record in records:
        if record not in hit:
            assert "date_rules_failed" not in {w["code"] for w in record["warnings"]}
    with pytest.raises(RuntimeError, match="rules bug"):
        run_batch(
            [src],
            BatchOptions(out=tmp_path / "d.jsonl", debug=True),
            extractor=test_extractor,
        )


def test_thread_limits_do_not_outlive_a_run(
    tmp_path: Path, test_extractor: Extractor, model_dir: str
) -> None:
    """A notebook keeps its BLAS/OpenMP thread settings after a batch, in-process or pooled."""
    threadpoolctl = pytest.importorskip("threadpoolctl")

    def threads() -> list[tuple[str, int]]:
        return [(p["internal_api"], p["num_threads"]) for p in threadpoolctl.threadpool_info()]

    before = threads()
    src = make_corpus(tmp_path / "in", 4, subdirs=0)
    run_batch([src], BatchOptions(out=tmp_path / "o.jsonl"), extractor=test_extractor)
    assert threads() == before
    # The pool path loads the model in this process before forking the workers.
    run_batch([src], BatchOptions(out=tmp_path / "p.jsonl", model=model_dir, workers=2))
    assert threads() == before
