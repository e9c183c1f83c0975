"""uapicheck against GCC on real header trees, every header GCC compiles
standalone: sizes, alignments, member offsets, macro values, #if use.

Every mismatch is listed on failure. Trees: this machine's /usr/include on
x86_64 and i386 (gcc -m32), and, when fetched with
shared/tools/fetch-debian-headers, Debian's Linux 7.2 headers on every arch
whose compiler is installed.
"""

from __future__ import annotations

import glob
import os

import pytest

from support.gcc import Gcc, compiler, if_literal
from uapicheck.arches import ARCHES
from uapicheck.facts import HeaderFacts
from uapicheck.snapshot import build
from uapicheck.sources import InstalledTree

DATA = os.environ.get("UAPICHECK_DATA", os.path.expanduser("~/.cache/uapicheck-data"))
# Known gaps, each with its reason; (header, macro) pairs.
KNOWN = {
    ("linux/netlink.h", "NL_MMAP_HDRLEN"): "NL_MMAP_MSG_ALIGN is a function-like macro over sizeof; not evaluated yet",
    ("linux/nilfs2_ondisk.h", "NILFS_SB_BYTES"): "the &((T *)0)->member offsetof idiom is not evaluated",
}
# Only the UAPI directories; glibc's own headers are not under test.
SCOPE = ["linux/*", "asm-generic/*", "asm/*"]


def compare_header(gcc: Gcc, name: str, facts: HeaderFacts) -> list[str]:
    problems = [f"{name}: uapicheck: {d.render()}" for d in facts.diagnostics if d.severity == "error"]
    # (C expression for GCC, what it is, uapicheck's value, GCC's unit in uapicheck's units)
    probes: list[tuple[str, str, int | None, int]] = []
    for tname, t in sorted(facts.types.items()):
        if t.kind == "enum" and tname.startswith("enum <anonymous"):
            continue
        probes += [(f"sizeof({tname})", f"sizeof({tname})", t.size, 1),
                   (f"__alignof__({tname})", f"alignof({tname})", t.align, 1)]
        for mname, m in t.named_members.items():
            if not m.bitfield:  # offsetof cannot take a bit-field
                probes.append((f"__builtin_offsetof({tname}, {mname})", f"offsetof({tname}, {mname}) in bits",
                               m.offset, 8))
    macros = [(n, m) for n, m in sorted(facts.macros.items()) if m.params is None and m.replacement]
    probes += [(n, f"macro {n} = {m.replacement!r}", m.value, 1) for n, m in macros if (name, n) not in KNOWN]
    got = gcc.values(name, [expr for expr, _, _, _ in probes])
    for i, (_, what, ours, unit) in enumerate(probes):
        theirs = got[i] * unit if got[i] is not None else None
        agree = ours == theirs or (ours is not None and theirs is not None and (ours - theirs) % (1 << 64) == 0)
        if not agree:
            problems.append(f"{name}: {what}: uapicheck {ours}, gcc {theirs}")
    checks = [(n, if_literal(m.if_value) if m.if_ok and m.if_value is not None else None) for n, m in macros]
    ok = gcc.if_results(name, checks)
    for i, (n, m) in enumerate(macros):
        if m.if_ok != ok[i] and (name, n) not in KNOWN:
            why = m.if_error or (", ".join(m.undefined) and "undefined " + ", ".join(m.undefined))
            state = f"usable, value {m.if_value}" if m.if_ok else f"not usable ({why})"
            problems.append(f"{name}: #if {n}: uapicheck says {state}, gcc -Wundef -Werror {'accepts' if ok[i] else 'rejects'}")
    return problems


def agreement(root: str, arch: str, include_dirs: list[str]) -> tuple[int, list[str]]:
    cmd = compiler(arch)
    if cmd is None:
        pytest.skip(f"no working compiler for {arch} ({' '.join(ARCHES[arch].gcc)})")
    gcc = Gcc(ARCHES[arch], cmd, include_dirs)
    snap = build(InstalledTree(root), [arch], SCOPE)
    problems: list[str] = []
    checked = 0
    for name, facts in sorted(snap.arches[arch].items()):
        if not gcc.compiles(name):
            continue
        checked += 1
        problems += compare_header(gcc, name, facts)
    return checked, problems


@pytest.mark.gcc
@pytest.mark.parametrize("arch", ["x86_64", "i386"])
def test_usr_include_agrees_with_gcc(arch: str) -> None:
    tree = InstalledTree("/usr/include")
    checked, problems = agreement("/usr/include", arch, tree.include_dirs(ARCHES[arch], list(ARCHES.values()))[1:])
    assert checked > 300, f"only {checked} headers compiled standalone"
    assert not problems, f"{len(problems)} mismatches with GCC on {arch}:\n" + "\n".join(problems)


def _debian_tree(version: str) -> str | None:
    roots = sorted(glob.glob(os.path.join(DATA, "headers", version + "*", "usr", "include")))
    return roots[-1] if roots else None


@pytest.mark.gcc
@pytest.mark.parametrize("arch", list(ARCHES))
def test_debian_72_agrees_with_gcc(arch: str) -> None:
    if not os.environ.get("UAPICHECK_REAL_TREES"):
        pytest.skip("set UAPICHECK_REAL_TREES=1 to compare on Debian's Linux 7.2 headers (minutes per arch)")
    root = _debian_tree("7.2")
    if root is None:
        pytest.skip("Debian's Linux 7.2 headers not fetched (shared/tools/fetch-debian-headers)")
    tree = InstalledTree(root)
    dirs = tree.include_dirs(ARCHES[arch], list(ARCHES.values()))[1:]
    checked, problems = agreement(root, arch, dirs)
    assert checked > 300
    assert not problems, f"{len(problems)} mismatches with GCC on {arch}:\n" + "\n".join(problems)
