"""A vault of one interview and two commentaries quoting it (tests/data/across), with
annotations on all three: what the notebook, the quote check and the drafts are tried on."""

from __future__ import annotations

from pathlib import Path

from helpers.vaults import MakeVault
from readmark.annotations.model import Confidence, Kind
from readmark.annotations.workspace import Workspace

DATA = Path(__file__).resolve().parent.parent / "data" / "across"
INTERVIEW = "interview.md"
GAZETTE = "gazette.md"
LEDGER = "ledger.md"

NOTES = [
    (INTERVIEW, "A night train is a hotel that happens to move.", Kind.HIGHLIGHT, "", (), None),
    (
        INTERVIEW,
        "Sleepers will never pay for themselves without public money.",
        Kind.DISSENT,
        "Two lines in Europe cover their running costs from fares.",
        ("subsidy",),
        Confidence.HIGH,
    ),
    (
        INTERVIEW,
        "Demand has doubled since the new carriages came in.",
        Kind.NOTE,
        "Ask for the booking figures.",
        ("demand",),
        None,
    ),
    (
        GAZETTE,
        "The contract, then, is the problem.",
        Kind.DISSENT,
        "She blamed the cleaning, not the staff.",
        ("subsidy",),
        Confidence.LOW,
    ),
    (LEDGER, "Few other arguments matter as much.", Kind.NOTE, "Time saved.", ("rail",), None),
]
"""(source, quote, kind, note, tags, confidence) of each annotation the vault holds."""


def across_vault(make_vault: MakeVault) -> Path:
    files = {name: (DATA / name).read_text(encoding="utf-8") for name in (INTERVIEW, GAZETTE)}
    files[LEDGER] = (DATA / LEDGER).read_text(encoding="utf-8")
    vault = make_vault(files)
    with Workspace(vault) as workspace:
        for source, quote, kind, note, tags, confidence in NOTES:
            workspace.annotate(source, quote, kind, note, tags, confidence)
        workspace.sync_index()
    return vault
