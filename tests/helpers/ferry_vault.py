"""A small vault several reader tests open: a timed Markdown transcript with one long passage
(the night ferry) and a plain-text note; and the ferry as a built source, for a pane alone."""

from __future__ import annotations

from readmark.library.builder import SourceBuilder
from readmark.library.model import Source

FERRY = """---
title: The night ferry
channel: Dock Radio
url: https://www.youtube.com/watch?v=ferryferry1
duration: 200
---

**Mira Holt** [00:00:00]

Lanterns hang over the canal. Boats drift by slowly.

**Tom Vale** [00:00:30]

Fog rolls in at dusk and the pilots slow down for the narrow bend below the old granary \
wall, where the current pulls hard towards the pilings. Nobody minds the damp.

**Mira Holt** [00:01:40]

The last crossing leaves at midnight. Tickets are sold on board.
"""

ORCHARD = "An orchard in winter.\n\nThe pruning starts when the sap sleeps.\n"

FERRY_VAULT = {"ferry.md": FERRY, "orchard.txt": ORCHARD}


def night_ferry() -> Source:
    builder = SourceBuilder(id="ferry.md", title="Ferry", format="markdown")
    builder.add_segment(
        "Lanterns hang over the canal. Boats drift by slowly.", start=0.0, speaker="Mira"
    )
    builder.add_segment("Fog rolls in at dusk. Nobody minds the damp.", start=30.0, speaker="Tom")
    builder.add_segment("Tickets are sold on board. Bring coins.", start=60.0, speaker="Mira")
    return builder.build(duration=90.0)
