"""The bundled sample library, and the writable copy of it readmark opens by default."""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from pathlib import Path

from readmark.library.errors import SourceError

DATA_DIR_VARIABLE = "READMARK_DATA_DIR"
"""Environment variable that moves readmark's per-user data folder elsewhere."""


def sample_vault_source() -> Path:
    """The sample library shipped inside the package (read-only in an installed wheel)."""
    return Path(__file__).resolve().parent / "sample_vault"


def user_data_dir() -> Path:
    """Where readmark keeps per-user data: `$READMARK_DATA_DIR`, else the platform's data folder."""
    override = os.environ.get(DATA_DIR_VARIABLE)
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("readmark"))


def ensure_user_sample_vault() -> Path:
    """The user's copy of the sample library, made on first use so annotations can be saved.

    An existing copy is left as it is, with whatever the user changed in it.
    """
    target = user_data_dir() / "sample-library"
    if target.is_dir():
        return target
    source = sample_vault_source()
    if not source.is_dir():
        raise SourceError(f"the sample library is missing from the installation ({source})")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # Copy beside the target and rename, so an interrupted copy never looks complete.
        staging = Path(tempfile.mkdtemp(prefix=".sample-library-", dir=target.parent))
        shutil.copytree(source, staging, dirs_exist_ok=True, copy_function=shutil.copyfile)
        _make_writable(staging)
        try:
            staging.rename(target)
        except OSError:
            shutil.rmtree(staging, ignore_errors=True)
            if not target.is_dir():
                raise
    except OSError as error:
        raise SourceError(
            f"cannot copy the sample library to {target}: {error.strerror or error}; "
            f"set {DATA_DIR_VARIABLE} to a writable folder"
        ) from error
    return target


def _make_writable(folder: Path) -> None:
    # copytree copies folder modes, and an installed package may be read-only.
    for path in [folder, *folder.rglob("*")]:
        mode = path.stat().st_mode
        if not mode & stat.S_IWUSR:
            path.chmod(mode | stat.S_IWUSR)
