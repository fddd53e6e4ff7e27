"""A big Markdown transcript for the benches: front matter with chapters, then timed speaker
turns (`**Name** [0:00:00]`, some turns spread over several timed lines), as interviews are.

Run: `uv run python bench/big_transcript.py [--mb 50] [--out PATH]`; prints the path. The file
is made once per size and seed and reused (see `ensure_big_transcript`).
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
from pathlib import Path

WORDS = (
    "the a city heat night roof shade tree street river model data claim evidence argument "
    "budget council summer asphalt wind cooling question answer idea people measure window "
    "hospital clinic shelter fan bus stop tram market wall brick concrete humidity forecast"
).split()
SPEAKERS = ("Daniel Ashby", "Inés Carvalho-Reyes", "Priya Nair")


def clock(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole // 60 % 60:02d}:{whole % 60:02d}"


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(6, 18))]
    return " ".join(words).capitalize() + rng.choice(".....?!")


def big_transcript(megabytes: float, seed: int = 3) -> str:
    """Timed speaker turns until the text weighs about `megabytes` (UTF-8)."""
    rng = random.Random(seed)
    pool = []
    for _ in range(3000):
        body: list[str] = []
        while sum(len(b) for b in body) < rng.randint(120, 600):
            body.append(_sentence(rng))
        pool.append(" ".join(body))
    target = int(megabytes * 1_000_000)
    body: list[str] = []
    size = 1000  # about what the front matter weighs
    turn, at = 0, 0.0
    while size < target:
        speaker = SPEAKERS[turn % len(SPEAKERS)] if turn % 7 else SPEAKERS[turn % 2]
        lines = [f"**{speaker}** [{clock(at)}]"]
        # One turn in five runs over several timed lines: marks inside one segment.
        for _ in range(3 if turn % 5 == 0 else 1):
            text = pool[rng.randrange(len(pool))]
            lines.append(f"[{clock(at)}] {text}" if len(lines) > 1 else text)
            at += 1 + len(text) / 60  # brisk, so 50 MB stays within three-digit hours
        block = "\n".join(lines) + "\n\n"
        body.append(block)
        size += len(block.encode("utf-8"))
        turn += 1
    seconds = int(at) + 5
    chapters = "\n".join(
        f'  - {{start_time: {c * seconds // 12}, title: "Part {c + 1} of the panel"}}'
        for c in range(12)
    )
    head = (
        "---\n"
        'title: "The Long Panel: a day of talk about city heat"\n'
        "channel: Field Notes on Cities\n"
        "url: https://www.youtube.com/watch?v=q7Tn2VbXk4w\n"
        f"duration: {seconds}\n"
        f"speakers: [{', '.join(SPEAKERS)}]\n"
        f"chapters:\n{chapters}\n"
        "---\n\n# The Long Panel\n\n## Transcript\n\n"
    )
    return head + "".join(body)


def ensure_big_transcript(megabytes: float = 50.0, folder: Path | None = None) -> Path:
    """The transcript of `megabytes`, written once into `folder` (the temp dir) and reused."""
    where = folder or Path(tempfile.gettempdir())
    path = where / f"readmark-bench-{megabytes:g}mb-v3.md"
    if not path.exists():
        partial = path.with_suffix(f".{os.getpid()}.part")
        partial.write_text(big_transcript(megabytes), encoding="utf-8")
        partial.replace(path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=float, default=50.0)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    print(ensure_big_transcript(args.mb, args.out))


if __name__ == "__main__":
    main()
