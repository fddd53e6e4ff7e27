"""`readmark` itself: its version, shell completion, and the help's word on where things are."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from readmark.tui.cli import main

from readmark import __version__


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"readmark {__version__}\n"


@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_completion_scripts_name_every_command(
    shell: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--print-completion", shell]) == 0
    script = capsys.readouterr().out
    for command in ("sources", "annotate", "export", "check", "--vault", "--kind"):
        assert command in script
    assert main(["--print-completion", "fish"]) == 2


def test_bash_completes_commands_and_options(tmp_path: Path) -> None:
    script = tmp_path / "readmark.bash"
    done = subprocess.run(
        [sys.executable, "-m", "readmark", "--print-completion", "bash"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    script.write_text(done.stdout, encoding="utf-8")
    probe = (
        f"source {script}\n"
        'COMP_WORDS=(readmark exp); COMP_CWORD=1; COMP_LINE="readmark exp"; COMP_POINT=12\n'
        '_shtab_readmark; echo "${COMPREPLY[@]}"\n'
        'COMP_WORDS=(readmark export --for); COMP_CWORD=2; COMP_LINE="readmark export --for"\n'
        'COMP_POINT=${#COMP_LINE}; _shtab_readmark; echo "${COMPREPLY[@]}"\n'
    )
    answer = subprocess.run(["bash", "-c", probe], capture_output=True, text=True, timeout=60)
    assert answer.stdout.split("\n")[:2] == ["export", "--format"]


def test_help_names_the_variables_and_where_the_config_is(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("READMARK_CONFIG", str(tmp_path / "mine.toml"))
    assert main(["--help"]) == 0
    help_text = capsys.readouterr().out
    for place in ("CONFIG", "DATA_DIR", "CACHE_DIR", "STATE_DIR"):
        assert f"READMARK_{place}" in help_text
    assert str(tmp_path / "mine.toml") in help_text
    assert "--version" in help_text and "--print-completion" in help_text


def test_a_command_imports_neither_textual_nor_shtab(tmp_path: Path) -> None:
    code = (
        "import sys; from readmark.tui.cli import main; status = main(sys.argv[1:]); "
        "assert 'textual' not in sys.modules and 'shtab' not in sys.modules; sys.exit(status)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, "--version"], capture_output=True, text=True, timeout=60
    )
    assert (done.returncode, done.stdout) == (0, f"readmark {__version__}\n"), done.stderr


def test_a_command_line_parses_as_readmark_s_whole_parser_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A command line builds only its command's parser: what it accepts, and what it says of
    a mistake, is what the parser of every command says."""
    from readmark.tui.cli import entry

    lines = [
        ["search", "tides", "--limit", "3", "--vault", str(tmp_path)],
        ["--debug", "search", "tides", "--json", "--vault", str(tmp_path)],
        ["search", "tides", "--lmit", "3"],
        ["search"],
        ["search", "tides", "--limit", "many"],
        ["cite", "talk.md", "--vault", str(tmp_path), "--kind", "dissent"],
    ]
    for argv in lines:
        said = []
        for parser in (entry.build_parser(), entry.build_parser(entry._command_run(argv))):
            try:
                parsed = vars(entry._parse_command(parser, argv))
            except SystemExit as exit_:
                parsed = {"exit": exit_.code}
            parsed.pop("run", None)
            said.append((parsed, capsys.readouterr()))
        assert said[0] == said[1], argv
    assert entry._command_run(["--help", "search"]) is None  # readmark's own help: every command
    assert entry._command_run(["search", "--version"]) is None
    assert entry._command_run(["--debug", "search", "tides"]) == "search"
