"""Launch to painted text: readmark reopening a 50 MB transcript, next to toolong on the same file.

Run: `uv run python bench/bench_open.py [--mb 50] [--runs 5]`. toolong is installed by the
bench into a throwaway environment (`uv venv` in a temp folder, `uv pip install toolong`); it is
no dependency of readmark. Both programs run in a pseudo-terminal of 120x36, timed from spawn
until words of the transcript are on screen (the first turn for readmark,
the last line for toolong, which opens a file at its end) (see `terminal_run`). readmark opens
the vault with the transcript as the source last read, so it opens it at launch.
`--checkout DIR` times another checkout of readmark (figures before a change).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.big_transcript import ensure_big_transcript  # noqa: E402
from bench.terminal_run import seconds_until_text  # noqa: E402

SOURCE_ID = "long-panel.md"


def first_words(path: Path, count: int = 3) -> str:
    """The first words of the first spoken turn: where readmark opens a file never read."""
    with path.open(encoding="utf-8") as file:
        for line in file:
            line = line.strip()
            if line and line[0].isalpha() and ":" not in line:
                return " ".join(line.split()[:count])
    raise ValueError(f"no plain line in {path}")


def last_words(path: Path, count: int = 3) -> str:
    """The first words of the last line: toolong, a log viewer, opens at a file's end."""
    with path.open("rb") as file:
        file.seek(max(path.stat().st_size - 4096, 0))
        line = file.read().decode("utf-8", "ignore").strip().splitlines()[-1]
    return " ".join(line.split()[:count])


def toolong_program(folder: Path) -> list[str]:
    """`tl` from a throwaway environment in `folder`."""
    uv = shutil.which("uv")
    if uv is None:
        raise SystemExit("uv is needed to install toolong for the comparison")
    subprocess.run([uv, "venv", "-q", str(folder / "venv")], check=True)
    python = folder / "venv" / "bin" / "python"
    subprocess.run([uv, "pip", "install", "-q", "--python", str(python), "toolong"], check=True)
    return [str(folder / "venv" / "bin" / "tl")]


def readmark_vault(
    folder: Path, transcript: Path, python: str, checkout: Path
) -> tuple[Path, dict[str, str]]:
    """A vault holding the transcript, remembered as the source last read (opens at launch)."""
    vault = folder / "vault"
    vault.mkdir()
    os.link(transcript, vault / SOURCE_ID) if _same_disk(transcript, vault) else shutil.copy(
        transcript, vault / SOURCE_ID
    )
    env = {
        **os.environ,
        "READMARK_CACHE_DIR": str(folder / "cache"),
        "READMARK_STATE_DIR": str(folder / "state"),
        "READMARK_DATA_DIR": str(folder / "data"),
    }
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    remember = (
        "import sys; from pathlib import Path;"
        "from readmark.annotations.reading import ReadingState, save_reading_state;"
        "s = ReadingState(); s.remember(sys.argv[2], 0);"
        "assert save_reading_state(Path(sys.argv[1]), s)"
    )
    subprocess.run(
        [python, "-c", remember, str(vault), SOURCE_ID], check=True, env=env, cwd=checkout
    )
    return vault, env


def _same_disk(a: Path, b: Path) -> bool:
    return a.stat().st_dev == b.stat().st_dev


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=float, default=50.0)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--checkout", type=Path, default=ROOT, help="the readmark checkout to time (uv synced)"
    )
    args = parser.parse_args()
    transcript = ensure_big_transcript(args.mb)
    words, peer_words = first_words(transcript), last_words(transcript)
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        toolong = toolong_program(folder)
        checkout = args.checkout.resolve()
        python = str(checkout / ".venv" / "bin" / "python")
        vault, env = readmark_vault(folder, transcript, python, checkout)
        readmark = [python, "-m", "readmark", str(vault)]
        # Alternate the two so that a busy machine weighs on both alike.
        ours, peer = [], []
        seconds_until_text(readmark, words, env=env, cwd=checkout)
        seconds_until_text([*toolong, str(transcript)], peer_words)
        for _ in range(args.runs):
            ours.append(seconds_until_text(readmark, words, env=env, cwd=checkout))
            peer.append(seconds_until_text([*toolong, str(transcript)], peer_words))
    mine, theirs = statistics.median(ours), statistics.median(peer)
    size = transcript.stat().st_size / 1e6
    print(f"launch to painted text, {size:.0f} MB transcript, median of {args.runs} (120x36 pty)")
    print(f"  readmark  {mine:6.2f} s   (runs: {', '.join(f'{s:.2f}' for s in ours)})")
    print(f"  toolong   {theirs:6.2f} s   (runs: {', '.join(f'{s:.2f}' for s in peer)})")
    print(f"  ratio     {mine / theirs:6.2f}x  (goal: at most 2x)")


if __name__ == "__main__":
    main()
