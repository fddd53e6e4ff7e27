"""Citations of annotated quotes, from built-in or user templates.

Rules shared by every template:
- the quote is whitespace-normalised, and double quote marks inside it become single ones
  (`"` -> `'`, `“ ”` -> `‘ ’`) so the citation's own double quotes stay balanced;
- "who said it" is the speaker when one speaker said the whole quote; for sources without
  speaker turns (articles, notes, also those crediting the passages they quote) it is the
  authors, since an article's author is who says it there;
  a quote spanning several speakers gets no attribution rather than a wrong one;
- a channel naming the same person as "who said it" is left out (a file without a channel gets
  its author as the channel), so no name is said twice;
- without a time there is no time link (the plain URL is used when there is one); parts that
  are missing drop out together with the commas, dashes, brackets and emphasis around them.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from pathlib import Path

from readmark.annotations.config import load_citation_config
from readmark.annotations.model import Annotation
from readmark.library.builder import normalise_space
from readmark.library.model import Role, Source
from readmark.library.timecode import format_timecode, url_at_time

BUILTIN_TEMPLATES = ("markdown", "plain")
"""`markdown`: `> "quote" — Speaker, *Title* (Channel, date), [4:04](url&t=244s)`;
`plain`: `"quote" — Speaker, Title (Channel, date), 4:04 url&t=244s`."""

FIELDS = (
    "quote",
    "who",
    "speaker",
    "title",
    "authors",
    "channel",
    "date",
    "timestamp",
    "url",
    "url_at_time",
    "note",
    "kind",
    "tags",
    "source",
)
"""Fields a user template may use, as `{name}`. `who` is the speaker, or the authors of a source
without speakers; `url_at_time` is the URL at the quote's time (the plain URL when untimed)."""


class CitationError(Exception):
    """A citation template is unknown or malformed; the message says what is valid."""


def cite(
    annotation: Annotation,
    source: Source | None,
    template: str = "markdown",
    *,
    templates: Mapping[str, str] | None = None,
    config: Path | None = None,
) -> str:
    """The citation of `annotation` in the template named `template`.

    User templates come from `templates`, or else from the configuration file (`config`, or
    the default one); a user template may replace a built-in one of the same name. `source`
    may be None when the source is missing: the annotation's own quote, time and speaker are
    used, and its source id stands for the title.
    """
    user = load_citation_config(config).templates if templates is None else templates
    fields = citation_fields(annotation, source)
    if template in user:
        return render(user[template], author_stand_in(fields, check_template(user[template])))
    if template == "markdown":
        return _builtin(fields, markdown=True)
    if template == "plain":
        return _builtin(fields, markdown=False)
    names = ", ".join(sorted({*BUILTIN_TEMPLATES, *user}))
    raise CitationError(f"There is no citation template named {template!r}; known: {names}.")


def quote_for_citation(quote: str) -> str:
    """`quote` on one line, with its double quote marks turned into single ones."""
    return (
        normalise_space(quote)
        .replace('"', "'")
        .replace("\u201c", "\u2018")
        .replace("\u201d", "\u2019")
    )


def join_names(names: list[str]) -> str:
    """`A`, `A and B`, `A, B and C`."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def who_said(annotation: Annotation, source: Source | None) -> list[str]:
    """Who says the quote: its speaker, or for a source without speaker turns (an article, a
    note, even one quoting credited speakers) its authors; nobody when several speakers share
    the quote."""
    if annotation.speaker:
        return [annotation.speaker]
    if source is None or has_speaker_turns(source):
        return []
    return list(source.authors)


def has_speaker_turns(source: Source) -> bool:
    """Whether people take turns speaking in the source (a transcript), as opposed to an
    article that names the speakers of the passages it quotes."""
    return any(s.speaker and s.role is not Role.QUOTE for s in source.segments)


def citation_fields(annotation: Annotation, source: Source | None) -> dict[str, str]:
    """Every template field for `annotation`, an empty string where a part is unknown."""
    url = (source.url if source else None) or ""
    authors = join_names(source.authors) if source else ""
    who = join_names(who_said(annotation, source))
    channel = (source.channel if source else None) or ""
    named = list(source.authors) if source and who == authors else [who]
    if _same_name(channel, who, *named):
        channel = ""  # a channel that is only the author (the reader's fallback) says it twice
    return {
        "quote": quote_for_citation(annotation.quote),
        "who": who,
        "speaker": annotation.speaker or "",
        "title": source.title if source else annotation.source,
        "authors": authors,
        "channel": channel,
        "date": (source.date if source else None) or "",
        "timestamp": format_timecode(annotation.start) if annotation.start is not None else "",
        "url": url,
        "url_at_time": (
            url_at_time(url, annotation.start) if url and annotation.start is not None else url
        ),
        "note": annotation.note.strip(),
        "kind": str(annotation.kind),
        "tags": ", ".join(annotation.tags),
        "source": annotation.source,
    }


def author_stand_in(fields: Mapping[str, str], used: list[str]) -> dict[str, str]:
    """The fields of a template that names `{authors}`, when the source names none: the
    channel or publication stands as author (as a style guide cites a video by its channel),
    else, where `{authors}` comes first, the title takes the author's place (and is not said
    again), so a citation never begins with a bare `(2026-02-16).`"""
    filled = dict(fields)
    if "authors" not in used or filled["authors"]:
        return filled
    if filled["channel"]:
        filled["authors"], filled["channel"] = filled["channel"], ""
    elif filled["title"] and used.index("authors") < _first(used, "title"):
        filled["authors"], filled["title"] = filled["title"], ""
    return filled


def _first(used: list[str], name: str) -> int:
    return used.index(name) if name in used else len(used)


def _same_name(name: str, *others: str) -> bool:
    folded = " ".join(name.split()).casefold()
    return bool(folded) and any(folded == " ".join(o.split()).casefold() for o in others)


def _builtin(fields: Mapping[str, str], *, markdown: bool) -> str:
    title = f"*{fields['title']}*" if markdown and fields["title"] else fields["title"]
    work = ", ".join(part for part in (fields["who"], title) if part)
    where = ", ".join(part for part in (fields["channel"], fields["date"]) if part)
    text = f'"{fields["quote"]}"'
    if work:
        text += f" \u2014 {work}"
    if where:
        text += f" ({where})"
    link = _link(fields, markdown=markdown)
    if link:
        text += f", {link}"
    return f"> {text}" if markdown else text


def _link(fields: Mapping[str, str], *, markdown: bool) -> str:
    stamp, url, at_time = fields["timestamp"], fields["url"], fields["url_at_time"]
    if stamp and url:
        return f"[{stamp}]({at_time})" if markdown else f"{stamp} {at_time}"
    if stamp:
        return stamp
    if url:
        return f"<{url}>" if markdown else url
    return ""


def check_template(template: str) -> list[str]:
    """The field names `template` uses; `CitationError` if one is unknown or it is malformed."""
    valid = ", ".join(f"{{{name}}}" for name in FIELDS)
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as error:
        raise CitationError(
            f"The citation template {template!r} is malformed ({error}); write literal braces "
            f"as {{{{ and }}}}. Valid fields: {valid}."
        ) from error
    used: list[str] = []
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        if name not in FIELDS or spec or conversion:
            shown = "{" + name + (f"!{conversion}" if conversion else "")
            shown += (f":{spec}" if spec else "") + "}"
            raise CitationError(
                f"The citation template {template!r} uses {shown}, which is not a field. "
                f"Valid fields: {valid}."
            )
        used.append(name)
    return used


_GAP = "\x00"
"""Stands for an empty field while tidying, so only punctuation next to a gap is touched."""

_TIDY = [
    (re.compile(r"(?:\*{1,2}|_{1,2})\x00(?:\*{1,2}|_{1,2})"), _GAP),  # *{empty}*
    (re.compile(r"\[\x00\]\(\x00?\)"), _GAP),  # [{empty}]({empty})
    (re.compile(r"\(\s*\x00(?:\s*[,;]?\s*\x00)*\s*\)"), _GAP),  # ({empty}, {empty})
    (re.compile(r"\[\s*\x00(?:\s*[,;]?\s*\x00)*\s*\]"), _GAP),
    (re.compile(r"([,;])\s*\x00\s*[,;]"), r"\1"),  # a, {empty}, b
    (re.compile(r"([.!?])[ \t]*\x00[ \t]*[.,;:]"), r"\1"),  # (date). {empty}. url
    (re.compile(r"(\s[\u2014\u2013]|\s--?)\s*\x00\s*[,;]\s*"), r"\1 "),  # "q" — {empty}, title
    (re.compile(r"(?m)^[ \t]*\x00[\x00 \t]*[.,;:]+[ \t]*"), ""),  # {empty}: "q" / {empty}. t
    (re.compile(r"\s*[\u2014\u2013]\s*\x00\s*[,;]?"), _GAP),  # "q" — {empty}, title
    (re.compile(r"\x00\s*[\u2014\u2013,;]\s*"), _GAP),  # {empty} — title / {empty}, b
    (re.compile(r"\s*[,;]\s*\x00"), _GAP),  # a, {empty}
]
_GAP_SPACES = re.compile(r"([ \t]*)\x00+([ \t]*)")


def render(template: str, fields: Mapping[str, str]) -> str:
    """`template` filled from `fields`; empty parts drop out with their punctuation."""
    check_template(template)
    filled = template.format_map({k: (v if v else _GAP) for k, v in fields.items()})
    previous = None
    while previous != filled:
        previous = filled
        for pattern, replacement in _TIDY:
            filled = pattern.sub(replacement, filled)
    return _GAP_SPACES.sub(_close_gap, filled).strip()


def _close_gap(match: re.Match[str]) -> str:
    # One space survives a gap only between two words, never before punctuation or a bracket.
    text = match.string
    before = text[match.start() - 1] if match.start() > 0 else ""
    after = text[match.end()] if match.end() < len(text) else ""
    spaced = bool(match.group(1) or match.group(2))
    if spaced and before and after and before not in "([" and after not in ".,;:!?)]":
        return " "
    return ""
