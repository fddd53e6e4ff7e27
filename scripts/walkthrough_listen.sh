#!/usr/bin/env bash
# Listen along with a real mpv in a real terminal (tmux), and print each screen.
# A temporary vault holds a timed transcript and a silent WAV beside it (written with Python's
# wave module); mpv plays it to no sound card ([player] extra_args = ["--ao=null"]).
# Not part of CI: it needs tmux and mpv. Usage: scripts/walkthrough_listen.sh [screens-folder]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v mpv >/dev/null || { echo "mpv is not installed" >&2; exit 1; }
out=${1:-$(mktemp -d)}
mkdir -p "$out"
data=$(mktemp -d)
vault="$data/vault"
mkdir -p "$vault" "$data/config"
session=readmark-listen
tmux kill-session -t "$session" 2>/dev/null || true

cat > "$vault/lock-keeper.md" <<'EOF'
---
title: The lock keeper
channel: Canal Hour
media_offset: 2
---

**Ada Lind** [0:00] The gates open at dawn. Barges wait in a line below the weir.
[0:06] Water climbs slowly in the chamber while the crews wait.
[0:12] A lock takes nine minutes to fill on a dry summer day.

**Ben Moor** [0:18] The keeper logs every boat by hand and knows each pilot by name.
[0:24] At dusk the paddles are chained shut.
[0:30] Then the towpath goes quiet until morning.
EOF
cat > "$vault/sluices.txt" <<'EOF'
A note on sluices.

They are older than the locks.
EOF
uv run python - "$vault/lock-keeper.wav" <<'EOF'
import sys
import wave

with wave.open(sys.argv[1], "wb") as audio:
    audio.setnchannels(1)
    audio.setsampwidth(2)
    audio.setframerate(8000)
    audio.writeframes(b"\x00\x00" * 8000 * 40)
EOF
cat > "$data/config/config.toml" <<'EOF'
[player]
extra_args = ["--ao=null"]
capture_back = 2
resume_back = 3
EOF

env_vars="READMARK_DATA_DIR=$data READMARK_CACHE_DIR=$data/cache READMARK_STATE_DIR=$data/state"
env_vars="$env_vars READMARK_CONFIG=$data/config/config.toml"
tmux new-session -d -s "$session" -x 120 -y 30 "env $env_vars uv run readmark $vault"
sleep 4
keys() { tmux send-keys -t "$session" "$@"; sleep "${PAUSE:-0.8}"; }
shot() { tmux capture-pane -t "$session" -p > "$out/$1.txt"; echo "== $1"; cat "$out/$1.txt"; }
mpv_pids() { pgrep -f "readmark-mpv-.*/ipc" || true; }

keys / && keys -l "lock" && keys Enter
sleep 1
shot 01-opened
keys j j
keys p
sleep 2
shot 02-playing-from-the-cursor
echo "mpv running: $(mpv_pids)"
cpu_ticks() { local total=0 t; for p in "$@"; do t=$(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0); total=$((total + t)); done; echo "$total"; }
reader_pids=$(pgrep -f "bin/readmark $vault" | tr '\n' ' ')
before=$(cpu_ticks $reader_pids); mpv_before=$(cpu_ticks $(mpv_pids))
sleep 6
after=$(cpu_ticks $reader_pids); mpv_after=$(cpu_ticks $(mpv_pids))
hz=$(getconf CLK_TCK)
awk -v r=$((after - before)) -v m=$((mpv_after - mpv_before)) -v hz="$hz" \
  'BEGIN { printf "CPU while following for 6 s: readmark %.1f%%, mpv %.1f%%\n", r * 100 / hz / 6, m * 100 / hz / 6 }'
shot 03-following-six-seconds-later
keys h
shot 04-h-takes-the-sentence-said-two-seconds-ago
keys k
shot 05-a-move-detaches
keys f
sleep 1
shot 06-f-follows-again
keys Space
shot 07-paused
keys .
keys .
shot 08-ten-seconds-on
keys Space
keys a
shot 09-note-editor-paused
keys -l "Slow on purpose."
keys Escape
sleep 1
shot 10-resumed-three-seconds-earlier
pid=$(mpv_pids)
[ -n "$pid" ] && kill -9 $pid
sleep 2
shot 11-mpv-killed
keys p
sleep 2
shot 12-p-starts-a-new-one
keys BTab && keys BTab && keys / && keys -l "sluice" && keys Enter
sleep 1
keys p
shot 13-no-times
keys q
sleep 3
left=$(mpv_pids)
echo "mpv left after quitting: ${left:-none}"

# Over SSH: the first p says where the sound goes.
tmux new-session -d -s "$session" -x 120 -y 30 \
  "env $env_vars SSH_CONNECTION='192.0.2.7 51000 192.0.2.1 22' uv run readmark $vault"
sleep 4
keys / && keys -l "lock" && keys Enter
keys p
sleep 1
shot 14-over-ssh
keys q
sleep 3
left=$(mpv_pids)
echo "mpv left after quitting: ${left:-none}"
# Killed outright (the shell and terminal stay): mpv goes with it.
tmux new-session -d -s "$session" -x 120 -y 30 "bash --norc"
keys -l "env $env_vars uv run readmark $vault" && keys Enter
sleep 4
keys Enter
sleep 1
keys p
sleep 2
echo "mpv before killing readmark: $(mpv_pids)"
reader_pid=$(pgrep -f "bin/readmark $vault" | head -1)
[ -n "$reader_pid" ] && kill -KILL "$reader_pid"
sleep 2
left=$(mpv_pids)
echo "mpv left after readmark was killed: ${left:-none}"
tmux kill-session -t "$session"
echo "screens saved in $out"
