"""The wheel installs readmark as one package, `readmark/`, with its license, styles and sample
library, and declares every package its code imports.

A wheel with bare top-level packages (`library/`, `tui/`) is overwritten by any distribution of
the same name installed beside it; a missing file in the wheel only shows once installed.
"""

from __future__ import annotations

import ast
import email
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

import readmark

ROOT = Path(__file__).resolve().parent.parent
UV = shutil.which("uv")
DIST_INFO = f"readmark-{readmark.__version__}.dist-info"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Iterator[zipfile.ZipFile]:
    if UV is None:
        pytest.skip("uv is not on PATH: the wheel is built with `uv build --wheel`")
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run(
        [UV, "build", "--wheel", "--quiet", "--out-dir", str(out), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, f"uv build failed:\n{done.stdout}{done.stderr}"
    (built,) = out.glob("*.whl")
    with zipfile.ZipFile(built) as archive:
        yield archive


def test_the_wheel_holds_readmark_and_its_metadata_only(wheel: zipfile.ZipFile) -> None:
    tops = {name.split("/", 1)[0] for name in wheel.namelist()}
    assert tops == {"readmark", DIST_INFO}
    # Every part is inside the one package, none beside it.
    parts = {name.split("/")[1] for name in wheel.namelist() if name.count("/") >= 2}
    assert {"library", "annotations", "media", "tui", "styles"} <= parts


def test_the_wheel_ships_the_license(wheel: zipfile.ZipFile) -> None:
    shipped = wheel.read(f"{DIST_INFO}/licenses/LICENSE").decode("utf-8")
    assert shipped == (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "MIT License" in shipped
    metadata = email.message_from_bytes(wheel.read(f"{DIST_INFO}/METADATA"))
    assert metadata["License-Expression"] == "MIT"
    assert metadata["License-File"] == "LICENSE"


def test_the_wheel_ships_every_style_and_the_whole_sample_library(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    assert "readmark/styles/app.tcss" in names
    for style in (ROOT / "styles").glob("*.tcss"):
        assert f"readmark/styles/{style.name}" in names
    sample = ROOT / "library" / "sample_vault"
    expected = {
        "readmark/library/sample_vault/" + path.relative_to(sample).as_posix()
        for path in sample.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    assert len(expected) >= 5
    assert expected <= names, sorted(expected - names)


def test_the_wheel_holds_no_tests_bytecode_or_repository_files(wheel: zipfile.ZipFile) -> None:
    names = wheel.namelist()
    assert [name for name in names if name.endswith((".pyc", ".pyo"))] == []
    unwanted = {"__pycache__", "tests", "bench", "scripts", "docs", ".git", ".ci"}
    assert [name for name in names if unwanted & set(name.split("/")[:-1])] == []


def test_the_wheel_declares_every_package_its_code_imports(wheel: zipfile.ZipFile) -> None:
    """An import of an undeclared package works in the checkout's environment and fails once
    installed on its own."""
    metadata = email.message_from_bytes(wheel.read(f"{DIST_INFO}/METADATA"))
    declared = {
        _normalised(re.split(r"[ ;<>=!~\[(]", requirement, maxsplit=1)[0])
        for requirement in metadata.get_all("Requires-Dist") or []
        if "extra ==" not in requirement
    }
    providers = packages_distributions()
    undeclared: dict[str, list[str]] = {}
    for name in wheel.namelist():
        if not name.endswith(".py") or "/sample_vault/" in name:
            continue
        for module in _imported_tops(wheel.read(name).decode("utf-8")):
            if module == "readmark" or module in sys.stdlib_module_names:
                continue
            found = {_normalised(dist) for dist in providers.get(module, [module])}
            if not found & declared:
                undeclared.setdefault(module, []).append(name)
    assert undeclared == {}, f"imported but not in the wheel's Requires-Dist: {undeclared}"


def _imported_tops(code: str) -> set[str]:
    tops: set[str] = set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Import):
            tops.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            tops.add(node.module.split(".")[0])
    return tops


def _normalised(distribution: str) -> str:
    return re.sub(r"[-_.]+", "-", distribution).lower()
