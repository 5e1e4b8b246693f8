"""The per-user cache of jieba's prefix dictionary: same tokenizer, rebuilt when stale."""

from __future__ import annotations

from pathlib import Path

import jieba
import jieba.finalseg
import pytest

from pipeline.cache import CACHE_ENV, cache_dir
from pipeline.stages import jieba_dict
from pipeline.stages.segment import JiebaSegmenter, default_userdict

TEXT = "台积电董事长魏哲家周四在新竹表示，蔡英文和赖清德出席了国防部的会议。"


@pytest.fixture(scope="module")
def user() -> bytes:
    return default_userdict().read_bytes()


@pytest.fixture(scope="module")
def reference(user: bytes) -> jieba.Tokenizer:
    """A tokenizer built jieba's own way (no project cache)."""
    return jieba_dict.build(user)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    return tmp_path / "cache"


def files(cache: Path) -> list[Path]:
    return sorted(cache.glob(jieba_dict.PREFIX + "*.npz"))


def test_cached_tokenizer_equals_jiebas_own(
    cache: Path, user: bytes, reference: jieba.Tokenizer
) -> None:
    first = jieba_dict.tokenizer(user)  # built, then saved
    assert len(files(cache)) == 1
    second = jieba_dict.tokenizer(user)  # read back
    for tk in (first, second):
        assert tk.initialized
        assert tk.total == reference.total
        assert tk.FREQ == reference.FREQ
        assert tk.user_word_tag_tab == reference.user_word_tag_tab
        assert list(tk.cut(TEXT)) == list(reference.cut(TEXT))


def test_a_changed_user_dictionary_selects_a_new_file(cache: Path, user: bytes) -> None:
    jieba_dict.tokenizer(user)
    changed = user + "魏哲家新词 5 nr\n".encode()
    tk = jieba_dict.tokenizer(changed)
    assert len(files(cache)) == 2
    assert tk.FREQ["魏哲家新词"] == 5
    assert tk.user_word_tag_tab["魏哲家新词"] == "nr"
    assert "魏哲家新词" not in jieba_dict.tokenizer(user).FREQ  # the old file, still right


def test_the_key_covers_both_dictionaries_and_jieba() -> None:
    base = jieba_dict.cache_key(b"a 1\n", b"b 1\n")
    assert jieba_dict.cache_key(b"a 2\n", b"b 1\n") != base
    assert jieba_dict.cache_key(b"a 1\n", b"b 2\n") != base
    assert jieba_dict.cache_key(b"a 1\nb 1\n", b"") != jieba_dict.cache_key(b"a 1\n", b"b 1\n")


@pytest.mark.parametrize("damage", ["garbage", "truncated", "other key"])
def test_an_unreadable_or_foreign_file_is_rebuilt(
    cache: Path, user: bytes, reference: jieba.Tokenizer, damage: str
) -> None:
    jieba_dict.tokenizer(user)
    (path,) = files(cache)
    if damage == "garbage":
        path.write_bytes(b"not a cache file")
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[:100_000])
    else:  # a valid file of another dictionary under this name
        jieba_dict.tokenizer(b"x 1\n")
        other = next(p for p in files(cache) if p != path)
        other.replace(path)
    tk = jieba_dict.tokenizer(user)
    assert tk.FREQ == reference.FREQ
    assert jieba_dict.tokenizer(user).FREQ == reference.FREQ  # and the file was rewritten


def test_an_unwritable_cache_directory_only_costs_speed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, user: bytes, reference: jieba.Tokenizer
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv(CACHE_ENV, str(blocker / "cache"))  # cannot be created, even by root
    tk = jieba_dict.tokenizer(user)
    assert tk.FREQ == reference.FREQ
    assert list(tmp_path.iterdir()) == [blocker]  # no temporary file left behind


def test_caching_can_be_turned_off(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(CACHE_ENV, "off")
    assert cache_dir() is None
    monkeypatch.delenv(CACHE_ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_dir() == tmp_path / "zh_news_ner"


def test_force_split_words_are_replayed_from_the_cache(cache: Path) -> None:
    user = "\ufeff甲乙丙 0\n丁戊 3 nz\n己庚 0 n\n".encode()
    assert jieba_dict.force_split_words(user) == ["甲乙丙", "己庚"]
    jieba_dict.tokenizer(user)
    jieba.finalseg.Force_Split_Words.discard("甲乙丙")
    jieba_dict.tokenizer(user)  # from the file
    assert "甲乙丙" in jieba.finalseg.Force_Split_Words
    jieba.finalseg.Force_Split_Words.difference_update({"甲乙丙", "己庚"})


def test_old_files_are_pruned(cache: Path) -> None:
    for i in range(jieba_dict.KEEP + 2):
        jieba_dict.tokenizer(f"词{i} 1\n".encode())
    assert len(files(cache)) == jieba_dict.KEEP


def test_the_segmenter_uses_the_cache(cache: Path, reference: jieba.Tokenizer) -> None:
    seg = JiebaSegmenter()
    assert "".join(seg.words(TEXT)) == TEXT
    assert len(files(cache)) == 1
    assert seg.tokenizer.FREQ == reference.FREQ
