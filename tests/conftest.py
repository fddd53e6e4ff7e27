"""Shared test settings."""

import os

from hypothesis import settings

# CI replays the same examples every run, so a red build always means a change broke something;
# a local run draws new examples each time (and `scripts/fuzz_campaign.py` many more).
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
