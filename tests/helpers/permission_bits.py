"""Hold the running thread to file permission bits, even as root.

Root reads a chmod 000 file because of two capabilities, CAP_DAC_OVERRIDE and
CAP_DAC_READ_SEARCH. Clearing them from the thread's effective set (they stay permitted, so they
come back afterwards) makes the kernel check the mode bits as for anyone else: the code under test
meets a real EACCES from a real chmod, in CI containers that run tests as root.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

_VERSION_3 = 0x20080522
_DAC_OVERRIDE = 1
_DAC_READ_SEARCH = 2
_BYPASS = (1 << _DAC_OVERRIDE) | (1 << _DAC_READ_SEARCH)


class _Header(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _Data(ctypes.Structure):
    _fields_ = [
        ("effective", ctypes.c_uint32),
        ("permitted", ctypes.c_uint32),
        ("inheritable", ctypes.c_uint32),
    ]


class PermissionBitsUnavailable(RuntimeError):
    """This process reads past permission bits and cannot be made not to."""


def running_as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _libc() -> ctypes.CDLL:
    if not sys.platform.startswith("linux"):
        raise PermissionBitsUnavailable("capabilities are a Linux feature")
    return ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)


def _set_effective(libc: ctypes.CDLL, header: _Header, data: ctypes.Array[_Data]) -> None:
    if libc.capset(ctypes.byref(header), data) != 0:
        raise PermissionBitsUnavailable(os.strerror(ctypes.get_errno()))


@contextmanager
def permission_bits_enforced() -> Iterator[None]:
    """Within the block, this thread (and threads it starts) cannot read past a file's mode.

    A no-op for an ordinary user, who is held to the bits anyway."""
    if not running_as_root():
        yield
        return
    libc = _libc()
    header = _Header(_VERSION_3, 0)
    data = (_Data * 2)()
    if libc.capget(ctypes.byref(header), data) != 0:
        raise PermissionBitsUnavailable(os.strerror(ctypes.get_errno()))
    saved = data[0].effective
    data[0].effective = saved & ~_BYPASS
    _set_effective(libc, header, data)
    try:
        yield
    finally:
        data[0].effective = saved
        _set_effective(libc, header, data)
