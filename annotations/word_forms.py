"""Whoosh without its English word-form tables, until something asks for them.

`whoosh.query` imports `whoosh.lang.morph_en` for one query class, `Variations` (a word and its
English forms), and importing that module compiles some fifty large regular expressions: a
twentieth of what a fresh `readmark search` spent. readmark's parsers never make that query, so
a stand-in takes the module's place until then: the first use of anything in it (its
`variations`, or any other name) loads the real module, which answers from then on.
"""

from __future__ import annotations

import importlib
import sys
import threading
from types import ModuleType
from typing import Any

MODULE = "whoosh.lang.morph_en"
_loading = threading.Lock()


def defer_word_forms() -> None:
    """Put the stand-in in place, unless the real module is loaded already."""
    if MODULE not in sys.modules:
        sys.modules[MODULE] = _StandIn(MODULE)


def word_forms_loaded() -> bool:
    """Whether the real module has been loaded (a search should never need it)."""
    module = sys.modules.get(MODULE)
    return module is not None and not isinstance(module, _StandIn)


class _StandIn(ModuleType):
    """Names `variations` (what `whoosh.query` imports) and loads the real module on first use."""

    def __init__(self, name: str) -> None:
        super().__init__(name, __doc__)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)  # import machinery probing, not a use
        return getattr(_real(), name)

    @staticmethod
    def variations(word: str) -> Any:
        return _real().variations(word)


def _real() -> ModuleType:
    with _loading:
        module = sys.modules.get(MODULE)
        if isinstance(module, _StandIn) or module is None:
            sys.modules.pop(MODULE, None)
            module = importlib.import_module(MODULE)
        return module
