"""Open one file as a `Source`: decode it, pick the reader that recognises it, parse it."""

from __future__ import annotations

import bisect
import gc
import importlib
import os
import re
import stat
from dataclasses import dataclass, replace
from pathlib import Path

from readmark.library.builder import SEGMENT_SEPARATOR
from readmark.library.decoding import HEAD_SIZE, binary_reason, bom_encoding, decode, decode_head
from readmark.library.errors import SourceError
from readmark.library.formats import Format, Registry, registry
from readmark.library.model import Mark, OutlineEntry, Segment, Source
from readmark.library.readers.base import Reader
from readmark.library.summary import OutlineItem, SourceSummary, summarise
from readmark.library.timecode import try_parse_timecode
from readmark.library.titles import title_from_stem

SURE_SCORE = 0.9
"""A reader this sure of a file (its own extension, a telling header) wins without asking the
rest: listing a vault sniffs every file, and most are settled by their extension."""

MAX_SOURCE_BYTES = 200 * 1024 * 1024
"""Larger files are listed with an error instead of being parsed: parsing a transcript peaks at
about 6.5 times its size in memory, so the largest stays near 1.3 GB."""
MAX_SEGMENT_CHARS = 5_000
"""Longer segments (a whole article on one line) are split into paragraph-sized pieces."""
QUICK_SCAN_BYTES = 4 * 1024 * 1024
"""Larger files are listed from a quick scan (head parsed, times counted), parsed when opened."""
QUICK_HEAD_BYTES = 64 * 1024
"""How much past the front matter the quick scan parses for metadata and outline."""
FRONT_MATTER_LIMIT = 2 * 1024 * 1024
"""The quick scan looks this far for the end of a front matter block."""
NOT_REGULAR = "not a regular file (a pipe, socket or device)"


class NotASource(SourceError):
    """The file is not text readmark reads (binary, unreadable, or JSON that is no transcript)."""

    def __init__(self, name: str, reason: str, detail: str | None = None) -> None:
        super().__init__(f"{name}: {reason}" + (f" ({detail})" if detail else ""))
        self.reason = reason
        """Short reason, shown next to the path in the list of skipped files."""


@dataclass(frozen=True, slots=True)
class Peek:
    """What a glance at the head of a file tells: enough for a list entry before parsing."""

    title: str
    format: str


@dataclass(frozen=True, slots=True)
class _Readers:
    """The readers of one registry, imported."""

    registry: Registry
    every: tuple[Reader, ...]
    sniff_order: tuple[Reader, ...]
    """The fallback's sniff scans the whole head for printable text: it is asked last."""
    decided: dict[str, Reader]
    """By extension, the readers that win without sniffing (see `Format.decided_by_extension`)."""
    fallback: Reader


_imported: _Readers | None = None


def _readers() -> _Readers:
    """The readers of the formats registered now, imported on first use (listing from the
    cache never needs them)."""
    global _imported
    table = registry()
    if _imported is None or _imported.registry is not table:
        every = {f.name: _import_reader(f.reader) for f in table.formats}
        fallback = every[table.fallback.name]
        _imported = _Readers(
            registry=table,
            every=tuple(every.values()),
            sniff_order=(*(r for r in every.values() if r is not fallback), fallback),
            decided={suffix: every[f.name] for suffix, f in table.decided.items()},
            fallback=fallback,
        )
    return _imported


def readers() -> tuple[Reader, ...]:
    """Every format's reader, in the order of `library.formats.FORMATS`."""
    return _readers().every


def fallback_reader() -> Reader:
    """The reader of any text no other reader claims."""
    return _readers().fallback


def _sniff_order() -> tuple[Reader, ...]:
    return _readers().sniff_order


def _import_reader(name: str) -> Reader:
    module: Reader = importlib.import_module(name)
    return module


def choose_reader(name: str, head: str) -> Reader:
    """The reader most sure it can read a file called `name` starting with `head`."""
    loaded = _readers()
    base = name.rpartition("/")[2]
    dot = base.rfind(".")
    if dot > 0:
        decided = loaded.decided.get(base[dot:].lower())
        if decided is not None:
            return decided
    best = loaded.fallback
    best_score = 0.0
    for reader in loaded.sniff_order:
        score = reader.sniff(name, head)
        if score > best_score:
            best, best_score = reader, score
            if score >= SURE_SCORE:
                break
    return best


def load_path(path: Path, source_id: str) -> Source:
    """Parse the file at `path` fully.

    Raises `NotASource` when it cannot be opened or is not text. A file that is text but
    cannot be parsed, or is too large, comes back as a `Source` with `error` set.
    """
    name = path.name
    suffix = path.suffix.lower()
    reason = binary_reason(name, b"")
    if reason is not None:
        raise NotASource(name, reason)
    try:
        _require_regular(path)
        with path.open("rb") as file:
            size = os.fstat(file.fileno()).st_size
            if size > MAX_SOURCE_BYTES:
                return _failed(path, source_id, _too_large(size))
            data = file.read()
    except OSError as error:
        raise NotASource(name, _os_reason(error)) from error
    reason = binary_reason(name, data[:HEAD_SIZE])
    if reason is not None:
        raise NotASource(name, reason)
    if not data.strip():
        reader = choose_reader(name, "")
        title = _stem_title(path.stem, reader.FORMAT)
        return Source(id=source_id, title=title, format=reader.FORMAT, warnings=["file is empty"])
    decoded = decode(data)
    del data
    reader = choose_reader(name, decoded.text[:HEAD_SIZE])
    _refuse_unclaimed(name, suffix, reader)
    try:
        source = _read_with(reader, decoded.text, source_id, path.stem)
    except SourceError as error:
        reason = _without_name(str(error), source_id)
        return _failed(path, source_id, reason, reader.FORMAT, decoded.warnings)
    except Exception as error:  # noqa: BLE001 - one bad file must not stop a whole listing
        message = f"could not be read ({type(error).__name__}: {error}); this is a bug in readmark"
        return _failed(path, source_id, message, reader.FORMAT, decoded.warnings)
    if not source.segments and source.error is None:
        source = _read_by_content(reader, decoded.text, source_id, path.stem) or source
    if decoded.warnings:
        source.warnings[:0] = decoded.warnings
    return split_long_segments(source)


FIRST_PAGE_BYTES = 1024 * 1024
"""From this size on, opening a file shows its head (`first_page`) while the rest is read."""


def first_page(path: Path, source_id: str) -> Source | None:
    """The head of a large file parsed on its own (front matter and about 64 KB past it, cut
    at a blank line), to read while `load_path` reads the whole; None when the file is small,
    not UTF-8 text, or its head alone does not parse.

    What it shows is what the whole file starts with, but its offsets are only its own: the
    complete source replaces it, and a place in it is followed there (`follow_span`).
    """
    name = path.name
    if binary_reason(name, b"") is not None:
        return None
    try:
        _require_regular(path)
        with path.open("rb") as file:
            if os.fstat(file.fileno()).st_size < FIRST_PAGE_BYTES:
                return None
            data = file.read(FRONT_MATTER_LIMIT + QUICK_HEAD_BYTES)
    except OSError:
        return None
    if binary_reason(name, data[:HEAD_SIZE]) is not None:
        return None
    if bom_encoding(data[:HEAD_SIZE]) not in (None, "utf-8"):
        return None
    head = decode_head(data[: _head_end(data)])
    reader = choose_reader(name, head[:HEAD_SIZE])
    try:
        _refuse_unclaimed(name, path.suffix.lower(), reader)
        source = reader.read(head, source_id, path.stem)
    except Exception:  # noqa: BLE001 - a head cut mid-structure (JSON) may not parse
        return None
    if not source.segments or source.error is not None:
        return None
    return split_long_segments(source)


def _read_by_content(tried: Reader, text: str, source_id: str, stem: str) -> Source | None:
    """What another reader finds in a file whose extension's reader found nothing (a `.srt`
    holding a transcript pasted from a video page), chosen by sniffing the text alone; None
    when no other reader finds anything either."""
    head = text[:HEAD_SIZE]
    # The name without its extension: only the text decides.
    neutral = f"{stem}.txt"
    scored = [
        (r.sniff(neutral, head), n, r) for n, r in enumerate(_sniff_order()) if r is not tried
    ]
    for score, _, reader in sorted(scored, key=lambda found: (-found[0], found[1])):
        if score <= 0:
            break
        try:
            source = _read_with(reader, text, source_id, stem)
        except SourceError:
            continue
        if source.segments:
            source.warnings.insert(
                0, f"nothing in the file reads as {tried.FORMAT}: read as {reader.FORMAT}"
            )
            return source
    return None


def _refuse_unclaimed(name: str, suffix: str, reader: Reader) -> None:
    """A file no reader claims is not a source when its extension's format says so (a `.json`
    that is no transcript); else it is read as plain text."""
    if reader is not fallback_reader():
        return
    listed = registry().by_extension.get(suffix)
    if listed is not None and listed.not_mine is not None:
        raise NotASource(name, listed.not_mine, listed.expects)


GC_PAUSE_BYTES = 4 * 1024 * 1024
"""From this size on, parsing runs with the cyclic garbage collector paused."""


def _read_with(reader: Reader, text: str, source_id: str, stem: str) -> Source:
    # A parse makes millions of acyclic objects; collecting over and over as the heap grows
    # cost a third of the time on a 50 MB transcript.
    if len(text) < GC_PAUSE_BYTES or not gc.isenabled():
        return reader.read(text, source_id, stem)
    gc.disable()
    try:
        return reader.read(text, source_id, stem)
    finally:
        gc.enable()


def split_long_segments(source: Source, limit: int | None = None) -> Source:
    """`source` with every segment longer than `limit` characters cut into pieces.

    Cuts fall at a sentence end in the second half of each piece, else at a space, else
    anywhere; pieces keep the speaker, the role and the marks that fall in them (a piece whose
    first words the file times starts then); other pieces share out the times by length when
    the segment has an end (else only the first piece keeps the start), an estimate kept
    between the times the file gives around it. A warning says so.
    """
    limit = limit or MAX_SEGMENT_CHARS
    if not source.segments or max(len(s.text) for s in source.segments) <= limit:
        return source
    segments: list[Segment] = []
    first_piece: list[int] = []  # old segment index -> new index of its first piece
    offset = 0
    split = longest = 0
    following = _following_starts(source.segments)
    for segment, next_start in zip(source.segments, following, strict=True):
        first_piece.append(len(segments))
        if len(segment.text) > limit:
            pieces = split_text(segment.text, limit)
            split += 1
            longest = max(longest, len(segment.text))
        else:
            pieces = [segment.text]
        times = _piece_times(segment, pieces, next_start)
        marks = _piece_marks(segment, pieces)
        said: float | None = None  # the time of the last mark in the pieces so far
        for piece, (start, end), given in zip(pieces, times, marks, strict=True):
            if given and given[0].offset == 0:
                start = given[0].time  # the file times this piece's first words
            elif start is not None:
                # An estimate, kept between the times the file gives around the piece's start.
                start = min(start, given[0].time) if given else start
                start = max(start, said) if said is not None else start
            said = given[-1].time if given else said
            segments.append(
                Segment(
                    len(segments),
                    piece,
                    start,
                    end,
                    segment.speaker,
                    segment.role,
                    offset,
                    offset + len(piece),
                    given,
                )
            )
            offset += len(piece) + len(SEGMENT_SEPARATOR)
    outline = [
        OutlineEntry(e.title, e.start, first_piece[min(e.segment_index, len(first_piece) - 1)])
        for e in source.outline
    ]
    note = (
        f"{split} paragraph{'s' if split > 1 else ''} longer than {limit:,} characters "
        f"(the longest {longest:,}) split into pieces to keep the reader responsive"
    )
    return replace(
        source,
        segments=segments,
        outline=outline,
        text=SEGMENT_SEPARATOR.join(s.text for s in segments),
        warnings=[*source.warnings, note],
    )


_SENTENCE_ENDS = (". ", "? ", "! ", "… ", '." ', ".” ")


def split_text(text: str, limit: int) -> list[str]:
    """`text` (single-spaced) in pieces of at most `limit` characters, cut where reading allows.

    One pass with bounded searches, so a 10 MB line costs about as much as copying it.
    """
    pieces: list[str] = []
    start = 0
    while len(text) - start > limit:
        low, high = start + limit // 2, start + limit + 1
        # A cut keeps the punctuation (and closing quote) and drops the space after it.
        ends = ((text.rfind(mark, low, high), len(mark)) for mark in _SENTENCE_ENDS)
        end = max((at + length - 1 for at, length in ends if at >= 0), default=-1)
        if end < low:
            space = text.rfind(" ", low, high)
            end = space if space >= 0 else start + limit
        if end <= start:
            # A cut must move on, or the loop would never end (small limits, leading space).
            end = start + limit
        pieces.append(text[start:end])
        start = end + 1 if text[end : end + 1] == " " else end
    pieces.append(text[start:])
    return pieces


def _piece_marks(segment: Segment, pieces: list[str]) -> list[tuple[Mark, ...]]:
    """The marks of `segment` shared among its `pieces`, each with offsets into its piece."""
    if len(pieces) == 1:
        return [segment.marks]
    text = segment.text
    starts: list[int] = []
    at = 0
    for piece in pieces:
        if not text.startswith(piece, at):
            at += 1  # the space a cut dropped
        starts.append(at)
        at += len(piece)
    shared: list[list[Mark]] = [[] for _ in pieces]
    for mark in segment.marks:
        k = bisect.bisect_right(starts, mark.offset) - 1
        within = mark.offset - starts[k]
        if within >= len(pieces[k]) and k + 1 < len(pieces):
            k, within = k + 1, 0
        if within < len(pieces[k]):
            shared[k].append(Mark(within, mark.time))
    return [tuple(marks) for marks in shared]


def _following_starts(segments: list[Segment]) -> list[float | None]:
    """For each segment, the start of the next timed segment after it (None for the last)."""
    following: list[float | None] = []
    upcoming: float | None = None
    for segment in reversed(segments):
        following.append(upcoming)
        if segment.start is not None:
            upcoming = segment.start
    following.reverse()
    return following


def _piece_times(
    segment: Segment, pieces: list[str], next_start: float | None
) -> list[tuple[float | None, float | None]]:
    start, end = segment.start, segment.end
    if start is None or end is None or end < start or len(pieces) == 1:
        return [(start, end)] + [(None, None)] * (len(pieces) - 1)
    # Pieces share out the time only up to the next segment's start, so that overlapping
    # cues cannot put a piece after the segment that follows it on the timeline.
    stop = min(end, next_start) if next_start is not None and next_start >= start else end
    total = sum(len(p) for p in pieces) or 1
    times: list[tuple[float | None, float | None]] = []
    done = 0
    for piece in pieces:
        at = start + (stop - start) * done / total
        done += len(piece)
        times.append((at, start + (stop - start) * done / total))
    times[-1] = (times[-1][0], end)
    return times


def summarise_path(path: Path, source_id: str, size: int | None = None) -> SourceSummary:
    """The list entry of a file: a full parse, or a quick scan above `QUICK_SCAN_BYTES`.

    `size` is the file's size when the caller has just stat'ed it. Raises `NotASource` like
    `load_path`.
    """
    if size is None:
        try:
            size = path.stat().st_size
        except OSError as error:
            raise NotASource(path.name, _os_reason(error)) from error
    if QUICK_SCAN_BYTES < size <= MAX_SOURCE_BYTES:
        quick = quick_summary(path, source_id)
        if quick is not None:
            return quick
    return summarise(load_path(path, source_id))


def quick_summary(path: Path, source_id: str) -> SourceSummary | None:
    """List entry of a large file without parsing all of it; None when only a parse will do.

    Metadata, speakers and outline come from parsing the head (front matter and the first
    64 KB); segment and time counts from one regex pass over the bytes, so they are close
    but not exact. `load_path` gives the exact figures.
    """
    name = path.name
    try:
        _require_regular(path)
        with path.open("rb") as file:
            size = os.fstat(file.fileno()).st_size
            data = file.read()
    except OSError as error:
        raise NotASource(name, _os_reason(error)) from error
    head_bytes = data[:HEAD_SIZE]
    reason = binary_reason(name, head_bytes)
    if reason is not None:
        raise NotASource(name, reason)
    if bom_encoding(head_bytes) not in (None, "utf-8"):
        return None  # the byte patterns below only fit ASCII-compatible encodings
    head = decode_head(data[: _head_end(data)])
    reader = choose_reader(name, head[:HEAD_SIZE])
    _refuse_unclaimed(name, path.suffix.lower(), reader)
    times, paragraphs = _scan_times(data, registry().by_name[reader.FORMAT])
    del data
    if paragraphs and len(times) * 2 < paragraphs:
        # A few times among many paragraphs are references in prose (reading notes), not a
        # transcript: the same rule the text reader applies when the file is opened.
        times = []
    try:
        partial = reader.read(head, source_id, path.stem)
    except Exception:  # noqa: BLE001 - a head cut mid-structure (JSON) may not parse
        partial = Source(
            id=source_id, title=_title_in_head(head) or title_from_stem(path.stem), format=""
        )
    # Only the ends are parsed: a million timecodes would cost more than the scan itself.
    first_time = _seconds(times[0]) if times else None
    last_time = _seconds(times[-1]) if times else None
    duration = partial.duration if partial.duration is not None else last_time
    note = f"large file ({_size_label(size)}): listed from a quick scan; open it to read it fully"
    return SourceSummary(
        id=source_id,
        title=partial.title,
        format=reader.FORMAT,
        duration=duration,
        url=partial.url,
        date=partial.date,
        speakers=list(partial.speakers),
        # A long line becomes several segments when opened (see `split_long_segments`).
        segments=max(len(times), paragraphs, len(partial.segments), size // MAX_SEGMENT_CHARS),
        timed_segments=len(times),
        first_time=first_time,
        last_time=last_time,
        outline=[OutlineItem(e.title, e.start) for e in partial.outline],
        warnings=[note, *partial.warnings],
        channel=partial.channel,
        authors=list(partial.authors),
        tags=list(partial.tags),
    )


def _scan_times(data: bytes, fmt: Format) -> tuple[list[bytes], int]:
    """The time of every timed line (as bytes, in file order) and a count of paragraphs."""
    pattern = fmt.quick_times
    times: list[bytes] = pattern.findall(data)
    if pattern.pattern.startswith((b"\n", rb"\n")):  # a line end, written or escaped
        first_line = pattern.match(b"\n" + data[:256].split(b"\n", 1)[0])
        if first_line is not None:
            times.insert(0, first_line.group(1))
    paragraphs = 0 if fmt.timed else data.count(b"\n\n") + 1
    return times, paragraphs


def _seconds(time: bytes) -> float | None:
    text = time.decode("ascii").replace(",", ".")
    if ":" not in text:
        return float(text)  # a JSON number of seconds
    return try_parse_timecode(text)


def _head_end(data: bytes) -> int:
    """Where the parsed head ends: past any front matter, at a blank line."""
    start = 0
    if data[:3] == b"---":
        close = data.find(b"\n---", 3, FRONT_MATTER_LIMIT)
        start = close + 4 if close >= 0 else 0
    end = min(len(data), start + QUICK_HEAD_BYTES)
    if end == len(data):
        return end
    blank = data.rfind(b"\n\n", start, end)
    return blank if blank > start else end


def _require_regular(path: Path) -> None:
    # Opening a FIFO for reading waits for a writer, so pipes and devices are refused first.
    if not stat.S_ISREG(path.stat().st_mode):
        raise NotASource(path.name, NOT_REGULAR)


def peek_path(path: Path) -> Peek:
    """Title and format from the first few KB of a file, without parsing the rest.

    The title comes from a front matter `title:` or the first `# ` heading, else the file name;
    raises `NotASource` like `load_path`.
    """
    name = path.name
    try:
        with path.open("rb") as file:
            head_bytes = file.read(HEAD_SIZE)
    except OSError as error:
        raise NotASource(name, _os_reason(error)) from error
    reason = binary_reason(name, head_bytes)
    if reason is not None:
        raise NotASource(name, reason)
    head = decode_head(head_bytes)
    reader = choose_reader(name, head)
    return Peek(title=_title_in_head(head) or path.stem, format=reader.FORMAT)


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)^---[ \t]*$", re.MULTILINE | re.DOTALL)
_TITLE_KEY = re.compile(r"^title:[ \t]*(.+?)[ \t]*$", re.MULTILINE)
_HEADING = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.MULTILINE)


def _title_in_head(head: str) -> str | None:
    front = _FRONT_MATTER.match(head)
    title = _TITLE_KEY.search(front.group(1)) if front else None
    if title is not None:
        text = title.group(1)
        if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
            text = text[1:-1]
        return text.strip() or None
    heading = _HEADING.search(head)
    return heading.group(1) if heading else None


def _failed(
    path: Path,
    source_id: str,
    error: str,
    format_name: str = "text",
    warnings: list[str] | None = None,
) -> Source:
    title = _stem_title(path.stem, format_name)
    return Source(
        id=source_id, title=title, format=format_name, error=error, warnings=warnings or []
    )


def _stem_title(stem: str, format_name: str) -> str:
    """The title the format's reader would give a file with no title of its own."""
    fmt = registry().by_name.get(format_name)
    if fmt is not None and fmt.timed:
        # Imported here: listing from the cache never needs the subtitle code.
        from readmark.library.readers.cues import (
            title_from_stem as cue_title,
        )  # drops a `.en` suffix too

        return cue_title(stem)
    return title_from_stem(stem)


def _without_name(message: str, source_id: str) -> str:
    """A reader's message without the file name it starts with: callers show the name."""
    for prefix in (f"{source_id}: ", f"{source_id} is "):
        if message.startswith(prefix) and len(message) > len(prefix):
            return message[len(prefix) :]
    return message


def _too_large(size: int) -> str:
    return (
        f"file is too large to open ({_size_label(size)}; "
        f"readmark opens files up to {_size_label(MAX_SOURCE_BYTES)})"
    )


def _size_label(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.0f} MB"


def _os_reason(error: OSError) -> str:
    if isinstance(error, PermissionError):
        return "permission denied (check the file's permissions)"
    if isinstance(error, IsADirectoryError):
        return "is a folder, not a file"
    if isinstance(error, FileNotFoundError):
        return "file not found"
    return error.strerror or str(error)
