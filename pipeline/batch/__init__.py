"""Batch runs: a tree of raw files → records JSONL + errors JSONL, at scale.

Every input ends up as exactly one record or one error line with a stable code;
a bad file never stops the batch. Inputs are walked lazily in sorted order and
cut into chunks; chunks run in this process, in a local process pool
(``workers``) or on a Dask cluster (``engine="dask"``), are committed durably to
a work dir beside the output as they finish (so ``resume`` continues a killed
run), and are assembled in order at the end: the output bytes do not depend on
the number of workers or the engine. See docs/batch.md.

    from pipeline.batch import BatchOptions, run_batch
    summary = run_batch(["data/raw"], BatchOptions(out=Path("records.jsonl"), workers=2))
"""

from pipeline.batch.inputs import Item, Walk, count_inputs, iter_inputs, read_input
from pipeline.batch.job import BatchSummary, run_batch
from pipeline.batch.journal import work_dir_for
from pipeline.batch.options import BatchOptions, EngineName, default_errors_path
from pipeline.batch.work import process
from pipeline.defaults import DEFAULT_CHUNK_SIZE, DEFAULT_FILE_TIMEOUT, DEFAULT_GLOB
from pipeline.errors import (
    BatchError,
    EngineUnavailable,
    NothingToResume,
    OutputExists,
    WorkDirError,
)

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "DEFAULT_FILE_TIMEOUT",
    "DEFAULT_GLOB",
    "BatchError",
    "BatchOptions",
    "BatchSummary",
    "EngineName",
    "EngineUnavailable",
    "Item",
    "NothingToResume",
    "OutputExists",
    "Walk",
    "WorkDirError",
    "count_inputs",
    "default_errors_path",
    "iter_inputs",
    "process",
    "read_input",
    "run_batch",
    "work_dir_for",
]
