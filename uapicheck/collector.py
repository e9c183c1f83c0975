"""Python's collector of reference cycles, paced for uapicheck's runs.

Left to itself it scans every tracked object each time their number grows
by a quarter, and a run keeps millions (tokens, chunks, declarations, facts):
a quarter of a cold build's time, and a fifth of comparing two snapshots.
What a freeze keeps is never scanned, but still freed when no longer
referenced; only a cycle among such objects waits for the unfreeze.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

COLLECT_EVERY = 100  # headers analysed (or read) on one arch


class Collector:
    """In a build, the collector runs every COLLECT_EVERY headers, then
    freezes what is left, so that the next run scans only what is newer."""

    def __init__(self) -> None:
        self.headers = 0
        self.active = False

    @contextmanager
    def paced(self) -> Iterator[None]:
        enabled = gc.isenabled()
        gc.disable()
        self.active, self.headers = True, 0
        try:
            yield
        finally:
            self.active = False
            gc.unfreeze()
            if enabled:
                gc.enable()

    def done(self, headers: int) -> None:
        if self.active:
            self.headers += headers
            if self.headers >= COLLECT_EVERY:
                self.headers = 0
                gc.collect()
                gc.freeze()


COLLECTOR = Collector()  # forked workers pace with their copy


@contextmanager
def frozen() -> Iterator[None]:
    """What exists now is not scanned again until the block ends (two
    snapshots, while the rules compare them)."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
