"""Speaker labels and names: `Name:`, `**Name**`, `Name (00:12:34):`, `Alice 00:12:34`, `ALICE`."""

from __future__ import annotations

import re
from functools import lru_cache

from readmark.library.readers.text.lines import Kind, Line
from readmark.library.timecode import CLOCK_PATTERN, parse_clock

_NAME_TIME = re.compile(
    rf"(?:\*\*)?(?P<label>[^\[\]()*\n]{{1,80}}?)(?:\*\*)?[\s:,-]{{0,8}}"
    rf"(?:\[(?P<a>{CLOCK_PATTERN})\]|\((?P<b>{CLOCK_PATTERN})\)|(?P<c>{CLOCK_PATTERN}))\s*:?"
)
LABELLED = re.compile(
    rf"(?:\*\*(?P<bold>[^*\n]{{1,40}}?):?\*\*:?(?:\s*[\[(](?P<bts>{CLOCK_PATTERN})[\])]:?)?"
    rf"|(?P<label>[^:*\[\]\n]{{1,40}}?)(?:\s*[\[(](?P<ts>{CLOCK_PATTERN})[\])])?\s*:)\s+(?P<text>\S.*)"
)
_NAME_ALONE = re.compile(r"\*\*(?P<bold>[^*\n]{1,40}?):?\*\*:?|(?P<label>[^:*\n]{1,40}?):")
_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ][\w.'’-]*")
_SPEAKER_NUMBERED = re.compile(
    r"(?:speaker|person|participant|interviewer|interviewee|guest|host)[ _]?\d{1,2}", re.IGNORECASE
)
_PARTICLES = frozenset("de da di del della van von der den la le du al bin ibn y".split())
_NOT_NAMES = frozenset(
    """note notes nb n.b tip tips hint warning caution important reminder example examples
    e.g i.e definition summary step update edit edited source sources result results
    conclusion conclusions pros cons takeaway takeaways status date time location tags tag
    author authors title url link links related also ps p.s tldr tl;dr quote context problem
    solution goal goals idea ideas thesis claim evidence transcript chapters chapter contents
    description highlights highlight mentions introduction intro outro part section subject
    from to cc re fwd todo fix bug issue reference references see via credit credits image
    photo figure fig table caption disclaimer abstract keywords key main why how what when
    where who which and but or so then this that there here it in on at for with by watch
    read listen day week chapters: agenda topic topics overview background question answer
    objective objectives lesson lessons""".split()
)


def named(s: str) -> Line:
    """Line `s` (stripped) read as a name with a time, a labelled turn, a name alone, or text."""
    last = s[-1]
    if last.isdigit() or last in "])" or last == ":":
        pair = _NAME_TIME.fullmatch(s)
        if pair:
            seconds = parse_clock(pair.group("a") or pair.group("b") or pair.group("c"))
            label = pair.group("label").strip(" \t:-–—")
            if seconds is not None and label:
                return Line(Kind.NAME_TIME, s, time=seconds, label=label)
    if ":" in s[:48] or s.startswith("**"):
        labelled = LABELLED.fullmatch(s)
        if labelled:
            label = (labelled.group("bold") or labelled.group("label") or "").strip()
            text = labelled.group("text")
            if is_name(label) and not text.startswith(("http://", "https://", "www.")):
                stamp = labelled.group("bts") or labelled.group("ts")
                seconds = parse_clock(stamp) if stamp else None
                return Line(Kind.LABELLED, s, text, seconds, label)
        alone = _NAME_ALONE.fullmatch(s)
        if alone:
            label = (alone.group("bold") or alone.group("label") or "").strip()
            if is_name(label):
                return Line(Kind.NAME_LINE, s, label=label)
    if len(s) <= 40 and is_name(s) and (s.isupper() or len(s.split()) <= 3):
        return Line(Kind.NAME_LINE, s, label=s, explicit=False)
    return Line(Kind.TEXT, s, s)


@lru_cache(maxsize=4096)
def is_name(label: str) -> bool:
    """Whether `label` reads like a person's name or a speaker tag (`Alice`, `Dr. Bo Li`, `Q`)."""
    if not label or len(label) > 40:
        return False
    if _SPEAKER_NUMBERED.fullmatch(label):
        return True
    if label.lower() in _NOT_NAMES:
        return False
    words = label.split()
    if len(words) > 4 or words[0].lower().rstrip(".:") in _NOT_NAMES:
        return False
    for word in words:
        if not _WORD.fullmatch(word):
            return False
        # A full stop only ends an abbreviation or initial: `Dr.`, `J.`; `Good.` is a sentence.
        if word.endswith(".") and len(word) > 4:
            return False
        if not word[0].isupper() and word.lower() not in _PARTICLES:
            return False
    return True
