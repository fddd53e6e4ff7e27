import gc
import json
import subprocess
import sys
from pathlib import Path

import pytest
from helpers.vaults import MakeVault
from readmark.library.collector import start_done
from readmark.tui.cli import main

SOURCE_KEYS = {
    "id",
    "title",
    "format",
    "duration",
    "url",
    "date",
    "speakers",
    "segments",
    "timed_segments",
    "first_time",
    "last_time",
    "outline",
    "warnings",
    "error",
    "channel",
    "authors",
    "tags",
}

EPISODE = """---
title: "Episode 12: soil"
channel: Garden Hour
author: Mara Lind
url: https://www.youtube.com/watch?v=abc123
date: 2025-03-01
tags: [soil, compost]
---

# Episode 12: soil

## Chapters

- [0:00](https://www.youtube.com/watch?v=abc123&t=0s) Opening
- [1:30](https://www.youtube.com/watch?v=abc123&t=90s) Compost

## Transcript

[0:00](https://www.youtube.com/watch?v=abc123&t=0s) Welcome to the garden hour.

[1:30](https://www.youtube.com/watch?v=abc123&t=90s) Let us talk about compost.
"""

PANEL = """WEBVTT

00:00:02.000 --> 00:00:05.000
<v Ana>Welcome to the panel.

01:02:03.000 --> 01:02:06.000
<v Ben>Thanks for staying so long.
"""

HOSTILE_TITLE = "[bold red]Not markup[/] \x1b]52;c;aGk=\x07\x1b[31mgrab\x1b[0m \u202eevil"


@pytest.fixture
def vault(make_vault: MakeVault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("READMARK_DATA_DIR", str(tmp_path / "data"))  # beside the vault
    return make_vault(
        {
            "talks/episode-12.md": EPISODE,
            "talks/panel.vtt": PANEL,
            "hostile.md": f"# {HOSTILE_TITLE}\n\nBody text.\n",
            "cover.jpg": b"\xff\xd8\xff\xe0",
        }
    )


def test_sources_json_shape(vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sources", "--vault", str(vault), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)

    assert list(data) == ["sources", "skipped"]
    assert [s["id"] for s in data["sources"]] == [
        "hostile.md",
        "talks/episode-12.md",
        "talks/panel.vtt",
    ]
    assert all(set(s) == SOURCE_KEYS for s in data["sources"])
    episode = data["sources"][1]
    assert episode["title"] == "Episode 12: soil"
    assert (episode["url"], episode["date"]) == (
        "https://www.youtube.com/watch?v=abc123",
        "2025-03-01",
    )
    assert (episode["timed_segments"], episode["first_time"], episode["last_time"]) == (
        2,
        0.0,
        90.0,
    )
    assert (episode["channel"], episode["authors"], episode["tags"]) == (
        "Garden Hour",
        ["Mara Lind"],
        ["soil", "compost"],
    )
    assert data["skipped"] == [{"path": "cover.jpg", "reason": "image"}]


def test_sources_json_keeps_titles_exact_but_terminal_safe(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["sources", "--json", "--vault", str(vault)])
    out = capsys.readouterr().out
    assert "\x1b" not in out
    assert "\u202e" not in out
    assert json.loads(out)["sources"][0]["title"].startswith("[bold red]Not markup[/] ")


def test_sources_table_prints_markup_literally_without_escapes(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["sources", "--vault", str(vault)]) == 0
    out = capsys.readouterr().out
    assert "[bold red]Not markup[/]" in out
    assert "\x1b" not in out
    assert "\u202e" not in out
    assert "Episode 12: soil" in out
    assert "cover.jpg: image" in out


def test_show_json_lists_segments(vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "talks/panel.vtt", "--vault", str(vault), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == SOURCE_KEYS
    assert data["speakers"] == ["Ana", "Ben"]
    assert data["segments"] == [
        {
            "start": 2.0,
            "end": 5.0,
            "speaker": "Ana",
            "role": "cue",
            "text": "Welcome to the panel.",
            "marks": [{"offset": 0, "time": 2.0}],
        },
        {
            "start": 3723.0,
            "end": 3726.0,
            "speaker": "Ben",
            "role": "cue",
            "text": "Thanks for staying so long.",
            "marks": [{"offset": 0, "time": 3723.0}],
        },
    ]


def test_show_human_has_time_gutter_and_speaker(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["show", str(vault / "talks" / "panel.vtt"), "--vault", str(vault)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[:6] == [
        "Panel",
        "Format: vtt",
        "Id: talks/panel.vtt",
        "Speakers: Ana, Ben",
        "Duration: 1:02:06",
        "",
    ]
    assert lines[-2:] == [
        "0:00:02  Ana: Welcome to the panel.",
        "1:02:03  Ben: Thanks for staying so long.",
    ]


def test_show_human_prints_metadata_outline_then_segments(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["show", "talks/episode-12.md", "--vault", str(vault)]) == 0
    lines = capsys.readouterr().out.splitlines()
    blank = lines.index("")
    assert lines[:blank] == [
        "Episode 12: soil",
        "Format: markdown",
        "Id: talks/episode-12.md",
        "URL: https://www.youtube.com/watch?v=abc123",
        "Channel: Garden Hour",
        "Authors: Mara Lind",
        "Date: 2025-03-01",
        "Tags: soil, compost",
        "Outline:",
        "  0:00  Opening",
        "  1:30  Compost",
    ]
    assert lines[-1] == "1:30  Let us talk about compost."


def test_show_path_outside_a_vault_uses_its_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    loose = tmp_path / "loose"
    loose.mkdir()
    (loose / "memo.txt").write_text("A memo.\n", encoding="utf-8")
    assert main(["show", str(loose / "memo.txt"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["id"] == "memo.txt"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["show", "missing.md"], "readmark: missing.md: no such source in "),
        (["show", "../secret.md"], "readmark: '../secret.md' is not a source id"),
        (["show", "cover.jpg"], "readmark: cover.jpg: image"),
    ],
)
def test_unknown_sources_exit_2_with_one_line(
    vault: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert main([*argv, "--vault", str(vault)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(message)
    assert captured.err.count("\n") == 1


def test_missing_vault_folder_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sources", "--vault", str(tmp_path / "nowhere")]) == 2
    missing = tmp_path / "nowhere"
    assert capsys.readouterr().err == (
        f"readmark: {missing} is not a folder (give --vault the folder of your sources)\n"
    )


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    with pytest.raises(Exception, match="is not a folder"):
        main(["--debug", "sources", "--vault", str(tmp_path / "nowhere")])


def test_show_refuses_a_path_outside_the_given_vault(
    vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Same file name as a source of the vault: it must not be taken for that source.
    elsewhere = tmp_path / "elsewhere" / "talks"
    elsewhere.mkdir(parents=True)
    (elsewhere / "panel.vtt").write_text(PANEL, encoding="utf-8")
    assert main(["show", str(elsewhere / "panel.vtt"), "--vault", str(vault), "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        f"readmark: {elsewhere / 'panel.vtt'} is not inside the vault {vault}; "
        "pass --vault with the folder that holds it\n"
    )


def test_show_refuses_a_relative_path_leading_out_of_the_vault(
    vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "secret.txt").write_text("Not for the vault.\n", encoding="utf-8")
    monkeypatch.chdir(vault / "talks")
    assert main(["show", "../../secret.txt", "--vault", str(vault)]) == 2
    assert "is not inside the vault" in capsys.readouterr().err


def test_show_takes_an_id_even_when_the_same_path_exists_elsewhere(
    vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "talks").mkdir()
    (tmp_path / "talks" / "panel.vtt").write_text("WEBVTT\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["show", "talks/panel.vtt", "--vault", str(vault), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["speakers"] == ["Ana", "Ben"]


def test_show_without_vault_uses_the_nearest_folder_with_readmark_data(
    vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (vault / ".readmark").mkdir()
    assert main(["show", str(vault / "talks" / "panel.vtt"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["id"] == "talks/panel.vtt"


@pytest.mark.parametrize(
    ("argv", "line"),
    [
        (
            ["sources", "--bogus"],
            "readmark sources: error: unrecognized arguments: --bogus "
            "(see readmark sources --help)",
        ),
        (
            ["show"],
            "readmark show: error: the following arguments are required: SOURCE "
            "(see readmark show --help)",
        ),
        (
            ["show", "a.md", "--vault"],
            "readmark show: error: argument --vault: expected one argument "
            "(see readmark show --help)",
        ),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], line: str
) -> None:
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", line + "\n")


def test_command_help_names_the_command_in_its_usage(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "--help"]) == 0
    usage = capsys.readouterr().out.splitlines()[0]
    assert usage == "usage: readmark show [-h] [--vault PATH] [--debug] [--json] SOURCE"


def test_help_exits_0_and_names_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert "sources" in out and "show" in out


def test_sources_defaults_to_the_sample_library(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["sources", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["sources"] != []
    assert (vault.parent / "data" / "sample-library").is_dir()


@pytest.fixture
def reader_started(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Path, str | None]]:
    """What `readmark` started the reader on (a stand-in for the app): (vault, source)."""
    opened: list[tuple[Path, str | None]] = []
    fake_app = type(sys)("readmark.tui.app")
    fake_app.run_app = lambda path, source=None: opened.append((path, source))  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "readmark.tui.app", fake_app)
    return opened


def test_reader_is_started_on_a_path_that_is_not_a_command(
    vault: Path, reader_started: list[tuple[Path, str | None]]
) -> None:
    assert main([str(vault)]) == 0
    assert reader_started == [(vault, None)]  # a folder: the vault, no source named


def test_no_arguments_start_the_reader_on_the_sample_library(
    vault: Path, reader_started: list[tuple[Path, str | None]]
) -> None:
    assert main([]) == 0
    assert reader_started == [(vault.parent / "data" / "sample-library", None)]
    # Off until the reader's first frame is painted, then back on.
    assert not gc.isenabled()
    assert start_done()
    gc.unfreeze()
    assert gc.isenabled()


def test_keyboard_interrupt_exits_130(vault: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(self: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("readmark.library.vault.Vault.scan", interrupted)
    assert main(["sources", "--vault", str(vault)]) == 130


def test_real_process_lists_json_without_importing_textual(vault: Path) -> None:
    code = (
        "import sys; from readmark.tui.cli import main; status = main(sys.argv[1:]); "
        "assert 'textual' not in sys.modules and 'rich' not in sys.modules; sys.exit(status)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, "sources", "--json", "--vault", str(vault)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)["sources"]) == 3


def test_module_entry_point_returns_the_status(vault: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "readmark", "show", "nothing.md", "--vault", str(vault)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("readmark: nothing.md: no such source")
