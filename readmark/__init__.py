"""readmark: a keyboard-driven terminal reader and annotator for transcripts, articles and notes.

Installed, the parts of readmark live inside this package: `readmark.library` (sources),
`readmark.annotations` (annotations, search, exports), `readmark.media` (the player) and
`readmark.tui` (the terminal app and the command line). A source checkout keeps those folders
at the top of the repository, beside this one, and they are found there.
"""

from pathlib import Path as _Path

__version__ = "0.2.0"

_HERE = _Path(__file__).resolve().parent
if not (_HERE / "library").is_dir():
    # A source checkout (or an editable install of one): the parts stand beside this folder.
    __path__.append(str(_HERE.parent))
