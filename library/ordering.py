"""The order of the source list: the one a person expects, and the others they may ask for.

By title (the default), sources stand in their folders, the vault's own files first, then each
folder under its name; titles compare as a person reads them: case and accents aside, numbers
by value (`Episode 2` before `Episode 10`), a leading "The" or "A" counted. By date, by when
they were last read, or by how many annotations they hold, the list is one run (the folder is
shown with each entry).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from posixpath import dirname

from readmark.library.summary import SourceSummary

ORDERS = ("title", "date", "recent", "annotated")

_NUMBER = re.compile(r"(\d+)")


def fold(text: str) -> str:
    """`text` case-folded and without accents, so `ines` finds "Inés" and `INÉS` finds "ines"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """Sorts `text` the way a person reads it: case and accents aside, runs of digits by value,
    spaces and punctuation runs alike."""
    words = " ".join(re.sub(r"[^\w]+", " ", fold(text)).split())
    parts: list[tuple[int, int | str]] = []
    for piece in _NUMBER.split(words):
        if not piece:
            continue
        parts.append((0, int(piece)) if piece.isdigit() else (1, piece))
    return tuple(parts)


def folder_of(source_id: str) -> str:
    """The folder a source is in, relative to the vault ("" for the vault itself)."""
    return dirname(source_id)


@dataclass(frozen=True, slots=True)
class Entry:
    """One line of the list: a folder's name (`summary` None), or a source."""

    folder: str
    summary: SourceSummary | None = None

    @property
    def is_folder(self) -> bool:
        return self.summary is None


def arrange(
    summaries: Sequence[SourceSummary],
    order: str = "title",
    *,
    recent: Sequence[str] = (),
    counts: Mapping[str, int] | None = None,
) -> list[Entry]:
    """The list's lines in `order` (see `ORDERS`); `recent` is source ids, most recently read
    first; `counts` the annotations per source id."""

    def by_title(summary: SourceSummary) -> tuple[object, ...]:
        return (natural_key(summary.title), natural_key(summary.id))

    if order == "title":
        folders: dict[str, list[SourceSummary]] = {}
        for summary in summaries:
            folders.setdefault(folder_of(summary.id), []).append(summary)
        entries: list[Entry] = []
        for folder in sorted(folders, key=lambda f: (f != "", natural_key(f))):
            if folder:
                entries.append(Entry(folder))
            entries.extend(Entry(folder, s) for s in sorted(folders[folder], key=by_title))
        return entries
    if order == "date":
        dated = sorted(summaries, key=by_title)
        dated.sort(key=lambda s: s.date or "", reverse=True)  # stable: titles within a day
        ordered = [s for s in dated if s.date] + [s for s in dated if not s.date]
    elif order == "recent":
        rank = {source_id: n for n, source_id in enumerate(recent)}
        ordered = sorted(summaries, key=lambda s: (rank.get(s.id, len(rank)), *by_title(s)))
    elif order == "annotated":
        have = counts or {}
        ordered = sorted(summaries, key=lambda s: (-have.get(s.id, 0), *by_title(s)))
    else:
        raise ValueError(f"unknown order {order!r}; known: {', '.join(ORDERS)}")
    return [Entry(folder_of(s.id), s) for s in ordered]
