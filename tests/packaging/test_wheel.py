"""A non-editable install carries the bundled model: build the wheel, install it into
a fresh environment outside the checkout, and extract the seed article there.

The fresh environment borrows the dependencies (spaCy, jieba, ...) from the test's
own environment through a path file, so the test runs offline and fast; the project
itself comes only from the wheel.
"""

from __future__ import annotations

import json
import os
import site
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.conftest import BUNDLED, ROOT, SEED


def _model_files() -> set[str]:
    return {
        p.relative_to(BUNDLED).as_posix()
        for p in BUNDLED.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not (BUNDLED / "config.cfg").is_file():
        pytest.skip("bundled model not built (make train)")
    out = tmp_path_factory.mktemp("wheel")
    build = tmp_path_factory.mktemp("build")
    # Build from a copy of the tracked sources so no build/ or egg-info lands in the checkout.
    files = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for raw in files:
        if not raw:
            continue
        rel = raw.decode()
        src = ROOT / rel
        if not src.is_file():
            continue
        dst = build / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        dst.write_bytes(src.read_bytes())
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(out),
            str(build),
        ],
        check=True,
        capture_output=True,
    )
    (found,) = out.glob("*.whl")
    return found


def test_wheel_holds_every_model_file(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = {f for f in _model_files() if f"zh_news_ner/{f}" not in names}
    assert not missing, f"model files left out of the wheel: {sorted(missing)}"


def test_installed_wheel_extracts_the_seed_outside_the_checkout(
    wheel: Path, tmp_path: Path
) -> None:
    env_dir = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env_dir)], check=True)
    py = env_dir / "bin" / "python"
    purelib = subprocess.run(
        [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    # Dependencies from this environment; the project itself only from the wheel.
    deps = {sysconfig.get_paths()["purelib"], *site.getsitepackages()}
    Path(purelib, "_deps.pth").write_text("\n".join(sorted(deps)) + "\n", encoding="utf-8")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(py),
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    work = tmp_path / "elsewhere"
    work.mkdir()
    seed = work / SEED.name
    seed.write_bytes(SEED.read_bytes())
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PIPELINE_MODELS_DIR"}}
    env["HOME"] = str(tmp_path)
    where = subprocess.run(
        [
            str(py),
            "-c",
            "import pipeline, pipeline.resources as r; print(pipeline.__file__); print(r.models_dir())",
        ],
        cwd=work,
        capture_output=True,
        text=True,
        check=True,
        env=env,
    ).stdout.split("\n")
    assert where[0].startswith(purelib), f"pipeline imported from {where[0]}, not the wheel"
    assert where[1].startswith(purelib), f"model found at {where[1]}, not in the wheel"
    done = subprocess.run(
        [str(env_dir / "bin" / "pipeline"), "extract", seed.name],
        cwd=work,
        capture_output=True,
        text=True,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    record = json.loads(done.stdout)
    meta = json.loads((BUNDLED / "meta.json").read_text(encoding="utf-8"))
    assert record["pipeline"]["model_version"] == meta["version"]
    names = {m["text"] for m in record["mentions"] if m["label"] == "PERSON"}
    assert {"奥斯汀", "达克沃斯"} <= names
