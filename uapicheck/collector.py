"""Python's collector of reference cycles, kept out of the long steps.

Left to itself it scans every tracked object each time their number grows
by a quarter, and a run keeps millions (tokens, chunks, declarations,
facts): a quarter of a cold build's CPU, a fifth of the rules' on two
snapshots. The analysis makes no reference cycles (tests/test_build.py
keeps it so), so what those steps drop is freed as its last reference goes,
and they run with the collector off.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def quiet() -> Iterator[None]:
    """No collection in the block. What it made then joins the oldest
    generation at once (freeze, unfreeze): the next collections, of young
    objects, do not scan those millions."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()
        if enabled:
            gc.enable()
