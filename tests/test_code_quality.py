"""The code passes the linters and the type checker set up in pyproject, as part of the tests."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PARTS = ("library", "annotations", "media", "tui")
"""The folders that install as `readmark.<part>`."""

LINTERS = {
    "ruff check": [sys.executable, "-m", "ruff", "check", "--no-cache", "."],
    "ruff format": [sys.executable, "-m", "ruff", "format", "--check", "--no-cache", "."],
}


@pytest.mark.parametrize("name", list(LINTERS))
def test_code_passes_the_linters(name: str) -> None:
    done = subprocess.run(
        LINTERS[name], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, f"{name} found problems:\n{done.stdout}{done.stderr}"


def test_code_passes_the_type_checker(tmp_path: Path) -> None:
    """mypy sees the parts as the package they install as: `readmark/` with the parts inside,
    linked from the checkout (mypy cannot follow readmark/__init__.py's path)."""
    package = tmp_path / "readmark"
    shutil.copytree(ROOT / "readmark", package, ignore=shutil.ignore_patterns("__pycache__"))
    for part in PARTS:
        try:
            os.symlink(ROOT / part, package / part, target_is_directory=True)
        except OSError:  # a system without symbolic links
            shutil.copytree(ROOT / part, package / part)
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml"), "readmark"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    report = (done.stdout + done.stderr).replace(str(package), "readmark")
    assert done.returncode == 0, f"mypy found problems:\n{report}"
