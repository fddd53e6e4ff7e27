from dataclasses import replace
from pathlib import Path

import pytest
from readmark.annotations.anchoring import new_annotation
from readmark.annotations.citation import CitationError, check_template, cite
from readmark.annotations.config import ConfigError, config_path, load_citation_config
from readmark.annotations.model import Annotation, Kind
from readmark.library.builder import SourceBuilder
from readmark.library.model import Source

URL = "https://www.youtube.com/watch?v=ID"
QUOTE = "We are near the end of the exponential."


@pytest.fixture(autouse=True)
def no_user_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Never read the real user's configuration.
    monkeypatch.setenv("READMARK_CONFIG", str(tmp_path / "absent.toml"))


def interview(**metadata: object) -> Source:
    builder = SourceBuilder("talks/interview.srt", "Title", "srt")
    builder.add_segment("Hello and welcome.", start=0.0, end=244.0, speaker="Host")
    builder.add_segment(f"Well. {QUOTE}", start=244.0, end=250.0, speaker="Dario Amodei")
    defaults: dict[str, object] = {"channel": "Channel", "date": "2026-02-13", "url": URL}
    return builder.build(**(defaults | metadata))


def article(**metadata: object) -> Source:
    builder = SourceBuilder("notes/essay.md", "On Gardens", "markdown")
    builder.add_segment('The so-called "lazy gardener" wins in the end.')
    return builder.build(**metadata)


def annotate(source: Source, quote: str) -> Annotation:
    at = source.text.index(quote)
    return new_annotation(source, at, at + len(quote), Kind.HIGHLIGHT, note="True?", tags=("ai",))


def test_markdown_with_full_metadata() -> None:
    source = interview()
    assert cite(annotate(source, QUOTE), source) == (
        '> "We are near the end of the exponential." \u2014 Dario Amodei, *Title* '
        "(Channel, 2026-02-13), [4:04](https://www.youtube.com/watch?v=ID&t=244s)"
    )


def test_plain_with_full_metadata() -> None:
    source = interview()
    assert cite(annotate(source, QUOTE), source, "plain") == (
        '"We are near the end of the exponential." \u2014 Dario Amodei, Title '
        "(Channel, 2026-02-13), 4:04 https://www.youtube.com/watch?v=ID&t=244s"
    )


def test_without_a_time_links_to_the_url() -> None:
    source = interview()
    untimed = replace(annotate(source, QUOTE), start=None, end=None)
    assert cite(untimed, source) == (
        '> "We are near the end of the exponential." \u2014 Dario Amodei, *Title* '
        "(Channel, 2026-02-13), <https://www.youtube.com/watch?v=ID>"
    )
    assert cite(untimed, source, "plain") == (
        '"We are near the end of the exponential." \u2014 Dario Amodei, Title '
        "(Channel, 2026-02-13), https://www.youtube.com/watch?v=ID"
    )


def test_a_quote_across_speakers_has_no_attribution() -> None:
    source = interview()
    annotation = annotate(source, "welcome.\n\nWell. We are")
    assert annotation.speaker is None
    assert cite(annotation, source) == (
        '> "welcome. Well. We are" \u2014 *Title* (Channel, 2026-02-13), '
        "[0:00](https://www.youtube.com/watch?v=ID&t=0s)"
    )


def test_without_channel_date_or_url() -> None:
    source = interview(channel=None, date=None, url=None)
    assert cite(annotate(source, QUOTE), source) == (
        '> "We are near the end of the exponential." \u2014 Dario Amodei, *Title*, 4:04'
    )


def test_an_article_is_attributed_to_its_authors_and_inner_quotes_become_single() -> None:
    source = article(authors=["Ann Lee", "Bo Chen"], date="2025-05-01")
    annotation = annotate(source, 'so-called "lazy gardener" wins')
    assert cite(annotation, source, "plain") == (
        "\"so-called 'lazy gardener' wins\" \u2014 Ann Lee and Bo Chen, On Gardens (2025-05-01)"
    )


def test_two_authors_are_not_named_again_as_the_channel() -> None:
    # Without a channel the reader falls back to the first author as the channel.
    source = article(authors=["Ann Lee", "Bo Chen"], channel="Ann Lee", date="2025-05-01")
    annotation = annotate(source, "wins in the end")
    assert cite(annotation, source, "plain") == (
        '"wins in the end" \u2014 Ann Lee and Bo Chen, On Gardens (2025-05-01)'
    )


def test_nothing_but_the_quote_and_title() -> None:
    source = article()
    annotation = annotate(source, "wins in the end.")
    assert cite(annotation, source) == '> "wins in the end." \u2014 *On Gardens*'


def test_a_missing_source_cites_with_what_the_annotation_has() -> None:
    annotation = annotate(interview(), QUOTE)
    assert cite(annotation, None, "plain") == (
        '"We are near the end of the exponential." \u2014 Dario Amodei, talks/interview.srt, 4:04'
    )


def test_user_template_from_the_config_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        "[citation.templates]\n"
        "brief = '{who} ({channel}, {date}): \"{quote}\" [{timestamp}]({url_at_time}) #{tags}'\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("READMARK_CONFIG", str(config))
    source = interview(channel=None)
    assert cite(annotate(source, QUOTE), source, "brief") == (
        'Dario Amodei (2026-02-13): "We are near the end of the exponential." '
        "[4:04](https://www.youtube.com/watch?v=ID&t=244s) #ai"
    )


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{speaker} \u2014 {title}", "Title"),
        ("{title}, {channel}, {date}", "Title, 2026-02-13"),
        ("*{title}* ({channel}, {authors})", "*Title*"),
        (
            "{quote} / {note} / {kind}",
            "We are near the end of the exponential. / True? / highlight",
        ),
    ],
)
def test_user_template_drops_missing_parts_cleanly(template: str, expected: str) -> None:
    source = interview(channel=None)
    annotation = replace(annotate(source, QUOTE), speaker=None)
    assert cite(annotation, source, "mine", templates={"mine": template}) == expected


def test_unknown_template_name_lists_the_known_ones() -> None:
    source = interview()
    with pytest.raises(CitationError, match="no citation template named 'apa'; known: markdown"):
        cite(annotate(source, QUOTE), source, "apa")


def test_unknown_field_lists_the_valid_fields() -> None:
    source = interview()
    with pytest.raises(CitationError) as caught:
        cite(annotate(source, QUOTE), source, "bad", templates={"bad": "{quote} by {author}"})
    message = str(caught.value)
    assert "uses {author}, which is not a field" in message
    assert "{quote}, {who}, {speaker}, {title}, {authors}" in message


@pytest.mark.parametrize("template", ["{quote", "{quote!r}", "{title:>20}", "{quote.upper}"])
def test_malformed_templates_are_refused(template: str) -> None:
    with pytest.raises(CitationError, match="Valid fields"):
        check_template(template)


def test_config_path_follows_the_environment(tmp_path: Path) -> None:
    assert config_path() == tmp_path / "absent.toml"


def test_a_missing_config_file_means_no_templates() -> None:
    assert load_citation_config().templates == {}


def test_config_default_template_is_read(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text('[citation]\ndefault = "brief"\n', encoding="utf-8")
    assert load_citation_config(config).default == "brief"


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("[citation\n", "is not valid TOML"),
        ("[citation.templates]\nbrief = 3\n", "template 'brief' must be a string"),
        ("citation = 1\n", "must be a table"),
    ],
)
def test_a_bad_config_file_is_named_in_the_error(
    tmp_path: Path, content: str, problem: str
) -> None:
    config = tmp_path / "bad.toml"
    config.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=problem) as caught:
        load_citation_config(config)
    assert str(config) in str(caught.value)


def test_an_article_quoting_credited_speakers_is_still_its_authors_words(tmp_path: Path) -> None:
    from readmark.library.loading import load_path

    path = tmp_path / "column.md"
    path.write_text(
        "---\ntitle: A Column\nauthors: [Hal Brennan]\n---\n\n"
        "The bill is where the romance ends.\n\n"
        "> The brick tunnel was failing.\n> \u2014 Ewan Castell, 3:15\n",
        encoding="utf-8",
    )
    source = load_path(path, "column.md")
    assert source.speakers == ["Ewan Castell"]  # credited under the block quote
    own = annotate(source, "The bill is where the romance ends.")
    assert (
        cite(own, source, "plain")
        == '"The bill is where the romance ends." \u2014 Hal Brennan, A Column'
    )
    quoted = annotate(source, "The brick tunnel was failing.")
    assert cite(quoted, source, "plain").startswith(
        '"The brick tunnel was failing." \u2014 Ewan Castell, A Column'
    )


# -- citations for every mix of known and unknown parts --------------------------------------------

LINE = "Rivers remember their old beds."


def river_source(speaker: bool, channel: bool, author: bool, url: bool, time: bool) -> Source:
    builder = SourceBuilder("notes/water.md", "Water Notes", "markdown")
    builder.add_segment(
        LINE,
        start=75.0 if time else None,
        end=80.0 if time else None,
        speaker="Tom Beck" if speaker else None,
    )
    meta: dict[str, object] = {}
    if author:
        meta["authors"] = ["Ana Ruiz"]
    if channel:
        meta["channel"] = "Riverside"
    elif author:
        meta["channel"] = "Ana Ruiz"  # the reader's fallback when a file names no channel
    if url:
        meta["url"] = "https://example.org/rivers"
    return builder.build(**meta)


def cite_river(flags: str, template: str, templates: dict[str, str] | None = None) -> str:
    source = river_source(*(letter != "-" for letter in flags))
    made = new_annotation(source, 0, len(LINE), Kind.HIGHLIGHT)
    return cite(made, source, template, templates=templates or {})


# Flags: Speaker, Channel, Author, Url, Time ("-" where missing).
PLAIN_CITATIONS = [
    ("SCAUT", "— Tom Beck, Water Notes (Riverside), 1:15 https://example.org/rivers#t=75"),
    ("SCAU-", "— Tom Beck, Water Notes (Riverside), https://example.org/rivers"),
    ("SCA-T", "— Tom Beck, Water Notes (Riverside), 1:15"),
    ("SCA--", "— Tom Beck, Water Notes (Riverside)"),
    ("SC-UT", "— Tom Beck, Water Notes (Riverside), 1:15 https://example.org/rivers#t=75"),
    ("SC-U-", "— Tom Beck, Water Notes (Riverside), https://example.org/rivers"),
    ("SC--T", "— Tom Beck, Water Notes (Riverside), 1:15"),
    ("SC---", "— Tom Beck, Water Notes (Riverside)"),
    ("S-AUT", "— Tom Beck, Water Notes (Ana Ruiz), 1:15 https://example.org/rivers#t=75"),
    ("S-AU-", "— Tom Beck, Water Notes (Ana Ruiz), https://example.org/rivers"),
    ("S-A-T", "— Tom Beck, Water Notes (Ana Ruiz), 1:15"),
    ("S-A--", "— Tom Beck, Water Notes (Ana Ruiz)"),
    ("S--UT", "— Tom Beck, Water Notes, 1:15 https://example.org/rivers#t=75"),
    ("S--U-", "— Tom Beck, Water Notes, https://example.org/rivers"),
    ("S---T", "— Tom Beck, Water Notes, 1:15"),
    ("S----", "— Tom Beck, Water Notes"),
    ("-CAUT", "— Ana Ruiz, Water Notes (Riverside), 1:15 https://example.org/rivers#t=75"),
    ("-CAU-", "— Ana Ruiz, Water Notes (Riverside), https://example.org/rivers"),
    ("-CA-T", "— Ana Ruiz, Water Notes (Riverside), 1:15"),
    ("-CA--", "— Ana Ruiz, Water Notes (Riverside)"),
    ("-C-UT", "— Water Notes (Riverside), 1:15 https://example.org/rivers#t=75"),
    ("-C-U-", "— Water Notes (Riverside), https://example.org/rivers"),
    ("-C--T", "— Water Notes (Riverside), 1:15"),
    ("-C---", "— Water Notes (Riverside)"),
    ("--AUT", "— Ana Ruiz, Water Notes, 1:15 https://example.org/rivers#t=75"),
    ("--AU-", "— Ana Ruiz, Water Notes, https://example.org/rivers"),
    ("--A-T", "— Ana Ruiz, Water Notes, 1:15"),
    ("--A--", "— Ana Ruiz, Water Notes"),
    ("---UT", "— Water Notes, 1:15 https://example.org/rivers#t=75"),
    ("---U-", "— Water Notes, https://example.org/rivers"),
    ("----T", "— Water Notes, 1:15"),
    ("-----", "— Water Notes"),
]


@pytest.mark.parametrize(("flags", "tail"), PLAIN_CITATIONS, ids=[f for f, _ in PLAIN_CITATIONS])
def test_plain_citation_reads_naturally(flags: str, tail: str) -> None:
    assert cite_river(flags, "plain") == f'"{LINE}" {tail}'


MARKDOWN_CITATIONS = [
    ("SCAUT", "— Tom Beck, *Water Notes* (Riverside), [1:15](https://example.org/rivers#t=75)"),
    ("SCAU-", "— Tom Beck, *Water Notes* (Riverside), <https://example.org/rivers>"),
    ("SCA-T", "— Tom Beck, *Water Notes* (Riverside), 1:15"),
    ("SCA--", "— Tom Beck, *Water Notes* (Riverside)"),
    ("SC-UT", "— Tom Beck, *Water Notes* (Riverside), [1:15](https://example.org/rivers#t=75)"),
    ("SC-U-", "— Tom Beck, *Water Notes* (Riverside), <https://example.org/rivers>"),
    ("SC--T", "— Tom Beck, *Water Notes* (Riverside), 1:15"),
    ("SC---", "— Tom Beck, *Water Notes* (Riverside)"),
    ("S-AUT", "— Tom Beck, *Water Notes* (Ana Ruiz), [1:15](https://example.org/rivers#t=75)"),
    ("S-AU-", "— Tom Beck, *Water Notes* (Ana Ruiz), <https://example.org/rivers>"),
    ("S-A-T", "— Tom Beck, *Water Notes* (Ana Ruiz), 1:15"),
    ("S-A--", "— Tom Beck, *Water Notes* (Ana Ruiz)"),
    ("S--UT", "— Tom Beck, *Water Notes*, [1:15](https://example.org/rivers#t=75)"),
    ("S--U-", "— Tom Beck, *Water Notes*, <https://example.org/rivers>"),
    ("S---T", "— Tom Beck, *Water Notes*, 1:15"),
    ("S----", "— Tom Beck, *Water Notes*"),
    ("-CAUT", "— Ana Ruiz, *Water Notes* (Riverside), [1:15](https://example.org/rivers#t=75)"),
    ("-CAU-", "— Ana Ruiz, *Water Notes* (Riverside), <https://example.org/rivers>"),
    ("-CA-T", "— Ana Ruiz, *Water Notes* (Riverside), 1:15"),
    ("-CA--", "— Ana Ruiz, *Water Notes* (Riverside)"),
    ("-C-UT", "— *Water Notes* (Riverside), [1:15](https://example.org/rivers#t=75)"),
    ("-C-U-", "— *Water Notes* (Riverside), <https://example.org/rivers>"),
    ("-C--T", "— *Water Notes* (Riverside), 1:15"),
    ("-C---", "— *Water Notes* (Riverside)"),
    ("--AUT", "— Ana Ruiz, *Water Notes*, [1:15](https://example.org/rivers#t=75)"),
    ("--AU-", "— Ana Ruiz, *Water Notes*, <https://example.org/rivers>"),
    ("--A-T", "— Ana Ruiz, *Water Notes*, 1:15"),
    ("--A--", "— Ana Ruiz, *Water Notes*"),
    ("---UT", "— *Water Notes*, [1:15](https://example.org/rivers#t=75)"),
    ("---U-", "— *Water Notes*, <https://example.org/rivers>"),
    ("----T", "— *Water Notes*, 1:15"),
    ("-----", "— *Water Notes*"),
]


@pytest.mark.parametrize(
    ("flags", "tail"), MARKDOWN_CITATIONS, ids=[f for f, _ in MARKDOWN_CITATIONS]
)
def test_markdown_citation_reads_naturally(flags: str, tail: str) -> None:
    assert cite_river(flags, "markdown") == f'> "{LINE}" {tail}'


USER_TEMPLATES = {
    "who-channel": '"{quote}" \u2014 {who}, {channel}',
    "speaker-title": '"{quote}" \u2014 {speaker}, {title} ({timestamp})',
    "speaker-first": '{speaker}: "{quote}" ({url_at_time})',
    "apa": "{authors} ({date}). {title}. {url}",
}


@pytest.mark.parametrize("flags", [f for f, _ in PLAIN_CITATIONS])
@pytest.mark.parametrize("name", sorted(USER_TEMPLATES))
def test_user_templates_never_repeat_a_name_or_leave_stray_marks(name: str, flags: str) -> None:
    text = cite_river(flags, name, USER_TEMPLATES)
    assert text.count("Ana Ruiz") <= 1
    for stray in (", ,", "\u2014 ,", ", )", "()", "( ", " ,", ",,"):
        assert stray not in text
    assert not text.endswith((",", "\u2014", ":"))
    assert not text.startswith((",", ".", ":", "\u2014"))


def test_user_template_with_author_as_channel_names_the_author_once() -> None:
    templates = {"mine": USER_TEMPLATES["who-channel"]}
    assert cite_river("--A--", "mine", templates) == f'"{LINE}" \u2014 Ana Ruiz'
    assert cite_river("-CA--", "mine", templates) == f'"{LINE}" \u2014 Ana Ruiz, Riverside'


def test_user_template_without_a_speaker_keeps_the_dash_before_the_title() -> None:
    templates = {"mine": USER_TEMPLATES["speaker-title"]}
    assert cite_river("----T", "mine", templates) == f'"{LINE}" \u2014 Water Notes (1:15)'
    assert cite_river("S----", "mine", templates) == f'"{LINE}" \u2014 Tom Beck, Water Notes'
    speaker_first = {"mine": USER_TEMPLATES["speaker-first"]}
    assert cite_river("-----", "mine", speaker_first) == f'"{LINE}"'
