"""A digest as an HTML document to paste into Substack, Ghost or Medium (which take HTML, not
Markdown): one `<blockquote>` per quote, real links, every text escaped, no scripts or styles.

The citation is the template's Markdown turned into HTML: `[4:04](url)` and `<url>` become
links (http, https and mailto only: anything else stays text), `*Title*` emphasis.
"""

from __future__ import annotations

import re
from html import escape

from readmark.annotations.digest import Digest, Entry, Section
from readmark.annotations.digest_text import (
    NOTHING,
    RELATED_LABEL,
    confidence_text,
    filters_text,
    note_label,
    note_text,
    one_line,
    tags_text,
)
from readmark.library.safe_text import printable

_INLINE = re.compile(
    r"\[(?P<label>[^\[\]\n]+)\]\((?P<url>[^()\s]+)\)"
    r"|<(?P<auto>[A-Za-z][A-Za-z0-9+.-]*:[^<>\s]+)>"
    r"|(?P<bare>https?://[^\s<>()\[\]]*[^\s<>()\[\].,;:!?'\"])"
    r"|\*\*(?P<strong>[^*\n]+)\*\*"
    r"|(?<![\w*])\*(?P<em>[^*\s][^*\n]*)\*(?![\w*])"
    r"|(?<![\w_])_(?P<em2>[^_\s][^_\n]*)_(?![\w_])"
)
_SAFE_SCHEMES = ("http:", "https:", "mailto:")
_PARAGRAPHS = re.compile(r"\n\s*\n")


def render_html(digest: Digest) -> str:
    title = escape(one_line(digest.title))
    body = [f"<h1>{title}</h1>", f"<p>{escape(digest.summary)}</p>"]
    if digest.filters:
        body.append(f"<p>{escape(filters_text(digest))}</p>")
    if not digest.sections:
        body.append(f"<p>{NOTHING}</p>")
    for section in digest.sections:
        body.extend(_section(digest, section, 2))
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        f"<title>{title}</title>\n"
        "</head>\n"
        "<body>\n"
        "<article>\n" + "\n".join(body) + "\n</article>\n</body>\n</html>\n"
    )


def _section(digest: Digest, section: Section, level: int) -> list[str]:
    html = [f"<h{level}>{escape(one_line(section.title))}</h{level}>"]
    for entry in section.entries:
        html.extend(_entry(digest, entry))
    for part in section.parts:
        html.extend(_section(digest, part, level + 1))
    return html


def _entry(digest: Digest, entry: Entry) -> list[str]:
    html = [f"<blockquote>{_citation(entry.citation)}</blockquote>"]
    note = note_text(entry.annotation.note)
    if note:
        paragraphs = _PARAGRAPHS.split(note)
        label = f"<strong>{note_label(entry)}:</strong> "
        html.append(f"<p>{label}{_paragraph(paragraphs[0])}</p>")
        html.extend(f"<p>{_paragraph(p)}</p>" for p in paragraphs[1:])
    confidence = confidence_text(entry)
    if confidence:
        html.append(f"<p><strong>Confidence:</strong> {escape(confidence)}</p>")
    tags = tags_text(digest, entry)
    if tags:
        html.append(f"<p><strong>Tags:</strong> {escape(tags)}</p>")
    if entry.related:
        html.append(f"<p>{escape(RELATED_LABEL)}</p>")
        html.append("<ul>")
        html.extend(f"<li>{''.join(_entry(digest, related))}</li>" for related in entry.related)
        html.append("</ul>")
    return html


def _citation(citation: str) -> str:
    """The citation's lines, each without its block quote mark, as one paragraph."""
    lines = [line.removeprefix(">").strip() for line in printable(citation).splitlines()]
    return f"<p>{'<br>'.join(inline(line) for line in lines if line)}</p>"


def _paragraph(text: str) -> str:
    return "<br>".join(inline(line.strip()) for line in text.splitlines() if line.strip())


def inline(text: str) -> str:
    """One line of Markdown as HTML: links, emphasis; everything else escaped."""
    html: list[str] = []
    last = 0
    for match in _INLINE.finditer(text):
        html.append(escape(text[last : match.start()], quote=False))
        html.append(_converted(match))
        last = match.end()
    html.append(escape(text[last:], quote=False))
    return "".join(html)


def _converted(match: re.Match[str]) -> str:
    if match.group("label") is not None:
        return _link(match.group("url"), match.group("label"), match.group())
    if match.group("auto") is not None:
        return _link(match.group("auto"), match.group("auto"), match.group())
    if match.group("bare") is not None:
        return _link(match.group("bare"), match.group("bare"), match.group())
    if match.group("strong") is not None:
        return f"<strong>{escape(match.group('strong'), quote=False)}</strong>"
    emphasis = match.group("em") or match.group("em2") or ""
    return f"<em>{escape(emphasis, quote=False)}</em>"


def _link(url: str, label: str, written: str) -> str:
    if not url.lower().startswith(_SAFE_SCHEMES):
        return escape(written, quote=False)  # javascript: and the like stay words
    return f'<a href="{escape(url, quote=True)}">{escape(label, quote=False)}</a>'
