"""Modules loaded when first used, not at import: what keeps start-up and a one-shot command
from paying for code only some of their paths run (fuzzy matching, YAML, the clipboard)."""

from __future__ import annotations

import importlib
from typing import Any


class LazyModule:
    """Stands for module `name`: the first attribute read imports it; each attribute read is
    then kept, so later reads cost what a module's do."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attribute: str) -> Any:
        value = getattr(importlib.import_module(self._name), attribute)
        setattr(self, attribute, value)
        return value

    def __repr__(self) -> str:
        return f"<lazy module {self._name}>"
