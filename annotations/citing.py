"""Citing: which format a citation takes, the same for `y` in the reader and `readmark cite`.

The format is the one asked for; else the one chosen for this session (`Y` in the reader); else
`[citation] default` of the configuration file; else `markdown`. The configuration is read
again for every citation, so an edited file counts from the next one on.
"""

from __future__ import annotations

from pathlib import Path

from readmark.annotations.anchoring import new_annotation
from readmark.annotations.citation import BUILTIN_TEMPLATES, cite
from readmark.annotations.config import CitationConfig, load_citation_config
from readmark.annotations.model import Annotation, Kind
from readmark.library.model import Source


class Citing:
    """Citations of annotations, and of words not annotated yet, in the format in force."""

    def __init__(self, config: Path | None = None) -> None:
        self._config = config
        """The configuration file (None: `READMARK_CONFIG`, else the platform's)."""
        self.chosen: str | None = None
        """The format chosen for this session, over the configured default."""

    def config(self) -> CitationConfig:
        """The `[citation]` table; `ConfigError` when the file cannot be used."""
        return load_citation_config(self._config)

    def format(self) -> str:
        """The format a citation takes when none is asked for."""
        return self.chosen or self.config().default

    def formats(self) -> list[str]:
        """Every format there is: the built-in ones, then the configuration's templates."""
        return list(dict.fromkeys([*BUILTIN_TEMPLATES, *self.config().templates]))

    def choose(self, name: str) -> None:
        """Use `name` from now on, when no format is asked for."""
        self.chosen = name

    def cite(self, annotation: Annotation, source: Source | None, name: str | None = None) -> str:
        """The citation of `annotation` in format `name` (None: the one in force).
        `CitationError` for a format that does not exist, `ConfigError` for a broken file."""
        config = self.config()
        template = name or self.chosen or config.default
        return cite(annotation, source, template, templates=config.templates)

    def cite_words(self, source: Source, start: int, end: int, name: str | None = None) -> str:
        """The citation of `source.text[start:end]`, as if it were highlighted."""
        return self.cite(self.quoted(source, start, end), source, name)

    @staticmethod
    def quoted(source: Source, start: int, end: int) -> Annotation:
        """Words of a source as an annotation that is not saved: what a citation is made of."""
        return new_annotation(source, start, end, Kind.HIGHLIGHT)
