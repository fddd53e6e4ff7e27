"""Drafting: a digest of a vault's annotations in Markdown or HTML, shown or written to a file,
the same for `readmark digest` and the reader's preview.

Nothing is stored: the draft is made from the annotation files each time. Annotation files that
cannot be read are left out and returned, so the front end can name them. A draft is written
atomically (a crash leaves the old file or the new one).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from readmark.annotations.digest import Digest, DigestFilter, DigestView, build_digest
from readmark.annotations.model import LoadProblem
from readmark.annotations.workspace import Workspace
from readmark.library import durable
from readmark.library.model import Source

FORMATS = ("markdown", "html")
SUFFIXES = {"markdown": ".md", "html": ".html"}
"""The file name ending of each format."""


class DraftError(Exception):
    """A draft cannot be written where asked; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class Draft:
    """A digest of the vault's annotations, and the annotation files it had to leave out."""

    digest: Digest
    skipped: list[LoadProblem] = field(default_factory=list)

    def render(self, fmt: str) -> str:
        """The draft as Markdown (plain CommonMark) or as an HTML document."""
        if fmt == "html":
            from readmark.annotations.digest_html import render_html

            return render_html(self.digest)
        if fmt != "markdown":
            raise DraftError(f"there is no draft format {fmt!r}; known: {', '.join(FORMATS)}")
        from readmark.annotations.digest_markdown import render_markdown

        return render_markdown(self.digest)


def draft_digest(
    workspace: Workspace,
    view: DigestView = DigestView.DISSENT,
    filters: DigestFilter | None = None,
    *,
    now: datetime | None = None,
) -> Draft:
    """The digest of every annotation of the vault in `view`, as `filters` narrow it (none:
    every annotation)."""
    annotations, skipped = workspace.all_annotations()
    cache: dict[str, Source | None] = {}

    def source_of(source_id: str) -> Source | None:
        if source_id not in cache:
            cache[source_id] = workspace.source_or_none(source_id)
        return cache[source_id]

    digest = build_digest(annotations, source_of, view, filters or DigestFilter(), now=now)
    return Draft(digest, skipped)


def file_name(view: DigestView, fmt: str) -> str:
    """The name a draft gets in a folder: `digest-dissent.md`, `digest-session.html`, ..."""
    return f"digest-{view}{SUFFIXES[fmt]}"


def format_of(path: Path) -> str | None:
    """The format a file name asks for by its ending (`.md`, `.html`), or None."""
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm"):
        return "html"
    if suffix in (".md", ".markdown"):
        return "markdown"
    return None


def write_draft(text: str, path: Path) -> Path:
    """Write `text` to `path` atomically (its folder made when missing); return the path."""
    try:
        durable.ensure_dir(path.parent)
        durable.write_atomic(path, text.encode("utf-8", "surrogatepass"))
    except OSError as error:
        reason, advice = durable.describe_os_error(error)
        raise DraftError(f"cannot write {path}: {reason}. {advice}") from error
    return path
