"""Verifying: the quote check of one source of a vault against its primary transcripts, the same
for `readmark verify` and the reader.

The primaries are the sources named, in that order (each a timed or speaker-turn source other
than the one checked); else every timed or speaker-turn source of the vault but the one
checked. Only the sources the vault's listing shows with times or speakers are parsed to find
them, so a vault of articles is not read in full. A transcript that cannot be read is named in
the notes: "not found" then means "not in the transcripts that could be read".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from readmark.annotations.quote_check import QuoteCheck, VerifyReport, check_source, is_primary
from readmark.library.errors import SourceError
from readmark.library.model import Source
from readmark.library.vault import Vault


class VerifyError(Exception):
    """A source cannot be checked as asked; the message says what to give instead."""


class NoPrimariesError(VerifyError):
    """The vault holds no transcript to check the source against."""


@dataclass(frozen=True, slots=True)
class Verification:
    """Every quotation of a source checked, with the sources involved."""

    source: Source
    """The source whose quotations were checked."""
    primaries: tuple[Source, ...]
    """The transcripts checked against, in the order they were searched."""
    report: VerifyReport
    unread: tuple[str, ...] = ()
    """Transcripts of the vault that could not be read (`id: reason`): not searched."""

    @property
    def notes(self) -> list[str]:
        """What to know about the check as a whole: transcripts that cover part of their
        episode, and transcripts that could not be read."""
        unread = [
            f"{problem}; its words were not searched, so not found means not in the others"
            for problem in self.unread
        ]
        return [*self.report.notes, *unread]

    def primary_of(self, check: QuoteCheck) -> Source | None:
        """The transcript where the quotation's words were found (None when not found)."""
        return next((p for p in self.primaries if p.id == check.primary), None)


def verify_source(vault: Vault, source_id: str, against: Sequence[str] = ()) -> Verification:
    """Check every quotation of the source `source_id` against `against` (ids), or against every
    transcript of the vault. `SourceError` for an id that is not a source of the vault."""
    source = _readable(vault, source_id)
    unread: list[str] = []
    if against:
        primaries = _named(vault, source, against)
    else:
        primaries, unread = _of_vault(vault, source)
    if not primaries:
        raise NoPrimariesError(
            f"there is no transcript (a timed or speaker-turn source) in {vault.root} "
            f"to check {source.id} against"
        )
    report = check_source(source, primaries)
    return Verification(source, tuple(primaries), report, tuple(unread))


def _readable(vault: Vault, source_id: str) -> Source:
    source = vault.load(source_id)
    if source.error:
        raise SourceError(f"{source_id}: {source.error}")
    return source


def _named(vault: Vault, source: Source, against: Sequence[str]) -> list[Source]:
    primaries = []
    for primary_id in dict.fromkeys(against):
        if primary_id == source.id:
            raise VerifyError(
                f"{primary_id} is the source being checked: name the transcripts it quotes"
            )
        primary = _readable(vault, primary_id)
        if not is_primary(primary):
            raise VerifyError(
                f"{primary_id} has no times or speaker turns: quotations are checked against "
                "transcripts (a timed or speaker-turn source)"
            )
        primaries.append(primary)
    return primaries


def _of_vault(vault: Vault, source: Source) -> tuple[list[Source], list[str]]:
    primaries: list[Source] = []
    unread: list[str] = []
    for listed in vault.scan().sources:
        if listed.id == source.id or not (listed.timed_segments or listed.speakers):
            continue
        if listed.error:
            unread.append(f"{listed.id}: {listed.error}")
            continue
        try:
            loaded = _readable(vault, listed.id)
        except SourceError as error:
            unread.append(str(error))
            continue
        if is_primary(loaded):
            primaries.append(loaded)
    return primaries, unread
