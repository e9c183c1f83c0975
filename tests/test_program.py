"""Headers read as a program includes them (the C library first, or the
header that includes them), arch variants, and -D/-U as a compiler takes
them; GCC is the ground truth where it is installed."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from support.gcc import Gcc, compiler
from support.harness import TYPES
from support.trees import write
from uapicheck.arches import ARCHES, lookup
from uapicheck.cli import run
from uapicheck.snapshot import build
from uapicheck.sources import MINIMAL, InstalledTree, Libc, minimal_libc_dir

IOCTL = """#ifndef _ASM_GENERIC_IOCTL_H
#define _ASM_GENERIC_IOCTL_H
#define _IOC(dir, type, nr, size) (((dir) << 30) | ((type) << 8) | (nr) | ((size) << 16))
#define _IO(type, nr) _IOC(0U, (type), (nr), 0)
#define _IOR(type, nr, T) _IOC(2U, (type), (nr), sizeof(T))
#endif
"""
LEANING = {
    "linux/types.h": TYPES,
    "asm/ioctl.h": IOCTL,
    "asm/ioctls.h": "#include <asm/ioctl.h>\n#define FIONREAD 0x541B\n",
    "asm/socket.h": "#define SO_DEBUG 1\n",
    "asm/signal.h": "typedef unsigned long sigset_t;\n",
    "asm/errno.h": "#define EINVAL 22\n",
    "asm/fcntl.h": "#define O_CLOEXEC 02000000\n",
    "linux/sockios.h": "#define SIOCDEVPRIVATE 0x89F0\n",
    "linux/stat.h": "#define S_IFMT 00170000\n",
    # size_t and _IOR without an #include: the kernel allows it
    "linux/lean.h": "#ifndef _LEAN_H\n#define _LEAN_H\n#define LEAN_GET _IOR(0x12, 114, size_t)\n"
                    "struct lean { size_t len; struct timespec ts; };\n#endif\n",
    # compiles only inside linux/outer.h, which defines OUTER_N first
    "linux/inner.h": "#ifndef _INNER_H\n#define _INNER_H\nstruct inner { char name[OUTER_N]; };\n#endif\n",
    "linux/outer.h": "#ifndef _OUTER_H\n#define _OUTER_H\n#define OUTER_N 16\n#include <linux/inner.h>\n#endif\n",
    # needs nothing: read alone, as before
    "linux/plain.h": "#include <linux/types.h>\nstruct plain { __u32 a; };\n#define PLAIN 1\n",
}


def tree(root: Path, libc: Libc = Libc(MINIMAL)) -> InstalledTree:
    write(root, LEANING)
    return InstalledTree(str(root), libc=libc)


@pytest.mark.parametrize("arch", ["x86_64", "i386", "i386-time64"])
def test_a_header_that_leans_on_the_c_library_is_read_after_it(tmp_path: Path, arch: str) -> None:
    facts = build(tree(tmp_path), [arch]).arches[arch]
    lean = facts["linux/lean.h"]
    assert lean.prelude == ["stddef.h", "time.h", "sys/ioctl.h"]
    assert lean.libc == "uapicheck's minimal C library"
    assert not lean.broken, [d.render() for d in lean.diagnostics]
    timespec = {"x86_64": 16, "i386": 8, "i386-time64": 16}[arch]
    size_t = 8 if arch == "x86_64" else 4
    assert lean.types["struct lean"].size == size_t + timespec
    assert lean.macros["LEAN_GET"].value == (2 << 30) | (0x12 << 8) | 114 | (size_t << 16)
    inner = facts["linux/inner.h"]
    assert inner.prelude == ["linux/outer.h"] and inner.types["struct inner"].size == 16
    plain = facts["linux/plain.h"]
    assert plain.prelude == [] and plain.macros["PLAIN"].value == 1


def test_what_was_read_first_is_in_the_snapshot_and_in_findings(tmp_path: Path, capsys) -> None:
    old = tree(tmp_path / "old")
    write(tmp_path / "new", {**LEANING, "linux/lean.h": LEANING["linux/lean.h"].replace("114", "115")})
    assert run(["snapshot", old.root, "--arch", "x86_64", "--libc", "none", "--header", "linux/lean.h", "-q",
                "--no-cache"]) == 0
    header = json.loads(capsys.readouterr().out)["arches"]["x86_64"]["linux/lean.h"]
    assert header["prelude"] == ["stddef.h", "time.h", "sys/ioctl.h"]
    assert header["libc"] == "uapicheck's minimal C library"
    assert run(["diff", old.root, str(tmp_path / "new"), "--arch", "x86_64", "--libc", "none", "-q",
                "--no-cache", "--color", "never"]) == 1
    out = capsys.readouterr().out
    assert ("note: linux/lean.h does not compile or evaluate by itself; it was read after <stddef.h>, "
            "<time.h>, <sys/ioctl.h> from uapicheck's minimal C library, as a program that uses it does") in out


def test_a_conflict_with_the_c_library_is_not_taken(tmp_path: Path) -> None:
    # glibc's struct timeval against the kernel's: the header is read alone
    write(tmp_path, {**LEANING, "linux/clash.h": "struct timeval { long tv_sec; long tv_usec; };\n"
                                                   "struct clash { int64_t x; };\n"})
    facts = build(InstalledTree(str(tmp_path), libc=Libc(MINIMAL)), ["x86_64"]).arches["x86_64"]["linux/clash.h"]
    assert facts.prelude == ["stdint.h"]
    assert facts.types["struct clash"].size == 8
    both = build(InstalledTree(str(tmp_path), libc=Libc(MINIMAL)), ["x86_64"], ["linux/clash.h"])
    assert both.arches["x86_64"]["linux/clash.h"].prelude == ["stdint.h"]


def test_a_redefined_tag_is_an_error_as_in_gcc(tmp_path: Path) -> None:
    write(tmp_path, {"linux/a.h": "struct s { int a; };\n", "linux/b.h": "#include <linux/a.h>\nstruct s { int a; };\n",
                     "asm/types.h": ""})
    facts = build(InstalledTree(str(tmp_path), libc=Libc(MINIMAL)), ["x86_64"]).arches["x86_64"]["linux/b.h"]
    errors = [d.render() for d in facts.diagnostics if d.severity == "error"]
    assert len(errors) == 1 and "linux/b.h:2:8: error: redefinition of 'struct s'" in errors[0]
    assert "linux/a.h:1:8: note: originally defined here" in errors[0]


@pytest.mark.gcc
@pytest.mark.parametrize("arch", ["x86_64", "i386", "i386-time64"])
def test_the_minimal_c_library_lays_out_as_glibc(tmp_path: Path, arch: str) -> None:
    """Every type and constant of uapicheck's minimal C library, by GCC, with
    it and with this machine's glibc: the same numbers, or a list of those
    that differ."""
    cmd = compiler(arch)
    if cmd is None:
        pytest.skip(f"no working compiler for {arch}")
    probes = {
        "struct timespec": ["sizeof", "__alignof__"], "struct timeval": ["sizeof", "__alignof__"],
        "struct itimerspec": ["sizeof"], "struct timezone": ["sizeof"],
        "struct sockaddr": ["sizeof", "__alignof__"], "struct sockaddr_storage": ["sizeof", "__alignof__"],
        "time_t": ["sizeof"], "suseconds_t": ["sizeof"], "off_t": ["sizeof"], "loff_t": ["sizeof"],
        "ino_t": ["sizeof"], "dev_t": ["sizeof"], "ssize_t": ["sizeof"], "pid_t": ["sizeof"],
        "sa_family_t": ["sizeof"], "socklen_t": ["sizeof"], "clockid_t": ["sizeof"], "timer_t": ["sizeof"],
        "u_quad_t": ["sizeof"], "mode_t": ["sizeof"],
    }
    exprs = [f"{op}({t})" for t, ops in probes.items() for op in ops]
    exprs += ["__builtin_offsetof(struct timespec, tv_nsec)", "__builtin_offsetof(struct timeval, tv_usec)",
              "MSG_FIN", "MSG_CMSG_CLOEXEC", "SOL_ATM", "SOL_SMC", "AF_MAX", "PF_INET6", "SOMAXCONN",
              "(time_t)-1 < 0"]
    prelude = ["sys/types.h", "time.h", "sys/time.h", "sys/socket.h"]
    # the machine's kernel headers without its C library beside them
    kernel = tmp_path / "kernel"
    kernel.mkdir()
    for d in ("linux", "asm-generic", "x86_64-linux-gnu/asm"):
        (kernel / Path(d).name).symlink_to(Path("/usr/include") / d)
    (tmp_path / "probe.h").write_text("")
    # freestanding: GCC's <stdint.h> then stands alone, as uapicheck's does with no C library
    own = Gcc(ARCHES[arch], [*cmd, "-ffreestanding"], [str(tmp_path), minimal_libc_dir(), str(kernel)])
    glibc = Gcc(ARCHES[arch], cmd, [str(tmp_path), *Libc().dirs(ARCHES[arch])])
    theirs = glibc.values("probe.h", exprs, prelude)
    ours = own.values("probe.h", exprs, prelude)
    differ = [f"{e}: minimal {ours[i]}, glibc {theirs[i]}" for i, e in enumerate(exprs) if ours[i] != theirs[i]]
    assert not differ, "\n".join(differ)
    assert all(v is not None for v in ours.values())


def test_arch_variants_are_arches_of_their_own() -> None:
    time64 = ARCHES["i386-time64"]
    assert time64.base == "i386" and time64.kernel_arch == "x86" and time64.triplets == ARCHES["i386"].triplets
    assert time64.predefined()["_TIME_BITS"] == "64" and time64.predefined()["_FILE_OFFSET_BITS"] == "64"
    assert time64.compiler[-2:] == ("-D_TIME_BITS=64", "-D_FILE_OFFSET_BITS=64")
    assert "_TIME_BITS" not in ARCHES["i386"].predefined()
    # a triplet names the arch itself, never its variant
    assert lookup("i386-linux-gnu") == "i386" and lookup("ARM-TIME64") == "arm-time64"
    assert {"i386-time64", "arm-time64", "mips-time64"} <= set(ARCHES)


@pytest.mark.gcc
def test_input_event_with_time64_as_gcc_lays_it_out(tmp_path: Path, capsys) -> None:
    """linux/input.h swaps struct timeval for __sec/__usec under
    __USE_TIME_BITS64: -D __USE_TIME_BITS64 and the i386-time64 variant
    both give what gcc -m32 -D_TIME_BITS=64 -D_FILE_OFFSET_BITS=64 does."""
    cmd = compiler("i386-time64")
    if cmd is None:
        pytest.skip("no gcc -m32")
    write(tmp_path, {"linux/types.h": TYPES, "asm/types.h": "",
                     "linux/input.h": "#ifndef _INPUT_H\n#define _INPUT_H\n#include <sys/time.h>\n"
                                      "#include <linux/types.h>\nstruct input_event {\n"
                                      "#if (__SIZEOF_LONG__ != 4 || !defined(__USE_TIME_BITS64))\n"
                                      "\tstruct timeval time;\n#else\n\tunsigned long __sec;\n"
                                      "\tunsigned long __usec;\n#endif\n\t__u16 type;\n\t__u16 code;\n"
                                      "\t__s32 value;\n};\n#endif\n"})
    gcc = Gcc(ARCHES["i386-time64"], cmd, [str(tmp_path), *Libc().dirs(ARCHES["i386"])])
    exprs = ["sizeof(struct input_event)", "__builtin_offsetof(struct input_event, type)",
             "__builtin_offsetof(struct input_event, value)"]
    theirs = gcc.values("linux/input.h", exprs)
    for argv in (["--arch", "i386", "-D", "__USE_TIME_BITS64"], ["--arch", "i386-time64"]):
        assert run(["layout", "struct input_event", str(tmp_path), *argv, "--no-cache"]) == 0
        out = capsys.readouterr().out
        assert f"/* size: {theirs[0]}, align: 4, members: 5 */" in out, out
        assert f"__u16                    type;           /* {theirs[1]:5} " in out, out
        assert f"__s32                    value;          /* {theirs[2]:5} " in out, out
    assert run(["layout", "struct input_event", str(tmp_path), "--arch", "i386", "--no-cache"]) == 0
    assert "struct timeval           time;" in capsys.readouterr().out


def test_defines_on_the_command_line(tmp_path: Path, capsys) -> None:
    write(tmp_path / "t", {"linux/types.h": TYPES, "asm/types.h": "",
                           "linux/d.h": "#ifdef WIDE\nstruct d { long long x; };\n#else\nstruct d { int x; };\n"
                                        "#endif\n#define D_VALUE VALUE\n"})
    root = str(tmp_path / "t")
    assert run(["layout", "struct d", root, "-D", "WIDE", "--no-cache"]) == 0
    assert "/* size: 8, align: 8, members: 1 */" in capsys.readouterr().out
    assert run(["snapshot", root, "--arch", "x86_64", "-D", "VALUE=7", "-U", "__x86_64__", "-q", "--no-cache",
                "-o", str(tmp_path / "s.json")]) == 0
    snap = json.loads((tmp_path / "s.json").read_text())
    assert snap["defines"] == [["VALUE", "7"], ["__x86_64__", None]]
    assert snap["arches"]["x86_64"]["linux/d.h"]["macros"]["D_VALUE"]["value"] == 7
    # a snapshot and a tree read with other -D cannot be compared
    assert run(["diff", str(tmp_path / "s.json"), root, "--arch", "x86_64", "-q", "--no-cache"]) == 2
    assert "the sides were read with different -D and -U" in capsys.readouterr().err
    for bad, why in ((["-D", "F(x)=x"], "a function-like macro cannot be given here"),
                     (["-D", "1X"], "not an identifier"), (["-D", "A", "-U", "A"], "is given to -D too")):
        assert run(["snapshot", root, *bad, "-q"]) == 2
        assert why in capsys.readouterr().err


@pytest.mark.gcc
def test_if_on_a_function_like_macro_name_as_gcc(tmp_path: Path) -> None:
    """`#if F` where F is a function-like macro not followed by '(': GCC 12
    takes it as an identifier that is not defined (-Wundef warns), as
    uapicheck does; so does a macro whose expansion ends in such a name."""
    cmd = compiler("x86_64")
    if cmd is None:
        pytest.skip("no gcc")
    write(tmp_path, {"linux/f.h": "#define F(x) x\n#define G F\n#define H F(1)\n", "asm/types.h": ""})
    facts = build(InstalledTree(str(tmp_path), libc=Libc(MINIMAL)), ["x86_64"]).arches["x86_64"]["linux/f.h"]
    gcc = Gcc(ARCHES["x86_64"], cmd, [str(tmp_path)])
    ok = gcc.if_results("linux/f.h", [("G", None), ("H", None)])
    assert (facts.macros["G"].if_ok, facts.macros["H"].if_ok) == (ok[0], ok[1]) == (False, True)
    assert facts.macros["G"].undefined == ["F"]


BODIES = {
    "linux/kinds.h": "#ifndef _KINDS_H\n#define _KINDS_H\ntypedef int uc_kind;\nenum { UC_FIRST = 1 };\n#endif\n",
    # names a function body takes from another header, its parameters and its locals: all declared
    "linux/good.h": "#include <linux/kinds.h>\nstatic inline int uc_good(int a) { uc_kind k = UC_FIRST; "
                    "int n; n = a + k; return n; }\nstruct good { int x; };\n",
    # the first name nothing declares, in a body after another header's declarations
    "linux/bad.h": "#include <linux/kinds.h>\nstruct bad { int x; };\nstatic inline int uc_bad(int a) "
                   "{ return a + UC_FIRST + uc_nowhere + uc_neither; }\n",
    # that error, read through an includer: the includer's unit fails where the included header does
    "linux/outer2.h": "#include <linux/good.h>\n#include <linux/bad.h>\nstruct outer2 { int y; };\n",
}


def test_an_undeclared_name_in_a_function_body_as_gcc(tmp_path: Path) -> None:
    """Which units GCC rejects for a name a function body uses that nothing
    declares, and where: the body is in one header, what it uses in others."""
    source = tree(tmp_path)
    write(tmp_path, BODIES)
    facts = build(source, ["x86_64"]).arches["x86_64"]
    errors = {name: [d.render() for d in facts[name].diagnostics if d.severity == "error"] for name in BODIES}
    bad = f"{tmp_path}/linux/bad.h:3:57: error: 'uc_nowhere' undeclared (first use in this function) [parse]"
    assert errors["linux/good.h"] == [] and errors["linux/kinds.h"] == []
    assert errors["linux/bad.h"] == [bad]
    assert errors["linux/outer2.h"] == [bad]
    cmd = compiler("x86_64")
    if cmd is None:
        return
    gcc = Gcc(ARCHES["x86_64"], cmd, [str(tmp_path), minimal_libc_dir()])
    for header in ["linux/types.h", *BODIES]:
        said = gcc.run(f"#include <{header}>\n", ["-fsyntax-only"]).stderr
        first = re.search(r"(\w+\.h:\d+:\d+): error: [‘'](\w+)[’'] undeclared", said)
        expected = ("bad.h:3:57", "uc_nowhere") if header in ("linux/bad.h", "linux/outer2.h") else None
        assert (first.groups() if first else None) == expected, said


def test_a_header_has_the_macros_its_own_define_lines_leave(tmp_path: Path) -> None:
    files = {
        "linux/base.h": "#define SHARED 1\n#define TAKEN 1\n#define GONE 1\n",
        # SHARED: a #define only under #if 0, the macro base.h's; TAKEN: redefined
        # here; GONE: defined here, then #undef; KEPT twice, under #if and #else
        "linux/own.h": "#include <linux/base.h>\n#if 0\n#define SHARED 2\n#endif\n#undef TAKEN\n#define TAKEN 2\n"
                       "#define GONE 2\n#undef GONE\n#ifdef X\n#define KEPT 1\n#else\n#define KEPT 2\n#endif\n"
                       "# define SPACED(x) (x)\n#define\n",
        "asm/types.h": "",
    }
    write(tmp_path, files)
    facts = build(InstalledTree(str(tmp_path)), ["x86_64"]).arches["x86_64"]
    assert sorted(facts["linux/own.h"].macros) == ["KEPT", "SPACED", "TAKEN"]
    assert facts["linux/own.h"].macros["KEPT"].replacement == "2"
    assert sorted(facts["linux/base.h"].macros) == ["GONE", "SHARED", "TAKEN"]
