"""Property tests: random struct declarations laid out as GCC lays them
out, each member's type resolved to the type GCC gives it, on every arch
whose compiler is installed; a snapshot diffed with itself reports nothing."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from support.gcc import Gcc, compiler
from support.harness import tree
from uapicheck.arches import ARCHES
from uapicheck.checks import check
from uapicheck.checks.data import shipped
from uapicheck.checks.registry import RULES
from uapicheck.compare import compare
from uapicheck.snapshot import build

SCALARS = ["char", "short", "int", "long", "long long", "__u8", "__u16", "__u32", "__u64", "__aligned_u64",
           "void *", "double", "unsigned int", "signed char"]
INTS = ["char", "short", "int", "long long", "__u8", "__u16", "__u32", "__u64", "unsigned int"]


@st.composite
def member(draw: st.DrawFn, name: str, depth: int) -> str:
    """One member; names are paths (m0_2_1), so nested anonymous members never collide."""
    kind = draw(st.sampled_from(["scalar", "scalar", "array", "bitfield", "nested"] if depth < 2
                                else ["scalar", "array", "bitfield"]))
    if kind == "scalar":
        t = draw(st.sampled_from(SCALARS))
        align = draw(st.sampled_from(["", "", "", " __attribute__((aligned(8)))", " __attribute__((aligned(16)))"]))
        return f"{t} {name}{align};"
    if kind == "array":
        return f"{draw(st.sampled_from(SCALARS))} {name}[{draw(st.integers(1, 5))}];"
    if kind == "bitfield":
        t = draw(st.sampled_from(INTS))
        width = {"char": 8, "__u8": 8, "short": 16, "__u16": 16}.get(t, 32 if "long" not in t and t != "__u64" else 64)
        return f"{t} {name} : {draw(st.integers(1, width))};"
    inner = " ".join(draw(member(f"{name}_{j}", depth + 1)) for j in range(draw(st.integers(1, 4))))
    keyword = draw(st.sampled_from(["struct", "union"]))
    anonymous = draw(st.booleans())
    return f"{keyword} {{ {inner} }}{'' if anonymous else ' ' + name};"


@st.composite
def struct(draw: st.DrawFn) -> str:
    members = " ".join(draw(member(f"m{i}", 0)) for i in range(draw(st.integers(1, 7))))
    attrs = draw(st.sampled_from(["", "", " __attribute__((packed))", " __attribute__((aligned(32)))"]))
    keyword = draw(st.sampled_from(["struct", "struct", "union"]))
    return f"{keyword} t {{ {members} }}{attrs};\n"


TYPES = ("typedef unsigned char __u8;\ntypedef unsigned short __u16;\ntypedef unsigned int __u32;\n"
         "typedef unsigned long long __u64;\n#define __aligned_u64 __u64 __attribute__((aligned(8)))\n")


@pytest.mark.gcc
@pytest.mark.skipif(not shutil.which("gcc"), reason="gcc not installed")
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(decl=struct())
def test_random_structs_match_gcc(decl: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        tree(root, {"linux/types.h": TYPES, "linux/t.h": "#include <linux/types.h>\n" + decl})
        for arch in ("x86_64", "i386", "aarch64", "arm", "mips"):
            cmd = compiler(arch)
            if cmd is None:
                continue
            t = build(tree(root, {}), [arch]).arches[arch]["linux/t.h"].types
            kind = decl.split()[0]
            ours = t[f"{kind} t"]
            members = {n: m for n, m in ours.named_members.items() if not m.bitfield}
            # and each member's type, typedefs resolved (canon), the type GCC gives it
            typed = [(n, m.canonical) for n, m in members.items() if "<anonymous>" not in m.canonical]
            exprs = [f"sizeof({kind} t)", f"__alignof__({kind} t)"]
            exprs += [f"__builtin_offsetof({kind} t, {n})" for n in members]
            exprs += [f"__builtin_types_compatible_p(__typeof__((({kind} t *)0)->{n}), {c})" for n, c in typed]
            got = Gcc(ARCHES[arch], cmd, [tmp]).values("linux/t.h", exprs)
            expected = [ours.size, ours.align] + [m.offset // 8 for m in members.values()] + [1] * len(typed)
            assert [got[i] for i in range(len(exprs))] == expected, (arch, decl)


@settings(max_examples=25, deadline=None)
@given(decls=st.lists(struct(), min_size=1, max_size=3),
       macros=st.lists(st.tuples(st.integers(0, 1 << 40), st.sampled_from(["", "U", "ULL"]),
                                 st.sampled_from(["", " << 2", " | 0x10"])), max_size=5))
def test_a_snapshot_diffed_with_itself_reports_nothing(decls: list[str], macros: list[tuple[int, str, str]]) -> None:
    text = "#include <linux/types.h>\n" + "".join(d.replace(" t ", f" t{i} ", 1) for i, d in enumerate(decls))
    text += "".join(f"#define M{i} ({v}{s}{op})\n" for i, (v, s, op) in enumerate(macros))
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        tree(root, {"linux/types.h": TYPES, "linux/t.h": text})
        snap = build(tree(root, {}), ["x86_64", "i386"])
        assert compare(snap, snap) == {"x86_64": [], "i386": []}
        assert check(snap, snap, RULES, shipped()) == []
