"""Vaults written for a test: a folder of files, each given by its path inside the vault."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

VaultFiles = Mapping[str, str | bytes]
"""Path inside the vault (folders made as needed) to its text (written as UTF-8) or bytes."""

MakeVault = Callable[[VaultFiles], Path]
"""The `make_vault` fixture: writes a vault of these files and returns its folder."""


def write_file(path: Path, content: str | bytes) -> Path:
    """Write one file (text as UTF-8), making its folders; return its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def write_vault(root: Path, files: VaultFiles) -> Path:
    """Write `files` under `root` (made if missing) and return `root`."""
    root.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        write_file(root / name, content)
    return root
