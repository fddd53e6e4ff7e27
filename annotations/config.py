"""The user's configuration file (TOML): citation templates and how the reader sets text.

```toml
[citation]
default = "apa"                      # template used when none is named

[citation.templates]
apa = "{authors} ({date}). {title}. {url}"
short = '"{quote}" ({timestamp})'

[reader]
measure = 90                         # most characters of text on a line (0: no limit)
align = "centre"                     # or "left": where the text stands in a wider pane
```
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from platformdirs import user_config_dir

CONFIG_ENV = "READMARK_CONFIG"
"""Environment variable naming another configuration file."""


class ConfigError(Exception):
    """The configuration file cannot be used; the message names the file and the problem."""


@dataclass(frozen=True, slots=True)
class CitationConfig:
    templates: dict[str, str] = field(default_factory=dict)
    """User templates by name, from `[citation.templates]`."""
    default: str = "markdown"
    """Template name used when none is asked for, from `[citation] default`."""


def config_path() -> Path:
    """`$READMARK_CONFIG` if set, else `config.toml` in the platform's config folder."""
    override = os.environ.get(CONFIG_ENV)
    if override:
        return Path(override).expanduser()
    return Path(user_config_dir("readmark")) / "config.toml"


def load_config(path: Path | None = None) -> dict[str, Any]:
    """The whole configuration as a dict; empty when the file does not exist."""
    where = config_path() if path is None else path
    try:
        raw = where.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except OSError as error:
        raise ConfigError(f"Cannot read the configuration file {where}: {error}") from error
    import tomllib  # only when there is a file: most starts have none

    try:
        return tomllib.loads(raw)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"The configuration file {where} is not valid TOML: {error}") from error


def load_citation_config(path: Path | None = None) -> CitationConfig:
    """The `[citation]` table of the configuration file, checked."""
    where = config_path() if path is None else path
    table = load_config(where).get("citation", {})
    if not isinstance(table, dict):
        raise ConfigError(f"In {where}, `citation` must be a table ([citation]).")
    templates = table.get("templates", {})
    if not isinstance(templates, dict):
        raise ConfigError(f'In {where}, `citation.templates` must be a table of name = "...".')
    for name, template in templates.items():
        if not isinstance(template, str):
            raise ConfigError(
                f"In {where}, citation template {name!r} must be a string, "
                f"not {type(template).__name__}."
            )
    default = table.get("default", "markdown")
    if not isinstance(default, str):
        raise ConfigError(f"In {where}, `citation.default` must be a template name (a string).")
    return CitationConfig(templates=dict(templates), default=default)


MEASURE = 90
ALIGNS = ("centre", "left")


@dataclass(frozen=True, slots=True)
class ReaderConfig:
    measure: int | None = MEASURE
    """Most characters of text on a line; None: as wide as the pane."""
    align: str = "centre"
    """`centre` or `left`: where the text stands in a pane wider than the measure."""


def load_reader_config(path: Path | None = None) -> ReaderConfig:
    """The `[reader]` table of the configuration file, checked."""
    where = config_path() if path is None else path
    table = load_config(where).get("reader", {})
    if not isinstance(table, dict):
        raise ConfigError(f"In {where}, `reader` must be a table ([reader]).")
    measure = table.get("measure", MEASURE)
    if isinstance(measure, bool) or not isinstance(measure, int) or not 0 <= measure <= 1000:
        raise ConfigError(
            f"In {where}, `reader.measure` must be a number of characters (40 to 200 reads "
            "well), or 0 for no limit."
        )
    align = table.get("align", "centre")
    if align == "center":
        align = "centre"
    if align not in ALIGNS:
        raise ConfigError(f'In {where}, `reader.align` must be "centre" or "left".')
    return ReaderConfig(measure=max(measure, 20) if measure else None, align=align)
