"""Finding the quotations in a source: text in quote marks of any kind (4 words or more), and
block quotes credited with `— Name, m:ss`.

A quotation is attributed only when the text names someone: a credit under a block quote,
`Name said/says ...` (or `as Name put it`, `according to Name`) just before the marks, or
`... ," Name says` just after them. `she said` names no one, so it attributes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from readmark.annotations.quote_check.tokens import WORD
from readmark.annotations.wording import STOP_WORDS
from readmark.library.model import Role, Segment, Source
from readmark.library.readers.text.labels import is_name
from readmark.library.timecode import CLOCK_PATTERN, try_parse_timecode

MIN_WORDS = 4
"""Shorter text in quote marks is a term or a scare quote, not a quotation."""


@dataclass(frozen=True, slots=True)
class Quotation:
    """Words a source presents as someone else's."""

    text: str
    """The quoted words as they stand in the source (`source.text[char_start:char_end]`)."""
    char_start: int
    """Offset in `Source.text` of the first quoted character (inside the marks)."""
    char_end: int
    """Offset one past the last quoted character."""
    attributed_to: str | None = None
    """The name the source gives as the speaker, when it gives one explicitly."""
    cited_time: float | None = None
    """The time the source gives for the words (`— Name, 3:22`, `(at 3:22)`)."""
    block: bool = False
    """A block quote (`> ...`) rather than words in quote marks."""


_DOUBLE_CLOSERS = {
    "\u201c": "\u201d",  # “ ”
    "\u201e": "\u201c\u201d",  # „ “ or „ ”
    "\u00ab": "\u00bb",  # « »
    "\u00bb": "\u00ab",  # » « (German order)
    '"': '"',
}
_SINGLE_CLOSERS = {"\u2018": "\u2019", "'": "'"}
_OPENS_AFTER = " \t\n([{\u2014\u2013-/\u201c\u201e\u00ab\"\u2018'"
"""What may stand before an opening mark that is also an apostrophe or a closing mark."""

_VERBS = (
    r"(?:said|says|say|told|tells|argued|argues|claimed|claims|insisted|insists|added|adds|"
    r"noted|notes|explained|explains|admitted|admits|wrote|writes|warned|warns|stated|states|"
    r"declared|declares|replied|replies|answered|answers|recalled|recalls|observed|observes|"
    r"remarked|remarks|conceded|concedes|suggested|suggests|asked|asks|put it|puts it|quipped)"
)
_NAME = r"(?P<name>[^\W\d_][\w'\u2019.\-]*(?:\s+[^\W\d_][\w'\u2019.\-]*){0,4})"
_NAME_BEFORE = (
    re.compile(
        rf"{_NAME}\s*,?\s+(?:has\s+|had\s+|once\s+|then\s+|later\s+|also\s+|\w+ly\s+)?"
        rf"{_VERBS}(?:\s+(?:us|me|him|her|them|the\s+\w+|an?\s+\w+(?:\s+\w+)?))?"
        r"(?:\s+(?:that|this|it|so))?\s*[:,]?\s*$"
    ),
    re.compile(rf"\b(?:[Aa]s|[Ll]ike)\s+{_NAME}\s+{_VERBS}(?:\s+it)?\s*[:,]?\s*$"),
    re.compile(rf"\b[Aa]ccording\s+to\s+{_NAME}\s*[:,]?\s*$"),
    re.compile(rf"^\s*{_NAME}\s*:\s*$"),
)
_NAME_AFTER = (
    re.compile(rf"^\s*[,.]?\s*{_VERBS}\s+{_NAME}"),
    re.compile(rf"^\s*[,.]?\s*{_NAME}\s+{_VERBS}\b"),
)
_TIME_AFTER = re.compile(rf"^\s*[,.]?\s*[\[(]\s*(?:at\s+)?({CLOCK_PATTERN})\s*[\])]")
_TIME_BEFORE = re.compile(rf"\b[Aa]t\s+({CLOCK_PATTERN})\b")
_CREDIT = re.compile(
    r"\s*(?:\u2014|\u2013|--|\u2015)\s*"
    r"(?P<who>[^,\[\]()\u2014\u2013\u2015\"\u201c\u201d\d]{1,60}?)?\s*"
    rf"(?:[,(]?\s*(?:at\s+)?(?P<when>{CLOCK_PATTERN})\s*\)?)?\s*\.?\s*$"
)
_SENTENCE_BREAK = re.compile(r"[.!?]\s")
_ABBREVIATIONS = frozenset("mr mrs ms mx dr prof st sr jr rev fr gen col capt".split())
_PRONOUNS = frozenset("i you he she it we they one someone everyone nobody".split())
_SENTENCE_STARTERS = frozenset(
    "then later now here there when after before yet still also again once even".split()
)


def find_quotations(source: Source, *, min_words: int = MIN_WORDS) -> list[Quotation]:
    """Every quotation of `source`, in the order of its text."""
    found: list[Quotation] = []
    for segment in source.segments:
        if segment.role is Role.HEADING:
            continue
        block = _block_quote(segment) if segment.role is Role.QUOTE else None
        if block is not None:
            if _word_count(block.text) >= min_words:
                found.append(block)
            continue
        found.extend(_inline(segment, min_words))
    return found


def _word_count(text: str) -> int:
    return sum(1 for _ in WORD.finditer(text))


def _block_quote(segment: Segment) -> Quotation | None:
    """A block quote with its credit (`— Name, 3:22`) taken off; None when uncredited."""
    text = segment.text
    credit = _CREDIT.search(text)
    if credit is None or credit.start() == 0 or not (credit.group("who") or credit.group("when")):
        return None
    who = _clean_name(credit.group("who") or "") or segment.speaker
    when = try_parse_timecode(credit.group("when")) if credit.group("when") else None
    start, end = 0, credit.start()
    # The quoted words may stand in marks of their own: the marks are not part of them.
    inner = text[start:end].strip()
    lead = text.index(inner[:1]) if inner else 0
    start, end = lead, lead + len(inner)
    if (
        end - start >= 2
        and text[start] in _DOUBLE_CLOSERS
        and text[end - 1] in '"\u201d\u00bb\u00ab\u201c'
    ):
        start, end = start + 1, end - 1
    base = segment.char_start
    return Quotation(text[start:end], base + start, base + end, who, when, block=True)


def _inline(segment: Segment, min_words: int) -> list[Quotation]:
    text = segment.text
    found: list[Quotation] = []
    for start, end in _marked_spans(text):
        inner_start, inner_end = _strip_spaces(text, start, end)
        quoted = text[inner_start:inner_end]
        if _word_count(quoted) < min_words:
            continue
        before = _sentence_before(text, start - 1)
        after = text[end + 1 : end + 120]
        base = segment.char_start
        found.append(
            Quotation(
                quoted,
                base + inner_start,
                base + inner_end,
                _attribution(before, after),
                _cited_time(before, after),
            )
        )
    return found


def _marked_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the text inside each pair of quote marks; quotes inside a quote are part
    of it."""
    spans: list[tuple[int, int]] = []
    at = 0
    while at < len(text):
        char = text[at]
        closers = _DOUBLE_CLOSERS.get(char) or _SINGLE_CLOSERS.get(char)
        if closers is None or not _opens(text, at):
            at += 1
            continue
        close = _closing(text, at + 1, closers, single=char in _SINGLE_CLOSERS)
        if close is None:
            at += 1
            continue
        spans.append((at + 1, close))
        at = close + 1
    return spans


def _opens(text: str, at: int) -> bool:
    before = text[at - 1] if at else " "
    after = text[at + 1] if at + 1 < len(text) else " "
    if after.isspace() and text[at] not in "\u00ab\u00bb":
        return False
    if text[at] in "\u201c\u201e\u00ab":
        return True
    if text[at] == "'" and after.isdigit():
        return False  # the '90s
    return before in _OPENS_AFTER


def _closing(text: str, start: int, closers: str, *, single: bool) -> int | None:
    for at in range(start, len(text)):
        if text[at] not in closers:
            continue
        after = text[at + 1] if at + 1 < len(text) else " "
        if text[at] in "'\"\u2019" and (after.isalnum() or text[at - 1].isspace()):
            continue  # an apostrophe inside a word (it's), or an opening mark
        if single and text[at - 1] == "s" and after == " " and text[at + 2 : at + 3].islower():
            continue  # a plural possessive: the students' union
        return at
    return None


def _strip_spaces(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _sentence_before(text: str, end: int) -> str:
    """The part of the sentence before offset `end` (`Dr. Castell` is one sentence)."""
    head = text[:end]
    for found in reversed(list(_SENTENCE_BREAK.finditer(head))):
        word = head[: found.start()].rsplit(None, 1)[-1] if head[: found.start()].strip() else ""
        if head[found.start()] == "." and (len(word) == 1 or word.lower() in _ABBREVIATIONS):
            continue
        return head[found.end() :]
    return head


def _attribution(before: str, after: str) -> str | None:
    for pattern in _NAME_BEFORE:
        match = pattern.search(before)
        if match:
            name = _clean_name(match.group("name"))
            if name:
                return name
    for pattern in _NAME_AFTER:
        match = pattern.search(after)
        if match:
            name = _clean_name(match.group("name"))
            if name:
                return name
    return None


def _clean_name(raw: str) -> str | None:
    """A person's name from the words before a verb: `Then Castell` is `Castell`, `She` is
    no one."""
    words = raw.split()
    while words and (
        words[0].lower() in STOP_WORDS
        or words[0].lower() in _SENTENCE_STARTERS
        or not words[0][:1].isupper()
    ):
        words = words[1:]
    # Lower-case words end a name (`Castell once` -> not a name at all).
    name = " ".join(words).rstrip(".,")
    if not name or name.lower() in _PRONOUNS or not is_name(name):
        return None
    return name


def _cited_time(before: str, after: str) -> float | None:
    following = _TIME_AFTER.search(after)
    if following:
        return try_parse_timecode(following.group(1))
    earlier = list(_TIME_BEFORE.finditer(before))
    return try_parse_timecode(earlier[-1].group(1)) if earlier else None
