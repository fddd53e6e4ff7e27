"""Small vaults several test modules open, and the ferry as a built source for a pane alone.

Each `*_VAULT` maps a path inside the vault to its text; tests/conftest.py writes each as a
fixture (`ferry_vault`, `rivers_vault`, `owls_vault`, `harbour_vault`)."""

from __future__ import annotations

from readmark.library.builder import SourceBuilder
from readmark.library.model import Source

# -- the night ferry: a timed Markdown transcript with one long passage, and a plain note ------

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


# -- rivers: a long talk (an accented speaker, a long chapter title) and two short notes -----

RIVERS = """---
title: "Inés Carvalho-Reyes: Rivers that remember"
channel: Delta Talks
url: https://www.youtube.com/watch?v=riversriver
duration: 3777
chapters:
  - {start_time: 0, title: Opening}
  - {start_time: 200, title: How the floodplain keeps a record of every storm it ever saw}
---

**Inés Carvalho-Reyes** [00:00:00]

Rivers keep their old beds. Floods find them again.

**Inés Carvalho-Reyes** [00:04:00]

The plain is a ledger. Every storm leaves a line. We read the lines with a spade.
"""

ANCHORS = "Anchors and chains.\n\nA chain holds by its weight, not its hook.\n"
BUOYS = "Buoys at dusk.\n\nThe red one marks the wreck.\n"

RIVERS_VAULT = {"anchors.txt": ANCHORS, "buoys.txt": BUOYS, "rivers.md": RIVERS}

# -- owls: a two-cue WebVTT talk with one speaker ------------------------------------------

OWLS = """WEBVTT

00:00:02.000 --> 00:00:08.000
<v Rosa>Owls hunt at night and rest in hollow trees during the day.

00:00:08.000 --> 00:00:15.000
<v Rosa>Their feathers are soft so that their wings make almost no sound.
"""

OWLS_VAULT = {"owls.vtt": OWLS}


# -- the harbour: a timed interview with tags and chapters, an untimed essay, in folders -------

HARBOUR_TALK = """---
title: Tides and towns
channel: Harbour Talks
url: https://www.youtube.com/watch?v=abcdefghijk
upload_date: 20260213
duration: 300
tags: [coast, tides]
chapters:
  - {start_time: 0, title: Opening}
  - {start_time: 120, title: The moon}
---

**Ada Quill** [00:00:00]

Welcome to the show about tides. We start at the harbour wall.

**Ben Rowe** [00:00:40]

Thanks. Tides are slower than people think. Sea walls are always the answer.

**Ada Quill** [00:02:00]

Then tell me about the moon and its pull.

**Ben Rowe** [00:04:04]

The moon pulls the water twice a day, and towns plan around it. Good ports know that.
"""

SILT_ESSAY = """---
title: Why harbours silt up
author: Nell Carver
date: 2025-11-02
tags: [harbours, sediment]
---

# Why harbours silt up

Every harbour is a truce between a river that wants to drop its load and a sea that wants
to move it along the coast. When the truce breaks, the channel fills.

## Dredging is a subscription

A dredged channel is not a repair but a subscription: the mud comes back at a rate the river
sets, and the bill arrives every year. Heat and silt both arrive in summer.

## What the old builders knew

They placed quays where the current scoured the bed for free, and they let marshes take the
silt before it reached the berths. The marsh is the cheapest dredger there is.
"""

HARBOUR_VAULT = {
    "talks/tides-and-towns.md": HARBOUR_TALK,
    "essays/why-harbours-silt-up.md": SILT_ESSAY,
}
