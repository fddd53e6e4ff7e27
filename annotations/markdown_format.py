"""An annotation as a Markdown file a person can read and edit in any editor (Obsidian too).

Layout::

    ---
    id: 01jd3k4m5n6p7q8r9s
    source: podcasts/episode-12.md
    kind: dissent
    start: 244.0
    end: 251.5
    speaker: Ada
    tags:
    - economics
    created: '2026-11-23T10:15:00Z'
    updated: '2026-11-23T10:15:00Z'
    confidence: high
    orphaned: false
    quote_prefix: 'words just before '
    quote_suffix: ' and words just after'
    char_start: 1200
    char_end: 1264
    fingerprint: 3f2a9c0d1e2b4a5c
    ---

    > The quote, one `> ` line per line of the quote.

    The note, in Markdown, up to the end of the file.

A source whose file name is not valid UTF-8 (a Latin-1 name on a Linux disk) has an id holding
the undecodable bytes as lone surrogates, which YAML cannot write. Its `source:` then shows the
name with U+FFFD for each such byte, and `source_bytes:` holds the exact bytes, percent-encoded
(`caf%E9.md`); reading prefers them while `source:` still matches them (a hand-edited
`source:` wins).

The front matter holds every field except the quote and the note, flat, with one line per
scalar (`char_start`/`char_end` are offsets into the source's normalised text, `start`/`end`
are seconds). An annotation that needs review (its source changed and only a passage like the
quote was found) also has, after `orphaned`::

    review_candidate: the words found instead of the quote
    review_start: 1190
    review_end: 1251
    review_score: 87.5
    searched_fingerprint: 9b1c0e7d2a4f6e3b

`review_start`/`review_end` are offsets into the source's text as it was when the candidate
was found; `searched_fingerprint` stands for that text and the quote, so the quote is not looked
for again in the same text (an orphaned annotation keeps it too). Deleting the `review_` lines,
or editing the quote, makes readmark look again. The quote (the blockquote) and the note
(everything after it) live only in the body, so they are the truth when someone edits them
elsewhere. `parse(render(a)) == a` holds for every annotation whose strings have no lone
surrogates.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from functools import cache
from typing import TYPE_CHECKING, Any
from urllib.parse import quote as percent_encode
from urllib.parse import unquote_to_bytes

from readmark.annotations.model import (
    Anchor,
    Annotation,
    Candidate,
    Confidence,
    Kind,
    TextPositionSelector,
    TextQuoteSelector,
)
from readmark.annotations.quick_yaml import read_mapping
from readmark.library.safe_text import without_lone_surrogates
from readmark.library.timecode import try_parse_timecode

if TYPE_CHECKING:
    from types import ModuleType

FENCE = "---"
_LINE_BREAKS = ("\n", "\r", "\x85", "\u2028", "\u2029")
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_STR_TAG = "tag:yaml.org,2002:str"


class AnnotationFormatError(ValueError):
    """Text that is not an annotation file; `reason` says why, `line` (1-based) where if known."""

    def __init__(self, reason: str, line: int | None = None) -> None:
        super().__init__(f"line {line}: {reason}" if line is not None else reason)
        self.reason = reason
        self.line = line


@cache
def _yaml() -> tuple[ModuleType, Any, Any]:
    """PyYAML with readmark's loader and dumper, imported when first needed: most files are
    read by `quick_yaml`, and a search that reads none should not pay for the import."""
    import yaml

    base_loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    base_dumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

    class Loader(base_loader):
        """Safe YAML that keeps dates as the text written (`created` stays a string)."""

    Loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP_TAG]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    class Dumper(base_dumper):
        """Safe YAML that writes every value on one line (escaping line breaks), as Obsidian
        expects."""

    Dumper.add_representer(str, _represent_str)
    return yaml, Loader, Dumper


def _represent_str(dumper: Any, text: str) -> Any:
    style = '"' if any(mark in text for mark in _LINE_BREAKS) else None
    return dumper.represent_scalar(_STR_TAG, text, style=style)


def render(annotation: Annotation) -> str:
    """The Markdown file text for `annotation` (ends with a newline)."""
    yaml, _, dumper = _yaml()
    header = yaml.dump(
        _front_matter(annotation),
        Dumper=dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=2**30,
    )
    quote = "\n".join(f"> {line}" if line else ">" for line in annotation.quote.split("\n"))
    text = f"{FENCE}\n{header}{FENCE}\n\n{quote}\n"
    if annotation.note:
        # One separating blank line before the note and one newline after it; `parse` drops both.
        text += f"\n{annotation.note}\n"
    return text


def parse(text: str) -> Annotation:
    """The annotation in a Markdown file's text; raise `AnnotationFormatError` if it is not one."""
    text = text.removeprefix("\ufeff")
    if text.startswith(FENCE + "\r\n"):
        # Saved by an editor with Windows line ends; ours never start that way.
        text = text.replace("\r\n", "\n")
    line = conflict_marker_line(text)
    if line is not None:
        raise AnnotationFormatError(
            "the file holds git's merge conflict markers (<<<<<<<, =======, >>>>>>>): keep the "
            "text you want between them, delete the three marker lines and save",
            line,
        )
    if not text.startswith(FENCE + "\n"):
        raise AnnotationFormatError("the file does not start with a `---` front matter line", 1)
    header_end = text.find(f"\n{FENCE}\n", len(FENCE))
    if header_end == -1 and text.endswith(f"\n{FENCE}"):
        header_end = len(text) - len(FENCE) - 1
    if header_end == -1:
        raise AnnotationFormatError("the front matter has no closing `---` line")
    header = text[len(FENCE) + 1 : header_end + 1]
    body = text[header_end + len(FENCE) + 2 :]
    fields = _load_yaml(header)
    quote, note = _split_body(body)
    return _annotation(fields, quote, note)


def conflict_marker_line(text: str) -> int | None:
    """The line (1-based) where git's conflict markers begin, if the text has a whole set:
    `<<<<<<<`, then `=======`, then `>>>>>>>`, each on a line of its own."""
    if "<<<<<<<" not in text:
        return None
    opened: int | None = None
    divided = False
    for number, line in enumerate(text.split("\n"), 1):
        line = line.removesuffix("\r")
        if _is_marker(line, "<") and opened is None:
            opened, divided = number, False
        elif line == "=" * 7 and opened is not None:
            divided = True
        elif _is_marker(line, ">") and divided:
            return opened
    return None


def _is_marker(line: str, mark: str) -> bool:
    return line == mark * 7 or line.startswith(mark * 7 + " ")


def _front_matter(annotation: Annotation) -> dict[str, object]:
    anchor = annotation.anchor
    shown, exact = _source_fields(annotation.source)
    fields: dict[str, object] = {"id": annotation.id, "source": shown}
    if exact is not None:
        fields["source_bytes"] = exact
    fields |= {
        "kind": annotation.kind.value,
        "start": annotation.start,
        "end": annotation.end,
        "speaker": annotation.speaker,
        "tags": list(annotation.tags),
        "created": annotation.created,
        "updated": annotation.updated,
        "confidence": annotation.confidence.value if annotation.confidence else None,
        "orphaned": annotation.orphaned,
    }
    # Written only when set, so an annotation that never needed review keeps its usual lines.
    candidate = annotation.candidate
    if candidate is not None:
        fields["review_candidate"] = candidate.text
        fields["review_start"] = candidate.start
        fields["review_end"] = candidate.end
        fields["review_score"] = candidate.score
    if annotation.searched:
        fields["searched_fingerprint"] = annotation.searched
    fields["quote_prefix"] = anchor.quote.prefix
    fields["quote_suffix"] = anchor.quote.suffix
    fields["char_start"] = anchor.position.start
    fields["char_end"] = anchor.position.end
    fields["fingerprint"] = anchor.fingerprint
    return fields


def _source_fields(source_id: str) -> tuple[str, str | None]:
    """`source:` and, for a file name that is not UTF-8, `source_bytes:` (see the module doc)."""
    if not _SURROGATE.search(source_id):
        return source_id, None
    raw = source_id.encode("utf-8", "surrogateescape")  # other lone surrogates raise
    return without_lone_surrogates(source_id), percent_encode(raw, safe="/")


def _source_id(fields: dict[str, Any]) -> str:
    shown = _required_text(fields, "source")
    exact = _optional_text(fields, "source_bytes")
    if exact is None:
        return shown
    source_id = unquote_to_bytes(exact).decode("utf-8", "surrogateescape")
    return source_id if without_lone_surrogates(source_id) == shown else shown


_SURROGATE = re.compile("[\ud800-\udfff]")


def _load_yaml(header: str) -> dict[str, Any]:
    simple = read_mapping(header)
    if simple is not None:
        return simple
    yaml, loader, _ = _yaml()
    try:
        fields = yaml.load(header, Loader=loader)  # noqa: S506 - a SafeLoader
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 2 if mark is not None else None  # +1 for 1-based, +1 for the fence
        problem = error.problem or error.context or "invalid YAML"
        message = f"the front matter is not valid YAML: {problem}"
        raise AnnotationFormatError(message, line) from None
    except yaml.YAMLError as error:
        raise AnnotationFormatError(f"the front matter is not valid YAML: {error}") from None
    if not isinstance(fields, dict):
        raise AnnotationFormatError("the front matter is not a list of `key: value` lines", 2)
    return fields


def _split_body(body: str) -> tuple[str, str]:
    """The quote (leading `>` lines) and the note (the rest, minus one blank line around it)."""
    rest = body.lstrip("\n")
    quote_lines: list[str] = []
    while rest.startswith(">"):
        line, newline, rest = rest.partition("\n")
        quote_lines.append(line[1:].removeprefix(" "))
        if not newline:
            break
    note = rest.removeprefix("\n").removesuffix("\n") if rest else ""
    return "\n".join(quote_lines), note


def _annotation(fields: dict[str, Any], quote: str, note: str) -> Annotation:
    kind = _required_text(fields, "kind")
    if kind not in Kind._value2member_map_:
        choices = ", ".join(k.value for k in Kind)
        raise AnnotationFormatError(f"`kind: {kind}` is not one of {choices}")
    confidence = _optional_text(fields, "confidence")
    if confidence is not None and confidence not in Confidence._value2member_map_:
        choices = ", ".join(c.value for c in Confidence)
        raise AnnotationFormatError(f"`confidence: {confidence}` is not one of {choices}")
    anchor = Anchor(
        quote=TextQuoteSelector(
            exact=quote,
            prefix=_optional_text(fields, "quote_prefix") or "",
            suffix=_optional_text(fields, "quote_suffix") or "",
        ),
        position=TextPositionSelector(
            start=_required_int(fields, "char_start"), end=_required_int(fields, "char_end")
        ),
        fingerprint=_optional_text(fields, "fingerprint") or "",
    )
    return Annotation(
        id=_required_text(fields, "id"),
        source=_source_id(fields),
        kind=Kind(kind),
        anchor=anchor,
        start=_optional_seconds(fields, "start"),
        end=_optional_seconds(fields, "end"),
        speaker=_optional_text(fields, "speaker"),
        note=note,
        tags=_tags(fields.get("tags")),
        created=_optional_text(fields, "created") or "",
        updated=_optional_text(fields, "updated") or "",
        confidence=Confidence(confidence) if confidence is not None else None,
        orphaned=_flag(fields, "orphaned"),
        candidate=_candidate(fields),
        searched=_optional_text(fields, "searched_fingerprint") or "",
    )


def _candidate(fields: dict[str, Any]) -> Candidate | None:
    text = _optional_text(fields, "review_candidate")
    if text is None:
        return None
    if fields.get("review_start") is None or fields.get("review_end") is None:
        raise AnnotationFormatError(
            "`review_candidate:` needs `review_start:` and `review_end:`; delete the `review_` "
            "lines to have readmark look for the quote again"
        )
    score = fields.get("review_score")
    if score is None:
        score = 0.0
    if isinstance(score, bool) or not isinstance(score, (int, float)) or not math.isfinite(score):
        raise AnnotationFormatError(f"`review_score:` should be a number, not {_describe(score)}")
    return Candidate(
        start=_required_int(fields, "review_start"),
        end=_required_int(fields, "review_end"),
        text=text,
        score=float(score),
    )


def _required_text(fields: dict[str, Any], key: str) -> str:
    value = _optional_text(fields, key)
    if value is None:
        raise AnnotationFormatError(f"the front matter has no `{key}:`")
    return value


def _optional_text(fields: dict[str, Any], key: str) -> str | None:
    value = fields.get(key)
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, datetime):
        # Typed by hand without quotes; keep the usual `...Z` spelling for UTC.
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, (date, int, float)) and not isinstance(value, bool):
        return str(value)
    raise AnnotationFormatError(f"`{key}:` should be text, not {_describe(value)}")


def _required_int(fields: dict[str, Any], key: str) -> int:
    value = fields.get(key)
    if value is None:
        raise AnnotationFormatError(f"the front matter has no `{key}:`")
    if isinstance(value, bool) or not isinstance(value, int):
        raise AnnotationFormatError(f"`{key}:` should be a whole number, not {_describe(value)}")
    return value


def _optional_seconds(fields: dict[str, Any], key: str) -> float | None:
    value = fields.get(key)
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    if isinstance(value, str):
        # A hand-written clock time such as `1:02:03` is fine too.
        seconds = try_parse_timecode(value)
        if seconds is not None:
            return seconds
    raise AnnotationFormatError(f"`{key}:` should be a time in seconds, not {_describe(value)}")


def _tags(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    tags: list[str] = []
    for item in items:
        if item is None or isinstance(item, (dict, list)):
            raise AnnotationFormatError(f"`tags:` should be a list of words, not {_describe(item)}")
        tags.append(item if isinstance(item, str) else str(item))
    return tuple(tags)


def _flag(fields: dict[str, Any], key: str) -> bool:
    value = fields.get(key, False)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise AnnotationFormatError(f"`{key}:` should be true or false, not {_describe(value)}")
    return value


def _describe(value: object) -> str:
    if isinstance(value, dict):
        return "a nested mapping"
    if isinstance(value, list):
        return "a list"
    return repr(value)
