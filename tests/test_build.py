"""Python's cycle collector in a run: off while a snapshot is built and
while the rules compare two (left on, it rescans the millions of objects
they are), which is sound because the analysis makes no reference cycles."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from support.harness import tree
from uapicheck import commands
from uapicheck.config import Config
from uapicheck.snapshot import build

# parsed and laid out; with errors cached and raised again (struct b, the
# typedef of an incomplete type) and macro values that need types
HEADER = """\
struct a { int n; unsigned long long x; char name[8]; };
struct incomplete;
struct b { struct incomplete in; };
struct c { struct b b1; struct b b2; };
typedef struct incomplete incomplete_t;
struct d { incomplete_t x; incomplete_t y; };
#define A_SIZE sizeof(struct a)
#define B_SIZE sizeof(struct b)
#define MASK (1 << 3)
"""

def test_building_makes_no_reference_cycles(tmp_path: Path) -> None:
    root = tree(tmp_path / "t", {"linux/a.h": HEADER, "linux/b.h": "#include <linux/a.h>\n" + HEADER})
    gc.collect()
    before = gc.get_debug()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        snap = build(root, ["x86_64", "i386"])
        gc.collect()
        ours = sorted({type(o).__module__ + "." + type(o).__qualname__ for o in gc.garbage
                       if type(o).__module__.startswith(("uapicheck", "pycparser"))})
    finally:
        gc.garbage.clear()
        gc.set_debug(before)
    assert snap.arches["x86_64"]["linux/a.h"].macros["A_SIZE"].value == 24  # it did analyse
    assert not ours, ours


def test_the_collector_is_off_while_building_and_back_after(tmp_path: Path) -> None:
    root = tree(tmp_path / "t", {f"linux/h{i}.h": f"#define H{i} {i}\n" for i in range(3)})
    seen: list[bool] = []
    assert gc.isenabled()
    build(root, ["x86_64"], progress=lambda done, total, what: seen.append(gc.isenabled()))
    assert seen and not any(seen)
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_the_collector_is_off_while_the_rules_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old = build(tree(tmp_path / "old", {"linux/a.h": "#define A 1\n"}), ["x86_64"])
    new = build(tree(tmp_path / "new", {"linux/a.h": "#define A (1 << 0)\n"}), ["x86_64"])
    check = commands.check
    enabled: list[bool] = []

    def checked(*args, **kwargs):
        enabled.append(gc.isenabled())
        return check(*args, **kwargs)

    monkeypatch.setattr(commands, "check", checked)
    outcome = commands.judge(Config(), old, new, ["x86_64"], [])
    assert [f.code for f in outcome.findings] == ["UA103"]  # the token form changed
    assert enabled == [False]
    assert gc.isenabled() and gc.get_freeze_count() == 0
