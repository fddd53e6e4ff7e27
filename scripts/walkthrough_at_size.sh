#!/usr/bin/env bash
# A reading session in a real terminal (tmux) of a given size, as a new user would have it: open
# the interview of the sample library, highlight, start a note, escape, quit, start again and find
# the note still there as a draft. Prints each screen as tmux shows it. Needs tmux; not part of CI.
# Usage: scripts/walkthrough_at_size.sh [COLUMNSxROWS] [screens-folder]    (default 120x36)
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-120x36}
cols=${size%x*}
rows=${size#*x}
out=${2:-$(mktemp -d)}
mkdir -p "$out"
data=$(mktemp -d)
session="readmark-walk-$size"
env="READMARK_DATA_DIR=$data READMARK_CACHE_DIR=$data/cache READMARK_STATE_DIR=$data/state"
env="$env READMARK_CONFIG=$data/config.toml"
tmux kill-session -t "$session" 2>/dev/null || true
trap 'tmux kill-session -t "$session" 2>/dev/null || true' EXIT

screen() { tmux capture-pane -t "$session" -p; }
# Wait until the screen shows `text` (at most 20 s), so a slow start is waited for, not raced.
wait_for() {
  for _ in $(seq 100); do
    if screen | grep -qF -- "$1"; then return 0; fi
    sleep 0.2
  done
  echo "!! never saw: $1" >&2
  screen >&2
  return 1
}
# Wait until readmark has ended (its pane stays, showing what it printed on leaving).
wait_ended() {
  for _ in $(seq 100); do
    if [ "$(tmux display-message -p -t "$session" '#{pane_dead}')" = 1 ]; then return 0; fi
    sleep 0.2
  done
  echo "!! readmark did not end" >&2
  return 1
}
keys() { tmux send-keys -t "$session" "$@"; sleep "${PAUSE:-0.5}"; }
shot() { screen > "$out/$1.txt"; echo "== $1 ($size)"; cat "$out/$1.txt"; }
start() {
  if tmux has-session -t "$session" 2>/dev/null; then
    tmux respawn-pane -k -t "$session" "$env uv run readmark"
  else
    tmux new-session -d -s "$session" -x "$cols" -y "$rows" "$env uv run readmark"
    tmux set-option -t "$session" remain-on-exit on
  fi
  wait_for "? Keys"
}

start
wait_for "interviews/"
shot 01-start
keys / && keys -l "long hot night" && keys Enter
wait_for "Welcome to Field Notes"
shot 02-opened
keys t && keys -l "4:04" && keys Enter
keys h
wait_for "Highlighted"
shot 03-highlighted
keys j j a
wait_for "Discard draft"
keys -l "Night heat is the risk nobody measures #nights"
shot 04-typing-a-note
keys Escape
wait_for "Draft kept"
shot 05-escaped
keys q
wait_ended
shot 06-quit
start
wait_for "brings it back"
shot 07-restarted
keys a
wait_for "nobody measures"
shot 08-draft-back
keys C-s
wait_for "Note saved"
shot 09-saved
keys q
wait_ended
echo "screens saved in $out"
