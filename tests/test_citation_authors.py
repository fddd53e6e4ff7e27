"""`{authors}` in a citation template says who made the source even when it names no author:
the channel or publication, else the title in the author's place; never a bare `(date).`"""

from __future__ import annotations

import os
from pathlib import Path

from readmark.annotations.citing import Citing
from readmark.library.builder import SourceBuilder
from readmark.library.model import Source

APA = (
    '[citation]\ndefault = "apa"\n'
    '[citation.templates]\napa = "{authors} ({date}). {title}. {url}"\n'
)


def configure() -> None:
    path = Path(os.environ["READMARK_CONFIG"])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(APA, encoding="utf-8")


def notes(**details: object) -> Source:
    builder = SourceBuilder(id="notes/clip.md", title="Shade on the quay", format="markdown")
    builder.add_segment("Awnings cost less than air conditioning.")
    return builder.build(date="2026-02-16", url="https://example.org/quay", **details)  # type: ignore[arg-type]


def cite(source: Source) -> str:
    return Citing().cite_words(source, 0, 10)


def test_no_author_and_no_channel_puts_the_title_first() -> None:
    configure()
    assert cite(notes()) == "Shade on the quay (2026-02-16). https://example.org/quay"


def test_a_publication_stands_as_author() -> None:
    configure()
    assert cite(notes(channel="Harbour Weekly")) == (
        "Harbour Weekly (2026-02-16). Shade on the quay. https://example.org/quay"
    )


def test_named_authors_are_used_as_they_are() -> None:
    configure()
    assert cite(notes(authors=["Nell Carver"])) == (
        "Nell Carver (2026-02-16). Shade on the quay. https://example.org/quay"
    )
