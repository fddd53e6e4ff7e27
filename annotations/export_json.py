"""JSON export in the W3C Web Annotation shape (https://www.w3.org/TR/annotation-model/).

A JSON array of annotations. Motivation: highlight -> highlighting, note -> commenting,
dissent -> assessing. The target's source is the source's URL when it has one (else its vault
id), with a TextQuoteSelector, a TextPositionSelector (offsets into the normalised text) and,
when timed, a media-fragment FragmentSelector `t=start,end`. What the model has no word for
(kind, confidence, speaker, vault id, orphaned) goes in a `readmark` object.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from readmark.annotations.export import SourceLookup, in_reading_order, lookup
from readmark.annotations.model import Annotation, Kind
from readmark.library.model import Source

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
MEDIA_FRAGMENTS = "http://www.w3.org/TR/media-frags/"
MOTIVATIONS = {Kind.HIGHLIGHT: "highlighting", Kind.NOTE: "commenting", Kind.DISSENT: "assessing"}


def export_json(annotations: Iterable[Annotation], sources: SourceLookup) -> str:
    """All `annotations` as a JSON array of Web Annotations, in reading order."""
    items = [web_annotation(a, lookup(sources, a.source)) for a in in_reading_order(annotations)]
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


def web_annotation(annotation: Annotation, source: Source | None) -> dict[str, Any]:
    """One annotation as a Web Annotation object."""
    quote = annotation.anchor.quote
    position = annotation.anchor.position
    selectors: list[dict[str, Any]] = [
        {
            "type": "TextQuoteSelector",
            "exact": quote.exact,
            "prefix": quote.prefix,
            "suffix": quote.suffix,
        },
        {"type": "TextPositionSelector", "start": position.start, "end": position.end},
    ]
    if annotation.start is not None:
        span = _number(annotation.start)
        if annotation.end is not None and annotation.end > annotation.start:
            span += f",{_number(annotation.end)}"
        selectors.append(
            {"type": "FragmentSelector", "conformsTo": MEDIA_FRAGMENTS, "value": f"t={span}"}
        )
    item: dict[str, Any] = {
        "@context": CONTEXT,
        "id": f"urn:readmark:annotation:{annotation.id}",
        "type": "Annotation",
        "motivation": MOTIVATIONS[annotation.kind],
    }
    if annotation.created:
        item["created"] = annotation.created
    if annotation.updated:
        item["modified"] = annotation.updated
    bodies = _bodies(annotation)
    if bodies:
        item["body"] = bodies
    item["target"] = {
        "source": (source.url if source else None) or annotation.source,
        "selector": selectors,
    }
    extra: dict[str, Any] = {"source": annotation.source, "kind": str(annotation.kind)}
    if annotation.speaker:
        extra["speaker"] = annotation.speaker
    if annotation.confidence is not None:
        extra["confidence"] = str(annotation.confidence)
    if annotation.orphaned:
        extra["orphaned"] = True
    item["readmark"] = extra
    return item


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
