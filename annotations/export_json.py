"""JSON export in the W3C Web Annotation shape (https://www.w3.org/TR/annotation-model/).

A JSON array of annotations, each valid against the Web Annotation model's MUSTs. Motivation:
highlight -> highlighting, note -> commenting, dissent -> assessing; the note and each tag are
TextualBody bodies.

`target` is always an array of Specific Resources, so that every selector stands on a resource
that holds what it selects:

- First, the words: the source file as readmark reads it, named by an absolute IRI,
  `urn:readmark:source:<percent-encoded vault path>` (a vault path alone is no IRI), with a
  TextQuoteSelector (the quote, with some text before and after) and a TextPositionSelector
  (offsets into readmark's normalised text of the file: its segments joined by a blank line).
  While an annotation is orphaned or needs review its stored offsets belong to the text before
  the edit, so the position selector is left out and the quote alone says what was marked.
  When the annotation has no time (an article, a transcript's heading), the source's URL is
  this resource's `via` (where its text came from): the page may hold the same words, but not
  at readmark's offsets, so no selector points into it.
- Second, when the annotation has a time and its source a URL: the moment in the media, a
  FragmentSelector `t=start,end` (W3C media fragments) on the URL. A video or podcast page
  does not hold the transcript's text, so no text selector is put on it.

The body relates to each target: the words in the transcript and the moment in the recording.
What the model has no word for goes in a `readmark` object, declared in the `@context` (the
anno.jsonld context, then readmark's terms) so that JSON-LD processors keep it: the vault path
(`sourceId`), `kind`, `speaker`, `confidence`, the times in seconds (`startSeconds`,
`endSeconds`), and `orphaned` / `needsReview` when set. Its names keep clear of the model's
own (`source`, `start`, `end` mean other things there).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any
from urllib.parse import quote

from readmark.annotations.export import SourceLookup, in_reading_order, lookup
from readmark.annotations.model import Annotation, Kind
from readmark.library.model import Source

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
NAMESPACE = "https://github.com/readmark/readmark/blob/main/docs/web-annotation.md#"
"""readmark's terms in the export; the page describes each."""
EXTENSION_TERMS = (
    "sourceId",
    "kind",
    "speaker",
    "confidence",
    "startSeconds",
    "endSeconds",
    "orphaned",
    "needsReview",
)
CONTEXT: list[Any] = [
    ANNO_CONTEXT,
    {"readmark": NAMESPACE, **{term: f"readmark:{term}" for term in EXTENSION_TERMS}},
]
MEDIA_FRAGMENTS = "http://www.w3.org/TR/media-frags/"
SOURCE_URN = "urn:readmark:source:"
ANNOTATION_URN = "urn:readmark:annotation:"
MOTIVATIONS = {Kind.HIGHLIGHT: "highlighting", Kind.NOTE: "commenting", Kind.DISSENT: "assessing"}

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_URI_CHARACTERS = "!#$&'()*+,/:;=?@[]~%"
"""Reserved characters and `%`, kept as they are when a URL is made a URI."""


def export_json(annotations: Iterable[Annotation], sources: SourceLookup) -> str:
    """All `annotations` as a JSON array of Web Annotations, in reading order."""
    items = [web_annotation(a, lookup(sources, a.source)) for a in in_reading_order(annotations)]
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


def web_annotation(annotation: Annotation, source: Source | None) -> dict[str, Any]:
    """One annotation as a Web Annotation object."""
    item: dict[str, Any] = {
        "@context": CONTEXT,
        "id": ANNOTATION_URN + quote(annotation.id, safe=""),
        "type": "Annotation",
        "motivation": MOTIVATIONS[annotation.kind],
    }
    created, modified = date_time(annotation.created), date_time(annotation.updated)
    if created:
        item["created"] = created
    if modified:
        item["modified"] = modified
    bodies = _bodies(annotation)
    if bodies:
        item["body"] = bodies
    url = absolute_uri(source.url) if source and source.url else None
    moment = _media_fragment(annotation)
    if url and moment:
        item["target"] = [_words(annotation, via=None), _moment(url, moment)]
    else:
        item["target"] = [_words(annotation, via=url)]
    item["readmark"] = _extension(annotation)
    return item


def source_iri(source_id: str) -> str:
    """`urn:readmark:source:talks/ep%201.srt`: a vault path as an absolute IRI, every byte of a
    name that is not UTF-8 kept (percent-encoded)."""
    try:
        raw = source_id.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        raw = source_id.encode("utf-8", "surrogatepass")
    return SOURCE_URN + quote(raw, safe="/")


def absolute_uri(url: str) -> str | None:
    """`url` as an absolute URI (spaces and non-ASCII characters percent-encoded), or None when
    it has no scheme (`www.example.org/x`) and so names nothing by itself."""
    url = url.strip()
    if not _SCHEME.match(url):
        return None
    return quote(url, safe=_URI_CHARACTERS)


def date_time(stamp: str) -> str | None:
    """`stamp` when it is a date and time with its offset (as readmark writes them), else None:
    the model wants `xsd:dateTime`, and a hand-edited file may hold anything."""
    if "T" not in stamp:
        return None
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return None
    return stamp if moment.tzinfo is not None else None


def _words(annotation: Annotation, via: str | None) -> dict[str, Any]:
    quote_selector = annotation.anchor.quote
    selectors: list[dict[str, Any]] = [
        {
            "type": "TextQuoteSelector",
            "exact": quote_selector.exact,
            "prefix": quote_selector.prefix,
            "suffix": quote_selector.suffix,
        }
    ]
    if not (annotation.orphaned or annotation.needs_review):
        position = annotation.anchor.position
        selectors.append(
            {"type": "TextPositionSelector", "start": position.start, "end": position.end}
        )
    text: dict[str, Any] = {"id": source_iri(annotation.source), "type": "Text"}
    if via:
        text["via"] = via
    return {"type": "SpecificResource", "source": text, "selector": selectors}


def _moment(media_url: str, fragment: str) -> dict[str, Any]:
    selector = {"type": "FragmentSelector", "conformsTo": MEDIA_FRAGMENTS, "value": fragment}
    return {"type": "SpecificResource", "source": media_url, "selector": [selector]}


def _media_fragment(annotation: Annotation) -> str | None:
    """`t=244,250.5` (or `t=244` without an end), None when the annotation has no time."""
    if annotation.start is None:
        return None
    span = _number(annotation.start)
    if annotation.end is not None and annotation.end > annotation.start:
        span += f",{_number(annotation.end)}"
    return f"t={span}"


def _extension(annotation: Annotation) -> dict[str, Any]:
    extra: dict[str, Any] = {"sourceId": annotation.source, "kind": str(annotation.kind)}
    if annotation.speaker:
        extra["speaker"] = annotation.speaker
    if annotation.confidence is not None:
        extra["confidence"] = str(annotation.confidence)
    if annotation.start is not None:
        extra["startSeconds"] = annotation.start
        if annotation.end is not None:
            extra["endSeconds"] = annotation.end
    if annotation.orphaned:
        extra["orphaned"] = True
    if annotation.needs_review:
        extra["needsReview"] = True
    return extra


def _bodies(annotation: Annotation) -> list[dict[str, Any]]:
    bodies: list[dict[str, Any]] = []
    if annotation.note.strip():
        bodies.append(
            {
                "type": "TextualBody",
                "value": annotation.note,
                "format": "text/markdown",
                "purpose": MOTIVATIONS[annotation.kind],
            }
        )
    bodies.extend(
        {"type": "TextualBody", "purpose": "tagging", "value": t} for t in annotation.tags
    )
    return bodies


def _number(seconds: float) -> str:
    """`244`, `5.5`: media fragments take seconds without a needless `.0`."""
    return f"{seconds:.3f}".rstrip("0").rstrip(".")
