"""Subtitle cues, shared by the SRT, WebVTT and Whisper JSON readers.

One job, in steps: find the timing lines of a subtitle file (`scan_cues`), clean each cue
line (`clean_line`), drop the lines that rolling captions repeat (`dedupe_rolling`), work out
who speaks (`cue_pieces`), merge cues into segments (`merge_pieces`) and add them to a
`SourceBuilder` (`add_cue_segments`).

Merging policy. A reader jumps by time, so a segment is a sentence: its start is a moment a
user can jump to and cite. Consecutive cues are joined (start = first cue's start, end = the
latest end among its cues) only while a sentence runs on across them, as in auto captions
that cut sentences mid-way. A segment ends:

- after a cue that closes a sentence (`.`, `?`, `!`, `…`, optionally followed by a closing
  quote or bracket; `Dr.`, `Mr.`, `e.g.` and kin do not count);
- when the speaker changes (a named speaker to another, to None or back), or a line opens
  a new dialogue turn (`- `, `—`, `>>`);
- before a silence of `MergePolicy.pause_seconds` (2 s) or more;
- before it would last longer than `MergePolicy.max_seconds` (20 s): captions without
  punctuation still break into short paragraphs.

Segments only break at cue boundaries, so every segment start is a time the file gives, and
each cue joined into a segment keeps its start as a mark where its words begin (a quote from
the middle of a segment is cited at its own cue); overlapping cues (positioned captions) that
are separate sentences keep their own starts. A cue the file gives no time (`Cue.timed` false)
becomes a segment of its own without one.

Speakers. A `Name:` prefix (`Name (Role):` is the name; `Name’s iPad:` stays whole) marks a
change of speaker. Where a file labels only changes of speaker (a film's subtitles), the cues
after a prefix continue that turn until the next prefix or dialogue dash. Where it labels each
cue (a meeting's captions: most cues labelled, or one speaker labelled twice in a row), a cue
without a label has no speaker unless it finishes a sentence the cue before left open. A
speaker the file states per cue (`<v Name>`, a JSON `speaker`) covers that cue only: a cue
without one has no speaker; voices named by generated ids are `Speaker 1`, `Speaker 2`, ...
in order of appearance.
"""

from __future__ import annotations

import html
import re
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from readmark.library import titles
from readmark.library.builder import SourceBuilder
from readmark.library.model import Role
from readmark.library.readers.text import lines as text_lines
from readmark.library.readers.text.labels import speaker_name
from readmark.library.timecode import CUE_CLOCK_GROUPS, clock_seconds

# Hours are optional (WebVTT `05.500`, `01:05.500`); the fraction takes `.` or `,`; the zero
# padding may be missing (`0:0:6.510`).
_TIMING = re.compile(rf"^\s*{CUE_CLOCK_GROUPS}\s*-->\s*{CUE_CLOCK_GROUPS}(?:\s.*)?$")
# Lines that are meant as timing lines but are malformed: they end the cue before them.
_TIMING_LIKE = re.compile(r"\d+:\d+\S*\s+-{1,2}>?\s+\d+:\d+")
_DIGITS = re.compile(r"^\s*\d+\s*$")
_INLINE_TIME = re.compile(r"<\d{1,2}:\d{2}[:.]")

_VOICE = re.compile(r"<v(?:\.[^\s>]*)?(?:\s+([^>]*))?>")
_RUBY_TEXT = re.compile(r"<rt(?:\.[^>]*)?>.*?(?:</rt>|$)")
# `<b>`, `</i>`, `<c.yellow>`, `<lang en>`, `<font color=...>`, `<00:00:01.000>`, ASS `{\an8}`.
_TAG = re.compile(r"</?[A-Za-z][^<>]*>|<\d[\d:.]*>|\{\\[^{}]*\}")
_INVISIBLE = re.compile("[\u200b-\u200f\u2060\ufeff]")

_TURN = re.compile(r"^(?:-\s+|[\u2013\u2014]\s*|>>+\s*)")
_TURN_MARKS = ("-", "\u2013", "\u2014", ">")
_LABEL = re.compile(r"[^\W\d_][^:\n]{0,60}?(?=:[ \t]+\S)")
"""`Name:`, `Name (Role):`, `Name’s iPad:` at the start of a cue line."""
_VOICE_ID = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?:/[\w-]+)?", re.IGNORECASE
)
"""A voice named by a generated id (Teams, Stream), not by a name."""
_CLOSERS = "\"'\u201d\u2019)]"
_STOPS = ".!?\u2026"
# Abbreviations that end a cue mid-sentence ("... said Dr." / "Okafor ...").
_ABBREVIATIONS = frozenset({"mr.", "mrs.", "ms.", "dr.", "prof.", "vs.", "e.g.", "i.e."})

_CHAPTERS_NAME = re.compile(r"(?:^|[\W_])chapters$", re.IGNORECASE)
_LANGUAGE_SUFFIX = re.compile(r"\.(?:[a-z]{2,3}(?:[-_][A-Za-z]{2,4})?|chapters)$")
_MAX_LISTED_LINES = 5


@dataclass(slots=True)
class CueLine:
    """One line of cue text, already stripped of tags and entities."""

    text: str
    voice: str | None = None
    """Speaker named by a WebVTT `<v Name>` span, or given by the file (Whisper JSON)."""


@dataclass(slots=True)
class Cue:
    """A timed block of subtitle text, as the file has it."""

    start: float
    """Seconds; for an untimed cue, the start of the cue before it (it sorts after that one)."""
    end: float
    """Seconds, never before `start`."""
    lines: tuple[CueLine, ...]
    timed: bool = True
    """False when the file gives no usable time; the cue becomes an untimed segment."""


@dataclass(slots=True)
class Piece:
    """Text of one speaker within a cue, or (after merging) within a segment."""

    start: float
    end: float
    text: str
    speaker: str | None = None
    turn: bool = False
    """True when the file marks a new dialogue turn here; merging never crosses it."""
    timed: bool = True
    """False for text the file gives no time; it is never merged and gets no start."""
    marks: list[tuple[int, float]] | None = None
    """After merging, the start of each piece joined into this one, where its text begins;
    None for a piece of one cue (its start, at its first word)."""


@dataclass(frozen=True, slots=True)
class MergePolicy:
    """When a sentence running across cues is cut anyway (see the module docstring)."""

    max_seconds: float = 20.0
    """No merged segment grows past this (a single longer cue stays whole)."""
    pause_seconds: float = 2.0
    """A silence this long between cues starts a new segment."""


@dataclass(slots=True)
class ScanResult:
    """What `scan_cues` found in a subtitle file."""

    cues: list[Cue]
    bad_timing_lines: list[int]
    """1-based line numbers of timing lines that could not be read (their cue is skipped)."""
    reversed_lines: list[int]
    """1-based line numbers of cues that end before they start (end set to start)."""


def scan_cues(lines: Sequence[str], *, text_ids: bool) -> ScanResult:
    """Cut subtitle lines into cues at their `-->` timing lines.

    With `text_ids` (WebVTT) a cue's text ends at the first empty line and the line just
    before a timing line is its id when a blank line precedes it; without (SRT) blank lines
    inside a cue are kept as part of it and only an all-digit line before a timing line is
    an id. Lines before the first timing line (headers, NOTE, STYLE, REGION) are not cues.
    """
    rows = [
        i
        for i, line in enumerate(lines)
        if ("-->" in line or line[:1].isdigit()) and _is_timing_row(line)
    ]
    result = ScanResult(cues=[], bad_timing_lines=[], reversed_lines=[])
    for k, row in enumerate(rows):
        following = rows[k + 1] if k + 1 < len(rows) else len(lines)
        times = _parse_timing(lines[row])
        if times is None:
            result.bad_timing_lines.append(row + 1)
            continue
        start, end = times
        if end < start:
            result.reversed_lines.append(row + 1)
            end = start
        body = _cue_body(lines, row + 1, following, text_ids=text_ids)
        result.cues.append(Cue(start, end, _clean_lines(body)))
    return result


def _is_timing_row(line: str) -> bool:
    """A timing line, well formed or not; `a --> b` in cue text is not one."""
    # Cheap tests first: nearly every line is text, and text rarely starts with a digit.
    if not line[:1].isdigit():
        return "-->" in line and line.lstrip()[:1].isdigit()
    return "-->" in line or _TIMING_LIKE.match(line) is not None


def _parse_timing(line: str) -> tuple[float, float] | None:
    match = _TIMING.match(line)
    if match is None:
        return None
    groups = match.groups()
    start = clock_seconds(*groups[:4])
    end = clock_seconds(*groups[4:8])
    if start is None or end is None:
        return None
    return start, end


def _cue_body(lines: Sequence[str], first: int, stop: int, *, text_ids: bool) -> list[str]:
    """The text lines of the cue whose timing line is just before `first`."""
    body = list(lines[first:stop])
    while body and not body[-1].strip():
        body.pop()
    if body and stop < len(lines):
        if text_ids:
            # A WebVTT id is the first line of its block; a line right after the timing line
            # is text (YouTube puts a lone space there).
            if len(body) >= 2 and _opens_block(body[-2], body[-1]):
                body.pop()
        elif _DIGITS.match(body[-1]):
            body.pop()
        while body and not body[-1].strip():
            body.pop()
    if text_ids and "" in body:
        # A WebVTT cue ends at its first empty line; what follows is a NOTE or stray text.
        body = body[: body.index("")]
    return body


def _opens_block(before: str, line: str) -> bool:
    """True when `line` starts a WebVTT block; a space-only line before counts for numbers."""
    return before == "" or (not before.strip() and _DIGITS.match(line) is not None)


def _clean_lines(raw_lines: Iterable[str]) -> tuple[CueLine, ...]:
    """Cleaned, non-empty cue lines; a `<v Name>` voice carries on to the lines after it."""
    cleaned: list[CueLine] = []
    voice: str | None = None
    for raw in raw_lines:
        if not raw:
            continue
        found, text = clean_line(raw)
        voice = found or voice
        if text:
            cleaned.append(CueLine(text, voice))
    return tuple(cleaned)


def clean_line(raw: str) -> tuple[str | None, str]:
    """(voice, text) of one raw cue line: tags removed, entities decoded, space normalised."""
    # Each step is guarded by a cheap test: a three-hour file has ten thousand lines.
    voice: str | None = None
    if "<" in raw:
        if "<v" in raw:
            match = _VOICE.search(raw)
            if match and match.group(1):
                voice = " ".join(match.group(1).split()) or None
        if "<rt" in raw:
            raw = _RUBY_TEXT.sub("", raw)
        raw = _TAG.sub("", raw)
    elif "{\\" in raw:
        raw = _TAG.sub("", raw)
    if "&" in raw:
        raw = html.unescape(raw)
    if not raw.isascii():
        raw = _INVISIBLE.sub("", raw)
    return voice, " ".join(raw.split())


def has_inline_timestamps(text: str) -> bool:
    """True for YouTube-style auto captions, which time each word: `<00:00:01.000><c> word`."""
    return _INLINE_TIME.search(text) is not None


def is_rolling(cues: Sequence[Cue]) -> bool:
    """True when cues repeat the previous cue's last line, as rolling (roll-up) captions do."""
    repeats = sum(
        1
        for before, cue in zip(cues, cues[1:], strict=False)
        if before.lines and cue.lines and cue.lines[0].text == before.lines[-1].text
    )
    return repeats >= 2 and repeats >= 0.3 * (len(cues) - 1)


def dedupe_rolling(cues: Sequence[Cue]) -> list[Cue]:
    """Drop the leading lines each cue repeats from the cue before, so text reads once.

    Cues left with no new line (YouTube's 10 ms "hold" cues) are dropped.
    """
    kept: list[Cue] = []
    previous: tuple[str, ...] = ()
    for cue in cues:
        texts = tuple(line.text for line in cue.lines)
        overlap = _overlap(previous, texts)
        if texts:
            previous = texts
        if overlap < len(texts):
            kept.append(replace(cue, lines=cue.lines[overlap:]))
    return kept


def _overlap(before: tuple[str, ...], after: tuple[str, ...]) -> int:
    """The largest k such that the last k lines of `before` are the first k of `after`."""
    for k in range(min(len(before), len(after)), 0, -1):
        if before[-k:] == after[:k]:
            return k
    return 0


def speaker_names(cues: Sequence[Cue]) -> set[str]:
    """Names used as `Name:` prefixes: ALL-CAPS ones always, others if used twice, and any
    where the file labels each cue (someone may say one thing in a whole meeting).

    The repeat rule keeps a line such as `Dear Sir: ...` in a film's subtitles from inventing
    a speaker.
    """
    counts: Counter[str] = Counter()
    for cue in cues:
        for line in cue.lines:
            prefix = _name_prefix(_strip_turn(line.text))
            if prefix:
                counts[prefix[0]] += 1
    names = {name for name, n in counts.items() if n >= 2 or (name.isupper() and len(name) > 1)}
    return set(counts) if counts and labels_per_cue(cues, set(counts)) else names


def _strip_turn(text: str) -> str:
    return _TURN.sub("", text) if text.startswith(_TURN_MARKS) else text


def _name_prefix(text: str) -> tuple[str, int] | None:
    """The speaker a line's `Name:` prefix names (without a role in parentheses), and where the
    text after the prefix starts; None when the line has no such prefix."""
    if ":" not in text[:64]:
        return None
    match = _LABEL.match(text)
    if match is None:
        return None
    name = speaker_name(match.group().strip())
    if name is None:
        return None
    return name, match.end() + 1


def voices_numbered(cues: Sequence[Cue]) -> list[Cue]:
    """Cues whose voices are generated ids (`<v 0f8e4c1b-...>`) given `Speaker 1`, `Speaker 2`
    in order of appearance, the same id the same number."""
    numbers: dict[str, str] = {}
    changed: list[Cue] = []
    for cue in cues:
        if any(line.voice and _VOICE_ID.fullmatch(line.voice) for line in cue.lines):
            lines = []
            for line in cue.lines:
                voice = line.voice
                if voice and _VOICE_ID.fullmatch(voice):
                    key = voice.split("/", 1)[0].lower()
                    voice = numbers.setdefault(key, f"Speaker {len(numbers) + 1}")
                lines.append(CueLine(line.text, voice))
            cue = replace(cue, lines=tuple(lines))
        changed.append(cue)
    return changed


def labels_per_cue(cues: Sequence[Cue], names: set[str]) -> bool:
    """Whether the file labels each cue with its speaker (a meeting's captions) rather than each
    change of speaker (a film's subtitles): most cues are labelled, or one speaker's label
    stands on two cues in a row."""
    labelled = spoken = 0
    previous: str | None = None
    for cue in cues:
        if not cue.lines:
            continue
        spoken += 1
        prefix = _name_prefix(_strip_turn(cue.lines[0].text))
        name = prefix[0] if prefix and prefix[0] in names else None
        if name is not None:
            labelled += 1
            if name == previous:
                return True
        previous = name
    return spoken > 0 and labelled * 2 >= spoken


def cue_pieces(cues: Sequence[Cue], names: set[str]) -> list[Piece]:
    """Split cues at speaker changes and dialogue dashes.

    `names` are the accepted `Name:` prefixes (see `speaker_names`). A prefix speaker carries
    on to the lines after it; a voice the file gives outright (`<v Name>`, a JSON `speaker`)
    wins over a prefix and covers its own line only. Where the file labels each cue, a cue
    without a label has no speaker, unless it finishes the sentence the cue before began.
    """
    per_cue = labels_per_cue(cues, names)
    pieces: list[Piece] = []
    speaker: str | None = None
    # Only a `Name:` prefix opens a turn that later unlabelled cues continue.
    carries = False
    said = ""  # the last text of the cue before
    for cue in cues:
        current: list[str] = []
        turn = False
        for n, line in enumerate(cue.lines):
            text = line.text
            new_turn = False
            dash = _TURN.match(text) if text.startswith(_TURN_MARKS) else None
            if dash:
                text = text[dash.end() :]
                new_turn = True
            prefix = _name_prefix(text)
            new_speaker: str | None
            if prefix is not None and prefix[0] in names:
                text = text[prefix[1] :].lstrip()
                new_speaker, carries = line.voice or prefix[0], line.voice is None
            elif line.voice is not None:
                new_speaker, carries = line.voice, False
            elif carries and not new_turn and (n > 0 or not per_cue or not ends_sentence(said)):
                new_speaker = speaker
            else:
                new_speaker, carries = None, False
            if current and (new_turn or new_speaker != speaker):
                pieces.append(_piece(cue, " ".join(current), speaker, turn))
                current = []
            if not current:
                turn = new_turn
            speaker = new_speaker
            if text:
                current.append(text)
        if current:
            pieces.append(_piece(cue, " ".join(current), speaker, turn))
            said = current[-1]
    return pieces


def _piece(cue: Cue, text: str, speaker: str | None, turn: bool) -> Piece:
    return Piece(cue.start, cue.end, text, speaker, turn, cue.timed)


def merge_pieces(pieces: Iterable[Piece], policy: MergePolicy | None = None) -> list[Piece]:
    """Merge consecutive pieces into sentence segments by `policy`."""
    rules = policy or MergePolicy()
    runs: list[list[Piece]] = []
    run: list[Piece] = []
    end = 0.0
    for piece in pieces:
        if run and not _continues(run[0], end, piece, rules):
            runs.append(run)
            run = []
        end = max(end, piece.end) if run else piece.end
        run.append(piece)
        if not piece.timed or ends_sentence(piece.text):
            runs.append(run)
            run = []
    if run:
        runs.append(run)
    return [_joined(run) for run in runs]


def ends_sentence(text: str) -> bool:
    """True when `text` closes a sentence: `.`, `?`, `!` or `…`, maybe then `"`, `’`, `)`."""
    # A plain test of the last characters: this runs once per cue.
    bare = text.rstrip(_CLOSERS)
    if not bare or bare[-1] not in _STOPS:
        return False
    if bare[-1] == "." and bare[-5:].lower().rpartition(" ")[2] in _ABBREVIATIONS:
        return False
    return True


def _continues(first: Piece, end: float, piece: Piece, rules: MergePolicy) -> bool:
    """Whether `piece` joins the open segment that began with `first` and ends at `end`."""
    return (
        piece.timed
        and not piece.turn
        and piece.speaker == first.speaker
        and piece.start - end < rules.pause_seconds
        and piece.end - first.start <= rules.max_seconds
    )


def _joined(run: Sequence[Piece]) -> Piece:
    first = run[0]
    if len(run) == 1:
        return first
    end = max(piece.end for piece in run)
    text = " ".join(piece.text for piece in run)
    marks: list[tuple[int, float]] = []
    offset = 0
    for piece in run:
        if piece.marks is not None:
            marks.extend((offset + at, time) for at, time in piece.marks)
        else:
            marks.append((offset, piece.start))
        offset += len(piece.text) + 1
    return Piece(first.start, end, text, first.speaker, first.turn, marks=marks)


def add_cue_segments(builder: SourceBuilder, pieces: Iterable[Piece]) -> None:
    """Add merged pieces to `builder` as CUE segments, with the start of each cue joined into
    them as a mark; untimed pieces get no start or end."""
    for piece in pieces:
        if not piece.timed:
            builder.add_segment(text=piece.text, speaker=piece.speaker, role=Role.CUE)
            continue
        builder.add_segment(
            text=piece.text,
            start=piece.start,
            end=piece.end,
            speaker=piece.speaker,
            role=Role.CUE,
            marks=piece.marks,
        )


def name_extension(name: str) -> str:
    """`Talk.EN.srt` -> `srt`; `README` (or `.hidden`) -> ``: how sniffers tell formats apart."""
    stem, dot, extension = name.rpartition("/")[2].rpartition(".")
    return extension.lower() if dot and stem else ""


def looks_like_chapters(stem: str, cues: Sequence[Cue]) -> bool:
    """True for a chapters track: a stem ending in `chapters`, or title-like cues lasting long.

    Titles: one line each, at most 80 characters, mostly without a closing full stop; long:
    the median cue lasts 20 s or more (speech cues last two to seven seconds).
    """
    if _CHAPTERS_NAME.search(stem):
        return bool(cues) and all(len(_cue_text(cue)) <= 120 for cue in cues)
    if len(cues) < 2:
        return False
    if any(len(cue.lines) != 1 or len(cue.lines[0].text) > 80 for cue in cues):
        return False
    sentences = sum(1 for cue in cues if ends_sentence(cue.lines[0].text))
    if sentences > 0.25 * len(cues):
        return False
    return statistics.median(cue.end - cue.start for cue in cues) >= 20.0


def _cue_text(cue: Cue) -> str:
    return " ".join(line.text for line in cue.lines)


def add_chapters(builder: SourceBuilder, cues: Iterable[Cue]) -> None:
    """Each chapter cue becomes a HEADING segment and an outline entry pointing at it."""
    for cue in cues:
        segment = builder.add_segment(
            _cue_text(cue), start=cue.start, end=cue.end, role=Role.HEADING
        )
        if segment is not None:
            builder.add_outline(segment.text, cue.start, segment.index)


def build_cue_segments(
    builder: SourceBuilder,
    cues: Sequence[Cue],
    *,
    stem: str,
    rolling: bool,
    policy: MergePolicy | None = None,
) -> None:
    """The whole pipeline after scanning: sort, de-duplicate, chapters or merged speech."""
    ordered = sorted(cues, key=lambda cue: cue.start)
    if looks_like_chapters(stem, ordered):
        add_chapters(builder, ordered)
        return
    if rolling or is_rolling(ordered):
        ordered = dedupe_rolling(ordered)
    ordered = voices_numbered(ordered)
    pieces = cue_pieces(ordered, speaker_names(ordered))
    add_cue_segments(builder, merge_pieces(pieces, policy))


def scan_warnings(scan: ScanResult) -> list[str]:
    """Warnings a user can act on, one per kind of problem, naming the first few lines."""
    warnings: list[str] = []
    if scan.bad_timing_lines:
        warnings.append(
            f"{_count(scan.bad_timing_lines, 'cue')} skipped: the timing line could not be "
            f"read (line {_line_list(scan.bad_timing_lines)}); "
            "expected `00:00:05,500 --> 00:00:07,000`."
        )
    if scan.reversed_lines:
        warnings.append(
            f"{_count(scan.reversed_lines, 'cue')} end before they start "
            f"(line {_line_list(scan.reversed_lines)}); their end was set to their start."
        )
    return warnings


def _count(items: Sequence[object], noun: str) -> str:
    return f"1 {noun}" if len(items) == 1 else f"{len(items)} {noun}s"


def _line_list(numbers: Sequence[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:_MAX_LISTED_LINES])
    return shown + (", ..." if len(numbers) > _MAX_LISTED_LINES else "")


def duration_of(cues: Iterable[Cue]) -> float | None:
    """The latest cue end, in seconds; None without cues."""
    return max((cue.end for cue in cues), default=None)


def title_from_stem(stem: str) -> str:
    """`my_talk-2024.en` -> `My talk 2024`: a title from a file name without its extension."""
    base = _LANGUAGE_SUFFIX.sub("", stem) or stem
    return titles.title_from_stem(base)


def split_lines(text: str) -> list[str]:
    """Lines of a subtitle file without a byte-order mark, whatever the line ends."""
    return text_lines.split_lines(text.removeprefix("\ufeff"))
