"""A quote check in words: what the text shows, never a judgement of the writer.

One wording for the command line, the reader and a dissent note drafted from a check: a
quotation "differs from this transcript"; it is "not in this text" when not found.
"""

from __future__ import annotations

from readmark.annotations.quote_check.results import QuoteCheck, Verdict
from readmark.library.timecode import format_timecode

HEADLINES = {
    Verdict.VERBATIM: "Verbatim",
    Verdict.NORMALISED: "The same words (case, spacing or punctuation differ)",
    Verdict.CLEAN: "The same words once fillers, stutters and repeats are left out",
    Verdict.ELIDED: "Elided: the parts stand in this order, close together",
    Verdict.SPLICED: "Spliced: the parts stand apart in this transcript, joined without a mark",
    Verdict.CHANGED: "The words differ from this transcript",
    Verdict.NOT_FOUND: "Not in the text of the transcripts checked",
}


def where(check: QuoteCheck) -> str:
    """`interviews/a.md, 2:35, Ewan Castell` (the parts known)."""
    parts = [check.primary or ""]
    if check.start is not None:
        parts.append(format_timecode(check.start))
    parts.append(check.speaker or "")
    return ", ".join(part for part in parts if part)


def differences_text(check: QuoteCheck) -> list[str]:
    """Each difference as `quoted “a”, said “b”` (or what was added or left out)."""
    lines = []
    for difference in check.differences:
        if difference.quoted and difference.said:
            lines.append(
                f"quoted \u201c{difference.quoted}\u201d, said \u201c{difference.said}\u201d"
            )
        elif difference.said:
            lines.append(f"said \u201c{difference.said}\u201d, not quoted")
        else:
            lines.append(f"quoted \u201c{difference.quoted}\u201d, not said")
    return lines


def describe(check: QuoteCheck) -> str:
    """What the check found, in one paragraph."""
    text = HEADLINES[check.verdict]
    place = where(check)
    if place:
        text += f" ({place})"
    details = differences_text(check) if check.verdict is not Verdict.CLEAN else []
    if details:
        text += ": " + "; ".join(details)
    notes = [flag.message for flag in check.flags]
    if notes:
        text += ". " + ". ".join(note[:1].upper() + note[1:] for note in notes)
    return text + "."


def dissent_note(check: QuoteCheck) -> str:
    """A dissent note on the quotation, with what the transcript says filled in (Markdown)."""
    lines = [f"{HEADLINES[check.verdict]} ({where(check)})." if check.primary else ""]
    lines += [f"- {line}" for line in differences_text(check)]
    lines += [f"- {flag.message}" for flag in check.flags]
    if check.said and check.verdict is not Verdict.VERBATIM:
        lines.append(f"\nThe transcript: \u201c{check.said}\u201d")
    return "\n".join(line for line in lines if line).strip()
