"""Memory the process no longer uses, handed back to the system after large steps."""

from __future__ import annotations

import contextlib


def give_back_memory() -> None:
    """Hand the memory freed by a large step back to the system.

    Building the hot copy's frame, reading the word index and an import's read phase pass
    hundreds of megabytes through Arrow's allocator and the C heap, which keep what is
    freed for later use: a fresh process held 605 MB after a first start at 1M events and
    358 MB once both were returned (README, performance). Where the C library is not
    glibc, only Arrow's is.
    """
    import ctypes
    import ctypes.util

    import pyarrow as pa

    pa.default_memory_pool().release_unused()
    name = ctypes.util.find_library("c")
    with contextlib.suppress(OSError, AttributeError, TypeError):
        ctypes.CDLL(name).malloc_trim(0)
