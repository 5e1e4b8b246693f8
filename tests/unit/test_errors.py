"""Every exception class of the package lives in pipeline/errors.py under one base, coded."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from typing import get_args

import pytest

import pipeline
from pipeline import errors
from pipeline.errors import InputError, PipelineError, catalogue
from pipeline.schema import ErrorCode
from tests.conftest import ROOT

#: Optional extras a module may need; such modules are checked where they are installed.
OPTIONAL = {"torch", "distributed", "dask", "sklearn_crfsuite", "pycrfsuite"}


def _modules() -> list[object]:
    found = []
    for info in pkgutil.walk_packages(pipeline.__path__, "pipeline."):
        if info.name == "pipeline.__main__":  # runs the command line on import
            continue
        try:
            found.append(importlib.import_module(info.name))
        except ModuleNotFoundError as e:
            if (e.name or "").split(".")[0] not in OPTIONAL:
                raise
    return found


def test_every_exception_class_is_defined_in_errors_under_the_base() -> None:
    strays = []
    for module in _modules():
        for name, obj in vars(module).items():
            if not (inspect.isclass(obj) and issubclass(obj, Exception)):
                continue
            if obj.__module__ != module.__name__:  # imported, not defined here
                continue
            if module is not errors or not issubclass(obj, PipelineError):
                strays.append(f"{module.__name__}.{name}")
    assert not strays, f"exception classes outside pipeline.errors / PipelineError: {strays}"


def test_catalogue_codes_are_unique_and_cover_the_public_classes() -> None:
    table = catalogue()
    public = {
        getattr(errors, name)
        for name in errors.__all__
        if inspect.isclass(getattr(errors, name)) and getattr(errors, name) is not PipelineError
    }
    assert set(table.values()) == public
    assert len({cls.code for cls in public}) == len(public)
    for code, cls in table.items():
        assert re.fullmatch(r"[a-z_]+", code) and cls.__doc__


def test_input_error_codes_are_the_errors_file_codes() -> None:
    codes = {code for code, cls in catalogue().items() if issubclass(cls, InputError)}
    assert codes == set(get_args(ErrorCode))


@pytest.mark.parametrize("code", sorted(catalogue()))
def test_readme_lists_every_code(code: str) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    cls = catalogue()[code]
    assert re.search(rf"^\| `{code}` \| `{cls.__name__}` \|", readme, re.M), code


def test_removed_dead_names_stay_gone() -> None:
    import pipeline.batch.work as work
    import pipeline.resources as resources

    assert not hasattr(errors, "ExtractFailed")
    assert not hasattr(work, "error_code_names") and not hasattr(resources, "model_path")


def test_library_readers_agree_with_the_cli_on_a_missing_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from pipeline import frames, read_records
    from pipeline.entities import reduce_files
    from pipeline.errors import BadRecordLine, InputNotFound

    missing = tmp_path / "nope.jsonl"
    for call in (
        lambda: list(read_records(missing)),
        lambda: frames(missing),
        lambda: reduce_files([missing]),
    ):
        with pytest.raises(InputNotFound) as info:
            call()
        assert isinstance(info.value, FileNotFoundError) and info.value.code == "not_found"
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": 1}\n', encoding="utf-8")
    with pytest.raises(BadRecordLine, match=r"bad.jsonl:1"):
        list(read_records(bad))
