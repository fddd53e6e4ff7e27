"""Search results printed to a pipe or a file read exactly as rich printed them: the same words
on the same lines at any width, wide and combining characters included, without rich's console
loaded (it is at a terminal, where the matches are shown in bold)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers.small_vaults import HARBOUR_VAULT
from helpers.vaults import MakeVault
from hypothesis import given, settings
from hypothesis import strategies as st
from readmark.annotations.workspace import Workspace
from readmark.tui.cli import main, search
from readmark.tui.cli.plain_text import plain_width, wrapped
from rich.console import Console
from rich.text import Text

# Words as search results hold them: Latin, accented and combining letters, CJK (two cells
# each), an emoji, runs of spaces, and words longer than a narrow line.
_WORD = st.one_of(
    st.text(alphabet="abcdefghij", min_size=1, max_size=14),
    st.sampled_from(["café", "cafe\u0301", "東京の", "海", "🌊", "naïve", "x" * 40, "…", "·"]),
)
_LINE = st.lists(st.tuples(_WORD, st.sampled_from([" ", "  ", " " * 5])), max_size=30).map(
    lambda pairs: "".join(word + space for word, space in pairs)
)


def rich_prints(text: str, width: int, *, wrap: bool = True) -> str:
    out = io.StringIO()
    console = Console(file=out, width=width, highlight=False, soft_wrap=False)
    console.print(Text(text), soft_wrap=not wrap)
    return out.getvalue()


@settings(max_examples=400, deadline=None)
@given(_LINE, st.integers(min_value=1, max_value=100), st.booleans())
def test_a_line_breaks_where_rich_breaks_it(text: str, width: int, wrap: bool) -> None:
    expected = rich_prints(text, width, wrap=wrap)
    assert "".join(f"{line}\n" for line in wrapped(text, width, wrap=wrap)) == expected


@pytest.mark.parametrize("width", [12, 40, 80, 200])
def test_search_prints_to_a_pipe_what_rich_printed(
    make_vault: MakeVault,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    width: int,
) -> None:
    vault = make_vault(HARBOUR_VAULT)
    with Workspace(vault) as workspace:
        workspace.annotate(
            "talks/tides-and-towns.md",
            "Sea walls are always the answer.",
            note="They move the erosion along the coast, to the next town's beach.",
        )
    monkeypatch.setenv("COLUMNS", str(width))
    printed: list[str] = []
    for query in ("tides", "erosion", "sea walls", "nothing-like-this"):
        assert main(["search", query, "--vault", str(vault)]) == 0
        plain = capsys.readouterr().out
        printed += plain.splitlines()
        with monkeypatch.context() as through_rich:
            through_rich.setattr(search, "plain_width", lambda _stream: None)
            assert main(["search", query, "--vault", str(vault)]) == 0
        assert capsys.readouterr().out == plain
    wrapped_lines = [line for line in printed if " · " not in line]  # headers are left whole
    assert len(printed) > 12 and max(len(line) for line in wrapped_lines) <= width


def test_the_width_is_rich_s_columns_or_eighty(monkeypatch: pytest.MonkeyPatch) -> None:
    pipe = io.StringIO()
    monkeypatch.setenv("COLUMNS", "57")
    assert plain_width(pipe) == 57
    monkeypatch.delenv("COLUMNS")
    inherited = [_terminal_columns(fd) for fd in (0, 1, 2)]
    assert plain_width(pipe) == next((c for c in inherited if c), 80)
    monkeypatch.setenv("FORCE_COLOR", "1")  # rich writes styles even to a pipe: leave it to rich
    assert plain_width(pipe) is None


def _terminal_columns(descriptor: int) -> int | None:
    try:
        return os.get_terminal_size(descriptor).columns
    except OSError:
        return None


def loaded_by_search(vault: Path, query: str) -> subprocess.CompletedProcess[str]:
    """`readmark search QUERY` to a pipe, saying on its last line of stderr which of rich's
    console, rich and textual it loaded."""
    code = (
        "import sys; from readmark.tui.cli import main; status = main(sys.argv[1:]); "
        "loaded = [m for m in ('rich.console', 'rich', 'textual') if m in sys.modules]; "
        "print('loaded:', *loaded, file=sys.stderr); sys.exit(status)"
    )
    return subprocess.run(
        [sys.executable, "-c", code, "search", query, "--vault", str(vault)],
        capture_output=True,
        text=True,
        timeout=60,
        env={k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE")},
    )


def test_a_search_to_a_pipe_loads_neither_rich_s_console_nor_textual(
    make_vault: MakeVault,
) -> None:
    vault = make_vault(HARBOUR_VAULT)
    vault.joinpath("talks", "accents.md").write_text(
        "# Accents\n\nThe tides of the café reach the naïve 東京の harbour.\n", encoding="utf-8"
    )
    done = loaded_by_search(vault, "tides")
    assert done.returncode == 0, done.stderr
    assert "café" in done.stdout and "東京の" in done.stdout
    assert done.stderr.strip().splitlines()[-1] == "loaded: rich"  # for the widths, no more


def test_plain_ascii_results_are_measured_without_rich(make_vault: MakeVault) -> None:
    done = loaded_by_search(make_vault(HARBOUR_VAULT), "tides")
    assert done.returncode == 0, done.stderr
    assert "tides" in done.stdout.lower()
    # Only the headers, printed whole, are not ASCII: every line measured is.
    assert done.stderr.strip().splitlines()[-1] == "loaded:"
