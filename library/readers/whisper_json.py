"""JSON transcripts: OpenAI Whisper, WhisperX, pyannote-labelled, diarized turns and kin.

Shapes read:

- `{"text": ..., "segments": [{"start", "end", "text", "speaker"?}], "language"?}`;
- a bare list of such segments;
- WhisperX: segments with `words` (`{"word", "start", "end", "speaker"?}`); a segment
  without `text` is spelled from its words, one without `speaker` takes its words' most
  common speaker;
- Hugging Face pipelines: `{"text", "chunks": [{"timestamp": [start, end], "text"}]}`;
- diarized speaker turns, `{"turns": [...]}` or `{"utterances": [...]}` (AssemblyAI and
  meeting tools), each `{"speaker", "start", "end", "text"}`: one segment per turn; a
  published name (`speaker_public`) wins over the diarization id it was matched to, a
  one-letter speaker is `Speaker A`; times in milliseconds (AssemblyAI) are read as such;
- a `full_transcript` string with times written in it (`[00:07] ...`);
- only `{"text": ...}`: one untimed paragraph per blank-line-separated block, with a warning.

Times are seconds or clock strings (`"00:01:12.250"`). Speaker labels are kept as the file
gives them (`SPEAKER_00`); a segment without one has no speaker (it does not inherit the one
before). Whisper's special tokens (`<|en|>`, `<|0.00|>`, `<|endoftext|>`) are removed from the
text. A segment without a usable start stays a segment of its own without a time, after the
segment before it in the file, and a warning counts them. Metadata keys, at the top level or
under `metadata`: `title`, `url` (or `webpage_url`), `channel` (or `uploader`), `date` (or
`upload_date`, `20240131` becomes `2024-01-31`), `authors`, `tags`, `duration` (or
`audio_duration`). Timed segments that cut a sentence are joined as described in
`library.readers.cues`; each keeps the start of every segment joined into it as a mark.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from readmark.library.builder import SourceBuilder
from readmark.library.errors import SourceError
from readmark.library.model import Source
from readmark.library.readers.cues import (
    Cue,
    CueLine,
    add_cue_segments,
    clean_line,
    cue_pieces,
    merge_pieces,
    name_extension,
    speaker_names,
    title_from_stem,
    voices_numbered,
)
from readmark.library.timecode import CLOCK_PATTERN, try_parse_timecode

FORMAT = "whisper-json"

_SEGMENT_LIKE = re.compile(r'^\s*\[\s*\{[^{}]*"(?:start|text)"\s*:')
_PARAGRAPHS = re.compile(r"\n\s*\n")
# `<|en|>`, `<|0.00|>`, `<|endoftext|>`, `<|transcribe|>`: decoder tokens, not speech.
_SPECIAL_TOKEN = re.compile(r"<\|[^|<>\s]{0,40}\|>")
# Extensions that say nothing about the content; any other (`.md`, `.srt`) rules JSON out.
_AMBIGUOUS = frozenset({"", "txt", "json"})
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_TURN_KEYS = ("turns", "utterances")
"""Lists of whole speaker turns: each is a segment of its own, never joined to the next."""
_EMBEDDED_TIME = re.compile(rf"\[\s*({CLOCK_PATTERN})\s*\]")
_MILLISECONDS_PAST = 36_000
"""Whole numbers past ten hours are milliseconds (a transcript of ten hours in seconds has
fractions too)."""
_KNOWN = '"segments", "turns" or "utterances" list, or a "full_transcript"'
"""What a transcript holds, for the message when a file holds none of it."""


def sniff(name: str, head: str) -> float:
    """0.9 for JSON with a `segments` (or `chunks`) key or a list of segment-like objects."""
    # Called for every file of a vault listing: the name decides before any text is looked at.
    if name_extension(name) not in _AMBIGUOUS:
        return 0.0
    text = head.removeprefix("\ufeff").lstrip()
    if not text.startswith(("{", "[")):
        return 0.0
    if '"segments"' in text or ('"chunks"' in text and '"timestamp"' in text):
        return 0.9
    if any(f'"{key}"' in text for key in (*_TURN_KEYS, "full_transcript")):
        return 0.9
    if _SEGMENT_LIKE.match(text):
        return 0.8
    if name_extension(name) == "json" and text.startswith("{") and '"text"' in text:
        return 0.3
    return 0.0


def read(text: str, source_id: str, stem: str) -> Source:
    """Parse a JSON transcript; SourceError when it is not JSON or not one of its shapes."""
    data = _load(text, source_id)
    meta = _metadata_dict(data)
    builder = SourceBuilder(id=source_id, title=title_from_stem(stem), format=FORMAT)
    cues: list[Cue] = []
    turns = _turn_items(data)
    if turns is not None:
        cues = voices_numbered(_cues(turns, builder.warnings, scale=_scale(turns, meta)))
        add_cue_segments(builder, cue_pieces(cues, set()))
    elif isinstance(data, dict) and isinstance(data.get("full_transcript"), str):
        cues = _embedded_cues(data["full_transcript"])
        if not cues:
            _add_untimed(builder, data["full_transcript"])
        pieces = cue_pieces(cues, speaker_names(cues))
        add_cue_segments(builder, merge_pieces(pieces))
    else:
        items = _segment_items(data, source_id)
        if items is None:
            _add_untimed(builder, str(meta.get("text", "")))
        else:
            cues = voices_numbered(_cues(items, builder.warnings))
            pieces = cue_pieces(cues, speaker_names(cues))
            add_cue_segments(builder, merge_pieces(pieces))
    if not builder.segments:
        builder.warnings.append("The transcript has no text.")
    last_end = max((cue.end for cue in cues if cue.timed), default=None)
    return builder.build(**_metadata_fields(meta, last_end))


def _turn_items(data: Any) -> list[Any] | None:
    """The list of speaker turns of a diarized transcript; None for any other shape."""
    if not isinstance(data, dict) or "segments" in data:
        return None
    for key in _TURN_KEYS:
        items = data.get(key)
        if isinstance(items, list) and any(isinstance(item, dict) for item in items):
            return items
    return None


def _scale(items: Sequence[Any], meta: Mapping[str, Any]) -> float:
    """1 for seconds; 1/1000 when the turns are timed in milliseconds (AssemblyAI)."""
    values: list[float] = []
    for item in items:
        if not isinstance(item, dict):
            continue
        for key in ("start", "end"):
            value = item.get(key)
            if isinstance(value, int | float) and not isinstance(value, bool):
                values.append(float(value))
    if not values or not all(v.is_integer() for v in values):
        return 1.0
    latest = max(values)
    duration = _seconds(meta.get("audio_duration", meta.get("duration")))
    if duration is not None and duration > 0:
        return 0.001 if latest > duration * 2 else 1.0
    return 0.001 if latest > _MILLISECONDS_PAST else 1.0


def _embedded_cues(text: str) -> list[Cue]:
    """Cues from a text with its times written in it: `[00:00] Words. [00:07] More words.`"""
    cues: list[Cue] = []
    found = list(_EMBEDDED_TIME.finditer(text))
    for k, stamp in enumerate(found):
        start = try_parse_timecode(stamp.group(1))
        stop = found[k + 1].start() if k + 1 < len(found) else len(text)
        _, said = clean_line(text[stamp.end() : stop])
        if start is not None and said:
            cues.append(Cue(start, start, (CueLine(said),)))
    for earlier, cue in zip(cues, cues[1:], strict=False):
        earlier.end = max(earlier.start, cue.start)
    return cues


def _load(text: str, source_id: str) -> Any:
    try:
        return json.loads(text.removeprefix("\ufeff"))
    except json.JSONDecodeError as exc:
        raise SourceError(
            f"{source_id} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}."
        ) from exc
    except (RecursionError, ValueError) as exc:
        raise SourceError(f"{source_id} is not valid JSON ({exc}).") from exc


def _metadata_dict(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        return {}
    nested = data.get("metadata")
    merged = dict(nested) if isinstance(nested, dict) else {}
    merged.update(data)
    return merged


def _segment_items(data: Any, source_id: str) -> list[Any] | None:
    """The list of segment objects; None for a text-only transcript."""
    if isinstance(data, list):
        items: Any = data
    elif isinstance(data, dict):
        items = data.get("segments", data.get("chunks"))
        if items is None:
            if isinstance(data.get("text"), str):
                return None
            raise SourceError(
                f'{source_id} is JSON but not a transcript: it has no "segments" list (nor '
                '"turns", "utterances" or "full_transcript"; expected {"segments": [{"start": '
                '0.0, "end": 2.5, "text": "..."}]}).'
            )
    else:
        raise SourceError(
            f"{source_id} is JSON but not a transcript: it holds {_a(_json_type(data))}, "
            'not an object with "segments" or a list of segments.'
        )
    if not isinstance(items, list):
        raise SourceError(
            f'{source_id}: "segments" is {_a(_json_type(items))}, not a list of segments.'
        )
    if items and not any(isinstance(item, dict) for item in items):
        raise SourceError(
            f"{source_id}: the segments are {_json_type(items[0])}s, not objects with "
            '"start", "end" and "text".'
        )
    return items


def _a(noun: str) -> str:
    return f"an {noun}" if noun[0] in "aeiou" else f"a {noun}"


def _json_type(value: Any) -> str:
    names = {dict: "object", list: "list", str: "string", bool: "boolean", type(None): "null"}
    return names.get(type(value), "number")


def _cues(items: Sequence[Any], warnings: list[str], *, scale: float = 1.0) -> list[Cue]:
    """Cues in time order; a segment without a usable start is an untimed cue that follows
    the segment before it in the file. `scale` turns the file's unit into seconds."""
    cues: list[Cue] = []
    skipped = 0
    untimed = 0
    previous_start = 0.0
    for item in items:
        if not isinstance(item, dict):
            skipped += 1
            continue
        _, text = clean_line(_segment_text(item))
        if not text:
            continue
        start, end = _times(item)
        if scale != 1.0:
            start = None if start is None else round(start * scale, 3)
            end = None if end is None else round(end * scale, 3)
        line = (CueLine(text, _speaker(item)),)
        if start is None:
            untimed += 1
            # Its sort key only: the stable sort below keeps it after its file neighbour.
            cues.append(Cue(previous_start, previous_start, line, timed=False))
            continue
        previous_start = start
        cues.append(Cue(start, start if end is None or end < start else end, line))
    if skipped:
        warnings.append(f"{skipped} segment(s) were not JSON objects and were skipped.")
    if untimed:
        warnings.append(
            f"{untimed} segment(s) had no usable start time; they are kept, without a time."
        )
    return sorted(cues, key=lambda cue: cue.start)


def _times(item: Mapping[str, Any]) -> tuple[float | None, float | None]:
    stamp = item.get("timestamp")
    if isinstance(stamp, list) and len(stamp) == 2:
        return _seconds(stamp[0]), _seconds(stamp[1])
    return _seconds(item.get("start")), _seconds(item.get("end"))


def _seconds(value: Any) -> float | None:
    """Seconds from a JSON number or a time string; None when absent, negative or not finite."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        seconds: float | None = value
    elif isinstance(value, int):
        seconds = float(value) if abs(value) < 10**12 else None
    elif isinstance(value, str):
        seconds = try_parse_timecode(value)
    else:
        return None
    if seconds is None or not math.isfinite(seconds) or seconds < 0:
        return None
    return seconds


def _words(item: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    words = item.get("words")
    if not isinstance(words, list):
        return []
    return [word for word in words if isinstance(word, dict)]


def _segment_text(item: Mapping[str, Any]) -> str:
    text = _spoken_text(item)
    return _SPECIAL_TOKEN.sub(" ", text) if "<|" in text else text


def _spoken_text(item: Mapping[str, Any]) -> str:
    text = item.get("text")
    if isinstance(text, str):
        return text
    # Whisper words carry their own leading space (" world"); WhisperX words do not.
    parts = [w.get("word", w.get("text")) for w in _words(item)]
    words = [part for part in parts if isinstance(part, str)]
    if any(word.startswith(" ") for word in words):
        return "".join(words)
    return " ".join(words)


def _speaker(item: Mapping[str, Any]) -> str | None:
    # A published name beats the diarization id it was matched to: one id may be several people.
    for key in ("speaker_public", "speaker_name", "speaker"):
        speaker = item.get(key)
        if isinstance(speaker, str) and speaker.strip():
            name = speaker.strip()
            # AssemblyAI's speakers are letters: `A` alone reads as a word, not a person.
            return f"Speaker {name}" if len(name) == 1 and name.isalpha() else name
    votes = Counter(
        w["speaker"].strip()
        for w in _words(item)
        if isinstance(w.get("speaker"), str) and w["speaker"].strip()
    )
    return votes.most_common(1)[0][0] if votes else None


def _add_untimed(builder: SourceBuilder, text: str) -> None:
    builder.warnings.append("The transcript has no timed segments, only text.")
    for paragraph in _PARAGRAPHS.split(text):
        builder.add_segment(paragraph)


def _metadata_fields(meta: Mapping[str, Any], last_end: float | None) -> dict[str, object]:
    """Source fields from the metadata keys the file has, ignoring values of the wrong type."""
    fields: dict[str, object] = {}
    for field, keys in {
        "title": ("title",),
        "url": ("url", "webpage_url", "source_url"),
        "channel": ("channel", "uploader"),
        "date": ("date", "upload_date"),
    }.items():
        value = next((meta[k] for k in keys if isinstance(meta.get(k), str) and meta[k]), None)
        if value is not None:
            fields[field] = value.strip()
    if "date" in fields:
        fields["date"] = _COMPACT_DATE.sub(r"\1-\2-\3", str(fields["date"]))
    for field in ("authors", "tags"):
        value = meta.get(field)
        if isinstance(value, str):
            value = [value]
        if isinstance(value, list):
            fields[field] = [v.strip() for v in value if isinstance(v, str) and v.strip()]
    duration = _seconds(meta.get("duration", meta.get("audio_duration")))
    fields["duration"] = duration if duration is not None else last_end
    return fields
