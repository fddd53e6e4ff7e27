"""The JSON export is a list of W3C Web Annotations that a W3C consumer reads right.

`MUSTS` restates, as JSON Schema fragments, the MUST assertions of the W3C Web Annotation test
suite that apply to what readmark writes: the annotation's @context, id, type, target, bodies,
dates, Specific Resources and selectors (https://www.w3.org/TR/annotation-model/). `uri` means an
absolute URI (RFC 3986) and `date-time` an RFC 3339 time, as the suite's validator reads them.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from typing import Any

import pytest
from jsonschema import Draft7Validator, FormatChecker
from readmark.annotations.anchoring import new_annotation
from readmark.annotations.export_json import CONTEXT, export_json, web_annotation
from readmark.annotations.model import Annotation, Candidate, Confidence, Kind
from readmark.library.builder import SourceBuilder
from readmark.library.model import Source

# -- the W3C MUST assertions, in JSON Schema ---------------------------------------------------

URI = re.compile(
    r"[A-Za-z][A-Za-z0-9+.-]*:(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?#\[\]]|%[0-9A-Fa-f]{2})*"
)
DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})")
FORMATS = FormatChecker(formats=())
FORMATS.checks("uri")(lambda value: not isinstance(value, str) or bool(URI.fullmatch(value)))
FORMATS.checks("date-time")(
    lambda value: not isinstance(value, str) or bool(DATE_TIME.fullmatch(value))
)

IRI: dict[str, Any] = {"type": "string", "format": "uri"}
ONE_IRI: dict[str, Any] = {
    "oneOf": [IRI, {"type": "array", "minItems": 1, "maxItems": 1, "items": IRI}]
}
ONE_TIME: dict[str, Any] = {
    "oneOf": [
        {"type": "string", "format": "date-time"},
        {"type": "array", "minItems": 1, "maxItems": 1, "items": {"format": "date-time"}},
    ]
}
OTHER_PROPERTIES: dict[str, Any] = {
    "created": ONE_TIME,
    "modified": ONE_TIME,
    "generated": ONE_TIME,
    "rights": {"oneOf": [IRI, {"type": "array", "items": IRI}]},
    "canonical": ONE_IRI,
    "via": {"oneOf": [IRI, {"type": "array", "items": IRI}]},
    "textDirection": {"enum": ["ltr", "rtl", "auto"]},
}
SELECTOR_TYPES = [
    "FragmentSelector",
    "CssSelector",
    "XPathSelector",
    "TextQuoteSelector",
    "TextPositionSelector",
    "DataPositionSelector",
    "SvgSelector",
    "RangeSelector",
]
SELECTOR: dict[str, Any] = {
    "oneOf": [
        IRI,
        {
            "type": "object",
            "required": ["type"],
            "properties": {"type": {"enum": SELECTOR_TYPES}},
            "allOf": [
                {  # Fragment, CSS and XPath selectors: one value
                    "anyOf": [
                        {"properties": {"type": {"not": {"enum": SELECTOR_TYPES[:3]}}}},
                        {"required": ["value"], "properties": {"value": {"type": "string"}}},
                    ]
                },
                {  # a quote: one exact string, and strings around it
                    "anyOf": [
                        {"properties": {"type": {"not": {"enum": ["TextQuoteSelector"]}}}},
                        {
                            "required": ["exact"],
                            "properties": {
                                "exact": {"type": "string"},
                                "prefix": {"type": "string"},
                                "suffix": {"type": "string"},
                            },
                        },
                    ]
                },
                {  # positions: a start and an end, each one integer from 0
                    "anyOf": [
                        {"properties": {"type": {"not": {"enum": SELECTOR_TYPES[4:6]}}}},
                        {
                            "required": ["start", "end"],
                            "properties": {
                                "start": {"type": "integer", "minimum": 0},
                                "end": {"type": "integer", "minimum": 0},
                            },
                        },
                    ]
                },
                {"properties": {"conformsTo": IRI}},
            ],
        },
    ]
}
EXTERNAL_RESOURCE: dict[str, Any] = {
    "type": "object",
    "required": ["id"],
    "properties": {"id": IRI, **OTHER_PROPERTIES},
    "not": {"anyOf": [{"required": [key]} for key in ("value", "source", "target", "items")]},
}
SPECIFIC_RESOURCE: dict[str, Any] = {
    "type": "object",
    "required": ["source"],
    "properties": {
        "source": {"oneOf": [IRI, EXTERNAL_RESOURCE]},
        "selector": {"oneOf": [SELECTOR, {"type": "array", "minItems": 1, "items": SELECTOR}]},
        **OTHER_PROPERTIES,
    },
    "anyOf": [
        {"required": [key]}
        for key in ("purpose", "selector", "state", "styleClass", "renderedVia", "scope")
    ],
    "not": {"anyOf": [{"required": ["items"]}, {"required": ["value"]}]},
}
TARGET: dict[str, Any] = {
    "oneOf": [IRI, SPECIFIC_RESOURCE, {**EXTERNAL_RESOURCE, "not": {"required": ["purpose"]}}]
}
TEXTUAL_BODY: dict[str, Any] = {
    "type": "object",
    "required": ["value"],
    "properties": {"value": {"type": "string"}, **OTHER_PROPERTIES},
    "not": {"anyOf": [{"required": ["source"]}, {"required": ["items"]}]},
}
BODY: dict[str, Any] = {"oneOf": [IRI, TEXTUAL_BODY, SPECIFIC_RESOURCE, EXTERNAL_RESOURCE]}


def one_or_more(item: dict[str, Any]) -> dict[str, Any]:
    return {"oneOf": [item, {"type": "array", "minItems": 1, "items": item}]}


MUSTS: dict[str, dict[str, Any]] = {
    "@context is or includes the anno.jsonld IRI": {
        "required": ["@context"],
        "properties": {
            "@context": {
                "oneOf": [
                    {"enum": ["http://www.w3.org/ns/anno.jsonld"]},
                    {"type": "array", "contains": {"enum": ["http://www.w3.org/ns/anno.jsonld"]}},
                ]
            }
        },
    },
    "id is one absolute IRI": {"required": ["id"], "properties": {"id": IRI}},
    "type is or includes Annotation": {
        "required": ["type"],
        "properties": {
            "type": {
                "oneOf": [
                    {"enum": ["Annotation"]},
                    {"type": "array", "contains": {"enum": ["Annotation"]}},
                ]
            }
        },
    },
    "has a target": {"required": ["target"]},
    "each target is an IRI, an external resource or a specific resource": {
        "properties": {"target": one_or_more(TARGET)}
    },
    "each body is an IRI, a textual body, an external or a specific resource": {
        "properties": {"body": one_or_more(BODY)}
    },
    "not both body and bodyValue": {"not": {"required": ["body", "bodyValue"]}},
    "dates, rights, canonical and via are well formed": {"properties": OTHER_PROPERTIES},
}
VALIDATORS = {
    name: Draft7Validator({"type": "object", **schema}, format_checker=FORMATS)
    for name, schema in MUSTS.items()
}


def must_failures(item: dict[str, Any]) -> list[str]:
    """The MUST assertions `item` fails, by name."""
    return [name for name, validator in VALIDATORS.items() if not validator.is_valid(item)]


# -- sources and annotations ------------------------------------------------------------------

MEDIA = "https://www.youtube.com/watch?v=heat42"


def episode() -> Source:
    builder = SourceBuilder("talks/night shift.srt", "Night Shift", "srt")
    builder.add_segment("Welcome back to the show.", start=0.0, end=12.0, speaker="Host")
    builder.add_segment(
        "Most heat deaths happen indoors, at night.", start=12.0, end=19.5, speaker="Ines"
    )
    builder.add_segment("So the afternoon peak misleads us.", start=19.5, end=30.0, speaker="Host")
    return builder.build(url=MEDIA)


def essay(url: str | None = None) -> Source:
    builder = SourceBuilder("notes/shade.md", "Shade", "markdown")
    builder.add_segment("Shade is infrastructure, not decoration.")
    return builder.build(url=url)


def annotate(
    source: Source,
    quote: str,
    kind: Kind = Kind.HIGHLIGHT,
    note: str = "",
    *,
    tags: tuple[str, ...] = (),
    confidence: Confidence | None = None,
    ident: str = "01kaaaaaaaaaaaaaaa",
) -> Annotation:
    at = source.text.index(quote)
    made = new_annotation(source, at, at + len(quote), kind, note, tags, confidence)
    return replace(made, id=ident, created="2026-03-14T09:30:00Z", updated="2026-03-15T18:00:00Z")


def every_case() -> list[tuple[Annotation, Source | None]]:
    talk, notes = episode(), essay()
    return [
        (annotate(talk, "Most heat deaths happen indoors, at night.", Kind.DISSENT, "No."), talk),
        (annotate(talk, "Welcome back", tags=("intro",)), talk),
        (replace(annotate(talk, "So the afternoon peak"), orphaned=True), talk),
        (annotate(notes, "Shade is infrastructure", Kind.NOTE, "Yes.", tags=("city",)), notes),
        (annotate(notes, "not decoration"), essay("https://example.org/essays/shade café")),
        (annotate(notes, "not decoration"), None),  # the source is gone
        (replace(annotate(notes, "Shade"), created="yesterday", updated="2026-03-15"), notes),
    ]


# -- every annotation meets the MUSTs ----------------------------------------------------------


@pytest.mark.parametrize("case", range(len(every_case())))
def test_every_exported_annotation_meets_the_w3c_musts(case: int) -> None:
    annotation, source = every_case()[case]
    item = json.loads(export_json([annotation], {source.id: source} if source else {}))[0]
    assert must_failures(item) == []


def test_the_musts_catch_a_vault_path_as_target_source() -> None:
    """The export as it was: a source without a URL named by its vault path, a relative
    reference where the model wants an IRI."""
    item = web_annotation(annotate(essay(), "Shade is infrastructure"), essay())
    item["target"] = {"source": "notes/shade.md", "selector": item["target"][0]["selector"]}
    assert must_failures(item) == [
        "each target is an IRI, an external resource or a specific resource"
    ]
    item["target"]["source"] = "urn:readmark:source:notes/shade.md"
    assert must_failures(item) == []
    item["created"] = "2026-03-14"
    item["@context"] = ["http://example.org/other.jsonld"]
    assert must_failures(item) == [
        "@context is or includes the anno.jsonld IRI",
        "dates, rights, canonical and via are well formed",
    ]


# -- what a consumer reads ---------------------------------------------------------------------

EXPECTED_CONTEXT = [
    "http://www.w3.org/ns/anno.jsonld",
    {
        "readmark": "https://github.com/readmark/readmark/blob/main/docs/web-annotation.md#",
        "sourceId": "readmark:sourceId",
        "kind": "readmark:kind",
        "speaker": "readmark:speaker",
        "confidence": "readmark:confidence",
        "startSeconds": "readmark:startSeconds",
        "endSeconds": "readmark:endSeconds",
        "orphaned": "readmark:orphaned",
        "needsReview": "readmark:needsReview",
    },
]


def test_a_timed_source_with_a_url_has_the_words_and_the_moment_as_targets() -> None:
    talk = episode()
    dissent = annotate(
        talk,
        "Most heat deaths happen indoors, at night.",
        Kind.DISSENT,
        "Heat deaths peak over days.",
        tags=("heat",),
        confidence=Confidence.MEDIUM,
    )
    assert json.loads(export_json([dissent], {talk.id: talk})) == [
        {
            "@context": EXPECTED_CONTEXT,
            "id": "urn:readmark:annotation:01kaaaaaaaaaaaaaaa",
            "type": "Annotation",
            "motivation": "assessing",
            "created": "2026-03-14T09:30:00Z",
            "modified": "2026-03-15T18:00:00Z",
            "body": [
                {
                    "type": "TextualBody",
                    "value": "Heat deaths peak over days.",
                    "format": "text/markdown",
                    "purpose": "assessing",
                },
                {"type": "TextualBody", "purpose": "tagging", "value": "heat"},
            ],
            "target": [
                {
                    "type": "SpecificResource",
                    "source": {"id": "urn:readmark:source:talks/night%20shift.srt", "type": "Text"},
                    "selector": [
                        {
                            "type": "TextQuoteSelector",
                            "exact": "Most heat deaths happen indoors, at night.",
                            "prefix": "Welcome back to the show.\n\n",
                            "suffix": "\n\nSo the afternoon peak misleads",
                        },
                        {"type": "TextPositionSelector", "start": 27, "end": 69},
                    ],
                },
                {
                    "type": "SpecificResource",
                    "source": "https://www.youtube.com/watch?v=heat42",
                    "selector": [
                        {
                            "type": "FragmentSelector",
                            "conformsTo": "http://www.w3.org/TR/media-frags/",
                            "value": "t=12,19.5",
                        }
                    ],
                },
            ],
            "readmark": {
                "sourceId": "talks/night shift.srt",
                "kind": "dissent",
                "speaker": "Ines",
                "confidence": "medium",
                "startSeconds": 12.0,
                "endSeconds": 19.5,
            },
        }
    ]


def test_a_source_without_a_url_is_named_by_an_iri_and_holds_the_selectors() -> None:
    notes = essay()
    highlight = annotate(notes, "not decoration")
    assert json.loads(export_json([highlight], {notes.id: notes})) == [
        {
            "@context": EXPECTED_CONTEXT,
            "id": "urn:readmark:annotation:01kaaaaaaaaaaaaaaa",
            "type": "Annotation",
            "motivation": "highlighting",
            "created": "2026-03-14T09:30:00Z",
            "modified": "2026-03-15T18:00:00Z",
            "target": [
                {
                    "type": "SpecificResource",
                    "source": {"id": "urn:readmark:source:notes/shade.md", "type": "Text"},
                    "selector": [
                        {
                            "type": "TextQuoteSelector",
                            "exact": "not decoration",
                            "prefix": "Shade is infrastructure, ",
                            "suffix": ".",
                        },
                        {"type": "TextPositionSelector", "start": 25, "end": 39},
                    ],
                }
            ],
            "readmark": {"sourceId": "notes/shade.md", "kind": "highlight"},
        }
    ]


def test_an_untimed_sources_url_is_where_its_text_came_from_not_a_place_for_offsets() -> None:
    notes = essay("https://example.org/essays/shade café")
    item = web_annotation(annotate(notes, "not decoration"), notes)
    assert len(item["target"]) == 1
    assert item["target"][0]["source"] == {
        "id": "urn:readmark:source:notes/shade.md",
        "type": "Text",
        "via": "https://example.org/essays/shade%20caf%C3%A9",
    }


def test_an_orphaned_or_needs_review_annotation_keeps_its_quote_but_not_stale_offsets() -> None:
    talk, notes = episode(), essay()
    orphan = replace(
        annotate(talk, "So the afternoon peak misleads us.", note="Lost?"), orphaned=True
    )
    candidate = Candidate(start=0, end=5, text="Shade", score=71.0)
    review = replace(
        annotate(notes, "Shade is infrastructure", ident="01kbbbbbbbbbbbbbbb"), candidate=candidate
    )
    items = json.loads(export_json([orphan, review], {talk.id: talk, notes.id: notes}))
    by_id = {item["id"].rsplit(":", 1)[1]: item for item in items}

    lost = by_id["01kaaaaaaaaaaaaaaa"]
    assert lost["target"] == [
        {
            "type": "SpecificResource",
            "source": {"id": "urn:readmark:source:talks/night%20shift.srt", "type": "Text"},
            "selector": [
                {
                    "type": "TextQuoteSelector",
                    "exact": "So the afternoon peak misleads us.",
                    "prefix": "aths happen indoors, at night.\n\n",
                    "suffix": "",
                }
            ],
        },
        {
            "type": "SpecificResource",
            "source": "https://www.youtube.com/watch?v=heat42",
            "selector": [
                {
                    "type": "FragmentSelector",
                    "conformsTo": "http://www.w3.org/TR/media-frags/",
                    "value": "t=19.5,30",
                }
            ],
        },
    ]
    assert lost["body"][0]["value"] == "Lost?"
    assert lost["readmark"] == {
        "sourceId": "talks/night shift.srt",
        "kind": "highlight",
        "speaker": "Host",
        "startSeconds": 19.5,
        "endSeconds": 30.0,
        "orphaned": True,
    }

    pending = by_id["01kbbbbbbbbbbbbbbb"]
    assert pending["target"] == [
        {
            "type": "SpecificResource",
            "source": {"id": "urn:readmark:source:notes/shade.md", "type": "Text"},
            "selector": [
                {
                    "type": "TextQuoteSelector",
                    "exact": "Shade is infrastructure",
                    "prefix": "",
                    "suffix": ", not decoration.",
                }
            ],
        }
    ]
    assert pending["readmark"] == {
        "sourceId": "notes/shade.md",
        "kind": "highlight",
        "needsReview": True,
    }


def test_every_readmark_key_is_declared_in_the_context_apart_from_the_models_terms() -> None:
    """A JSON-LD processor drops keys its context does not define, and reads a key the anno
    context defines (`source`, `start`) with the model's meaning."""
    declared = CONTEXT[1]
    used: set[str] = {"readmark"}
    for annotation, source in every_case():
        item = web_annotation(replace(annotation, candidate=Candidate(0, 1, "M", 50.0)), source)
        used.update(item["readmark"])
        assert item["@context"] == CONTEXT
    assert used <= set(declared)
    assert not used & {"source", "start", "end", "type", "id", "value", "purpose", "format"}
    assert all(declared[key].startswith("readmark:") for key in used - {"readmark"})


def test_motivations_dates_and_tags() -> None:
    talk, notes = episode(), essay()
    items = json.loads(
        export_json(
            [
                annotate(talk, "Welcome back", Kind.NOTE, "Nice opening."),
                annotate(notes, "Shade", ident="01kccccccccccccccc", tags=("city", "trees")),
                replace(
                    annotate(notes, "decoration", ident="01kddddddddddddddd"),
                    created="yesterday",
                    updated="2026-03-15",
                ),
            ],
            {talk.id: talk, notes.id: notes},
        )
    )
    assert [item["motivation"] for item in items] == ["highlighting", "highlighting", "commenting"]
    assert items[0]["body"] == [
        {"type": "TextualBody", "purpose": "tagging", "value": "city"},
        {"type": "TextualBody", "purpose": "tagging", "value": "trees"},
    ]
    # A date that is not a date and time with its offset is left out, not passed on broken.
    assert "created" not in items[1] and "modified" not in items[1]
    assert "body" not in items[1]
    assert items[2]["body"][0]["purpose"] == "commenting"
