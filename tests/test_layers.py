"""The domain layers stay free of the terminal: everything a script needs works without Textual."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _modules(package: str) -> list[str]:
    return [
        ".".join(("readmark", *path.relative_to(ROOT).with_suffix("").parts))
        for path in sorted((ROOT / package).rglob("*.py"))
        if "sample_vault" not in path.parts
    ]


def test_library_annotations_and_media_never_import_textual() -> None:
    modules = _modules("library") + _modules("annotations") + _modules("media")
    assert "readmark.library.model" in modules and "readmark.annotations.model" in modules
    assert "readmark.media.player" in modules and "readmark.media.ipc" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name.removesuffix('.__init__'))\n"
        "leaked = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(leaked))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_the_app_starts_without_the_parts_only_some_keys_need() -> None:
    """Start-up loads what the first screen shows; the note editor, the annotation actions, the
    open path, search, help, the player, exporting, YAML, TOML, fuzzy matching and the clipboard
    load when first used (or once the list is shown)."""
    later = [
        "readmark.tui.screens.note_editor",
        "readmark.tui.screens.reader_annotations",
        "readmark.annotations.annotating",
        "readmark.annotations.anchoring",
        "readmark.annotations.citing",
        "readmark.annotations.drafts",
        "readmark.tui.screens.reader_opening",
        "readmark.library.loading",
        "readmark.tui.screens.search_screen",
        "readmark.tui.screens.help_screen",
        "tomllib",
        "readmark.tui.player_service",
        "readmark.media.player",
        "readmark.annotations.exporting",
        "yaml",
        "frontmatter",
        "rapidfuzz",
        "pyperclip",
    ]
    code = (
        "import sys\n"
        "import readmark.tui.cli\n"
        "import readmark.tui.app\n"
        f"print(','.join(name for name in {later!r} if name in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
