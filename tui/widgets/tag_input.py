"""A one-line field of tags (comma or space separated) that completes the tag being typed
from the tags the vault already uses; `right` or `end` takes the completion."""

from __future__ import annotations

import re
from collections.abc import Iterable

from textual.suggester import Suggester
from textual.widgets import Input

_LAST_WORD = re.compile(r"#?([^\s,#]*)$")


class KnownTags(Suggester):
    """Completes the last word of the field with a known tag it begins (case aside) that is
    not in the field yet."""

    def __init__(self, known: Iterable[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.known = sorted(dict.fromkeys(known), key=str.casefold)

    async def get_suggestion(self, value: str) -> str | None:
        return complete_tag(value, self.known)


def complete_tag(value: str, known: Iterable[str]) -> str | None:
    """`value` with its last, unfinished tag completed, or None when nothing fits."""
    match = _LAST_WORD.search(value)
    if match is None or not match.group(1):
        return None
    typed = match.group(1)
    head = value[: match.start(1)]
    present = {word.lstrip("#").casefold() for word in re.split(r"[\s,]+", head) if word}
    folded = typed.casefold()
    for tag in known:
        name = tag.lstrip("#")
        if name.casefold().startswith(folded) and name.casefold() != folded:
            if name.casefold() not in present:
                return head + name
    return None


class TagInput(Input):
    """The tags field of the note editor."""

    def __init__(
        self,
        value: str = "",
        *,
        known: Iterable[str] = (),
        placeholder: str = "",
        id: str | None = None,  # noqa: A002 - Textual's name for a widget id
    ) -> None:
        super().__init__(value, placeholder=placeholder, suggester=KnownTags(known), id=id)
