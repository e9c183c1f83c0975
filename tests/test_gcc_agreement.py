"""uapicheck against GCC on real header trees: every UAPI header, read as a
program includes it (after the C library headers, or the header that
includes it, that uapicheck read it after), for sizes, alignments, member
offsets, macro values and #if use.

Two counts come out. Mismatches, where both answer and differ, or
uapicheck answers what GCC rejects: there must be none, and each is listed.
Unanswered items, where GCC answers and uapicheck does not: each must be
one of UNANSWERED, with its reason, and on Debian's Linux 7.2 tree they
must stay under 0.2% of what GCC answers on x86_64 and i386. Trees: this
machine's /usr/include, and, when fetched with shared/tools/fetch-debian-
headers, Debian's Linux 7.2 headers on every arch whose compiler is
installed (the time64 variants too).
"""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass, field

import pytest

from support.gcc import Gcc, compiler, if_literal
from uapicheck.arches import ARCHES
from uapicheck.facts import HeaderFacts
from uapicheck.snapshot import build
from uapicheck.sources import InstalledTree

DATA = os.environ.get("UAPICHECK_DATA", os.path.expanduser("~/.cache/uapicheck-data"))
# What GCC answers and uapicheck does not, by (header, item), with the reason.
UNANSWERED = {
    ("linux/netlink.h", "NL_MMAP_HDRLEN"): "NL_MMAP_MSG_ALIGN is a function-like macro over sizeof; not evaluated yet",
    ("linux/nilfs2_ondisk.h", "NILFS_SB_BYTES"): "the &((T *)0)->member offsetof idiom is not evaluated",
}
# Only the UAPI directories; the C library's own headers are not under test.
SCOPE = ["linux/*", "asm-generic/*", "asm/*", "drm/*", "misc/*", "mtd/*", "rdma/*", "regulator/*", "scsi/*",
         "sound/*", "video/*", "xen/*", "cxl/*", "fwctl/*"]


@dataclass
class Agreement:
    headers: int = 0  # headers GCC compiles as uapicheck read them
    answered: int = 0  # items GCC answers
    unanswered: list[tuple[str, str]] = field(default_factory=list)  # (header, item) GCC answers and uapicheck not
    mismatches: list[str] = field(default_factory=list)
    neither: list[str] = field(default_factory=list)  # headers GCC cannot compile either, with uapicheck's reason

    def unlisted(self) -> list[str]:
        return [f"{h}: {item}" for h, item in self.unanswered if (h, item) not in UNANSWERED]

    def share(self) -> float:
        return len(self.unanswered) / max(self.answered, 1)


def compare_header(gcc: Gcc, name: str, facts: HeaderFacts, out: Agreement) -> None:
    if not gcc.compiles(name, facts.prelude):
        if not facts.broken:
            out.mismatches.append(f"{name}: uapicheck reads it after {facts.prelude or 'nothing'}; GCC cannot")
        else:
            out.neither.append(f"{name}: " + next(d.message for d in facts.diagnostics if d.severity == "error"))
        return
    out.headers += 1
    out.mismatches += [f"{name}: uapicheck: {d.render()}" for d in facts.diagnostics if d.severity == "error"]
    # (C expression for GCC, the item, what it is, uapicheck's value, GCC's unit in uapicheck's units)
    probes: list[tuple[str, str, str, int | None, int]] = []
    for tname, t in sorted(facts.types.items()):
        if t.kind == "enum" and tname.startswith("enum <anonymous"):
            continue
        probes += [(f"sizeof({tname})", tname, f"sizeof({tname})", t.size, 1),
                   (f"__alignof__({tname})", tname, f"alignof({tname})", t.align, 1)]
        for mname, m in t.named_members.items():
            if not m.bitfield:  # offsetof cannot take a bit-field
                probes.append((f"__builtin_offsetof({tname}, {mname})", f"{tname}.{mname}",
                               f"offsetof({tname}, {mname}) in bits", m.offset, 8))
    macros = [(n, m) for n, m in sorted(facts.macros.items()) if m.params is None and m.replacement]
    probes += [(n, n, f"macro {n} = {m.replacement!r}", m.value, 1) for n, m in macros]
    got = gcc.values(name, [expr for expr, _, _, _, _ in probes], facts.prelude)
    for i, (_, item, what, ours, unit) in enumerate(probes):
        theirs = got[i] * unit if got[i] is not None else None
        if theirs is not None:
            out.answered += 1
            if ours is None:
                out.unanswered.append((name, item))
                continue
        agree = ours == theirs or (ours is not None and theirs is not None and (ours - theirs) % (1 << 64) == 0)
        if not agree:
            out.mismatches.append(f"{name}: {what}: uapicheck {ours}, gcc {theirs}")
    checks = [(n, if_literal(m.if_value) if m.if_ok and m.if_value is not None else None) for n, m in macros]
    ok = gcc.if_results(name, checks, facts.prelude)
    for i, (n, m) in enumerate(macros):
        if m.if_ok != ok[i]:
            why = m.if_error or (", ".join(m.undefined) and "undefined " + ", ".join(m.undefined))
            state = f"usable, value {m.if_value}" if m.if_ok else f"not usable ({why})"
            out.mismatches.append(f"{name}: #if {n}: uapicheck says {state}, gcc -Wundef -Werror "
                                  f"{'accepts' if ok[i] else 'rejects'}")


def agreement(tree: InstalledTree, arch: str) -> Agreement:
    cmd = compiler(arch)
    if cmd is None:
        pytest.skip(f"no working compiler for {arch} ({' '.join(ARCHES[arch].compiler)})")
    # the builtin stand-ins for <stddef.h> and friends give way to GCC's own
    gcc = Gcc(ARCHES[arch], cmd, tree.include_dirs(ARCHES[arch], list(ARCHES.values()))[1:])
    snap = build(tree, [arch], SCOPE)
    out = Agreement()
    for name, facts in sorted(snap.arches[arch].items()):
        compare_header(gcc, name, facts, out)
    return out


def report(out: Agreement, arch: str) -> str:
    return (f"{arch}: {out.headers} headers, {out.answered} items GCC answers, {len(out.unanswered)} unanswered "
            f"({100 * out.share():.3f}%), {len(out.mismatches)} mismatches; GCC cannot compile {len(out.neither)}:\n"
            + "\n".join(out.neither))


@pytest.mark.gcc
@pytest.mark.parametrize("arch", ["x86_64", "i386", "i386-time64"])
def test_usr_include_agrees_with_gcc(arch: str) -> None:
    out = agreement(InstalledTree("/usr/include"), arch)
    print(report(out, arch))
    assert out.headers > 300, f"only {out.headers} headers compiled"
    assert not out.mismatches, f"{len(out.mismatches)} mismatches with GCC on {arch}:\n" + "\n".join(out.mismatches)
    assert not out.unlisted(), "unanswered, with no reason in UNANSWERED:\n" + "\n".join(out.unlisted())


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
    out = agreement(InstalledTree(root), arch)
    print(report(out, arch))
    assert out.headers > 800
    assert not out.mismatches, f"{len(out.mismatches)} mismatches with GCC on {arch}:\n" + "\n".join(out.mismatches)
    assert not out.unlisted(), "unanswered, with no reason in UNANSWERED:\n" + "\n".join(out.unlisted())
    if ARCHES[arch].base in ("x86_64", "i386"):
        assert out.share() < 0.002, report(out, arch)
