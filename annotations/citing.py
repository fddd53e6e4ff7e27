"""Citing: which format a citation takes, the same for `y` in the reader and `readmark cite`.

The format is the one asked for; else the one `Y` chose in the reader (remembered per user, so
`readmark cite` uses it too), unless `[citation] default` of the configuration file was changed
since (the newer decision wins); else that default; else `markdown`. The configuration is read
again for every citation, so an edited file counts from the next one on.
"""

from __future__ import annotations

from pathlib import Path

from readmark.annotations.anchoring import new_annotation
from readmark.annotations.citation import BUILTIN_TEMPLATES, cite
from readmark.annotations.config import CitationConfig, ConfigError, load_citation_config
from readmark.annotations.model import Annotation, Kind
from readmark.annotations.settings import UserSettings
from readmark.library.model import Source


class Citing:
    """Citations of annotations, and of words not annotated yet, in the format in force."""

    def __init__(self, config: Path | None = None, settings: UserSettings | None = None) -> None:
        self._config = config
        """The configuration file (None: `READMARK_CONFIG`, else the platform's)."""
        self._settings = settings if settings is not None else UserSettings()
        """Where `Y`'s choice is remembered."""

    @property
    def chosen(self) -> str | None:
        """The format `Y` chose, while the configured default is still the one it overrode."""
        remembered = self._settings.current
        if remembered.citation_format is None:
            return None
        try:
            default = self.config().default
        except ConfigError:
            return remembered.citation_format
        return remembered.citation_format if remembered.citation_default == default else None

    def config(self) -> CitationConfig:
        """The `[citation]` table; `ConfigError` when the file cannot be used."""
        return load_citation_config(self._config)

    def format(self) -> str:
        """The format a citation takes when none is asked for."""
        return self.chosen or self.config().default

    def formats(self) -> list[str]:
        """Every format there is: the built-in ones, then the configuration's templates."""
        return list(dict.fromkeys([*BUILTIN_TEMPLATES, *self.config().templates]))

    def choose(self, name: str, *, save: bool = True) -> bool:
        """Use `name` from now on, when no format is asked for, in this and later sessions.
        With `save` it is written at once (blocks on the disk); else `save` writes it. False
        when it could not be remembered (it holds for this run)."""
        try:
            default: str | None = self.config().default
        except ConfigError:
            default = None
        self._settings.change(citation_format=name, citation_default=default)
        return self.save() if save else True

    def save(self) -> bool:
        """Write the choice made with `choose`; blocks. False when it cannot be written."""
        return self._settings.save()

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
