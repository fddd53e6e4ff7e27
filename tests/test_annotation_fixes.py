"""Regression tests for annotation defects: hand-edited quotes, Unicode forms, times inside a
segment, citations, store messages, tags and partial quote deletions."""

import csv
import errno
import io
import json
import unicodedata
from dataclasses import replace
from pathlib import Path

import pytest
from readmark.annotations.anchoring import ReanchorStatus, new_annotation, reanchor, span_metadata
from readmark.annotations.citation import cite
from readmark.annotations.export_csv import export_readwise_csv
from readmark.annotations.model import Annotation, Kind
from readmark.annotations.workspace import Workspace
from readmark.library import durable
from readmark.library.builder import SourceBuilder
from readmark.library.model import Segment, Source
from readmark.tui.cli import main

TALK = """WEBVTT

00:00:02.000 --> 00:00:08.000
<v Rosa>Owls hunt at night and rest in hollow trees during the day.

00:00:08.000 --> 00:00:15.000
<v Rosa>Their feathers are soft so that their wings make almost no sound.
"""


@pytest.fixture
def owls(tmp_path: Path) -> Path:
    root = tmp_path / "vault"
    root.mkdir()
    (root / "owls.vtt").write_text(TALK, encoding="utf-8")
    return root


# -- 1: a quote edited by hand on an unchanged source -------------------------------------------


def test_hand_edited_quote_is_reanchored_on_an_unchanged_source(owls: Path) -> None:
    with Workspace(owls) as workspace:
        made = workspace.annotate("owls.vtt", "hollow trees", Kind.NOTE, note="mine")
        path = workspace.store.path_for(made)
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("> hollow trees", "> almost no sound"), encoding="utf-8")

        [placed] = workspace.annotations_for("owls.vtt")

        source = workspace.source("owls.vtt")
        start, end = placed.anchor.position.start, placed.anchor.position.end
        assert source.text[start:end] == "almost no sound"
        assert placed.speaker == "Rosa"
        assert placed.start is not None and placed.start >= 8.0
        assert placed.note == "mine"
        # The fix is saved, so the file now points at the new words.
        assert workspace.get(made.id).anchor.position.start == start


def test_check_reports_a_hand_edited_quote_as_reanchored(owls: Path) -> None:
    with Workspace(owls) as workspace:
        made = workspace.annotate("owls.vtt", "hollow trees", Kind.HIGHLIGHT)
        path = workspace.store.path_for(made)
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("> hollow trees", "> feathers are soft"), encoding="utf-8")

        report = workspace.check()

        assert [a.quote for a in report.reanchored] == ["feathers are soft"]
        assert report.orphans == []


# -- 2: composed and decomposed accents -------------------------------------------------------

COMPOSED = "Tomamos un caf\u00e9 en la plaza de S\u00e3o Jo\u00e3o antes de la reuni\u00f3n."
DECOMPOSED = unicodedata.normalize("NFD", COMPOSED)


def _vault_with(tmp_path: Path, name: str, text: str) -> Path:
    root = tmp_path / "vault"
    root.mkdir(exist_ok=True)
    (root / name).write_text(text, encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("source_text", "quote"),
    [
        (COMPOSED, unicodedata.normalize("NFD", "caf\u00e9 en la plaza de S\u00e3o")),
        (DECOMPOSED, "caf\u00e9 en la plaza de S\u00e3o"),
    ],
    ids=["nfd-quote-in-nfc-text", "nfc-quote-in-nfd-text"],
)
def test_a_quote_matches_whatever_the_accent_form(
    tmp_path: Path, source_text: str, quote: str
) -> None:
    root = _vault_with(tmp_path, "notes.txt", source_text)
    with Workspace(root) as workspace:
        made = workspace.annotate("notes.txt", quote, Kind.HIGHLIGHT)
        text = workspace.source("notes.txt").text
        start, end = made.anchor.position.start, made.anchor.position.end
        # The anchor spans the whole accented words in the source's own form.
        assert unicodedata.normalize("NFC", text[start:end]) == "caf\u00e9 en la plaza de S\u00e3o"
        assert made.quote == text[start:end]


def test_an_annotation_follows_its_source_resaved_decomposed(tmp_path: Path) -> None:
    root = _vault_with(tmp_path, "notes.txt", COMPOSED)
    with Workspace(root) as workspace:
        made = workspace.annotate("notes.txt", "Jo\u00e3o antes", Kind.HIGHLIGHT)
    (root / "notes.txt").write_text(DECOMPOSED, encoding="utf-8")
    with Workspace(root) as workspace:
        result = reanchor(made, workspace.source("notes.txt"))
    # The same words, only spelled with combining accents: an exact match, not a fuzzy one.
    assert result.status == ReanchorStatus.MOVED
    assert result.annotation.quote == unicodedata.normalize("NFD", "Jo\u00e3o antes")


# -- 3: the time a quote begins inside a long segment -----------------------------------------

FILLER = " ".join(f"word{n:02d}" for n in range(40))
LONG_TALK = f"""WEBVTT

00:01:00.000 --> 00:02:00.000
<v Lee>{FILLER} the river turns north here {FILLER}

00:02:00.000 --> 00:02:05.000
<v Lee>That is all.
"""


def test_a_quote_in_the_middle_of_a_long_segment_links_to_the_segments_own_time(
    tmp_path: Path,
) -> None:
    # The file says when the segment starts; a guess inside it could land after the words.
    root = _vault_with(tmp_path, "river.vtt", LONG_TALK)
    with Workspace(root) as workspace:
        made = workspace.annotate("river.vtt", "the river turns north", Kind.HIGHLIGHT)
        source = workspace.source("river.vtt")
    segment = source.segment_at_offset(made.anchor.position.start)
    assert (made.start, made.end) == (segment.start, segment.end)
    source.url = "https://video.example/watch?v=river"
    link = cite(made, source, "plain", templates={})
    assert link.endswith(f"https://video.example/watch?v=river#t={int(segment.start or 0)}")


def test_seconds_at_offset_interpolates_and_clamps() -> None:
    first = Segment(0, "abcdefghij", start=10.0, end=20.0, char_start=0, char_end=10)
    open_ended = Segment(1, "klmnopqrst", start=30.0, char_start=12, char_end=22)
    untimed = Segment(2, "uvwxyz", char_start=24, char_end=30)
    last = Segment(3, "0123456789", start=50.0, char_start=32, char_end=42)
    source = Source(id="s", title="s", format="text", segments=[first, open_ended, untimed, last])
    assert source.seconds_at_offset(0) == 10.0
    assert source.seconds_at_offset(5) == 15.0
    assert source.seconds_at_offset(10) == 20.0  # the end of the first segment
    assert source.seconds_at_offset(11) == 30.0  # between segments: the next one's start
    # No end: it lasts until the next timed segment begins (the untimed one is skipped).
    assert source.seconds_at_offset(17) == 40.0
    assert source.seconds_at_offset(26) is None
    assert source.seconds_at_offset(37) == 50.0  # nothing follows: its own start
    assert source.seconds_at_offset(999) == 50.0
    assert Source(id="e", title="e", format="text").seconds_at_offset(3) is None


# -- 4: citations for every mix of known and unknown parts ------------------------------------

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


# -- 5: store errors worded for the CLI as well as the reader ---------------------------------


def test_a_failed_save_from_the_cli_names_the_file_and_no_running_app(
    owls: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("READMARK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("READMARK_CONFIG", str(tmp_path / "none.toml"))

    def disk_full(fd: int, data: object) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(durable.os, "write", disk_full)
    status = main(["annotate", "owls.vtt", "--quote", "hollow trees", "--vault", str(owls)])
    err = capsys.readouterr().err

    assert status != 0
    assert "Traceback" not in err
    assert str(owls / ".readmark" / "annotations") in err
    assert "the disk is full" in err
    assert "Free some space and save again." in err
    assert "still open" not in err
    assert "in readmark" not in err


# -- 6: tags as users type them ---------------------------------------------------------------


def test_cli_tags_are_cleaned_split_and_deduplicated(
    owls: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("READMARK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("READMARK_CONFIG", str(tmp_path / "none.toml"))
    argv = ["annotate", "owls.vtt", "--quote", "hollow trees", "--vault", str(owls), "--json"]
    for tag in ("#reading", "a,b", "a, b", " a ", "#", "Reading"):
        argv += ["--tag", tag]
    assert main(argv) == 0
    made = json.loads(capsys.readouterr().out)
    assert made["tags"] == ["reading", "a", "b"]
    with Workspace(owls) as workspace:
        assert workspace.get(made["id"]).tags == ("reading", "a", "b")


def test_tags_typed_into_an_annotation_file_are_cleaned_on_load(owls: Path) -> None:
    with Workspace(owls) as workspace:
        made = workspace.annotate("owls.vtt", "hollow trees", Kind.NOTE, tags=["birds"])
        path = workspace.store.path_for(made)
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("tags:\n- birds", "tags: '#night, #birds  owls'"))
        assert workspace.get(made.id).tags == ("night", "birds", "owls")


def test_replacing_tags_from_an_editor_cleans_them_too(owls: Path) -> None:
    with Workspace(owls) as workspace:
        made = workspace.annotate("owls.vtt", "hollow trees", Kind.NOTE)
    edited = replace(made, tags=("#to-read , later", "later"))
    assert edited.tags == ("to-read", "later")


def test_readwise_note_carries_tags_as_dot_words(owls: Path) -> None:
    with Workspace(owls) as workspace:
        tagged = workspace.annotate(
            "owls.vtt", "hollow trees", Kind.NOTE, note="Check the oak.", tags=["#birds, night"]
        )
        bare = workspace.annotate("owls.vtt", "almost no sound", Kind.HIGHLIGHT, tags=["quiet"])
        plain = workspace.annotate("owls.vtt", "Owls hunt", Kind.HIGHLIGHT)
        rows = list(
            csv.DictReader(
                io.StringIO(export_readwise_csv([tagged, bare, plain], workspace.source_or_none))
            )
        )
    notes = {row["Highlight"]: row["Note"] for row in rows}
    assert notes == {
        "hollow trees": ".birds .night\nCheck the oak.",
        "almost no sound": ".quiet",
        "Owls hunt": "",
    }


# -- 7: words cut from inside a quote ---------------------------------------------------------

FLOODS = [
    (0.0, "Mia", "Good evening and welcome to a night about weather and rivers."),
    (20.0, "Ravi", "When spring floods come the old channels fill first and the new levees hold."),
    (45.0, "Mia", "That is the part most towns forget until the water is at the door."),
    (70.0, "Ravi", "We saw it again last year along the lower valley."),
]


def flood_talk(turns: list[tuple[float, str, str]]) -> Source:
    builder = SourceBuilder("floods.srt", "Floods", "srt")
    for i, (start, speaker, text) in enumerate(turns):
        end = turns[i + 1][0] if i + 1 < len(turns) else start + 10
        builder.add_segment(text, start=start, end=end, speaker=speaker)
    return builder.build()


def annotate_in(source: Source, quote: str) -> Annotation:
    at = source.text.index(quote)
    return new_annotation(source, at, at + len(quote), Kind.NOTE, note="keep me")


def corrected(index: int, text: str) -> Source:
    turns = [*FLOODS]
    turns[index] = (turns[index][0], turns[index][1], text)
    return flood_talk(turns)


def test_two_words_cut_from_inside_a_quote_need_review() -> None:
    made = annotate_in(flood_talk(FLOODS), "channels fill first and the new levees")
    source = corrected(1, "When spring floods come the old channels fill and the levees hold.")
    result = reanchor(made, source)
    assert result.status == ReanchorStatus.NEEDS_REVIEW
    assert not result.annotation.orphaned
    assert result.annotation.quote == "channels fill first and the new levees"
    assert result.annotation.candidate is not None
    assert result.annotation.candidate.text == "channels fill and the levees"
    assert result.annotation.note == "keep me"
    assert 75 <= result.score < 85


def test_words_cut_from_the_end_of_a_quote_do_not_run_into_the_next_turn() -> None:
    made = annotate_in(flood_talk(FLOODS), "the old channels fill first and the new levees hold.")
    source = corrected(1, "When spring floods come the old channels fill first and the new.")
    result = reanchor(made, source)
    assert result.status == ReanchorStatus.NEEDS_REVIEW
    candidate = result.annotation.candidate
    assert candidate is not None
    assert candidate.text == "the old channels fill first and the new."
    assert span_metadata(source, candidate.start, candidate.end)[2] == "Ravi"


def test_an_exact_copy_elsewhere_still_wins_over_a_fuzzy_match_in_place() -> None:
    quote = "the old channels fill first and the new levees hold"
    made = annotate_in(flood_talk(FLOODS), quote)
    turns = [*FLOODS, (90.0, "Ravi", f"Again: {quote}.")]
    turns[1] = (20.0, "Ravi", "When spring floods come the channels fill and the new levees hold.")
    result = reanchor(made, flood_talk(turns))
    assert result.status == ReanchorStatus.MOVED
    assert result.annotation.quote == quote
    assert result.annotation.start is not None and result.annotation.start >= 90.0


def test_a_quote_mostly_gone_is_still_orphaned() -> None:
    made = annotate_in(flood_talk(FLOODS), "the old channels fill first and the new levees hold")
    result = reanchor(made, corrected(1, "When spring floods come the levees hold."))
    assert result.status == ReanchorStatus.ORPHANED
    assert result.annotation.orphaned
