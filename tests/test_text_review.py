"""Caption quotations on large files, and clock times that a hard wrap puts at a line start."""

from __future__ import annotations

import time

from readmark.library.readers import plaintext


def test_an_unclosed_quotation_over_many_same_time_fragments_reads_quickly() -> None:
    lines = ["[00:00] the porter began “and so"] + [
        f"[00:00] we carried crate {n} up the stair" for n in range(20_000)
    ]
    began = time.perf_counter()
    source = plaintext.read("\n".join(lines) + "\n", "crates.txt", "crates")
    # Rescanning the whole growing block per fragment took about 18 s here.
    assert time.perf_counter() - began < 5.0
    assert source.segments[0].text.startswith("the porter began “and so we carried crate 0")


def test_a_clock_time_wrapped_to_a_line_start_stays_in_its_sentence() -> None:
    text = (
        "Notes on the orchard lecture\n\n"
        "He takes his time with the grafting history before he gets\n"
        "to pruning; at\n"
        "18:40 he shows the cut, which\n"
        "is the clearest part. Near the end, at\n"
        "52:10 he shows it again.\n\n"
        "The rest is about cider.\n"
    )
    source = plaintext.read(text, "orchard.txt", "orchard")
    assert [s.text for s in source.segments] == [
        "Notes on the orchard lecture",
        "He takes his time with the grafting history before he gets to pruning; at 18:40 he "
        "shows the cut, which is the clearest part. Near the end, at 52:10 he shows it again.",
        "The rest is about cider.",
    ]
    assert source.timed_segments == []


def test_stamped_lines_right_under_a_prose_line_are_still_a_transcript() -> None:
    text = "Captions below\n00:00 good morning all\n00:04 and welcome back\n00:09 to the yard.\n"
    source = plaintext.read(text, "yard.txt", "yard")
    assert [s.start for s in source.segments if s.start is not None] == [0.0, 4.0, 9.0]
