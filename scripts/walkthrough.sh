#!/usr/bin/env bash
# Drive readmark in a real terminal (tmux) the way a new user would, and print each screen.
# Not part of CI: it needs tmux. Usage: scripts/walkthrough.sh [screens-folder]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-$(mktemp -d)}
mkdir -p "$out"
data=$(mktemp -d)
session=readmark-walkthrough
export READMARK_DATA_DIR="$data" READMARK_CACHE_DIR="$data/cache" READMARK_STATE_DIR="$data/state"
tmux kill-session -t "$session" 2>/dev/null || true

start() {
  tmux new-session -d -s "$session" -x 120 -y 36 "READMARK_DATA_DIR=$data READMARK_CACHE_DIR=$data/cache READMARK_STATE_DIR=$data/state uv run readmark"
  sleep 4
}
keys() { tmux send-keys -t "$session" "$@"; sleep "${PAUSE:-0.8}"; }
shot() { tmux capture-pane -t "$session" -p > "$out/$1.txt"; echo "== $1"; cat "$out/$1.txt"; }

start
shot 01-start
keys / && keys -l "Long Hot" && keys Enter
sleep 2
shot 02-opened
keys t && keys -l "4:04" && keys Enter
shot 03-at-4-04
keys h
shot 04-highlighted
keys j j d
keys -l "Cooling centres save lives in heatwaves; the evidence is thin but real."
keys C-s
shot 05-dissent-saved
keys y
shot 06-copied
keys s && keys -l "kind:dissent" && keys Enter
sleep 2
shot 07-search
keys Escape
keys q
sleep 1
start
sleep 2
shot 08-restarted
keys q
ls "$data"/sample-library/.readmark/annotations/*/ > "$out/09-files.txt"
echo "== annotation files"; cat "$out/09-files.txt"
echo "screens saved in $out"
