"""What the search index holds: its fields, how documents are built, and how queries are parsed."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from whoosh.analysis import Analyzer, RegexTokenizer, StemmingAnalyzer
from whoosh.analysis.filters import LowercaseFilter
from whoosh.fields import DATETIME, ID, KEYWORD, STORED, TEXT, Schema
from whoosh.qparser import GtLtPlugin, MultifieldParser, QueryParser

from annotations.model import Annotation
from library.model import Source

SCHEMA_VERSION = 1
"""Bumped whenever the fields change; an index of another version is rebuilt."""

ANNOTATION = "annotation"
PASSAGE = "passage"
TEXT_FIELDS = ("quote", "note", "text")
"""Where plain words are looked for."""

FIELD_ALIASES = {"tags": "tag", "date": "created", "type": "type"}
"""Spellings users reach for, mapped to the field that exists."""

_ID_WORDS = re.compile(r"[\W_]+")

# One stemming analyzer shared by the schema, the parser and snippets, so all three agree on terms.
STEMMING: Analyzer = StemmingAnalyzer(cachesize=100_000)
NAMES: Analyzer = RegexTokenizer() | LowercaseFilter()
"""Names and titles: lowercased words, no stemming, no stop words."""


def build_schema() -> Schema:
    return Schema(
        id=ID(stored=True, unique=True),
        type=ID(stored=True),
        source_id=ID(stored=True),
        source=TEXT(analyzer=NAMES, phrase=False),
        kind=KEYWORD(lowercase=True, stored=True),
        tag=KEYWORD(lowercase=True, commas=True),
        speaker=TEXT(analyzer=NAMES),
        quote=TEXT(analyzer=STEMMING, stored=True),
        note=TEXT(analyzer=STEMMING, stored=True),
        text=TEXT(analyzer=STEMMING, stored=True),
        created=DATETIME(),
        start=STORED(),
    )


def passage_id(source_id: str, segment_index: int) -> str:
    return f"{source_id}#{segment_index}"


def segment_index_of(doc_id: str) -> int | None:
    """The segment index in a passage id (`<source>#<index>`), None for an annotation id."""
    _, sep, tail = doc_id.rpartition("#")
    return int(tail) if sep and tail.isdigit() else None


def source_words(source_id: str, title: str) -> str:
    """What `source:` matches: the words of the source's path and of its title."""
    return f"{_ID_WORDS.sub(' ', source_id)} {title}".strip()


def parse_created(stamp: str) -> datetime | None:
    """The annotation's creation time, or None when it is missing or unreadable."""
    if not stamp:
        return None
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return None
    # Whoosh compares naive datetimes; annotation times are UTC.
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def annotation_document(annotation: Annotation, source_title: str) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": annotation.id,
        "type": ANNOTATION,
        "source_id": annotation.source,
        "source": source_words(annotation.source, source_title),
        "kind": str(annotation.kind),
        "quote": annotation.quote,
    }
    if annotation.note:
        doc["note"] = annotation.note
    if annotation.tags:
        doc["tag"] = ",".join(annotation.tags)
    if annotation.speaker:
        doc["speaker"] = annotation.speaker
    created = parse_created(annotation.created)
    if created is not None:
        doc["created"] = created
    if annotation.start is not None:
        doc["start"] = annotation.start
    return doc


def passage_documents(source: Source) -> Iterator[dict[str, Any]]:
    """One document per segment of the source, each findable by the source's title."""
    words = source_words(source.id, source.title)
    for segment in source.segments:
        doc: dict[str, Any] = {
            "id": passage_id(source.id, segment.index),
            "type": PASSAGE,
            "source_id": source.id,
            "source": words,
            "text": segment.text,
        }
        if segment.speaker:
            doc["speaker"] = segment.speaker
        if segment.start is not None:
            doc["start"] = segment.start
        yield doc


def build_parser(schema: Schema) -> QueryParser:
    """Plain words over quote, note and text; `field:value`, phrases, ranges and `>`/`<` dates."""
    parser = MultifieldParser(list(TEXT_FIELDS), schema)
    parser.add_plugin(GtLtPlugin())
    return parser
