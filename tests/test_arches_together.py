"""One build for several arches keeps what they share: a closed
expansion's C and #if values, the macro's fact, an enum's layout, and an
integer constant's value and type, for the arches whose int and long
agree, with the sign of char in the key only where a character constant
is read; the value of an expansion that reads a type, for those that
also lay the type out alike (i386 and arm do not: struct s64); the
expansion of a macro defined again alike (R1, R2 after an #ifdef that
differs), where what it reads is the same (WIDE is not on i386); a
record's layout, for the units and arches that answer what it read alike.
Each arch must still answer as it does alone, and as GCC does where it is
installed."""

from __future__ import annotations

from pathlib import Path

import pytest

from support.gcc import Gcc, compiler, if_literal
from support.harness import tree
from uapicheck import layout
from uapicheck.arches import ARCHES
from uapicheck.jsonfile import compact
from uapicheck.kept import Kept
from uapicheck.snapshot import build, build_written

CHARS = """\
#define C1 '\\xff'
#define C2 ('\\xff' + 1)
#define C3 ('\\377' >> 1)
#define C4 (C1 == -1)
#define N1 (0xff + 1)
#define N2 (1 << 7)
#define N3 (N1 | N2)
#define L1 (1UL << 31 << 1)
#define W1 (0x80000000 + 0)
#define W2 (-1L < 0U)
#define F1 ((1UL << 31 << 1) | sizeof(int))
#define F2 (('\\xff' >> 1) + sizeof(long))
#define F3 ((int)('\\xff' + 1) + sizeof(char))
enum chars { E1 = '\\xff', E2 = E1 + 1, E3 = 1 << 3, E4 = E3 | E2, E5 = (1UL << 31 << 1) != 0 };
struct s64 { unsigned int a; unsigned long long b; };
#define T1 (sizeof(struct s64) + 0)
#define T2 ((unsigned char)sizeof(struct s64) * N2)
#define T3 (sizeof(struct s64) << E3)
#ifdef __aarch64__
#define ONLY_AARCH64 1
#endif
#if __SIZEOF_LONG__ == 8
#define WIDE 64
#else
#define WIDE 32
#endif
#define R1 (sizeof(long) << 1)
#define R2 (WIDE + N2)
"""
ARCH_NAMES = ["x86_64", "aarch64", "i386", "arm"]  # signed and unsigned char, on 64- and 32-bit long


def test_arches_in_one_build_answer_as_each_alone(tmp_path: Path) -> None:
    src = tree(tmp_path, {"linux/chars.h": CHARS})
    together = build(src, ARCH_NAMES).arches
    mismatches = []
    for arch in ARCH_NAMES:
        alone = build(src, [arch]).arches[arch]["linux/chars.h"]
        shared = together[arch]["linux/chars.h"]
        mismatches += [f"{arch} {n}: {shared.macros.get(n)} together, {m} alone" for n, m in alone.macros.items()
                       if shared.macros.get(n) != m]
        mismatches += [f"{arch} {n}: {shared.types.get(n)} together, {t} alone" for n, t in alone.types.items()
                       if shared.types.get(n) != t]
        cmd = compiler(arch)
        if cmd is None:
            continue
        gcc = Gcc(ARCHES[arch], cmd, src.include_dirs(ARCHES[arch], list(ARCHES.values())))
        macros = sorted(alone.macros.items())
        values = gcc.values("linux/chars.h", [n for n, _ in macros])  # as unsigned long long
        mismatches += [f"{arch} {n}: GCC {values[i]}, uapicheck {m.value}" for i, (n, m) in enumerate(macros)
                       if m.value is None or values[i] is None or (m.value - values[i]) % (1 << 64)]
        enumerators = alone.types["enum chars"].enumerators
        values = gcc.values("linux/chars.h", [n for n, _ in enumerators])
        mismatches += [f"{arch} {n}: GCC {values[i]}, uapicheck {v}" for i, (n, v) in enumerate(enumerators)
                       if values[i] is None or (v - values[i]) % (1 << 64)]
        usable = gcc.if_results("linux/chars.h", [(n, if_literal(m.if_value) if m.if_ok and m.if_value is not None
                                                   else None) for n, m in macros])
        mismatches += [f"{arch} #if {n}: GCC {'accepts' if usable[i] else 'rejects'}, uapicheck {m.if_value}"
                       for i, (n, m) in enumerate(macros) if usable[i] != m.if_ok]
    assert not mismatches
    # the case holds what it is about: arches apart only by the sign of char, or the width of long
    assert {together[a]["linux/chars.h"].macros["C1"].value for a in ARCH_NAMES} == {-1, 255}
    assert {together[a]["linux/chars.h"].types["enum chars"].enumerators[0][1] for a in ARCH_NAMES} == {-1, 255}
    assert len({together[a]["linux/chars.h"].macros["L1"].value for a in ARCH_NAMES}) == 2
    assert len({together[a]["linux/chars.h"].macros["F1"].value for a in ARCH_NAMES}) == 2
    assert len({together[a]["linux/chars.h"].macros["F2"].value for a in ARCH_NAMES}) >= 2
    assert [together[a]["linux/chars.h"].macros["T1"].value for a in ARCH_NAMES] == [16, 16, 12, 16]
    assert [together[a]["linux/chars.h"].macros["R2"].value for a in ARCH_NAMES] == [192, 192, 160, 160]


# nothing here reads the arch: each arch replays these lines, and a fact is
# kept by its macro, for the arches whose int holds its integer constants as
# an int or an unsigned int, and for those that agree on long for the others
# (an unsound key would answer i386 with x86_64's K1)
WIDTHS = """\
#define K1 3000000000
#define K2 (4294967295 + 1)
#define K3 (0xffffffff + 1)
#define K4 (2147483647 + 1)
#define K5 (0x7fffffff + 0x7fffffff)
#define K6 (1 << 31 >> 31)
"""


def test_a_constant_is_kept_for_the_arches_whose_int_holds_it(tmp_path: Path) -> None:
    src = tree(tmp_path, {"linux/widths.h": WIDTHS})
    together = build(src, ARCH_NAMES).arches
    mismatches = []
    for arch in ARCH_NAMES:
        alone = build(src, [arch]).arches[arch]["linux/widths.h"].macros
        shared = together[arch]["linux/widths.h"].macros
        mismatches += [f"{arch} {n}: {shared.get(n)} together, {m} alone" for n, m in alone.items()
                       if shared.get(n) != m]
    assert not mismatches
    facts = {a: together[a]["linux/widths.h"].macros for a in ARCH_NAMES}
    # past int, a decimal constant is a long or a long long (C11 6.4.4.1), whose fact is kept per width of long
    assert [facts[a]["K1"].ctype for a in ARCH_NAMES] == ["long", "long", "long long", "long long"]
    assert [facts[a]["K2"].ctype for a in ARCH_NAMES] == ["long", "long", "long long", "long long"]
    # the others are int or unsigned int everywhere
    assert [facts[a]["K3"].ctype for a in ARCH_NAMES] == ["unsigned int"] * 4
    assert [facts[a]["K4"].overflow for a in ARCH_NAMES] == [True] * 4


def test_each_arch_writes_the_text_of_its_own_facts(tmp_path: Path) -> None:
    """A header's text on an arch is made partly of texts written on the
    arches before it (facts.Sections): where its own facts differ (struct
    s64 on i386, WIDE on 32-bit arches, C1 with unsigned char), its text
    must too, as written alone and as its facts say."""
    src = tree(tmp_path, {"linux/chars.h": CHARS})
    together = build_written(src, ARCH_NAMES).arches
    wrong = []
    for arch in ARCH_NAMES:
        alone = build(src, [arch]).arches[arch]["linux/chars.h"]
        text = together[arch]["linux/chars.h"].text
        if text != compact(alone.to_json()):
            wrong.append(f"{arch}: {text}\n  not\n{compact(alone.to_json())}")
    assert not wrong
    assert len({together[a]["linux/chars.h"].text for a in ARCH_NAMES}) == len(ARCH_NAMES)


# struct outer's layout reads struct inner's, which reads T: unsigned int in
# a.h's unit, unsigned long long in b.h's (tb.h first). outer is laid out after
# inner in each unit, so what inner read reaches outer's layout through the
# unit's own table of records. On an arch, long and an unnamed bit-field
# (raising the alignment on aarch64 and arm; beside unsigned char, whose
# sign no arch changes) are read of the arch.
RECORDS = {
    "linux/ta.h": "typedef unsigned int T;\n",
    "linux/tb.h": "#define T_DEFINED\ntypedef unsigned long long T;\n",
    "linux/s.h": "#ifndef T_DEFINED\n#include <linux/ta.h>\n#endif\n"
                 "struct inner { T x; };\n"
                 "struct outer { struct inner i; char c[3]; long l; };\n"
                 "struct bits { unsigned char a; int : 4; };\n",
    "linux/a.h": "#include <linux/s.h>\n"
                 "#define A_INNER sizeof(struct inner)\n#define A_OUTER sizeof(struct outer)\n"
                 "#define A_BITS sizeof(struct bits)\n",
    "linux/b.h": "#include <linux/tb.h>\n#include <linux/s.h>\n"
                 "#define B_INNER sizeof(struct inner)\n#define B_OUTER sizeof(struct outer)\n",
}


def test_a_record_is_laid_out_again_where_what_it_read_differs(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """layout keeps a record's layout for the units and arches that answer
    what it read alike (layout.Reads): each unit and arch must still get
    the layout it gets with nothing kept, and GCC's where it is installed."""
    src = tree(tmp_path, RECORDS)
    together = build(src, ARCH_NAMES).arches
    with monkeypatch.context() as fresh:
        fresh.setattr(layout, "_RECORDS", Kept(1, 0))
        alone = {arch: build(src, [arch]).arches[arch] for arch in ARCH_NAMES}
    mismatches = []
    for arch in ARCH_NAMES:
        for header in ("linux/s.h", "linux/a.h", "linux/b.h"):
            want, got = alone[arch][header], together[arch][header]
            mismatches += [f"{arch} {header} {n}: {got.macros.get(n)} kept, {m} alone"
                           for n, m in want.macros.items() if got.macros.get(n) != m]
            mismatches += [f"{arch} {header} {n}: {got.types.get(n)} kept, {t} alone"
                           for n, t in want.types.items() if got.types.get(n) != t]
        cmd = compiler(arch)
        if cmd is None:
            continue
        gcc = Gcc(ARCHES[arch], cmd, src.include_dirs(ARCHES[arch], list(ARCHES.values())))
        for header in ("linux/a.h", "linux/b.h"):
            macros = sorted(together[arch][header].macros.items())
            values = gcc.values(header, [n for n, _ in macros])
            mismatches += [f"{arch} {n}: GCC {values[i]}, uapicheck {m.value}" for i, (n, m) in enumerate(macros)
                           if values[i] != m.value]
    assert not mismatches
    # the case holds what it is about: T differs by unit, long and the bit-field by arch
    x86 = together["x86_64"]
    assert x86["linux/a.h"].macros["A_INNER"].value != x86["linux/b.h"].macros["B_INNER"].value
    assert x86["linux/a.h"].macros["A_OUTER"].value != x86["linux/b.h"].macros["B_OUTER"].value
    assert len({together[a]["linux/a.h"].macros["A_OUTER"].value for a in ARCH_NAMES}) == 2
    assert len({together[a]["linux/a.h"].macros["A_BITS"].value for a in ARCH_NAMES}) == 2
