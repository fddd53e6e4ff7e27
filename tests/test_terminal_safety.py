"""Text from files never acts on the terminal: every CLI command and the reader, on a hostile vault.

The vault's file names, titles, speakers, text, notes and tags carry escape sequences (CSI, OSC 0,
OSC 52, OSC 8, DCS), 8-bit C1 controls, bidi overrides, Rich markup and Markdown links. What
readmark prints must hold none of those controls, and must show the markup as written.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from readmark.annotations.model import (
    Anchor,
    Annotation,
    Confidence,
    Kind,
    TextPositionSelector,
    TextQuoteSelector,
)
from readmark.annotations.store import AnnotationStore
from readmark.tui.cli import main

HOSTILE = (
    "\x1b[31mred\x1b[0m \x1b[2J \x1b]0;retitled\x07 \x1b]52;c;aGVsbG8=\x07 "
    "\x1b]8;;https://evil.example/\x1b\\hyperlink\x1b]8;;\x1b\\ \x1bPq#0;1\x1b\\ \x9b31m "
    "\u202eesrever\u202c \u2066isolated\u2069 [bold red]markup[/] "
    "[link=https://x.example]lnk[/link] "
    "[0:00](https://evil.example/) bell\x07 del\x7f nel\x85"
)
"""Every kind of control a file may carry, in one string."""

MARKUP = "[bold red]markup[/]"
"""Rich markup that must be printed as written, never applied."""

FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""C0 controls but tab and new line, DEL, C1 controls and bidi controls."""

SGR = re.compile("\x1b\\[[0-9;]*m")
"""Select Graphic Rendition: the colours and bold rich itself prints."""

HOSTILE_NAME = "talk \x1b[2J\u202ekcilc\u202c [bold]x\x9b31m.md"
"""A file name with escape, bidi and markup (a file name may hold anything but `/`)."""

STORED_ID = "01jhostile000000000"
RAW_ID = "01jrawhand000000000"
RAW_ANNOTATION = """---
id: 01jrawhand000000000
source: whisper.json
kind: note
speaker: "Ann \\e[31mRed\\e]0;title\\a"
tags:
- "tag\\e]52;c;aGk=\\a\\u202e"
created: '2026-01-02T00:00:00Z'
char_start: 0
char_end: 7
fingerprint: beef
---

> quoted \x1b[2J text \u202eesrever

a hand-made note \x1b]0;retitled\x07 with [bold]markup[/bold] and \x9b31m
"""


def hostile_markdown() -> str:
    quoted = json.dumps(HOSTILE)
    return f"""---
title: {quoted}
channel: {quoted}
url: "https://www.youtube.com/watch?v=abc\\e]52;c;aGk=\\a"
tags: [{quoted}]
chapters:
  - {{start_time: 0, title: {quoted}}}
---

**Speaker {HOSTILE}** [00:00:05]

Plain words to quote here. {HOSTILE}

{HOSTILE}** [00:00:09]

More words.
"""


def write_vault(root: Path) -> dict[str, str]:
    """Hostile sources and annotations; returns {what: source id}."""
    root.mkdir(parents=True)
    markdown_name = HOSTILE_NAME if sys.platform != "win32" else "talk [bold]x.md"
    (root / markdown_name).write_text(hostile_markdown(), encoding="utf-8")
    segment = {
        "start": 0,
        "end": 3,
        "speaker": HOSTILE + "\x00",
        "text": "whisper words " + HOSTILE,
    }
    (root / "whisper.json").write_text(json.dumps({"segments": [segment]}), encoding="utf-8")
    (root / "subs.srt").write_text(
        f"1\n00:00:01,000 --> 00:00:03,000\n<v {HOSTILE}>subtitle words {HOSTILE}\n\n",
        encoding="utf-8",
    )
    (root / "captions.vtt").write_text(
        f"WEBVTT\n\nNOTE {HOSTILE}\n\n00:00:01.000 --> 00:00:03.000\n"
        f"<v {HOSTILE}>caption words {HOSTILE}\n\n",
        encoding="utf-8",
    )
    (root / "essay.txt").write_text(f"{HOSTILE}\n\nAn essay paragraph. {HOSTILE}\n", "utf-8")
    if sys.platform != "win32":
        (root / "picture \x1b]0;t\x07\u202e.png").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0")
    return {"markdown": markdown_name, "whisper": "whisper.json"}


def write_annotations(root: Path, markdown_id: str) -> None:
    """One annotation saved through the store with raw controls in every field, one file
    written by hand, and one broken file with a hostile name."""
    store = AnnotationStore(root)
    store.save(
        Annotation(
            id=STORED_ID,
            source=markdown_id,
            kind=Kind.DISSENT,
            anchor=Anchor(
                TextQuoteSelector(HOSTILE, HOSTILE, HOSTILE), TextPositionSelector(0, 5), "beef"
            ),
            start=5.0,
            speaker=HOSTILE,
            note=HOSTILE,
            tags=(HOSTILE, "plain"),
            confidence=Confidence.HIGH,
            created="2026-01-01T00:00:00Z",
        )
    )
    # Where readmark keeps the notes of whisper.json, so every test finds it there on its own.
    folder = store.folder_for("whisper.json")
    folder.mkdir(parents=True)
    (folder / f"{RAW_ID}.md").write_text(RAW_ANNOTATION, encoding="utf-8")
    if sys.platform != "win32":
        (folder / "broken \x1b]0;t\x07\u202e.md").write_text("---\nid: [\n---\n", "utf-8")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, str]]]:
    base = tmp_path_factory.mktemp("hostile")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("READMARK_DATA_DIR", str(base / "data"))
        patch.setenv("READMARK_CONFIG", str(base / "config.toml"))
        root = base / "vault"
        ids = write_vault(root)
        write_annotations(root, ids["markdown"])
        yield root, ids


def run(root: Path, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main([*argv, "--vault", str(root)])
    out, err = capsys.readouterr()
    return status, out, err


def assert_safe(text: str) -> None:
    found = FORBIDDEN.search(text)
    assert found is None, f"{found.group()!r} in {text[max(0, found.start() - 40) :][:80]!r}"


def strings(data: object) -> list[str]:
    """Every string inside parsed JSON."""
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for value in data.values() for s in strings(value)]
    if isinstance(data, list):
        return [s for value in data for s in strings(value)]
    return []


def source_ids(root: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    status, out, _ = run(root, capsys, "sources", "--json")
    assert status == 0
    return [s["id"] for s in json.loads(out)["sources"]]


def test_every_hostile_source_is_listed(
    hostile: tuple[Path, dict[str, str]], capsys: pytest.CaptureFixture[str]
) -> None:
    root, ids = hostile
    assert sorted(source_ids(root, capsys)) == sorted(
        [ids["markdown"], "captions.vtt", "essay.txt", "subs.srt", "whisper.json"]
    )


@pytest.mark.parametrize("json_flag", [(), ("--json",)], ids=["human", "json"])
def test_sources_and_show_print_no_control(
    hostile: tuple[Path, dict[str, str]], capsys: pytest.CaptureFixture[str], json_flag: tuple[str]
) -> None:
    root, _ = hostile
    status, out, err = run(root, capsys, "sources", *json_flag)
    assert status == 0
    assert_safe(out + err)
    assert "Skipped" in out or json_flag  # the picture with a hostile name is listed, safely
    for source_id in source_ids(root, capsys):
        status, out, err = run(root, capsys, "show", source_id, *json_flag)
        assert status == 0, err
        assert_safe(out + err)
        if json_flag:
            json.loads(out)  # still valid JSON
        else:
            assert MARKUP in out, source_id


def test_annotate_search_cite_delete_restore_print_no_control(
    hostile: tuple[Path, dict[str, str]], capsys: pytest.CaptureFixture[str]
) -> None:
    root, ids = hostile
    status, out, err = run(
        root, capsys, "annotate", ids["markdown"], "--quote", "words to quote",
        "--kind", "dissent", "--note", HOSTILE, "--tag", HOSTILE, "--confidence", "low",
    )  # fmt: skip
    assert status == 0, err
    assert_safe(out + err)
    assert MARKUP in out
    status, out, err = run(
        root, capsys, "annotate", "whisper.json", "--quote", "whisper words",
        "--note", HOSTILE, "--json",
    )  # fmt: skip
    assert status == 0, err
    assert_safe(out + err)
    assert json.loads(out)["note"] == HOSTILE  # JSON escapes controls but keeps the data

    for query in ("words", "markup", "esrever", "kind:dissent", "tag:plain"):
        for flag in ((), ("--json",)):
            status, out, err = run(root, capsys, "search", query, *flag)
            assert status == 0, err
            assert_safe(out + err)
    status, out, _ = run(root, capsys, "search", "hyperlink")
    assert MARKUP in out and "No matches" not in out

    for annotation_id, quoted in ((STORED_ID, MARKUP), (RAW_ID, "quoted")):
        for fmt in ("markdown", "plain"):
            status, out, err = run(root, capsys, "cite", annotation_id, "--format", fmt)
            assert status == 0, err
            assert_safe(out + err)
            assert quoted in out

    for annotation_id in (STORED_ID, RAW_ID):
        status, out, err = run(root, capsys, "delete", annotation_id)
        assert status == 0, err
        assert_safe(out + err)
        status, out, err = run(root, capsys, "restore", annotation_id)
        assert status == 0, err
        assert_safe(out + err)


@pytest.mark.parametrize("fmt", ["markdown", "json", "csv"])
def test_export_to_stdout_prints_no_control(
    hostile: tuple[Path, dict[str, str]], capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    root, ids = hostile
    for only in ((), ("--source", ids["markdown"]), ("--source", "whisper.json")):
        status, out, err = run(root, capsys, "export", "--format", fmt, *only)
        assert status == 0, err
        assert_safe(out + err)
        assert "markup" in out
    if fmt == "json":
        status, out, _ = run(root, capsys, "export", "--format", "json")
        assert HOSTILE in strings(json.loads(out))  # the same data, written with escapes


@pytest.mark.parametrize("fmt", ["markdown", "json", "csv"])
def test_export_to_a_file_keeps_the_text_and_reports_safely(
    hostile: tuple[Path, dict[str, str]],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    fmt: str,
) -> None:
    root, _ = hostile
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    status, out, err = run(root, capsys, "export", "--format", fmt, "--out", str(out_dir))
    assert status == 0, err
    assert_safe(out + err)
    assert "Wrote" in err
    written = "".join(p.read_text(encoding="utf-8") for p in sorted(out_dir.iterdir()))
    # A data file is not terminal output: the note is kept exactly as stored.
    if fmt == "json":
        assert HOSTILE in strings(json.loads(written))
    else:
        assert "\x1b]52;c;aGVsbG8=\x07" in written and "\u202eesrever" in written


def test_reindex_and_check_print_no_control(
    hostile: tuple[Path, dict[str, str]], capsys: pytest.CaptureFixture[str]
) -> None:
    root, _ = hostile
    status, out, err = run(root, capsys, "reindex")
    assert status == 0, err
    assert_safe(out + err)
    status, out, err = run(root, capsys, "check")
    assert status == 1  # the broken file needs the user
    assert_safe(out + err)
    assert "cannot be read" in out


@pytest.mark.parametrize(
    "argv",
    [
        ("show", HOSTILE),
        ("show", HOSTILE_NAME + ".missing"),
        ("annotate", "whisper.json", "--quote", HOSTILE),
        ("cite", HOSTILE),
        ("delete", HOSTILE),
        ("restore", HOSTILE),
        ("search", HOSTILE),
        ("export", "--format", "json", "--source", HOSTILE),
        ("sources", "--bogus" + HOSTILE),
    ],
    ids=["show", "show-name", "annotate", "cite", "delete", "restore", "search", "export", "usage"],
)
def test_errors_about_hostile_arguments_print_no_control(
    hostile: tuple[Path, dict[str, str]], capsys: pytest.CaptureFixture[str], argv: tuple[str, ...]
) -> None:
    root, _ = hostile
    status, out, err = run(root, capsys, *argv)
    assert status == 2
    assert_safe(out + err)
    assert err.count("\n") == 1 and err.startswith("readmark")


def test_a_real_terminal_gets_only_rich_styles(hostile: tuple[Path, dict[str, str]]) -> None:
    """Run as a process with colour forced on: the only escape sequences are rich's SGR."""
    root, ids = hostile
    script = (
        "import sys\n"
        "from readmark.tui.cli import main\n"
        "vault = sys.argv[1]\n"
        "for argv in (['sources'], ['show', sys.argv[2]], ['search', 'words'],\n"
        "             ['cite', sys.argv[3]], ['export', '--format', 'csv']):\n"
        "    main([*argv, '--vault', vault])\n"
    )
    env = {
        **os.environ,
        "FORCE_COLOR": "1",
        "TERM": "xterm-256color",
        "COLUMNS": "120",
        "PYTHONIOENCODING": "utf-8",
    }
    env.pop("NO_COLOR", None)
    done = subprocess.run(
        [sys.executable, "-c", script, str(root), ids["markdown"], STORED_ID],
        capture_output=True,
        env=env,
        timeout=60,
        check=False,
    )
    out = done.stdout.decode("utf-8") + done.stderr.decode("utf-8")
    assert SGR.search(out) is not None  # rich did style its output: the check below is real
    assert_safe(SGR.sub("", out))
    assert MARKUP in out


# -- the reader ------------------------------------------------------------------------------


async def test_the_reader_shows_hostile_sources_as_text(
    hostile: tuple[Path, dict[str, str]],
) -> None:
    from readmark.tui.app import ReadmarkApp
    from readmark.tui.screens.reader import ReaderScreen
    from readmark.tui.widgets.source_list import SourceList
    from readmark.tui.widgets.transcript import Transcript

    root, _ = hostile
    app = ReadmarkApp(root)
    async with app.run_test(size=(140, 40)) as pilot:
        await app.workers.wait_for_complete()
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        sources = screen.query_one(SourceList)
        for _ in range(100):
            if sources.shown_ids:
                break
            await pilot.pause(0.02)
        count = len(sources.shown_ids)
        assert count == 5
        opened: list[str] = []
        for index in range(count):
            sources.focus()
            await pilot.press("home", *["down"] * index, "enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
            transcript = screen.query_one(Transcript)
            assert transcript.source is not None
            opened.append(transcript.source.id)
            shown = app.export_screenshot()
            assert_safe(shown)
            # export_screenshot writes spaces as &#160;
            assert "[bold&#160;red]markup[/]" in shown, transcript.source.id
            for widget in screen.query("*"):
                for y in range(widget.size.height):
                    assert_safe(widget.render_line(y).text)
        assert len(set(opened)) == count
        for notification in app._notifications:
            assert_safe(str(notification.message))
