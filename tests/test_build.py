"""Building a snapshot: Python's cycle collector paced by headers (left to
itself it rescans the millions of objects a build keeps)."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

import pytest

from support.harness import tree
from uapicheck import snapshot
from uapicheck.snapshot import build


class Cycle:
    def __init__(self) -> None:
        self.me = self


def test_a_build_collects_cycles_every_few_headers_and_leaves_the_collector_as_it_was(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(snapshot, "COLLECT_EVERY", 2)
    root = tree(tmp_path / "t", {f"linux/h{i}.h": f"#define H{i} {i}\n" for i in range(6)})
    seen: list[tuple[bool, int]] = []
    cycles: list[weakref.ref[Cycle]] = []

    def progress(done: int, total: int, what: str) -> None:
        seen.append((gc.isenabled(), gc.get_freeze_count()))
        if done == 1:
            cycles.append(weakref.ref(Cycle()))  # garbage at once, but only the collector can tell

    assert gc.isenabled()
    build(root, ["x86_64"], progress=progress)
    assert len(seen) == 7  # six headers and linux/types.h
    assert not any(enabled for enabled, _ in seen)
    assert any(frozen for _, frozen in seen)
    assert cycles[0]() is None
    assert gc.isenabled() and gc.get_freeze_count() == 0
