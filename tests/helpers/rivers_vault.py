"""A small vault several reader tests open: a long talk with an accented speaker and a long
chapter title (rivers), beside two short plain-text notes."""

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
