"""Where readmark keeps things: what lives in a vault (and syncs with it), what stays per machine.

Inside a vault, `.readmark/` holds only what a person wrote: annotations and the trash (plus
exports, copies made on request). Everything derived — the search index, the index's state, the
listing cache — lives in the user's cache folder, one folder per vault, and is never read from a
vault: Whoosh unpickles its files, so an index that came with a vault could run someone's code.
The reading position, the drafts of notes not saved yet and the reader's remembered choices are
per user, not per vault copy: they live in the user's state folder.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from pathlib import Path

DATA_FOLDER = ".readmark"
"""readmark's folder inside a vault; never listed as sources."""
ANNOTATIONS = "annotations"
TRASH = "trash"
EXPORTS = "exports"
GITIGNORE = ".gitignore"
LEGACY_INDEX = "index"
"""Where readmark once kept the search index inside the vault; never opened now."""
LEGACY_CACHE = "cache"
LEGACY_READING_STATE = "state.json"

CACHE_DIR_VARIABLE = "READMARK_CACHE_DIR"
"""Moves the per-machine cache (search indexes, listing caches) elsewhere."""
STATE_DIR_VARIABLE = "READMARK_STATE_DIR"
"""Moves the per-user state (reading positions, drafts, remembered choices) elsewhere."""
SETTINGS_FILE = "settings.json"
"""The reader's remembered choices (theme, citation format, panes, ...), one file per user."""
VAULTS = "vaults"
PRIVATE_MODE = 0o700

GITIGNORE_TEXT = f"""\
# Written by readmark. Only annotations and the trash belong with the vault: the search
# index and the caches are kept per machine (outside the vault) and rebuilt on each,
# exports are copies made on request, and .tmp-* files are writes in progress.
/*
!/{GITIGNORE}
!/{ANNOTATIONS}/
!/{TRASH}/
.tmp-*
"""

_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
_NAME_CHARS = 40


def cache_root() -> Path:
    """`$READMARK_CACHE_DIR`, else the platform's cache folder for readmark."""
    override = os.environ.get(CACHE_DIR_VARIABLE)
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("readmark"))


def state_root() -> Path:
    """`$READMARK_STATE_DIR`, else the platform's state folder for readmark."""
    override = os.environ.get(STATE_DIR_VARIABLE)
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_state_dir("readmark"))


def vault_key(root: Path) -> str:
    """A folder name for a vault: readable (its own name) and unique (a hash of its real path).

    The real path, so a vault opened through a link shares its index with the vault itself.
    """
    real = os.path.realpath(root)
    name = _UNSAFE_NAME.sub("-", os.path.basename(real)).strip("-.")[:_NAME_CHARS] or "vault"
    digest = hashlib.blake2b(os.fsencode(real), digest_size=8).hexdigest()
    return f"{name}-{digest}"


class VaultLayout:
    """Every path readmark uses for one vault, inside it and on this machine."""

    __slots__ = ("root", "_key")

    def __init__(self, root: Path) -> None:
        self.root = root
        self._key: str | None = None

    # -- inside the vault (annotations and the trash sync; the rest is ignored) ---------------

    @property
    def data(self) -> Path:
        return self.root / DATA_FOLDER

    @property
    def annotations(self) -> Path:
        return self.data / ANNOTATIONS

    @property
    def trash(self) -> Path:
        return self.data / TRASH

    @property
    def exports(self) -> Path:
        return self.data / EXPORTS

    @property
    def gitignore(self) -> Path:
        return self.data / GITIGNORE

    @property
    def legacy_index(self) -> Path:
        """An index an older readmark (or another machine) left in the vault: never opened."""
        return self.data / LEGACY_INDEX

    @property
    def legacy_reading_state(self) -> Path:
        """Where an older readmark kept the reading position: read once, if nothing newer."""
        return self.data / LEGACY_READING_STATE

    # -- on this machine ----------------------------------------------------------------------

    @property
    def key(self) -> str:
        if self._key is None:
            self._key = vault_key(self.root)
        return self._key

    @property
    def machine(self) -> Path:
        """This vault's folder in the user's cache: derived data, rebuilt whenever it is lost."""
        return cache_root() / VAULTS / self.key

    @property
    def index(self) -> Path:
        return self.machine / "index"

    @property
    def source_cache(self) -> Path:
        return self.machine / "sources.json"

    @property
    def source_ids(self) -> Path:
        """The ids of the last listing and every file's stamp: a search reads this short list
        rather than the listing cache while no file moved."""
        return self.machine / "source-ids.json"

    @property
    def legacy_index_noted(self) -> Path:
        """Present once the user was told that the vault's `.readmark/index/` is ignored."""
        return self.machine / "legacy-index-noted"

    @property
    def reading_state(self) -> Path:
        return state_root() / VAULTS / f"{self.key}.json"

    @property
    def drafts(self) -> Path:
        """Notes being written in this vault and not saved yet, one file each, for this user."""
        return state_root() / VAULTS / f"{self.key}.drafts"


def settings_path() -> Path:
    """The user's remembered choices of the reader, for every vault."""
    return state_root() / SETTINGS_FILE


def ensure_private_dir(folder: Path) -> None:
    """Create `folder` and its missing parents, each readable by the user alone (0o700).

    Folders that exist are left as they are; `unsafe_folder` says whether to trust them.
    """
    missing: list[Path] = []
    current = folder
    while not os.path.lexists(current) and current.parent != current:
        missing.append(current)
        current = current.parent
    for path in reversed(missing):
        try:
            path.mkdir(mode=PRIVATE_MODE)
        except FileExistsError:
            pass  # made by another process a moment ago; checked below
    if not folder.is_dir():
        raise NotADirectoryError(f"{folder} is not a folder")


def unsafe_folder(folder: Path, top: Path | None = None) -> str | None:
    """Why files in `folder` must not be trusted, or None: it (or a folder between `top` and it)
    belongs to another user or can be written by other users, who could plant files in it."""
    if not hasattr(os, "geteuid"):
        return None  # Windows: the user's profile folder is private by its access lists
    chain = [folder]
    if top is not None and folder.is_relative_to(top):
        chain = [top, *(top / part for part in _parts_between(top, folder))]
    me = os.geteuid()
    for path in chain:
        try:
            info = os.stat(path)
        except FileNotFoundError:
            continue
        except OSError as error:
            return f"{path} cannot be checked ({error.strerror or error})"
        if info.st_uid != me:
            return f"{path} belongs to another user"
        if stat.S_IMODE(info.st_mode) & (stat.S_IWGRP | stat.S_IWOTH):
            return f"{path} can be written by other users (`chmod go-w {path}` fixes that)"
    return None


def _parts_between(top: Path, folder: Path) -> list[Path]:
    parts: list[Path] = []
    current = Path()
    for part in folder.relative_to(top).parts:
        current = current / part
        parts.append(current)
    return parts


def inside(path: Path, folder: Path) -> bool:
    """True when `path`, links resolved, is `folder` or lies within it."""
    real = Path(os.path.realpath(path))
    return real.is_relative_to(os.path.realpath(folder))
