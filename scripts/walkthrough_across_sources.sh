#!/usr/bin/env bash
# Across sources, as a new user would (tmux): a vault with an interview and two commentaries
# quoting it; check a quote, write a dissent from the check, open the notebook, draft the
# digest, copy it and paste it. Prints each screen. Not part of CI: it needs tmux.
# Usage: scripts/walkthrough_across_sources.sh [screens-folder]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-$(mktemp -d)}
mkdir -p "$out"
data=$(mktemp -d)
vault="$data/vault"
session=readmark-across
t() { tmux -L "$session" "$@"; }  # a tmux server of its own: its options touch no other
export READMARK_DATA_DIR="$data" READMARK_CACHE_DIR="$data/cache" READMARK_STATE_DIR="$data/state"
export READMARK_CONFIG="$data/config.toml"
mkdir -p "$vault"
cp tests/data/across/*.md "$vault/"
t kill-server 2>/dev/null || true

# A few notes made on the command line first, as a reader of the interview would have.
uv run readmark annotate interview.md --vault "$vault" --kind dissent --confidence high \
  --quote "Sleepers will never pay for themselves without public money." \
  --note "Two lines in Europe cover their running costs from fares." --tag subsidy > /dev/null
uv run readmark annotate interview.md --vault "$vault" --kind note --tag demand \
  --quote "Demand has doubled since the new carriages came in." \
  --note "Ask for the booking figures." > /dev/null

keys() { t send-keys -t "$session" "$@"; sleep "${PAUSE:-1}"; }
shot() { t capture-pane -t "$session" -p > "$out/$1.txt"; echo "== $1"; cat "$out/$1.txt"; }

t new-session -d -s "$session" -x 120 -y 36 \
  "cd '$vault' && READMARK_DATA_DIR=$data READMARK_CACHE_DIR=$data/cache READMARK_STATE_DIR=$data/state READMARK_CONFIG=$data/config.toml uv --project '$OLDPWD' run readmark ."
# No system clipboard in a bare terminal: y goes through OSC 52, which tmux keeps as its buffer.
t set -g set-clipboard on
sleep 5
shot 01-start
# Open the Gazette's commentary and go to the quotation about the cleaning contract.
keys / && keys -l "sleeper that" && keys Enter
sleep 2
keys / && keys -l "cleaning contract" && keys Enter
shot 02-commentary
keys c
sleep 3
shot 03-quote-check
keys d
shot 04-dissent-editor
keys C-s
sleep 1
shot 05-dissent-saved
# The check again: enter opens the interview where the words are said.
keys c
sleep 3
keys Enter
sleep 2
shot 06-interview-at-the-words
# Every annotation of the vault: the notebook.
keys r
sleep 2
shot 07-notebook
keys 3
shot 08-notebook-dissent
keys q
# The draft: where Orla Venn is most likely wrong.
keys C-p && keys -l "Draft: where" && keys Enter
sleep 1
shot 09-choose-speaker
keys 1
sleep 3
shot 10-draft-preview
keys y
sleep 1
shot 11-copied
echo "== pasted (tmux's buffer, as y left it)"
t show-buffer 2>/dev/null | head -12 || echo "(no buffer: this terminal refused OSC 52)"
keys w
sleep 1
shot 12-written
keys q
keys q
sleep 1
t kill-server 2>/dev/null || true
echo "== the draft as written (what a paste gives)"
cat "$vault/.readmark/exports/digest-dissent.md"
echo "screens saved in $out"
