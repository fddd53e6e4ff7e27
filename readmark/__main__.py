"""`python -m readmark`: the same as the `readmark` command."""

import sys

from readmark.tui.cli import main

sys.exit(main())
