"""Speaker labels and names: `Name:`, `**Name**`, `Name (00:12:34):`, `Alice 00:12:34`, `ALICE`,
`[Name] [00:12] text`, `**Name:** [0:12](link) text`, `Name (Role):`, `Name’s iPad:`."""

from __future__ import annotations

import re
from functools import lru_cache

from readmark.library.readers.text.lines import Kind, Line
from readmark.library.timecode import CLOCK_PATTERN, parse_clock

# A time written right after a label, in any of its wrappings: `[0:12]`, `\[0:12\]` (escaped by
# Markdown exporters), `[0:12](link)`, `(0:12)`, `([0:12](link))`.
_AFTER = (
    r"\\?\[\s*(?P<{0}1>{1})\s*\\?\](?:\([^)\s]*\))?"
    r"|\(\s*(?:\[\s*)?(?P<{0}2>{1})(?:\s*\](?:\([^)\s]*\))?)?\s*\)"
)
_NAME_TIME = re.compile(
    rf"(?:\*\*)?(?P<label>[^\[\]()*\n\\]{{1,80}}?)(?:\*\*)?[\s:,-]{{0,8}}"
    rf"(?:{_AFTER.format('a', CLOCK_PATTERN)}|(?P<c>{CLOCK_PATTERN}))\s*:?"
)
LABELLED = re.compile(
    rf"(?:\*\*(?P<bold>[^*\n]{{1,60}}?):?\*\*:?(?:\s*(?:{_AFTER.format('b', CLOCK_PATTERN)}):?)?"
    rf"|(?P<label>[^:*\[\]\n]{{1,60}}?)(?:\s*[\[(](?P<ts>{CLOCK_PATTERN})[\])])?\s*:)"
    rf"\s+(?P<text>\S.*)"
)
_BRACKETED = re.compile(
    rf"\[(?P<label>[^\[\]\n]{{1,60}})\]\s+(?:(?:{_AFTER.format('b', CLOCK_PATTERN)})\s*)?"
    rf"(?P<text>\S.*)"
)
"""`[Name] [00:12] text` or `[Name] text`: a bracketed label, then perhaps a time."""
_NAME_ALONE = re.compile(r"\*\*(?P<bold>[^*\n]{1,60}?):?\*\*:?|(?P<label>[^:*\n]{1,60}?):")
_ROLE = re.compile(r"(?P<name>[^()]+?)\s*\((?P<role>[^()]{1,40})\)")
"""`Dr. Ana Ruiz (Guest Lecturer)`: a name, and the role it speaks in."""
_UTC_OFFSET = re.compile(r"\d[-+]$")
QUESTION_OR_ANSWER = re.compile(r"(?:\*\*)?[QA](?:\*\*)?:(?:\*\*)?\s")
"""`Q: ...` or `**A:** ...`: a question or an answer of an FAQ or a written-up interview."""
_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ][\w.'’-]*")
_SPEAKER_NUMBERED = re.compile(
    r"(?:speaker|person|participant|interviewer|interviewee|guest|host)[ _]?\d{1,2}", re.IGNORECASE
)
_PARTICLES = frozenset("de da di del della van von der den la le du al bin ibn y".split())
_DEVICES = frozenset(
    """ipad iphone android phone laptop computer pc mac macbook tablet galaxy pixel surface
    chromebook desktop""".split()
)
"""What `Name’s iPad` may end in: a shared device, named by its owner."""
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
    objective objectives lesson lessons q a break intermission music applause laughter laughs
    laughing crosstalk inaudible unintelligible silence pause noise cheering get notable
    episode episodes timestamps timestamp full show sponsor sponsors sponsored ad ads
    advertisement resources subscribe lastmod draft""".split()
)
"""Words that open a section, a page label or a stage direction, never a person's name. `Q` and
`A` mark a question and its answer (an FAQ, an interview written up): not who speaks."""


def named(s: str) -> Line:
    """Line `s` (stripped) read as a name with a time, a labelled turn, a name alone, or text."""
    if s[0] == "[":
        bracketed = _BRACKETED.fullmatch(s)
        if bracketed:
            name = speaker_name(bracketed.group("label").strip())
            if name is not None:
                seconds = _after_time(bracketed, "b")
                return Line(Kind.LABELLED, s, bracketed.group("text"), seconds, name)
    last = s[-1]
    if last.isdigit() or last in "])" or last == ":":
        pair = _NAME_TIME.fullmatch(s)
        if pair:
            stamp = pair.group("a1") or pair.group("a2") or pair.group("c")
            seconds = parse_clock(stamp)
            label = pair.group("label").strip(" \t:-–—")
            # `lastmod = 2022-06-14T21:03:09-04:00` is a date with its zone, not a name and a time.
            written = s[: pair.start("c")] if pair.group("c") else ""
            dated = "=" in label or _UTC_OFFSET.search(written) is not None
            if seconds is not None and label and not dated:
                return Line(Kind.NAME_TIME, s, time=seconds, label=label)
    if ":" in s[:64] or s.startswith("**"):
        labelled = LABELLED.fullmatch(s)
        if labelled:
            label = (labelled.group("bold") or labelled.group("label") or "").strip()
            text = labelled.group("text")
            name = speaker_name(label)
            if name is not None and not text.startswith(("http://", "https://", "www.")):
                seconds = _after_time(labelled, "b")
                if seconds is None and labelled.group("ts"):
                    seconds = parse_clock(labelled.group("ts"))
                return Line(Kind.LABELLED, s, text, seconds, name)
        alone = _NAME_ALONE.fullmatch(s)
        if alone:
            name = speaker_name((alone.group("bold") or alone.group("label") or "").strip())
            if name is not None:
                return Line(Kind.NAME_LINE, s, label=name)
    if len(s) <= 40 and is_name(s) and (s.isupper() or len(s.split()) <= 3):
        return Line(Kind.NAME_LINE, s, label=s, explicit=False)
    return Line(Kind.TEXT, s, s)


def _after_time(match: re.Match[str], group: str) -> float | None:
    stamp = match.group(f"{group}1") or match.group(f"{group}2")
    return parse_clock(stamp) if stamp else None


def speaker_name(label: str) -> str | None:
    """The speaker a label names, without the role it speaks in (`Dr. Ana Ruiz (Guest
    Lecturer)` is `Dr. Ana Ruiz`); None when the label is no name."""
    if is_name(label):
        return label
    role = _ROLE.fullmatch(label) if label.endswith(")") else None
    if role is not None and is_name(role["name"]):
        return role["name"]
    return None


@lru_cache(maxsize=4096)
def is_name(label: str) -> bool:
    """Whether `label` reads like a person's name or a speaker tag (`Alice`, `Dr. Bo Li`,
    `Speaker 2`, `Mireille Okonkwo’s iPad`)."""
    if not label or len(label) > 40:
        return False
    if _SPEAKER_NUMBERED.fullmatch(label):
        return True
    if label.lower() in _NOT_NAMES:
        return False
    words = label.split()
    if len(words) >= 2 and words[-1].lower() in _DEVICES and words[-2].endswith(("’s", "'s")):
        # A shared device stands for whoever holds it: the label is kept whole.
        words = words[:-2] + [words[-2][:-2]]
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
