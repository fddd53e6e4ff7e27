"""Times at the start of a line that belong to prose, not to a transcript."""

from __future__ import annotations

from readmark.library.readers.text.chapter_lists import LIST_LABEL
from readmark.library.readers.text.lines import Kind, Line


def demote_lone_bare_times(lines: list[Line]) -> None:
    """A single `10:30 text` line in prose is a clock time, not a transcript.

    Among other timed lines it is one more of them (whether those are a transcript or a few
    references is decided on the whole body).
    """
    timed = Kind.TIMED
    stamped = [line for line in lines if line.kind is timed]
    bare = [line for line in stamped if line.bare_time]
    if len(bare) == 1 and len(stamped) == 1:
        line = bare[0]
        line.kind, line.text, line.label = Kind.TEXT, line.raw, None
        return
    # A hard wrap can put a clock time at the start of a line (`at` / `12:30 she says`):
    # inside a prose paragraph, with no timed line after it, it is text.
    wrapped = _wrapped_times(lines)
    if wrapped and len(wrapped) * 2 >= len(bare):
        for line in wrapped:
            line.kind, line.text, line.label = Kind.TEXT, line.raw, None


def _wrapped_times(lines: list[Line]) -> list[Line]:
    """Bare-time lines in the middle of a paragraph that opened with a line of prose."""
    found: list[Line] = []
    prose = False
    for i, line in enumerate(lines):
        kind = line.kind
        if kind is Kind.BLANK:
            prose = False
        elif kind is Kind.TEXT:
            opens = i == 0 or lines[i - 1].kind is Kind.BLANK
            # `Chapters:` above a list of times is no prose the times are part of.
            prose = (prose or opens) and not LIST_LABEL.fullmatch(line.raw)
        elif kind is Kind.TIMED and line.bare_time and prose:
            after = lines[i + 1].kind if i + 1 < len(lines) else Kind.BLANK
            if after is not Kind.TIMED and after is not Kind.TIME_ALONE:
                found.append(line)
                continue
            prose = False
        else:
            prose = False
    return found
