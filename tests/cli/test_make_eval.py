"""`make eval` in a fresh clone without ../shared: a table on stdout, no file written.

The clone is of the committed HEAD; it reuses the environment running the tests
(``VENV=``, and ``-o`` its install stamp so make never reinstalls into it).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import BUNDLED, ROOT

GIT, MAKE = shutil.which("git"), shutil.which("make")


def _is_checkout() -> bool:
    if GIT is None:
        return False
    probe = subprocess.run(
        [GIT, "-C", str(ROOT), "rev-parse", "--git-dir"], capture_output=True, check=False
    )
    return probe.returncode == 0


pytestmark = [
    pytest.mark.skipif(GIT is None or MAKE is None, reason="needs git and make"),
    pytest.mark.skipif(not _is_checkout(), reason="not a git checkout"),
    pytest.mark.skipif(
        not (BUNDLED / "config.cfg").is_file(), reason="bundled model not built (make train)"
    ),
]


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("fresh") / "clone"
    assert GIT is not None
    subprocess.run([GIT, "clone", "--quiet", str(ROOT), str(path)], check=True)
    return path


def _make(clone: Path, target: str) -> subprocess.CompletedProcess[str]:
    venv = Path(sys.prefix)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MAKE", "MFLAGS"))}
    assert MAKE is not None
    return subprocess.run(
        [MAKE, "-s", "-o", str(venv / ".installed"), target, f"VENV={venv}", "SHARED=/nonexistent"],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )


def _status(clone: Path) -> str:
    assert GIT is not None
    return subprocess.run(
        [GIT, "-C", str(clone), "status", "--porcelain", "--untracked-files=all"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_make_eval_prints_the_table_and_writes_nothing(clone: Path) -> None:
    result = _make(clone, "eval")
    assert result.returncode == 0, result.stderr
    assert "| fixtures (team-written news, all labels) |" in result.stdout
    assert "not measured (6 of 7 sets" in result.stderr and "MSRA dev" in result.stderr
    assert _status(clone) == ""


def test_make_eval_readme_keeps_the_table_when_sets_are_missing(clone: Path) -> None:
    result = _make(clone, "eval-readme")
    assert result.returncode != 0
    assert "README.md left as it was" in result.stderr
    assert _status(clone) == ""
