"""scripts/select_identity_sample.py: window, seed and excluded ids of an identity gold's sample."""

from __future__ import annotations

import gzip
import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import ROOT

SCRIPT = ROOT / "scripts" / "select_identity_sample.py"
DEV_ARTICLES = ROOT / "tests" / "fixtures" / "identity" / "dev_articles.txt"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("select_identity_sample", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _corpus(tmp_path: Path) -> Path:
    """A tiny news_unlabeled (one outlet, 150 articles in April 2021, 30 in December
    2020, one too short) and a news_gold holding one April id."""
    items = [
        {
            "id": f"news-{n:06d}",
            "outlet": "www.example.com",
            "published": f"2021-04-{1 + n % 28:02d}T08:00:00Z",
        }
        for n in range(150)
    ] + [
        {"id": f"news-{n:06d}", "outlet": "www.example.com", "published": "2020-12-05T23:00:00Z"}
        for n in range(200, 230)
    ]
    for item in items:
        item["text"] = "标题\n" + "正文" * 200
    items.append(
        {
            "id": "news-000999",
            "outlet": "www.example.com",
            "published": "2020-12-06T00:00:00Z",
            "text": "短",
        }
    )
    shared = tmp_path / "shared"
    (shared / "corpora" / "news_unlabeled").mkdir(parents=True)
    (shared / "corpora" / "news_gold").mkdir(parents=True)
    with gzip.open(
        shared / "corpora" / "news_unlabeled" / "news-00.jsonl.gz", "wt", encoding="utf-8"
    ) as f:
        f.writelines(json.dumps(item) + "\n" for item in items)
    (shared / "corpora" / "news_gold" / "gold.jsonl").write_text(
        json.dumps({"id": "news-000003"}) + "\n", encoding="utf-8"
    )
    return shared


def test_window_and_exclusions_choose_the_candidates(tmp_path: Path) -> None:
    script = _script()
    shared = _corpus(tmp_path)
    april = script.candidates(shared)["www.example.com"]
    assert len(april) == 149 and "news-000003" not in {i for i, _ in april}  # news_gold left out
    december = script.candidates(shared, ("2020-12-01", "2021-01-01"), {"news-000201"})
    ids = {i for i, _ in december["www.example.com"]}
    assert len(ids) == 29 and "news-000201" not in ids and "news-000999" not in ids
    assert script.candidates(shared, ("2020-12-06", "2021-01-01")) == {}  # END is exclusive


def test_seed_draws_reproducibly(tmp_path: Path) -> None:
    script = _script()
    pool = script.candidates(_corpus(tmp_path))
    first = script.select(pool)
    assert first == script.select(pool, script.SEED) == sorted(first)
    assert len(first) == script.SIZE
    other = script.select(pool, 162)
    assert other == script.select(pool, 162) and other != first


def test_read_ids_takes_plain_and_jsonl_files(tmp_path: Path) -> None:
    script = _script()
    plain = tmp_path / "ids.txt"
    plain.write_text("news-000001\n\n# a comment\nnews-000002\n", encoding="utf-8")
    jsonl = tmp_path / "selection.jsonl"
    jsonl.write_text('{"split": "dev", "id": "news-000003"}\n', encoding="utf-8")
    assert script.read_ids(plain) | script.read_ids(jsonl) == {
        "news-000001",
        "news-000002",
        "news-000003",
    }
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"split": "dev"}\n', encoding="utf-8")
    with pytest.raises(SystemExit, match=r"bad\.jsonl:1"):
        script.read_ids(bad)


def test_cli_writes_the_ids_and_rejects_bad_arguments(tmp_path: Path) -> None:
    shared = _corpus(tmp_path)
    exclude = tmp_path / "old.txt"
    exclude.write_text("news-000200\n", encoding="utf-8")
    out = tmp_path / "ids.txt"
    base = [sys.executable, str(SCRIPT), "--shared", str(shared), "--out", str(out)]
    window = ["--window", "2020-12-01", "2021-01-01"]
    run = subprocess.run(
        [*base, *window, "--seed", "7", "--exclude", str(exclude)], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    ids = out.read_text(encoding="utf-8").split()
    assert ids == sorted(f"news-{n:06d}" for n in range(201, 230))
    for bad, message in [
        (["--window", "2021-01-01", "2020-12-01"], "not before"),
        (["--window", "2020-12-01", "soon"], "not a date"),
        ([*window, "--exclude", str(tmp_path / "nowhere.txt")], "no such file"),
    ]:
        run = subprocess.run([*base, *bad], capture_output=True, text=True)
        assert run.returncode == 2 and message in run.stderr
    run = subprocess.run(
        [*base, "--window", "2019-01-01", "2019-03-01"], capture_output=True, text=True
    )
    assert run.returncode == 1 and "no eligible article" in run.stderr


@pytest.mark.slow
def test_defaults_reproduce_the_first_blind_selection(shared: Path, tmp_path: Path) -> None:
    if not (shared / "corpora" / "news_unlabeled").is_dir():
        pytest.skip("no corpora/news_unlabeled under ../shared")
    out = tmp_path / "ids.txt"
    run = subprocess.run(
        [sys.executable, str(SCRIPT), "--shared", str(shared), "--out", str(out)],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    assert out.read_text(encoding="utf-8") == DEV_ARTICLES.read_text(encoding="utf-8")
