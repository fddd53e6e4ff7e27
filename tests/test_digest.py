"""The digest drafts: where a speaker is most likely wrong, positions by topic, and a session
digest, in Markdown and HTML, computed from the annotations alone.

Golden files: tests/data/digest/<view>.md and <view>.html are compared literally. After a
deliberate change to a draft's layout, write them afresh with

    READMARK_REGENERATE_DIGESTS=1 uv run pytest tests/test_digest.py

and read the difference (git diff tests/data/digest) before committing it.
"""

from __future__ import annotations

import os
import re
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from readmark.annotations.anchoring import new_annotation
from readmark.annotations.citation import cite
from readmark.annotations.digest import (
    Digest,
    DigestError,
    DigestFilter,
    DigestView,
    build_digest,
    parse_confidence,
    parse_since,
)
from readmark.annotations.digest_html import inline, render_html
from readmark.annotations.digest_markdown import render_markdown
from readmark.annotations.model import Annotation, Confidence, Kind
from readmark.library.loading import load_path
from readmark.library.model import Source

SOURCES = Path(__file__).parent / "data" / "verify"
GOLDEN = Path(__file__).parent / "data" / "digest"
REGENERATE = "READMARK_REGENERATE_DIGESTS"
NOW = datetime(2026, 4, 10, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def sources() -> dict[str, Source]:
    files = {
        "interviews/millbrook.md": "interview.md",
        "notes/brennan.md": "commentary.md",
        "notes/quint.md": "second-look.md",
    }
    return {key: load_path(SOURCES / name, key) for key, name in files.items()}


def made(
    sources: dict[str, Source],
    number: int,
    source_id: str,
    quote: str,
    kind: Kind,
    *,
    note: str = "",
    tags: tuple[str, ...] = (),
    confidence: Confidence | None = None,
    created: str,
    updated: str | None = None,
) -> Annotation:
    source = sources[source_id]
    at = source.text.index(quote)
    annotation = new_annotation(source, at, at + len(quote), kind, note, tags, confidence)
    return replace(annotation, id=f"a{number:02d}", created=created, updated=updated or created)


@pytest.fixture(scope="module")
def annotations(sources: dict[str, Source]) -> list[Annotation]:
    interview, brennan, quint = "interviews/millbrook.md", "notes/brennan.md", "notes/quint.md"
    day1, day2 = "2026-04-09T", "2026-04-10T"
    return [
        made(sources, 1, interview,
             "Opening the culvert on Mill Lane cost four times what the council had budgeted",
             Kind.DISSENT, tags=("budgets",), confidence=Confidence.HIGH,
             created=day1 + "09:00:00Z",
             note="Four times over budget is no success by any council's measure.\n\n"
                  "The overrun came from the arches, which any survey would have found."),
        made(sources, 2, interview, "it was still the best money the town ever spent",
             Kind.DISSENT, tags=("budgets",), confidence=Confidence.MEDIUM,
             created=day1 + "09:05:00Z",
             note="Best compared with what? He never names what else the money could buy."),
        made(sources, 3, interview, "Daylighting pays for itself in flood damage avoided",
             Kind.DISSENT, tags=("flooding", "budgets"), confidence=Confidence.LOW,
             created=day1 + "09:10:00Z", updated=day2 + "11:00:00Z",
             note="Two storms are too few to say; see [[Millbrook flood log|the flood log]]."),
        made(sources, 4, interview, "Now they hold weddings on the footbridge.", Kind.DISSENT,
             created=day1 + "09:15:00Z",
             note="Weddings are no measure of flood policy <script>alert(1)</script>."),
        made(sources, 5, interview, "The river is the cheapest park a town will ever get.",
             Kind.DISSENT, tags=("budgets",), confidence=Confidence.MEDIUM,
             created=day1 + "09:20:00Z", note="Upkeep costs money every year."),
        made(sources, 6, interview,
             "Most of the flooding we saw came from drains that were too small",
             Kind.HIGHLIGHT, tags=("flooding",), created=day1 + "09:25:00Z"),
        replace(
            made(sources, 7, interview, "The brick tunnel was failing.", Kind.DISSENT,
                 tags=("budgets",), confidence=Confidence.HIGH, created=day1 + "09:30:00Z",
                 note="Was it? The survey is not public."),
            orphaned=True,
        ),
        made(sources, 8, brennan, "The bill is where the romance ends.", Kind.HIGHLIGHT,
             tags=("budgets",), created=day2 + "10:30:00Z", note="Brennan's best line."),
        made(sources, 9, brennan, "Old drains can be replaced without digging up a car park.",
             Kind.NOTE, tags=("flooding",), created=day2 + "10:40:00Z",
             note="True, but the survey found cracks along a third of the tunnel."),
        made(sources, 10, brennan, "Castell reportedly told a council meeting that",
             Kind.DISSENT, tags=("budgets",), confidence=Confidence.HIGH,
             created=day2 + "10:50:00Z",
             note="Not in the interview: the quote check finds no such words."),
        made(sources, 11, quint,
             "The grants that paid for the work favoured open channels over new pipes.",
             Kind.NOTE, tags=("budgets",), created=day2 + "11:30:00Z",
             note="See the [grant rules](https://example.org/grants) and "
                  "[this](javascript:alert(1))."),
        made(sources, 12, quint, "That is a short record", Kind.HIGHLIGHT, tags=("rivers",),
             created=day2 + "11:50:00Z"),
    ]  # fmt: skip


@pytest.fixture(autouse=True)
def no_user_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("READMARK_CONFIG", str(tmp_path / "absent.toml"))


VIEWS = {
    "dissent": (DigestView.DISSENT, DigestFilter(speaker="Ewan Castell")),
    "positions": (DigestView.POSITIONS, DigestFilter()),
    "session": (DigestView.SESSION, DigestFilter(since=parse_since("2h", NOW))),
}


def digest(annotations: list[Annotation], sources: dict[str, Source], name: str) -> Digest:
    view, filters = VIEWS[name]
    return build_digest(annotations, sources, view, filters, now=NOW)


@pytest.mark.parametrize("name", list(VIEWS))
@pytest.mark.parametrize("extension", ["md", "html"])
def test_each_view_matches_its_golden_file(
    annotations: list[Annotation], sources: dict[str, Source], name: str, extension: str
) -> None:
    drafted = digest(annotations, sources, name)
    text = render_markdown(drafted) if extension == "md" else render_html(drafted)
    golden = GOLDEN / f"{name}.{extension}"
    if os.environ.get(REGENERATE):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_where_the_speaker_is_wrong_orders_topics_by_summed_confidence(
    annotations: list[Annotation], sources: dict[str, Source]
) -> None:
    drafted = digest(annotations, sources, "dissent")
    assert drafted.title == "Where Ewan Castell is most likely wrong"
    assert [(s.title, s.weight) for s in drafted.sections] == [
        ("budgets", 5),  # high 3 + medium 2 (the orphaned high one is left out)
        ("flooding", 1),
        ("Other", 1),
        ("What other sources claim about Ewan Castell", 3),
    ]
    budgets = drafted.sections[0]
    assert [e.annotation.id for e in budgets.entries] == ["a01", "a02"]
    # Related: other sources on the topic, each once, at most three per entry.
    assert [r.annotation.id for r in budgets.entries[0].related] == ["a08", "a11"]
    assert [r.annotation.id for r in drafted.sections[1].entries[0].related] == ["a09"]
    # The host's words are not Castell's, and her source is his own interview.
    assert "a05" not in drafted.shown


def test_every_matching_annotation_appears_once_and_orphans_are_counted(
    annotations: list[Annotation], sources: dict[str, Source]
) -> None:
    for name in VIEWS:
        drafted = digest(annotations, sources, name)
        assert len(drafted.shown) == len(set(drafted.shown))
        assert "a07" not in drafted.shown
    positions = digest(annotations, sources, "positions")
    assert sorted(positions.shown) == sorted(a.id for a in annotations if not a.orphaned)
    assert positions.orphaned == 1
    assert "1 orphaned annotation left out: its quote is no longer in the source." in (
        positions.summary
    )
    session = digest(annotations, sources, "session")
    # Made or edited in the last two hours (a03 was edited at 11:00).
    assert sorted(session.shown) == ["a03", "a08", "a09", "a10", "a11", "a12"]


def test_each_entry_is_the_quote_exactly_as_cite_renders_it(
    annotations: list[Annotation], sources: dict[str, Source]
) -> None:
    drafted = digest(annotations, sources, "dissent")
    entry = drafted.sections[0].entries[0]
    assert entry.citation == cite(entry.annotation, sources["interviews/millbrook.md"])
    assert entry.citation in render_markdown(drafted)


def test_the_configured_citation_template_is_used(
    annotations: list[Annotation],
    sources: dict[str, Source],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        '[citation]\ndefault = "short"\n[citation.templates]\nshort = "{quote} ({timestamp})"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("READMARK_CONFIG", str(config))
    drafted = digest(annotations, sources, "dissent")
    first = drafted.sections[0].entries[0]
    assert first.citation == (
        "Opening the culvert on Mill Lane cost four times what the council had budgeted (4:05)"
    )
    assert "<blockquote><p>Opening the culvert" in render_html(drafted)


def test_markdown_is_plain_commonmark(
    annotations: list[Annotation], sources: dict[str, Source]
) -> None:
    for name in VIEWS:
        text = render_markdown(digest(annotations, sources, name))
        assert "[[" not in text and "[^" not in text
        assert not re.search(r"(?m)^\s*\|", text)  # no table rows


def test_html_has_one_blockquote_per_quote_real_links_and_escaped_text(
    annotations: list[Annotation], sources: dict[str, Source]
) -> None:
    drafted = digest(annotations, sources, "dissent")
    html = render_html(drafted)
    quotes = sum(1 + len(e.related) for s in drafted.sections for e in s.entries)
    assert html.count("<blockquote>") == quotes == 8
    assert '<a href="https://www.youtube.com/watch?v=rvR1verT0wn&amp;t=245s">4:05</a>' in html
    assert "<script" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '<a href="https://example.org/grants">grant rules</a>' in html
    assert "javascript:" not in html.split("[this]")[0].split("href=")[-1]
    assert "[this](javascript:alert(1))" in html


def test_inline_markdown_becomes_html_and_unsafe_links_stay_words() -> None:
    assert inline("*Title* & [4:04](https://x.org/?a=1&t=2)") == (
        '<em>Title</em> &amp; <a href="https://x.org/?a=1&amp;t=2">4:04</a>'
    )
    assert inline("<https://x.org>") == '<a href="https://x.org">https://x.org</a>'
    assert inline('[x](javascript:alert("1"))') == '[x](javascript:alert("1"))'


def test_filters_by_tag_source_and_confidence(
    annotations: list[Annotation], sources: dict[str, Source]
) -> None:
    def shown(filters: DigestFilter, view: DigestView = DigestView.POSITIONS) -> list[str]:
        return sorted(build_digest(annotations, sources, view, filters, now=NOW).shown)

    assert shown(DigestFilter(tags=("Flooding",))) == ["a03", "a06", "a09"]
    assert shown(DigestFilter(sources=("notes/quint.md",))) == ["a11", "a12"]
    assert shown(DigestFilter(min_confidence=Confidence.MEDIUM)) == [
        "a01", "a02", "a05", "a06", "a08", "a09", "a10", "a11", "a12",
    ]  # fmt: skip
    assert shown(DigestFilter(speaker="Brennan")) == ["a08", "a09", "a10"]
    assert shown(DigestFilter(speaker="Castell", min_confidence=Confidence.HIGH),
                 DigestView.DISSENT) == ["a01", "a08", "a10", "a11"]  # fmt: skip


def test_without_a_speaker_every_dissent_is_in_the_topics(
    annotations: list[Annotation], sources: dict[str, Source]
) -> None:
    drafted = build_digest(annotations, sources, now=NOW)
    assert drafted.title == "Where the speakers are most likely wrong"
    assert sorted(e.annotation.id for s in drafted.sections for e in s.entries) == [
        "a01", "a02", "a03", "a04", "a05", "a10",
    ]  # fmt: skip


def test_an_empty_digest_says_nothing_matches(sources: dict[str, Source]) -> None:
    drafted = build_digest([], sources, DigestView.POSITIONS, now=NOW)
    assert "No annotations match." in render_markdown(drafted)
    assert "<p>No annotations match.</p>" in render_html(drafted)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2h", datetime(2026, 4, 10, 10, 0, tzinfo=UTC)),
        ("30m", datetime(2026, 4, 10, 11, 30, tzinfo=UTC)),
        ("3d", datetime(2026, 4, 7, 12, 0, tzinfo=UTC)),
        ("1w", datetime(2026, 4, 3, 12, 0, tzinfo=UTC)),
        ("2026-04-09", datetime(2026, 4, 9, tzinfo=UTC)),
        ("2026-04-09 10:15", datetime(2026, 4, 9, 10, 15, tzinfo=UTC)),
        ("2026-04-09T10:15:00Z", datetime(2026, 4, 9, 10, 15, tzinfo=UTC)),
    ],
)
def test_since_takes_an_age_or_a_utc_date(text: str, expected: datetime) -> None:
    assert parse_since(text, NOW) == expected


@pytest.mark.parametrize("text", ["yesterday", "2h ago", "-3d", "2026-13-01", ""])
def test_a_since_that_is_no_time_says_what_to_give(text: str) -> None:
    with pytest.raises(DigestError, match="30m, 2h, 3d, 1w"):
        parse_since(text, NOW)


def test_a_confidence_is_low_medium_or_high() -> None:
    assert parse_confidence(" High ") is Confidence.HIGH
    with pytest.raises(DigestError, match="low, medium or high"):
        parse_confidence("very")


def test_a_session_without_a_time_covers_the_last_day(
    annotations: list[Annotation], sources: dict[str, Source]
) -> None:
    drafted = build_digest(annotations, sources, DigestView.SESSION, now=NOW)
    assert drafted.title == "Session digest since 2026-04-09 12:00 UTC"
    assert sorted(drafted.shown) == ["a03", "a08", "a09", "a10", "a11", "a12"]


def test_markdown_renders_the_same_words_but_runs_nothing(
    annotations: list[Annotation], sources: dict[str, Source]
) -> None:
    text = render_markdown(digest(annotations, sources, "positions"))
    assert "flood policy \\<script>alert(1)\\</script>." in text
    assert "and \\[this](javascript:alert(1))." in text
    assert "[grant rules](https://example.org/grants)" in text


def test_a_digest_stores_nothing(tmp_path: Path) -> None:
    from readmark.annotations.workspace import Workspace

    vault = tmp_path / "vault"
    (vault / "interviews").mkdir(parents=True)
    (vault / "notes").mkdir()
    (vault / "interviews" / "millbrook.md").write_bytes((SOURCES / "interview.md").read_bytes())
    (vault / "notes" / "brennan.md").write_bytes((SOURCES / "commentary.md").read_bytes())
    with Workspace(vault) as workspace:
        workspace.annotate(
            "interviews/millbrook.md",
            "it was still the best money the town ever spent",
            Kind.DISSENT,
            note="Compared with what?",
            tags=("budgets",),
            confidence=Confidence.HIGH,
        )
        workspace.annotate(
            "notes/brennan.md", "The bill is where the romance ends.", tags=("budgets",)
        )

        def snapshot() -> dict[str, tuple[bytes, int]]:
            return {
                str(p.relative_to(vault)): (p.read_bytes(), p.stat().st_mtime_ns)
                for p in sorted(vault.rglob("*"))
                if p.is_file()
            }

        before = snapshot()
        annotations, problems = workspace.all_annotations()
        for view in DigestView:
            drafted = build_digest(
                annotations, workspace.source_or_none, view, DigestFilter(speaker="Castell")
            )
            render_markdown(drafted)
            render_html(drafted)
        assert problems == []
        assert snapshot() == before
        dissent = build_digest(
            annotations, workspace.source_or_none, filters=DigestFilter("Castell")
        )
        assert [e.annotation.note for s in dissent.sections for e in s.entries] == [
            "Compared with what?"
        ]
        assert [r.annotation.quote for r in dissent.sections[0].entries[0].related] == [
            "The bill is where the romance ends."
        ]
