import csv
import io
from dataclasses import replace

import frontmatter
from readmark.annotations.anchoring import new_annotation
from readmark.annotations.export_csv import export_readwise_csv
from readmark.annotations.export_markdown import (
    export_markdown,
    export_markdown_files,
    markdown_file_names,
)
from readmark.annotations.model import Annotation, Confidence, Kind
from readmark.library.builder import SourceBuilder
from readmark.library.model import Source

URL = "https://www.youtube.com/watch?v=ID"


def podcast() -> Source:
    builder = SourceBuilder("talks/scaling.srt", "Scaling, Friction", "srt")
    builder.add_segment("Hello and welcome to the show.", start=0.0, end=244.0, speaker="Host")
    builder.add_segment(
        'We are near the end of the exponential. It is "fast", very fast.',
        start=244.0,
        end=250.5,
        speaker="Dario Amodei",
    )
    builder.add_segment("Institutions move slowly.", start=250.5, end=262.0, speaker="Host")
    return builder.build(url=URL, channel="Channel", date="2026-02-13", tags=["ai", "scaling laws"])


def essay() -> Source:
    builder = SourceBuilder("notes/essay.md", "On Gardens", "markdown")
    builder.add_segment("Compost, water, patience: that is the whole secret.")
    return builder.build(authors=["Ann Lee"])


def annotate(
    source: Source,
    quote: str,
    kind: Kind = Kind.HIGHLIGHT,
    note: str = "",
    *,
    tags: tuple[str, ...] = (),
    confidence: Confidence | None = None,
    orphaned: bool = False,
) -> Annotation:
    at = source.text.index(quote)
    made = new_annotation(source, at, at + len(quote), kind, note, tags, confidence)
    created, updated = "2026-02-13T10:15:00Z", "2026-02-14T08:00:00Z"
    return replace(made, orphaned=orphaned, created=created, updated=updated)


def sample() -> tuple[list[Annotation], dict[str, Source]]:
    talk, garden = podcast(), essay()
    annotations = [
        annotate(talk, "Institutions move slowly.", Kind.NOTE, "The crux.", tags=("friction",)),
        annotate(talk, "We are near the end of the exponential.", note="Bold claim."),
        annotate(
            talk,
            'It is "fast", very fast.',
            Kind.DISSENT,
            "Benchmarks are not the world.",
            confidence=Confidence.MEDIUM,
        ),
        annotate(talk, "Hello and welcome", orphaned=True, note="Lost line"),
        annotate(garden, "Compost, water, patience"),
    ]
    return annotations, {talk.id: talk, garden.id: garden}


# -- Markdown ----------------------------------------------------------------------------

DISSENT_QUOTE = 'It is "fast", very fast.'


def test_markdown_front_matter_reads_back() -> None:
    annotations, sources = sample()
    text = export_markdown(annotations, sources["talks/scaling.srt"], "talks/scaling.srt")
    post = frontmatter.loads(text)
    assert post.metadata == {
        "title": "Scaling, Friction",
        "source": "talks/scaling.srt",
        "url": URL,
        "speakers": ["Host", "Dario Amodei"],
        "channel": "Channel",
        "date": "2026-02-13",
        "tags": ["ai", "scaling-laws", "friction"],
    }


def test_markdown_body_has_quotes_with_time_links_notes_dissent_and_orphans() -> None:
    annotations, sources = sample()
    body = frontmatter.loads(
        export_markdown(annotations, sources["talks/scaling.srt"], "talks/scaling.srt")
    ).content
    ids = {a.quote: a.id for a in annotations}
    assert DISSENT_QUOTE in ids
    dates = "*2026-02-13 10:15 UTC, edited 2026-02-14 08:00 UTC*"
    assert body.split("\n\n") == [
        "# Scaling, Friction",
        "Source: [[scaling.srt]]",
        "## Highlights and notes",
        "> We are near the end of the exponential.\n"
        "> \u2014 Dario Amodei, [4:04](https://www.youtube.com/watch?v=ID&t=244s)",
        "Bold claim.",
        f"{dates} ^{ids['We are near the end of the exponential.']}",
        "> Institutions move slowly.\n"
        "> \u2014 Host, [4:10](https://www.youtube.com/watch?v=ID&t=250s)",
        "The crux.",
        "#friction",
        f"{dates} ^{ids['Institutions move slowly.']}",
        "## Where I disagree",
        '> It is "fast", very fast.\n'
        "> \u2014 Dario Amodei, [4:04](https://www.youtube.com/watch?v=ID&t=244s)",
        "**Confidence:** medium",
        "Benchmarks are not the world.",
        f"{dates} ^{ids[DISSENT_QUOTE]}",
        "## Orphaned",
        "*These quotes could no longer be found in the source after it changed; "
        "they are kept as they were.*",
        "> Hello and welcome\n> \u2014 Host, [0:00](https://www.youtube.com/watch?v=ID&t=0s)",
        "Lost line",
        f"{dates} ^{ids['Hello and welcome']}",
    ]


def test_markdown_for_a_missing_source_uses_the_annotation() -> None:
    annotations, _ = sample()
    text = export_markdown(annotations, None, "talks/scaling.srt")
    post = frontmatter.loads(text)
    assert post.metadata == {
        "title": "talks/scaling.srt",
        "source": "talks/scaling.srt",
        "tags": ["friction"],
    }
    assert "> We are near the end of the exponential.\n> \u2014 Dario Amodei, 4:04" in text


def test_markdown_files_one_per_source() -> None:
    annotations, sources = sample()
    files = export_markdown_files(annotations, sources)
    assert sorted(files) == ["notes/essay.notes.md", "talks/scaling.notes.md"]
    assert "> Compost, water, patience\n" in files["notes/essay.notes.md"]
    assert frontmatter.loads(files["notes/essay.notes.md"]).metadata["authors"] == ["Ann Lee"]


def test_markdown_file_names_keep_the_extension_when_stems_collide() -> None:
    assert markdown_file_names(["a/ep1.srt", "a/ep1.vtt", "b.md"]) == {
        "a/ep1.srt": "a/ep1.srt.notes.md",
        "a/ep1.vtt": "a/ep1.vtt.notes.md",
        "b.md": "b.notes.md",
    }


# -- Readwise CSV ------------------------------------------------------------------------


def test_readwise_csv_columns_and_rows() -> None:
    annotations, sources = sample()
    text = export_readwise_csv(annotations, sources.get)
    assert text.splitlines()[0] == "Highlight,Title,Author,URL,Note,Location,Date"
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0] == {
        "Highlight": "Compost, water, patience",
        "Title": "On Gardens",
        "Author": "Ann Lee",
        "URL": "",
        "Note": "",
        "Location": "",
        "Date": "2026-02-13 10:15:00",
    }
    dissent = next(r for r in rows if r["Highlight"].startswith("It is"))
    assert dissent == {
        "Highlight": 'It is "fast", very fast.',
        "Title": "Scaling, Friction",
        "Author": "Channel",
        "URL": URL,
        "Note": "I disagree (medium confidence): Benchmarks are not the world.",
        "Location": "244",
        "Date": "2026-02-13 10:15:00",
    }
    assert '"It is ""fast"", very fast."' in text
    assert len(rows) == 5


def test_readwise_csv_with_a_missing_source() -> None:
    annotations, _ = sample()
    rows = list(csv.DictReader(io.StringIO(export_readwise_csv(annotations, lambda _: None))))
    talk_rows = [r for r in rows if r["Title"] == "talks/scaling.srt"]
    assert len(talk_rows) == 4
    assert {r["Author"] for r in talk_rows} == {""}
    assert {r["Location"] for r in talk_rows} == {"0", "244", "250"}
