"""Handing memory the process no longer uses back to the system.

Parsing a big transcript builds and drops hundreds of megabytes of short-lived objects. Python
frees them to the C allocator, which keeps the pages for itself: the process then holds the
parse's peak for as long as it runs. glibc's `malloc_trim` returns the free pages."""

from __future__ import annotations


def give_back_free_memory() -> bool:
    """Return the C heap's free pages to the system; False where the C library cannot (not
    glibc), which changes nothing else."""
    import ctypes  # only once a big source is shown: not worth loading at start-up

    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return False
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    trim(0)
    return True
