"""Whoosh's English word forms load only when a query asks for them, and then say what Whoosh
itself says (readmark's parsers never ask: a fresh search does without loading them)."""

from __future__ import annotations

import json
import subprocess
import sys

from helpers.small_vaults import HARBOUR_VAULT
from helpers.vaults import MakeVault

WORDS = ["running", "geese", "harbours", "silted", "analysis"]


def _in_a_fresh_process(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    return done.stdout


def test_variations_say_what_whoosh_says() -> None:
    ask = (
        "import json; from whoosh.lang.morph_en import variations; "
        f"print(json.dumps({{w: sorted(variations(w)) for w in {WORDS!r}}}))"
    )
    plain = json.loads(_in_a_fresh_process(ask))
    deferred = json.loads(_in_a_fresh_process("import readmark.annotations.index; " + ask))
    assert deferred == plain
    assert "ran" in plain["running"] and "goose" in plain["geese"]


def test_a_variations_query_finds_the_other_forms() -> None:
    code = (
        "import readmark.annotations.index\n"
        "from readmark.annotations.word_forms import word_forms_loaded\n"
        "from whoosh.fields import Schema, TEXT\n"
        "from whoosh.filedb.filestore import RamStorage\n"
        "from whoosh.query import Variations\n"
        "print(word_forms_loaded())\n"
        "ix = RamStorage().create_index(Schema(body=TEXT(stored=True)))\n"
        "with ix.writer() as w:\n"
        "    w.add_document(body='the tide ran out')\n"
        "with ix.searcher() as s:\n"
        "    print([h['body'] for h in s.search(Variations('body', 'running'))])\n"
        "print(word_forms_loaded())\n"
    )
    assert _in_a_fresh_process(code).splitlines() == ["False", "['the tide ran out']", "True"]


def test_a_search_never_loads_them(make_vault: MakeVault) -> None:
    vault = make_vault(HARBOUR_VAULT)
    code = (
        "import sys; from readmark.tui.cli import main; status = main(sys.argv[1:]); "
        "from readmark.annotations.word_forms import word_forms_loaded; "
        "print('word forms loaded:', word_forms_loaded(), file=sys.stderr); sys.exit(status)"
    )
    for query in ("tides", '"towns plan"', "kind:dissent OR silt*", "source:harbours"):
        done = subprocess.run(
            [sys.executable, "-c", code, "search", query, "--vault", str(vault)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        assert done.stderr.splitlines()[-1] == "word forms loaded: False"
