"""Python's cycle collector in a run: paced by headers while a snapshot is
built, and kept off the snapshots while the rules compare two (left to
itself it rescans the millions of objects they are)."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

import pytest

from support.harness import tree
from uapicheck import collector, commands
from uapicheck.config import Config
from uapicheck.snapshot import build


class Cycle:
    def __init__(self) -> None:
        self.me = self


def test_a_build_collects_cycles_every_few_headers_and_leaves_the_collector_as_it_was(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(collector, "COLLECT_EVERY", 2)
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


def test_the_rules_run_with_both_snapshots_frozen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old = build(tree(tmp_path / "old", {"linux/a.h": "#define A 1\n"}), ["x86_64"])
    new = build(tree(tmp_path / "new", {"linux/a.h": "#define A (1 << 0)\n"}), ["x86_64"])
    check = commands.check
    frozen_while_checking: list[int] = []

    def checked(*args, **kwargs):
        frozen_while_checking.append(gc.get_freeze_count())
        return check(*args, **kwargs)

    monkeypatch.setattr(commands, "check", checked)
    outcome = commands.judge(Config(), old, new, ["x86_64"], [])
    assert [f.code for f in outcome.findings] == ["UA103"]  # the token form changed
    assert frozen_while_checking[0] > 0
    assert gc.get_freeze_count() == 0
