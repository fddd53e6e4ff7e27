"""`readmark verify` as a script and a person use it: the JSON list, the text report in words,
the exit status, the notes beside a JSON list, and the errors, on a vault holding the fixture
interview and the commentary that quotes it."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from readmark.library.vault import Vault
from readmark.tui.cli import main

DATA = Path(__file__).parent / "data" / "verify"
INTERVIEW = "interviews/millbrook.md"
COMMENTARY = "notes/brennan.md"
ARTICLE = "notes/quint.md"
KEYS = [
    "quote",
    "char_start",
    "char_end",
    "verdict",
    "primary",
    "start",
    "speaker",
    "differences",
    "flags",
]

FAITHFUL_NOTE = """---
title: What Castell told the programme
---

Castell put it plainly: "A culvert is a river that somebody decided to forget." And later,
on the cost: "Opening the culvert on Mill Lane cost four times what the council had budgeted
... and it was still the best money the town ever spent."
"""

UNTIMED_TALK = """---
title: A walk along the Millbrook
---

Ewan Castell: We walked the line of the tunnel with a map from 1900 in our hands.

Dora Pike: And the drains told the rest of the story, street by street.

Ewan Castell: Every drain we lifted had the old river under it.

Dora Pike: Then we went home and wrote it all down.
"""


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    root = tmp_path / "vault"
    for name, target in (
        ("interview.md", INTERVIEW),
        ("commentary.md", COMMENTARY),
        ("second-look.md", ARTICLE),
    ):
        path = root / target
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(DATA / name, path)
    return root


def run(vault: Path, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main([*argv, "--vault", str(vault)])
    out, err = capsys.readouterr()
    return status, out, err


def test_json_is_one_object_per_quotation_in_text_order(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(vault, capsys, "verify", COMMENTARY, "--json")
    assert (status, err) == (1, "")
    checks = json.loads(out)
    assert all(list(check) == KEYS for check in checks)
    assert [(c["verdict"], c["start"], c["speaker"]) for c in checks] == [
        ("verbatim", 31.0, "Ewan Castell"),
        ("clean", 68.0, "Ewan Castell"),
        ("normalised", 68.0, "Ewan Castell"),
        ("elided", 245.0, "Ewan Castell"),
        ("spliced", 113.0, "Ewan Castell"),
        ("changed", 155.0, "Ewan Castell"),
        ("verbatim", 289.0, "Ewan Castell"),
        ("verbatim", 195.0, "Ewan Castell"),
        ("elided", 334.0, "Ewan Castell"),
        ("not_found", None, None),
        ("normalised", 440.0, "Priya Nandakumar"),
        ("verbatim", 490.0, "Ewan Castell"),
        ("verbatim", 195.0, "Ewan Castell"),
        ("verbatim", 334.0, "Ewan Castell"),
    ]
    text = Vault(vault).load(COMMENTARY).text
    assert all(text[c["char_start"] : c["char_end"]] == c["quote"] for c in checks)
    starts = [c["char_start"] for c in checks]
    assert starts == sorted(starts)


def test_json_gives_the_differences_and_flags_a_reader_acts_on(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = run(vault, capsys, "verify", COMMENTARY, "--json")
    by_quote = {check["quote"]: check for check in json.loads(out)}
    changed = by_quote[
        "most of the flooding we saw came from drains that were too old, not from the river itself."
    ]
    assert changed == {
        "quote": "most of the flooding we saw came from drains that were too old, "
        "not from the river itself.",
        "char_start": 814,
        "char_end": 904,
        "verdict": "changed",
        "primary": INTERVIEW,
        "start": 155.0,
        "speaker": "Ewan Castell",
        "differences": [{"quoted": "old", "said": "small"}],
        "flags": [],
    }
    not_found = by_quote[
        "every town in the country should tear up its culverts by the end of the decade."
    ]
    assert (not_found["primary"], not_found["differences"], not_found["flags"]) == (None, [], [])
    assert by_quote["the river is the cheapest park a town will ever get."]["flags"] == [
        "other-speaker: the source names Castell; in this transcript Priya Nandakumar says "
        "these words"
    ]
    assert by_quote["A buried river will … stay buried forever."]["differences"] == [
        {"quoted": "…", "said": "not, in most towns"}
    ]


def test_every_quotation_as_said_exits_0(vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (vault / "notes" / "faithful.md").write_text(FAITHFUL_NOTE, encoding="utf-8")
    status, out, err = run(vault, capsys, "verify", "notes/faithful.md", "--json")
    assert (status, err) == (0, "")
    assert [c["verdict"] for c in json.loads(out)] == ["verbatim", "elided"]


def test_a_source_without_quotations_exits_0_and_says_so(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(vault, capsys, "verify", ARTICLE)
    assert (status, err) == (0, "")
    assert out == (
        f"No quotations in {ARTICLE} (words in quote marks, 4 or more, or block quotes "
        "credited to someone) to check.\n"
    )
    assert run(vault, capsys, "verify", ARTICLE, "--json") == (0, "[]\n", "")


def test_text_output_words_each_result_with_place_link_differences_and_flags(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(vault, capsys, "verify", COMMENTARY)
    assert (status, err) == (1, "")
    blocks = out.split("\n\n")
    assert blocks[0] == f"14 quotations in {COMMENTARY}, checked against {INTERVIEW}"
    assert blocks[1] == (
        "1. \u201cA culvert is a river that somebody decided to forget.\u201d\n"
        "   Verbatim\n"
        "   Ewan Castell: The River Under the Car Park \u00b7 0:31 \u00b7 Ewan Castell\n"
        "   https://www.youtube.com/watch?v=rvR1verT0wn&t=31s"
    )
    assert blocks[6] == (
        "6. \u201cmost of the flooding we saw came from drains that were too old, not from the "
        "river itself.\u201d\n"
        "   The words differ from this transcript\n"
        "   Ewan Castell: The River Under the Car Park \u00b7 2:35 \u00b7 Ewan Castell\n"
        "   https://www.youtube.com/watch?v=rvR1verT0wn&t=155s\n"
        "   - quoted \u201cold\u201d, said \u201csmall\u201d"
    )
    assert blocks[9] == (
        "9. \u201cA buried river will \u2026 stay buried forever.\u201d\n"
        "   Elided: the parts stand in this order, close together\n"
        "   Ewan Castell: The River Under the Car Park \u00b7 5:34 \u00b7 Ewan Castell\n"
        "   https://www.youtube.com/watch?v=rvR1verT0wn&t=334s\n"
        "   - quoted \u201c\u2026\u201d, said \u201cnot, in most towns\u201d\n"
        "   ! cut-changes-sense: the words the ellipsis leaves out include \u201cnot\u201d"
    )
    assert blocks[10] == (
        "10. \u201cevery town in the country should tear up its culverts by the end of the "
        "decade.\u201d\n"
        "    Not in the text of the transcripts checked"
    )
    assert blocks[-1] == (
        "14 quotations: 6 verbatim, 2 normalised, 1 clean, 2 elided, 1 spliced, 1 changed, "
        "1 not found; 6 with flags.\n"
    )
    assert "misquot" not in out.lower()


def test_a_long_quotation_is_shortened_in_text_and_whole_in_json(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = run(vault, capsys, "verify", COMMENTARY)
    assert (
        "4. \u201cOpening the culvert on Mill Lane cost four times what the council had "
        "budgeted \u2026 and it was still\u2026\u201d\n"
    ) in out
    _, out, _ = run(vault, capsys, "verify", COMMENTARY, "--json")
    assert json.loads(out)[3]["quote"].endswith("it was still the best money the town ever spent.")


def test_sources_are_named_by_path_too(vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    by_id = run(vault, capsys, "verify", COMMENTARY, "--against", INTERVIEW, "--json")
    by_path = run(
        vault,
        capsys,
        "verify",
        str(vault / COMMENTARY),
        "--against",
        str(vault / INTERVIEW),
        "--json",
    )
    assert by_path == by_id
    assert by_id[0] == 1


def test_without_against_every_transcript_of_the_vault_is_searched(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (vault / "walk.md").write_text(UNTIMED_TALK, encoding="utf-8")
    (vault / "notes" / "walk-notes.md").write_text(
        'Castell said "we walked the line of the tunnel with a map from 1900" and '
        '"A culvert is a river that somebody decided to forget."\n',
        encoding="utf-8",
    )
    status, out, err = run(vault, capsys, "verify", "notes/walk-notes.md")
    assert (status, err) == (0, "")
    assert out == (
        f"2 quotations in notes/walk-notes.md, checked against {INTERVIEW}, walk.md\n"
        "\n"
        "1. \u201cwe walked the line of the tunnel with a map from 1900\u201d\n"
        "   The same words (case, spacing or punctuation differ)\n"
        # An untimed transcript: no time and no link, the speaker alone.
        "   A walk along the Millbrook \u00b7 Ewan Castell\n"
        "\n"
        "2. \u201cA culvert is a river that somebody decided to forget.\u201d\n"
        "   Verbatim\n"
        "   Ewan Castell: The River Under the Car Park \u00b7 0:31 \u00b7 Ewan Castell\n"
        "   https://www.youtube.com/watch?v=rvR1verT0wn&t=31s\n"
        "\n"
        "2 quotations: 1 verbatim, 1 normalised.\n"
    )
    _, out, _ = run(vault, capsys, "verify", "notes/walk-notes.md", "--against", "walk.md")
    assert "Not in the text of the transcripts checked" in out


def test_a_partial_transcript_is_a_note_on_stderr_beside_json_and_in_the_text(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    interview = vault / INTERVIEW
    text = interview.read_text(encoding="utf-8").replace("duration: 545", "duration: 3000")
    interview.write_text(text, encoding="utf-8")
    note = (
        f"{INTERVIEW} gives times up to 9:00 of 50:00: words not found may be in the part it "
        "does not cover"
    )
    status, out, err = run(vault, capsys, "verify", COMMENTARY, "--json")
    assert status == 1
    checks = json.loads(out)
    assert len(checks) == 14 and all(list(check) == KEYS for check in checks)
    assert checks[9]["flags"] == [f"partial-transcript: {note}"]
    assert err == f"readmark: note: {note}\n"
    _, out, _ = run(vault, capsys, "verify", COMMENTARY)
    assert f"\n\nNote: {note}\n\n14 quotations:" in out


def test_a_duration_edited_between_two_checks_counts_in_the_second(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The same process (as the reader is) checks, the front matter changes, it checks again.
    assert run(vault, capsys, "verify", COMMENTARY, "--json")[2] == ""
    interview = vault / INTERVIEW
    text = interview.read_text(encoding="utf-8").replace("duration: 545", "duration: 3000")
    interview.write_text(text.replace("rvR1verT0wn", "NewAddress1"), encoding="utf-8")
    _, out, err = run(vault, capsys, "verify", COMMENTARY)
    assert err == ""
    assert "Note: interviews/millbrook.md gives times up to 9:00 of 50:00" in out
    assert "https://www.youtube.com/watch?v=NewAddress1&t=31s" in out


def test_a_quoted_chapter_title_is_not_checked_and_is_said(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (vault / "notes" / "chapters.md").write_text(
        'The chapter "Money, floods and the footbridge" is the best of it: "A culvert is a '
        'river that somebody decided to forget."\n',
        encoding="utf-8",
    )
    status, out, err = run(vault, capsys, "verify", "notes/chapters.md", "--json")
    assert status == 0
    assert [c["verdict"] for c in json.loads(out)] == ["verbatim"]
    assert err == (
        "readmark: note: not checked, a quoted chapter or episode title: "
        "\u201cMoney, floods and the footbridge\u201d\n"
    )


def test_a_transcript_that_cannot_be_read_is_named(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = '{"segments": [{"start": 1.0, "end": 3.0, "text": "we keep the old maps"}]}'
    bad = '{"segments": 12345678}'.ljust(len(good))
    path = vault / "tape.json"
    path.write_text(good, encoding="utf-8")
    assert run(vault, capsys, "sources")[0] == 0  # listed as a transcript, and remembered
    stamp = path.stat()
    path.write_text(bad, encoding="utf-8")
    os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    status, out, err = run(vault, capsys, "verify", COMMENTARY, "--json")
    assert status == 1 and len(json.loads(out)) == 14
    assert err == (
        'readmark: note: tape.json: "segments" is a number, not a list of segments.; its words '
        "were not searched, so not found means not in the others\n"
    )


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["notes/missing.md"],
            "notes/missing.md: no such source in {vault}: `readmark sources` lists the ids, or "
            "give the path of the file",
        ),
        (
            [COMMENTARY, "--against", "interviews/missing.md"],
            "interviews/missing.md: no such source in {vault}: `readmark sources` lists the "
            "ids, or give the path of the file",
        ),
        (
            [COMMENTARY, "--against", ARTICLE],
            f"{ARTICLE} has no times or speaker turns: quotations are checked against "
            "transcripts (a timed or speaker-turn source)",
        ),
        (
            [COMMENTARY, "--against", COMMENTARY],
            f"{COMMENTARY} is the source being checked: name the transcripts it quotes",
        ),
        (
            ["broken.json"],
            'broken.json: "segments" is a number, not a list of segments.',
        ),
    ],
)
def test_errors_exit_2_with_one_line(
    vault: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    (vault / "broken.json").write_text('{"segments": 5}', encoding="utf-8")
    for json_flag in ([], ["--json"]):
        status, out, err = run(vault, capsys, "verify", *argv, *json_flag)
        assert (status, out) == (2, "")
        assert err == f"readmark: {message.format(vault=vault)}\n"


def test_no_transcript_in_the_vault_exits_2(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (vault / INTERVIEW).unlink()
    status, out, err = run(vault, capsys, "verify", COMMENTARY)
    assert (status, out) == (2, "")
    assert err == (
        f"readmark: there is no transcript (a timed or speaker-turn source) in {vault} to check "
        f"{COMMENTARY} against: add the transcript it quotes to the vault, or name it with "
        "--against\n"
    )


def test_help_and_completion_name_verify(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "verify              check the quotations of a source" in capsys.readouterr().out
    assert main(["--print-completion", "bash"]) == 0
    script = capsys.readouterr().out
    assert "verify" in script and "--against" in script
