"""offsetof, sizeof of string literals and shifts past the width, as GCC
computes them; offsetof without <stddef.h> is no constant (linux/can.h's
CANXL_HDR_SIZE)."""

from __future__ import annotations

from pathlib import Path

import pytest

from support.gcc import Gcc, compiler
from support.harness import tree
from uapicheck.arches import ARCHES
from uapicheck.snapshot import build

HEADER = r"""#include <stddef.h>
#include <linux/types.h>
struct in { int a; char b[8]; };
struct s { int x; union { short y; struct in z; }; struct in arr[3]; __u64 tail; };
#define OFF_Y __builtin_offsetof(struct s, y)
#define OFF_ZB offsetof(struct s, z.b)
#define OFF_ARR2 offsetof(struct s, arr[2].b)
#define OFF_B3 offsetof(struct s, z.b[3])
#define OFF_TAIL offsetof(struct s, tail)
#define SHIFTED_OUT ((1ULL << 32) << 32)
#define NEG_SHIFTED_OUT (-8LL >> 64)
#define PREFIX "security."
#define PREFIX_LEN (sizeof(PREFIX) - 1)
#define WIDE sizeof(L"ab" "c")
#define ESCAPES sizeof("a\n\x41\101\0")
_Static_assert(__builtin_offsetof(struct s, arr) == 16, "static assertions parse");
"""
NAMES = ["OFF_Y", "OFF_ZB", "OFF_ARR2", "OFF_B3", "OFF_TAIL", "PREFIX_LEN", "WIDE", "ESCAPES", "SHIFTED_OUT",
         "NEG_SHIFTED_OUT"]


@pytest.mark.parametrize("arch", ["x86_64", "i386"])
def test_values(tmp_path: Path, arch: str) -> None:
    tree(tmp_path, {"linux/off.h": HEADER})
    facts = build(tree(tmp_path, {}), [arch]).arches[arch]["linux/off.h"]
    assert not facts.diagnostics
    ours = [facts.macros[n].value for n in NAMES]
    assert ours == ([4, 8, 44, 11, 56, 9, 16, 6, 0, -1] if arch == "x86_64" else [4, 8, 44, 11, 52, 9, 16, 6, 0, -1])
    cmd = compiler(arch)
    if cmd is None:
        pytest.skip(f"no compiler for {arch}")
    got = Gcc(ARCHES[arch], cmd, [str(tmp_path)]).values("linux/off.h", NAMES)
    assert [got[i] for i in range(len(NAMES))] == [v % (1 << 64) if v is not None and v < 0 else v for v in ours]


def test_offsetof_comes_from_stddef_read_first(tmp_path: Path) -> None:
    # offsetof is <stddef.h>'s: alone the header has no value for HDR, and
    # a program that uses it includes <stddef.h> first (as linux/can.h's users do)
    tree(tmp_path, {"linux/can.h": "struct f { int a; char data[4]; };\n#define HDR (offsetof(struct f, data))\n"})
    facts = build(tree(tmp_path, {}), ["x86_64"]).arches["x86_64"]["linux/can.h"]
    assert facts.prelude == ["stddef.h"] and facts.needs_prelude == ["HDR"]
    assert facts.macros["HDR"].value == 4
