"""Reading ../shared/corpora/news_unlabeled and cutting the article opening that gets annotated.

The opening is the convention of news_gold: the title and whole paragraphs, cut at the
last paragraph boundary at or before ``OPENING_LIMIT`` characters (the whole text when it
is shorter; the first paragraph boundary after the limit when the first line is longer).
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from pipeline.errors import AnnotationError

OPENING_LIMIT = 1000
CORPUS = Path("corpora") / "news_unlabeled"
GOLD = Path("corpora") / "news_gold" / "gold.jsonl"
#: Articles per news-NN.jsonl.gz file (ids are numbered in file order).
PER_FILE = 10_000


class CorpusArticle(BaseModel):
    """One news_unlabeled item, as its README describes it."""

    model_config = ConfigDict(extra="ignore")

    id: str
    outlet: str
    published: dt.datetime
    title: str = ""
    url: str = ""
    text: str


def opening(text: str, limit: int = OPENING_LIMIT) -> str:
    """The article opening: whole lines (title, paragraphs) up to ``limit`` characters."""
    if len(text) <= limit:
        return text
    cut = text.rfind("\n", 0, limit + 1)
    if cut <= 0:
        cut = text.find("\n", limit)
        return text if cut < 0 else text[:cut]
    return text[:cut]


def text_sha256(text: str) -> str:
    """Hex SHA-256 of the UTF-8 bytes of ``text``: what a standoff record is checked against."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def corpus_dir(shared: str | Path) -> Path | None:
    """``<shared>/corpora/news_unlabeled`` when it holds corpus files, else None."""
    path = Path(shared) / CORPUS
    return path if path.is_dir() and any(path.glob("news-*.jsonl.gz")) else None


def _files(directory: Path) -> list[Path]:
    return sorted(directory.glob("news-*.jsonl.gz"))


def iter_corpus(directory: Path, files: Iterable[Path] | None = None) -> Iterator[CorpusArticle]:
    """Every article of the corpus (or of ``files``), in file order."""
    for path in files if files is not None else _files(directory):
        try:
            with gzip.open(path, "rt", encoding="utf-8") as f:
                for n, line in enumerate(f, 1):
                    try:
                        yield CorpusArticle.model_validate_json(line)
                    except ValueError as e:
                        raise AnnotationError(f"{path}:{n}: not a corpus record: {e}") from e
        except OSError as e:
            raise AnnotationError(f"{path}: cannot read: {e}") from e


def _file_of(directory: Path, doc_id: str) -> Path | None:
    try:
        number = int(doc_id.rsplit("-", 1)[1])
    except (IndexError, ValueError):
        return None
    path = directory / f"news-{number // PER_FILE:02d}.jsonl.gz"
    return path if path.is_file() else None


def fetch(directory: Path, ids: Iterable[str]) -> dict[str, CorpusArticle]:
    """The corpus articles with these ids; ids not in the corpus are absent from the result.

    Reads only the files the ids' numbers point to, then scans the rest for any id not
    found there (so a renumbered corpus is still read correctly, only slower).
    """
    wanted = set(ids)
    found: dict[str, CorpusArticle] = {}
    first = {p for i in wanted if (p := _file_of(directory, i)) is not None}
    for files in (sorted(first), [p for p in _files(directory) if p not in first]):
        if not wanted - found.keys():
            break
        for art in iter_corpus(directory, files):
            if art.id in wanted:
                found[art.id] = art
    return found


def read_id_file(path: Path) -> set[str]:
    """The article ids of a file: one id a line, or one JSON object with an "id" a line
    (blank lines and ``#`` comments skipped). Raises AnnotationError naming the line of a
    JSON object without an id."""
    ids: set[str] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("{"):
            try:
                ids.add(str(json.loads(line)["id"]))
            except (json.JSONDecodeError, KeyError) as e:
                raise AnnotationError(f"{path}:{number}: not a JSON object with an id ({e})") from e
        else:
            ids.add(line.split()[0])
    return ids


def gold_ids(shared: str | Path) -> set[str]:
    """The ids of the blind dev set (news_gold): never selected, never trained on.

    Reads only the ``id`` field of each line.
    """
    path = Path(shared) / GOLD
    return read_id_file(path) if path.is_file() else set()


#: Simplified or Traditional Chinese.
Script = Literal["zhs", "zht"]


def script_of(text: str, *, threshold: float = 0.03) -> Script:
    """``"zht"`` when at least ``threshold`` of the Han characters are Traditional-only forms."""
    from pipeline.stages.simplified import _t2s_table

    table = _t2s_table()
    han = [ch for ch in text if "\u4e00" <= ch <= "\u9fff"]
    if not han:
        return "zhs"
    trad = sum(1 for ch in han if ord(ch) in table)
    return "zht" if trad / len(han) >= threshold else "zhs"
