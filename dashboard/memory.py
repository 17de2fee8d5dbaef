"""Which allocator Arrow uses for the columns: the C library's, unless the operator chose.

pyarrow's Linux wheels allocate with mimalloc by default, which keeps freed pages in
heaps of its own for reuse. The dashboard allocates and frees many short-lived columns
(every tab of every charity is read, trimmed, coded and checked once per refresh), and
Streamlit runs each session's script on a thread of its own, so those kept pages add up.
Measured on the project's machine (docs/scale.md): with the C library's allocator the
`summary` command on the 50-charity coalition peaks at 371 MiB instead of 469 MiB, the
app on that coalition at 712 MiB instead of 834 MiB, and a server's growth for thirty
sessions on the demo is 25 MiB smaller, with the same times. The results are the same
either way: only where the bytes live changes.

`ARROW_DEFAULT_MEMORY_POOL` (jemalloc, mimalloc or system) still wins when it is set.
"""
from __future__ import annotations

import os
import sys

from dashboard import settings

ARROW_POOL_ENV = "ARROW_DEFAULT_MEMORY_POOL"
CHOSEN_POOL = "system"
BLAS_THREADS_ENV = "OPENBLAS_NUM_THREADS"


def prefer_c_allocator() -> None:
    """Arrow's default pool becomes the C library's malloc, unless the environment names one.

    Before pyarrow is imported this only sets the variable pyarrow reads when it makes its
    default pool, so a command that never touches Arrow pays nothing for it."""
    if settings.value(ARROW_POOL_ENV):
        return
    # Set in both cases: later calls (every Streamlit rerun) then return at once, and
    # processes started from this one make the same choice.
    os.environ[ARROW_POOL_ENV] = CHOSEN_POOL
    if "pyarrow" in sys.modules:
        import pyarrow as pa

        # Columns already allocated stay in the pool they came from; new ones use this one.
        pa.set_memory_pool(pa.system_memory_pool())


def no_blas_threads() -> None:
    """numpy starts OpenBLAS's threads, one per core, when it is imported; the command line
    never multiplies matrices, so they would only cost their start (numpy's import took
    0.13 s with them, 0.07 s without). Called before numpy is imported; the operator's
    own OPENBLAS_NUM_THREADS stands."""
    if not settings.value(BLAS_THREADS_ENV):
        os.environ[BLAS_THREADS_ENV] = "1"


def give_back_freed() -> None:
    """Return the C library's freed memory to the system (glibc's malloc_trim; elsewhere
    nothing). Checking charities in batches frees each batch's reads and working columns,
    but glibc keeps most of those freed pages in its heap, where the next batch's columns,
    of other sizes, often do not fit: on the 50-charity coalition the process then held
    100 MiB it did not use."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
        libc.malloc_trim(0)
    except (OSError, AttributeError):        # not glibc (musl has no malloc_trim)
        return
