"""Drafts computed from the annotations: nothing is stored, every draft is made afresh.

Three views:

- `dissent` (the default), "Where NAME is most likely wrong": the dissent notes on what NAME
  says, one section per topic (an annotation's first tag; untagged ones under "Other").
  Topics are ordered by summed confidence, each dissent weighing `CONFIDENCE_WEIGHT` (high 3,
  medium 2, low 1; a dissent without a confidence weighs 1, as low); within a topic the
  weightiest dissent comes first. Each entry is the quote as `citation.cite` renders it (with
  the configured default template), the counterpoint (the note) and the confidence, then up to
  `MAX_RELATED` highlights or notes from other sources on the same topic (each shown once).
  Last, the dissent notes on what other sources claim about NAME: sources where NAME neither
  speaks nor writes, which name NAME.
  NAME is the `speaker` filter; without one, all dissent notes are in the topics, and NAME is
  the one person they are all about (or "the speakers").
- `positions`: per topic (first tag, alphabetical, "Other" last), what each source said (the
  quote) and what the reader noted.
- `session`: everything annotated (created or edited) since a time (`DEFAULT_SESSION` ago
  when none is given), grouped by source, sources in the order they were annotated.

Filters: speaker (who says the quote: its speaker, or an article's authors), since (`2h`,
`30m`, `3d`, `1w`, or a UTC date or time), tags (any of them), sources, and least confidence
(dissent notes below it are left out; highlights and notes have no confidence and stay).
Every matching annotation appears once; orphaned ones (their quote is gone from the changed
source) are left out and counted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path

from readmark.annotations.citation import cite, join_names, who_said
from readmark.annotations.config import load_citation_config
from readmark.annotations.export import SourceLookup, in_reading_order, lookup
from readmark.annotations.model import Annotation, Confidence, Kind
from readmark.annotations.names import name_words, same_person
from readmark.library.model import Role, Source


class DigestView(StrEnum):
    DISSENT = "dissent"
    POSITIONS = "positions"
    SESSION = "session"


class DigestError(Exception):
    """A digest cannot be drafted as asked; the message says what to give instead."""


CONFIDENCE_WEIGHT = {Confidence.HIGH: 3, Confidence.MEDIUM: 2, Confidence.LOW: 1}
"""What a dissent note's confidence weighs when topics are ordered."""
NO_CONFIDENCE_WEIGHT = 1
"""What a dissent note without a confidence weighs: as much as a low one."""
OTHER_TOPIC = "Other"
"""The topic of annotations without tags."""
MAX_RELATED = 3
DEFAULT_SESSION = "24h"
"""How far back a session digest looks when no time is given."""

_AGO = re.compile(r"(\d+)\s*(m|min|h|d|w)", re.IGNORECASE)
_UNIT_SECONDS = {"m": 60, "min": 60, "h": 3600, "d": 86400, "w": 604800}


@dataclass(frozen=True, slots=True)
class DigestFilter:
    """Which annotations a digest takes (every field unset: all of them)."""

    speaker: str | None = None
    since: datetime | None = None
    tags: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    min_confidence: Confidence | None = None

    def described(self) -> list[str]:
        """The filters in words, for the head of the digest."""
        parts = []
        if self.speaker:
            parts.append(f"speaker {self.speaker}")
        if self.tags:
            parts.append("tags " + ", ".join(self.tags))
        if self.sources:
            parts.append("sources " + ", ".join(self.sources))
        if self.min_confidence:
            parts.append(f"confidence {self.min_confidence} or higher")
        if self.since:
            parts.append(f"since {format_utc(self.since)}")
        return parts


def parse_since(text: str, now: datetime | None = None) -> datetime:
    """`2h`, `30m`, `3d`, `1w` ago, or a date (`2026-04-09`) or time (`2026-04-09 10:00`) in
    UTC, as annotations store their times."""
    raw = text.strip()
    ago = _AGO.fullmatch(raw)
    if ago:
        seconds = int(ago.group(1)) * _UNIT_SECONDS[ago.group(2).lower()]
        return (now or datetime.now(UTC)) - timedelta(seconds=seconds)
    try:
        when = datetime.fromisoformat(raw.removesuffix("Z").replace(" ", "T", 1))
    except ValueError:
        raise DigestError(
            f"{text!r} is not a time to start from: give how long ago (30m, 2h, 3d, 1w) "
            "or a date (2026-04-09) or time (2026-04-09 10:00), in UTC."
        ) from None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def parse_confidence(text: str) -> Confidence:
    try:
        return Confidence(text.strip().lower())
    except ValueError:
        raise DigestError(f"{text!r} is not a confidence: give low, medium or high.") from None


def format_utc(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def weight(annotation: Annotation) -> int:
    """What a dissent note weighs when topics are ordered (see `CONFIDENCE_WEIGHT`)."""
    if annotation.confidence is None:
        return NO_CONFIDENCE_WEIGHT
    return CONFIDENCE_WEIGHT[annotation.confidence]


def topic(annotation: Annotation) -> str:
    return annotation.tags[0] if annotation.tags else OTHER_TOPIC


@dataclass(frozen=True, slots=True)
class Entry:
    """One annotation in a digest."""

    annotation: Annotation
    citation: str
    """The quote as `citation.cite` renders it."""
    source_title: str
    related: tuple[Entry, ...] = ()
    """Highlights and notes from other sources on the same topic (dissent view)."""


@dataclass(frozen=True, slots=True)
class Section:
    title: str
    entries: tuple[Entry, ...] = ()
    parts: tuple[Section, ...] = ()
    """Sub-sections (the positions view: one per source within a topic)."""
    weight: int = 0
    """Summed confidence of the section's dissent notes (dissent view)."""


@dataclass(frozen=True, slots=True)
class Digest:
    view: DigestView
    title: str
    sections: tuple[Section, ...]
    summary: str
    """What the digest holds, in one sentence (counts, order)."""
    filters: tuple[str, ...] = ()
    orphaned: int = 0
    """Matching annotations left out because their quote is gone from the source."""
    shown: tuple[str, ...] = field(default=())
    """The ids of the annotations shown, in order (each once)."""


@dataclass(frozen=True, slots=True)
class _Citer:
    sources: SourceLookup
    template: str
    templates: Mapping[str, str]
    words: dict[str, frozenset[str]] = field(default_factory=dict)
    """The words of each source looked at (title, tags and text), read once."""

    def words_of(self, source_id: str) -> frozenset[str]:
        if source_id not in self.words:
            source = self.source(source_id)
            text = "" if source is None else " ".join([source.title, *source.tags, source.text])
            self.words[source_id] = _words(text)
        return self.words[source_id]

    def entry(self, annotation: Annotation, related: tuple[Entry, ...] = ()) -> Entry:
        source = lookup(self.sources, annotation.source)
        text = cite(annotation, source, self.template, templates=self.templates)
        return Entry(annotation, text, source.title if source else annotation.source, related)

    def source(self, source_id: str) -> Source | None:
        return lookup(self.sources, source_id)


def build_digest(
    annotations: Iterable[Annotation],
    sources: SourceLookup,
    view: DigestView = DigestView.DISSENT,
    filters: DigestFilter = DigestFilter(),
    *,
    template: str | None = None,
    templates: Mapping[str, str] | None = None,
    config: Path | None = None,
    now: datetime | None = None,
) -> Digest:
    """The digest of `annotations` in `view`. Quotes are cited with `template` (default: the
    configured default template); user templates come from `templates` or the configuration."""
    settings = load_citation_config(config)
    citer = _Citer(
        sources,
        template or settings.default,
        settings.templates if templates is None else templates,
    )
    if view is DigestView.SESSION and filters.since is None:
        filters = replace(filters, since=parse_since(DEFAULT_SESSION, now))
    taken = [a for a in annotations if _passes(a, filters)]
    if view is DigestView.DISSENT:
        return _dissent(taken, filters, citer)
    if filters.speaker:
        taken = [a for a in taken if _said_by(a, citer, filters.speaker)]
    if view is DigestView.POSITIONS:
        return _positions(taken, filters, citer)
    return _session(taken, filters, filters.since or parse_since(DEFAULT_SESSION, now), citer)


def _passes(annotation: Annotation, filters: DigestFilter) -> bool:
    if filters.sources and annotation.source not in filters.sources:
        return False
    if filters.tags:
        wanted = {t.casefold() for t in filters.tags}
        if not any(t.casefold() in wanted for t in annotation.tags):
            return False
    if filters.since is not None and _touched(annotation) < filters.since:
        return False
    if filters.min_confidence is not None and annotation.kind is Kind.DISSENT:
        return weight(annotation) >= CONFIDENCE_WEIGHT[filters.min_confidence]
    return True


_NEVER = datetime.min.replace(tzinfo=UTC)


def _touched(annotation: Annotation) -> datetime:
    """When the annotation was made or last edited (long ago when its file does not say)."""
    return max((_stamp(s) for s in (annotation.created, annotation.updated)), default=_NEVER)


def _stamp(text: str) -> datetime:
    try:
        when = datetime.fromisoformat(text.strip().removesuffix("Z"))
    except ValueError:
        return _NEVER
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def _said_by(annotation: Annotation, citer: _Citer, name: str) -> bool:
    who = who_said(annotation, citer.source(annotation.source))
    return any(same_person(name, person) for person in who)


def _speaks_in(source_id: str, citer: _Citer, name: str) -> bool:
    """Whether `name` is a speaker or an author of the source: its own words, not a claim
    about them."""
    source = citer.source(source_id)
    if source is None:
        return False
    turns = (s.speaker for s in source.segments if s.speaker and s.role is not Role.QUOTE)
    return any(same_person(name, person) for person in [*source.authors, *turns])


def _about(annotation: Annotation, citer: _Citer, name: str) -> bool:
    """Whether an annotation's source (or its quote or note) names the person `name` (their
    full name or their surname)."""
    surname = name_words(name.split()[-1]) if name.split() else frozenset()
    said = citer.words_of(annotation.source) | _words(f"{annotation.quote} {annotation.note}")
    return bool(surname) and (name_words(name) <= said or surname <= said)


def _words(text: str) -> frozenset[str]:
    return name_words(re.sub(r"[^\w\s-]", " ", text))


def _count(number: int, noun: str, plural: str | None = None) -> str:
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def _orphaned_note(number: int) -> str:
    if not number:
        return ""
    its = "its quote is" if number == 1 else "their quotes are"
    return (
        f" {_count(number, 'orphaned annotation')} left out: {its} no longer in the "
        f"{'source' if number == 1 else 'sources'}."
    )


def _dissent(taken: list[Annotation], filters: DigestFilter, citer: _Citer) -> Digest:
    dissents = [a for a in taken if a.kind is Kind.DISSENT]
    name = filters.speaker
    if name:
        main = [a for a in dissents if _said_by(a, citer, name)]
        others = [
            a
            for a in dissents
            if a not in main and not _speaks_in(a.source, citer, name) and _about(a, citer, name)
        ]
    else:
        main, others = dissents, []
    orphaned = sum(a.orphaned for a in [*main, *others])
    main = [a for a in main if not a.orphaned]
    others = [a for a in others if not a.orphaned]
    if not name:
        name = _one_person(main, citer)
    heading = (
        "Where the speakers are most likely wrong"
        if name is None
        else f"Where {name} is most likely wrong"
    )
    related_pool = [
        a for a in in_reading_order(taken) if a.kind is not Kind.DISSENT and not a.orphaned
    ]
    by_topic: dict[str, list[Annotation]] = {}
    for annotation in main:
        by_topic.setdefault(topic(annotation), []).append(annotation)
    order = sorted(
        by_topic.items(),
        key=lambda item: (
            -sum(map(weight, item[1])),
            item[0] == OTHER_TOPIC,
            item[0].casefold(),
        ),
    )
    used: set[str] = set()
    sections = []
    for title, members in order:
        members.sort(key=lambda a: (-weight(a), a.source, a.anchor.position.start, a.id))
        entries = []
        for annotation in members:
            related = _related(annotation, title, related_pool, used, citer)
            entries.append(citer.entry(annotation, related))
        sections.append(Section(title, tuple(entries), weight=sum(map(weight, members))))
    if others:
        others.sort(key=lambda a: (-weight(a), a.source, a.anchor.position.start, a.id))
        sections.append(
            Section(
                f"What other sources claim about {name}",
                tuple(citer.entry(a) for a in others),
                weight=sum(map(weight, others)),
            )
        )
    shown = [e.annotation.id for s in sections for e in s.entries for e in (e, *e.related)]
    sources = {a.source for a in [*main, *others]}
    summary = (
        f"{_count(len(main) + len(others), 'dissent note')} from "
        f"{_count(len(sources), 'source')}"
        + (f", with {_count(len(used), 'related annotation')}" if used else "")
        + ". Topics are ordered by summed confidence (high 3, medium 2, low 1, none 1)."
        + _orphaned_note(orphaned)
    )
    return Digest(
        DigestView.DISSENT,
        heading,
        tuple(sections),
        summary,
        tuple(filters.described()),
        orphaned,
        tuple(shown),
    )


def _one_person(dissents: list[Annotation], citer: _Citer) -> str | None:
    """The one person all the dissent notes are about, if there is one."""
    people = [who_said(a, citer.source(a.source)) for a in dissents]
    if people and all(people):
        first = join_names(people[0])
        if all(same_person(first, join_names(p)) for p in people):
            return first
    return None


def _related(
    annotation: Annotation,
    title: str,
    pool: list[Annotation],
    used: set[str],
    citer: _Citer,
) -> tuple[Entry, ...]:
    if title == OTHER_TOPIC:
        return ()
    found: list[Entry] = []
    for other in pool:
        if len(found) == MAX_RELATED:
            break
        if other.id in used or other.source == annotation.source:
            continue
        if title.casefold() in (t.casefold() for t in other.tags):
            used.add(other.id)
            found.append(citer.entry(other))
    return tuple(found)


def _positions(taken: list[Annotation], filters: DigestFilter, citer: _Citer) -> Digest:
    orphaned = sum(a.orphaned for a in taken)
    placed = [a for a in in_reading_order(taken) if not a.orphaned]
    by_topic: dict[str, list[Annotation]] = {}
    for annotation in placed:
        by_topic.setdefault(topic(annotation), []).append(annotation)
    sections = []
    for title in sorted(by_topic, key=lambda t: (t == OTHER_TOPIC, t.casefold())):
        by_source: dict[str, list[Entry]] = {}
        for annotation in by_topic[title]:
            entry = citer.entry(annotation)
            by_source.setdefault(entry.source_title, []).append(entry)
        parts = tuple(
            Section(source_title, tuple(entries))
            for source_title, entries in sorted(by_source.items(), key=lambda i: i[0].casefold())
        )
        sections.append(Section(title, parts=parts))
    shown = [e.annotation.id for s in sections for p in s.parts for e in p.entries]
    summary = (
        f"{_count(len(shown), 'annotation')} from "
        f"{_count(len({a.source for a in placed}), 'source')}, by topic (first tag)."
        + _orphaned_note(orphaned)
    )
    return Digest(
        DigestView.POSITIONS,
        "Positions by topic",
        tuple(sections),
        summary,
        tuple(filters.described()),
        orphaned,
        tuple(shown),
    )


def _session(
    taken: list[Annotation], filters: DigestFilter, since: datetime, citer: _Citer
) -> Digest:
    orphaned = sum(a.orphaned for a in taken)
    placed = [a for a in taken if not a.orphaned]
    # A source's place is when work on it began in the session: an annotation made since then
    # counts from its making (a later re-anchor touches it too), an older one from its edit.
    # Ids sort by creation to the millisecond: they order what one second holds.
    first_touch: dict[str, tuple[datetime, str]] = {}
    for annotation in placed:
        made = _stamp(annotation.created)
        when = (made if made >= since else _touched(annotation), annotation.id)
        first_touch[annotation.source] = min(first_touch.get(annotation.source, when), when)
    sections = []
    for source_id in sorted(first_touch, key=lambda s: (first_touch[s], s)):
        members = in_reading_order(a for a in placed if a.source == source_id)
        entries = tuple(citer.entry(a) for a in members)
        sections.append(Section(entries[0].source_title, entries))
    shown = [e.annotation.id for s in sections for e in s.entries]
    summary = (
        f"{_count(len(shown), 'annotation')} made or edited since {format_utc(since)}, "
        f"from {_count(len(sections), 'source')}." + _orphaned_note(orphaned)
    )
    return Digest(
        DigestView.SESSION,
        f"Session digest since {format_utc(since)}",
        tuple(sections),
        summary,
        tuple(p for p in filters.described() if not p.startswith("since ")),
        orphaned,
        tuple(shown),
    )
