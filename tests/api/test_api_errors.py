"""The notebook API raises what Python users expect, and ids are never a constant."""

from __future__ import annotations

import errno
import pickle
from pathlib import Path

import pytest

from pipeline import errors
from pipeline.errors import (
    BadEncoding,
    BadHeader,
    BinaryInput,
    EmptyInput,
    InputError,
    InputNotFound,
    ModelNotFound,
    PipelineError,
    SymlinkLoop,
    TooLarge,
    Unreadable,
)
from pipeline.runner import content_id
from tests.conftest import BUNDLED

needs_model = pytest.mark.skipif(
    not (BUNDLED / "config.cfg").is_file(), reason="bundled model not built (make train)"
)

TEXT = "美国国防部长奥斯汀周四在华盛顿表示，日美同盟将深化合作。"


# -- the errors module -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("cls", "builtin"),
    [
        (InputNotFound, FileNotFoundError),
        (Unreadable, OSError),
        (SymlinkLoop, OSError),
        (BadEncoding, UnicodeDecodeError),
        (BinaryInput, UnicodeDecodeError),
        (EmptyInput, ValueError),
        (BadHeader, ValueError),
        (TooLarge, ValueError),
        (ModelNotFound, OSError),
    ],
)
def test_project_errors_are_also_the_matching_builtin(
    cls: type[PipelineError], builtin: type[BaseException]
) -> None:
    assert issubclass(cls, PipelineError) and issubclass(cls, builtin)


def test_every_public_error_has_the_common_base_and_a_code() -> None:
    for name in errors.__all__:
        cls = getattr(errors, name)
        if name == "catalogue":  # the one function: the classes by code
            continue
        assert issubclass(cls, PipelineError), name
        assert pickle.loads(pickle.dumps(cls("m", source="s"))).source == "s", name
        assert isinstance(cls.code, str) and cls.code, name


def test_input_not_found_names_the_path_and_pickles() -> None:
    err = InputNotFound("no such file", source="feeds/missing.txt")
    assert err.errno == errno.ENOENT and err.filename == "feeds/missing.txt"
    assert str(err) == "feeds/missing.txt: no such file"
    assert err.code == "not_found" and isinstance(err, InputError)
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is InputNotFound and str(back) == str(err) and back.errno == errno.ENOENT


def test_bad_encoding_is_a_unicode_decode_error_that_pickles() -> None:
    err = BadEncoding("not text", source="x.txt", data=b"\xff\xfe\x00", start=1, end=2)
    assert (err.encoding, err.object, err.start, err.end) == ("utf-8", b"\xff\xfe\x00", 1, 2)
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is BadEncoding and back.object == err.object and str(back) == str(err)


# -- extract(): argument types, bytes, ids -------------------------------------------------
@needs_model
@pytest.mark.parametrize("bad", [None, 123, 4.5, ["美国"], {"text": "美国"}])
def test_extract_rejects_non_text_with_type_error(bad: object) -> None:
    from pipeline import extract

    with pytest.raises(TypeError, match=type(bad).__name__):
        extract(bad)  # type: ignore[arg-type]


@needs_model
def test_extract_checks_the_other_arguments() -> None:
    from pipeline import extract

    with pytest.raises(TypeError, match="published"):
        extract(TEXT, published=20220105)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="title"):
        extract(TEXT, title=1)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="ISO 8601"):
        extract(TEXT, published="last Thursday")


@needs_model
@pytest.mark.parametrize(
    ("encoding", "code"),
    [
        ("gbk", "decoded_as_gb18030"),
        ("gb18030", "decoded_as_gb18030"),
        ("utf-16", "decoded_as_utf16"),
    ],
)
def test_extract_decodes_bytes_like_a_file_with_a_warning(encoding: str, code: str) -> None:
    from pipeline import extract

    plain = extract(TEXT, published="2022-01-05T20:45:01Z")
    record = extract(TEXT.encode(encoding), published="2022-01-05T20:45:01Z")
    assert record.text == TEXT
    assert [w.code for w in record.warnings] == [code]
    assert record.mentions == plain.mentions and record.id == plain.id


@needs_model
def test_extract_utf8_bytes_need_no_warning() -> None:
    from pipeline import extract

    record = extract(TEXT.encode("utf-8"))
    assert record.text == TEXT and record.warnings == []


@needs_model
def test_undecodable_bytes_raise_a_unicode_decode_error_naming_the_codecs() -> None:
    from pipeline import extract

    with pytest.raises(UnicodeDecodeError) as info:
        extract(bytes(range(0x80, 0x100)) * 4)
    assert isinstance(info.value, BadEncoding)
    assert "utf-8" in str(info.value) and "gb18030" in str(info.value)


@needs_model
def test_binary_bytes_raise_a_unicode_decode_error() -> None:
    from pipeline import extract

    with pytest.raises(UnicodeDecodeError):
        extract(b"\x00\x01\x02\x03" * 50 + "美国".encode("gbk"))


@needs_model
def test_default_id_is_a_content_hash_never_a_constant() -> None:
    from pipeline import extract

    a, b = extract(TEXT), extract("台湾全民防卫动员署挂牌。")
    assert a.id != b.id
    assert a.id == content_id(a.text) and len(a.id) == 16
    assert extract(TEXT).id == a.id  # the same text, the same id
    assert extract(TEXT, title="标题").id == content_id("标题\n" + TEXT)
    assert extract(TEXT, id="my-article").id == "my-article"


@needs_model
def test_extractor_extract_has_the_same_default(extractor: object) -> None:
    record = extractor.extract(TEXT)  # type: ignore[attr-defined]
    assert record.id == content_id(TEXT)


# -- extract_file(): missing and unreadable inputs -----------------------------------------
@needs_model
def test_extract_file_missing_is_a_file_not_found_error_naming_the_path(tmp_path: Path) -> None:
    from pipeline import extract_file

    missing = tmp_path / "missing.txt"
    with pytest.raises(FileNotFoundError) as info:
        extract_file(missing)
    assert isinstance(info.value, InputNotFound)
    assert str(missing) in str(info.value) and info.value.filename == str(missing)


@needs_model
def test_extract_file_directory_is_an_os_error(tmp_path: Path) -> None:
    from pipeline import extract_file

    with pytest.raises(OSError) as info:
        extract_file(tmp_path)
    assert isinstance(info.value, Unreadable) and info.value.errno == errno.EISDIR


@needs_model
def test_extract_file_gbk_file_gets_the_warning(tmp_path: Path) -> None:
    from pipeline import extract_file

    raw = f"<!--1641415501000-->\n[标题](https://example.com/a)\n------\n\n<p>{TEXT}</p>\n"
    path = tmp_path / "gbk.txt"
    path.write_bytes(raw.encode("gb18030"))
    record = extract_file(path)
    assert [w.code for w in record.warnings] == ["decoded_as_gb18030"]
    assert TEXT in record.text
