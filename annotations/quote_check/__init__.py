"""The quote check: find each quotation of a source in the primary transcripts and say how the
words stand there (see README, "Checking quotes")."""

from readmark.annotations.quote_check.check import check_one, check_quotation, check_source
from readmark.annotations.quote_check.primary import choose_primaries, is_primary, prepare
from readmark.annotations.quote_check.quotations import Quotation, find_quotations
from readmark.annotations.quote_check.results import (
    Difference,
    Flag,
    FlagCode,
    Place,
    QuoteCheck,
    Verdict,
    VerifyReport,
)
from readmark.annotations.quote_check.timing import speaker_at, time_at

__all__ = [
    "Difference",
    "Flag",
    "FlagCode",
    "Place",
    "QuoteCheck",
    "Quotation",
    "Verdict",
    "VerifyReport",
    "check_one",
    "check_quotation",
    "check_source",
    "choose_primaries",
    "find_quotations",
    "is_primary",
    "prepare",
    "speaker_at",
    "time_at",
]
