"""`readmark digest` as a writer uses it: each view drafted from the annotations of a vault (the
fixture interview, a commentary and an article), in Markdown and HTML, on stdout or written to a
file, with its filters, the orphaned annotations it leaves out and counts, and its errors."""

from __future__ import annotations

import io
import shutil
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from readmark.tui.cli import main

DATA = Path(__file__).parent / "data" / "verify"
INTERVIEW = "interviews/millbrook.md"
COMMENTARY = "notes/brennan.md"
ARTICLE = "notes/quint.md"

CITED_INTERVIEW = (
    "\u2014 Ewan Castell, *Ewan Castell: The River Under the Car Park* (Small Towns, Big Water, "
    "2026-04-02)"
)
LINK = "https://www.youtube.com/watch?v=rvR1verT0wn"


def run(vault: Path, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main([*argv, "--vault", str(vault)])
    out, err = capsys.readouterr()
    return status, out, err


def annotate(vault: Path, *argv: str) -> None:
    with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()) as err:
        status = main(["annotate", *argv, "--vault", str(vault)])
    assert (status, err.getvalue()) == (0, "")


@pytest.fixture(scope="module")
def annotated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four dissent notes on the interview (one orphaned since), a highlight on the commentary
    and a note on the article; made once, copied for each test."""
    base = tmp_path_factory.mktemp("annotated")
    root = base / "vault"
    for name, target in (
        ("interview.md", INTERVIEW),
        ("commentary.md", COMMENTARY),
        ("second-look.md", ARTICLE),
    ):
        path = root / target
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(DATA / name, path)
    dissent = ("--kind", "dissent")
    with pytest.MonkeyPatch.context() as patch:
        for name in ("CACHE_DIR", "STATE_DIR", "DATA_DIR"):
            patch.setenv(f"READMARK_{name}", str(base / name.lower()))
        patch.setenv("READMARK_CONFIG", str(base / "config.toml"))
        annotate(root, INTERVIEW, *dissent, "--confidence", "high", "--tag", "budgets",
                 "--quote", "Opening the culvert on Mill Lane cost four times what the council "
                 "had budgeted", "--note", "Four times over budget is no success.")  # fmt: skip
        annotate(root, INTERVIEW, *dissent, "--confidence", "low", "--tag", "flooding",
                 "--quote", "Daylighting pays for itself in flood damage avoided",
                 "--note", "Two storms are too few to say.")  # fmt: skip
        annotate(root, INTERVIEW, *dissent, "--confidence", "medium", "--tag", "budgets",
                 "--quote", "The brick tunnel was failing.",
                 "--note", "The survey is not public.")  # fmt: skip
        annotate(root, INTERVIEW, *dissent, "--confidence", "medium",
                 "--quote", "Now they hold weddings on the footbridge.",
                 "--note", "Weddings are no flood policy <b>at all</b>.")  # fmt: skip
        annotate(root, COMMENTARY, "--tag", "budgets",
                 "--quote", "The bill is where the romance ends.",
                 "--note", "Brennan's best line.")  # fmt: skip
        annotate(root, ARTICLE, "--kind", "note", "--tag", "budgets", "--quote",
                 "The grants that paid for the work favoured open channels over new pipes.",
                 "--note", "See the [grant rules](https://example.org/grants).")  # fmt: skip
        # The interview is edited: the failing tunnel is gone, that dissent note is orphaned.
        interview = root / INTERVIEW
        text = interview.read_text(encoding="utf-8")
        interview.write_text(text.replace("The brick tunnel was failing. ", ""), encoding="utf-8")
        with redirect_stdout(io.StringIO()):
            assert main(["check", "--vault", str(root)]) == 1
    return root


@pytest.fixture
def vault(annotated: Path, tmp_path: Path) -> Path:
    root = tmp_path / "vault"
    shutil.copytree(annotated, root)
    return root


DISSENT = f"""# Where Ewan Castell is most likely wrong

3 dissent notes from 1 source, with 2 related annotations. Topics are ordered by summed \
confidence (high 3, medium 2, low 1, none 1). 1 orphaned annotation left out: its quote is no \
longer in the source.

## budgets

> "Opening the culvert on Mill Lane cost four times what the council had budgeted" \
{CITED_INTERVIEW}, [4:05]({LINK}&t=245s)

**Counterpoint:** Four times over budget is no success.

**Confidence:** high

Related, from other sources:

- > "The bill is where the romance ends." \u2014 Hal Brennan, *Leave the Millbrook in its \
tunnel* (2026-04-09), <https://example.org/brennan/millbrook>

  **Note:** Brennan's best line.
- > "The grants that paid for the work favoured open channels over new pipes." \u2014 Mara \
Quint, *A second look at the Millbrook* (2026-04-11), <https://example.org/quint/second-look>

  **Note:** See the [grant rules](https://example.org/grants).

## Other

> "Now they hold weddings on the footbridge." {CITED_INTERVIEW}, [6:43]({LINK}&t=403s)

**Counterpoint:** Weddings are no flood policy \\<b>at all\\</b>.

**Confidence:** medium

## flooding

> "Daylighting pays for itself in flood damage avoided" {CITED_INTERVIEW}, \
[4:49]({LINK}&t=289s)

**Counterpoint:** Two storms are too few to say.

**Confidence:** low
"""


def test_the_dissent_draft_is_the_default_in_markdown(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(vault, capsys, "digest") == (0, DISSENT, "")


def test_the_draft_written_to_a_file_is_the_same_and_says_where(
    vault: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "drafts" / "castell.md"
    status, printed, err = run(vault, capsys, "digest", "--out", str(out))
    assert (status, printed) == (0, "")
    assert out.read_text(encoding="utf-8") == DISSENT
    assert err == (
        f"Wrote {out}: 3 dissent notes from 1 source, with 2 related annotations. Topics are "
        "ordered by summed confidence (high 3, medium 2, low 1, none 1). 1 orphaned annotation "
        "left out: its quote is no longer in the source.\n"
    )
    assert [p.name for p in out.parent.iterdir()] == ["castell.md"]  # no temporary file left


def test_html_goes_by_the_file_ending_or_the_format(
    vault: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    status, html, err = run(vault, capsys, "digest", "--format", "html")
    assert (status, err) == (0, "")
    assert html.startswith("<!DOCTYPE html>\n")
    assert html.count("<blockquote>") == 5  # three dissent notes and two related annotations
    assert f'<a href="{LINK}&amp;t=245s">4:05</a>' in html
    assert '<a href="https://example.org/grants">grant rules</a>' in html
    assert "<b>" not in html and "&lt;b&gt;at all&lt;/b&gt;" in html
    out = tmp_path / "castell.html"
    assert run(vault, capsys, "digest", "--out", str(out))[0] == 0
    assert out.read_text(encoding="utf-8") == html
    forced = tmp_path / "castell.txt"
    assert run(vault, capsys, "digest", "--format", "html", "--out", str(forced))[0] == 0
    assert forced.read_text(encoding="utf-8") == html
    plain = tmp_path / "castell.draft"
    assert run(vault, capsys, "digest", "--out", str(plain))[0] == 0
    assert plain.read_text(encoding="utf-8") == DISSENT


def test_a_folder_gets_a_file_named_for_the_view(
    vault: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "drafts"
    folder.mkdir()
    assert run(vault, capsys, "digest", "--view", "positions", "--out", str(folder))[0] == 0
    assert run(vault, capsys, "digest", "--format", "html", "--out", str(folder))[0] == 0
    assert sorted(p.name for p in folder.iterdir()) == [
        "digest-dissent.html",
        "digest-positions.md",
    ]


def test_positions_by_topic_then_source(vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(vault, capsys, "digest", "--view", "positions")
    assert (status, err) == (0, "")
    headings = [line for line in out.splitlines() if line.startswith("#")]
    assert headings == [
        "# Positions by topic",
        "## budgets",
        "### A second look at the Millbrook",
        "### Ewan Castell: The River Under the Car Park",
        "### Leave the Millbrook in its tunnel",
        "## flooding",
        "### Ewan Castell: The River Under the Car Park",
        "## Other",
        "### Ewan Castell: The River Under the Car Park",
    ]
    assert out.splitlines()[2] == (
        "5 annotations from 3 sources, by topic (first tag). 1 orphaned annotation left out: "
        "its quote is no longer in the source."
    )


def test_a_session_since_a_date_or_a_while_ago(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(vault, capsys, "digest", "--view", "session", "--since", "2026-01-01")
    assert (status, err) == (0, "")
    lines = out.splitlines()
    assert lines[:3] == [
        "# Session digest since 2026-01-01 00:00 UTC",
        "",
        "5 annotations made or edited since 2026-01-01 00:00 UTC, from 3 sources. 1 orphaned "
        "annotation left out: its quote is no longer in the source.",
    ]
    # Sources in the order they were annotated; each entry with its tags.
    assert [line for line in lines if line.startswith("## ")] == [
        "## Ewan Castell: The River Under the Car Park",
        "## Leave the Millbrook in its tunnel",
        "## A second look at the Millbrook",
    ]
    assert "**Tags:** flooding" in lines
    assert run(vault, capsys, "digest", "--view", "session", "--since", "1h")[1].count("> ") == 5
    _, out, _ = run(vault, capsys, "digest", "--view", "session", "--since", "2999-01-01")
    assert out.splitlines()[-1] == "No annotations match."


def test_filters_narrow_the_draft_and_are_named_in_it(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def quotes(*argv: str) -> list[str]:
        status, out, err = run(vault, capsys, "digest", *argv)
        assert (status, err) == (0, "")
        return [line.split('"')[1] for line in out.splitlines() if line.startswith(("> ", "- >"))]

    assert quotes("--view", "positions", "--tag", "#Flooding") == [
        "Daylighting pays for itself in flood damage avoided"
    ]
    assert quotes("--min-confidence", "medium") == [
        "Opening the culvert on Mill Lane cost four times what the council had budgeted",
        "The bill is where the romance ends.",
        "The grants that paid for the work favoured open channels over new pipes.",
        "Now they hold weddings on the footbridge.",
    ]
    by_path = quotes("--view", "positions", "--source", str(vault / COMMENTARY))
    assert by_path == quotes("--view", "positions", "--source", COMMENTARY)
    assert by_path == ["The bill is where the romance ends."]
    assert quotes("--view", "positions", "--speaker", "Brennan") == [
        "The bill is where the romance ends."
    ]
    _, out, _ = run(vault, capsys, "digest", "--tag", "budgets", "--min-confidence", "high")
    assert "Filtered by tags budgets; confidence high or higher." in out


def test_an_unreadable_annotation_file_is_named_and_the_rest_drafted(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = next((vault / ".readmark" / "annotations").iterdir())
    broken = folder / "broken.md"
    broken.write_bytes(b"---\nid: [unclosed\n---\n")
    status, out, err = run(vault, capsys, "digest")
    assert (status, out) == (0, DISSENT)
    assert err == (
        f"Skipped {broken}: line 3: the front matter is not valid YAML: did not find expected "
        "',' or ']'\n"
    )


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["--since", "yesterday"],
            "readmark: 'yesterday' is not a time to start from: give how long ago (30m, 2h, 3d, "
            "1w) or a date (2026-04-09) or time (2026-04-09 10:00), in UTC.",
        ),
        (
            ["--view", "rebuttal"],
            "readmark digest: error: argument --view: invalid choice: 'rebuttal' (choose from "
            "'dissent', 'positions', 'session') (see readmark digest --help)",
        ),
        (
            ["--min-confidence", "certain"],
            "readmark digest: error: argument --min-confidence: invalid choice: 'certain' "
            "(choose from 'low', 'medium', 'high') (see readmark digest --help)",
        ),
        (
            ["--source", "notes/missing.md"],
            "readmark: notes/missing.md: no such source in {vault}: `readmark sources` lists the "
            "ids, or give the path of the file",
        ),
    ],
)
def test_errors_exit_2_with_one_line(
    vault: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert run(vault, capsys, "digest", *argv) == (2, "", message.format(vault=vault) + "\n")


def test_a_file_that_cannot_be_written_exits_2_and_leaves_nothing(
    vault: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    status, out, err = run(vault, capsys, "digest", "--out", str(blocker / "draft.md"))
    assert (status, out) == (2, "")
    assert err.startswith(f"readmark: cannot write {blocker / 'draft.md'}: ")
    assert err.count("\n") == 1
    assert blocker.read_text(encoding="utf-8") == "not a folder"


def test_help_and_completion_name_digest(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "digest              draft a digest of your annotations" in capsys.readouterr().out
    assert main(["--print-completion", "zsh"]) == 0
    script = capsys.readouterr().out
    assert "digest" in script and "--min-confidence" in script
