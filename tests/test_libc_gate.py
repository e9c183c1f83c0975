"""The libc gate: glibc's OPEN_TREE_CLONE pattern on small headers, and
every shipped pair in both orders against what GCC does with this
machine's glibc."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from uapicheck.arches import ARCHES
from uapicheck.cli import run
from uapicheck.gate.context import ORDERS, Pair
from uapicheck.gate.driver import Gate, Verdict, check, load_pairs
from uapicheck.gate.rules import GATE_RULES
from uapicheck.gate.rules.type_redefined import GateTypeRedefined
from uapicheck.sources import builtin_include_dir

DATA = os.environ.get("UAPICHECK_DATA", os.path.expanduser("~/.cache/uapicheck-data"))

LIBC_MOUNT = """#ifndef _SYS_MOUNT_H
#define _SYS_MOUNT_H 1
#ifdef __has_include
# if __has_include ("linux/mount.h")
#  include "linux/mount.h"
# endif
#endif
{guard_open}#define OPEN_TREE_CLONE 1
{guard_close}#endif
"""
KERNEL_MOUNT = "#ifndef _LINUX_MOUNT_H\n#define _LINUX_MOUNT_H\n#define OPEN_TREE_CLONE {clone}\n#endif\n"


def trees(tmp: Path, clone: str, guarded: bool = False) -> tuple[str, str]:
    libc, kernel = tmp / "libc", tmp / "kernel"
    (libc / "sys").mkdir(parents=True)
    (kernel / "linux").mkdir(parents=True)
    (kernel / "asm").mkdir()
    (kernel / "linux" / "fs.h").write_text("")
    guard = ("#ifndef OPEN_TREE_CLONE\n", "#endif\n") if guarded else ("", "")
    (libc / "sys" / "mount.h").write_text(LIBC_MOUNT.format(guard_open=guard[0], guard_close=guard[1]))
    (kernel / "linux" / "mount.h").write_text(KERNEL_MOUNT.format(clone=clone))
    return str(libc), str(kernel)


def findings(libc: str, kernel: str) -> list[str]:
    pair = Pair("sys/mount.h", ("linux/mount.h",))
    return [f"{f.code} {f.subject}" for v in check(libc, kernel, [pair], ["x86_64"], list(GATE_RULES))
            for f in v.findings]


def test_open_tree_clone_respelled_is_an_error(tmp_path: Path) -> None:
    assert findings(*trees(tmp_path, "(1 << 0)")) == ["UA701 libc-first:OPEN_TREE_CLONE",
                                                      "UA701 kernel-first:OPEN_TREE_CLONE"]


def test_same_spelling_and_guard_are_clean(tmp_path: Path) -> None:
    assert findings(*trees(tmp_path / "a", "1")) == []
    assert findings(*trees(tmp_path / "b", "(1 << 0)", guarded=True)) == []


def test_command_line_verdicts_and_exit_status(tmp_path: Path, capsys) -> None:
    libc, kernel = trees(tmp_path, "(1 << 0)")
    args = ["libc-gate", "--libc", libc, "--kernel", kernel, "--only", "sys/mount.h"]
    assert run(args) == 1
    out = capsys.readouterr().out.replace(str(tmp_path) + "/", "")
    assert out.splitlines()[-2:] == [
        "x86_64: <sys/mount.h> with <linux/mount.h>, <linux/fs.h>, libc-first: -I: fails: 1 libc-macro-redefined; "
        "system headers: clean",
        "x86_64: <sys/mount.h> with <linux/mount.h>, <linux/fs.h>, kernel-first: -I: fails: 1 "
        "libc-macro-redefined; system headers: clean"]
    assert out.startswith("libc/sys/mount.h:8:9: error: 'OPEN_TREE_CLONE' redefined when <sys/mount.h> comes "
                          "first: '#define OPEN_TREE_CLONE 1' after '#define OPEN_TREE_CLONE (1 << 0)' [UA701]\n"
                          "kernel/linux/mount.h:3:9: note: this is the location of the previous definition\n")
    assert run([*args, "--mode", "system"]) == 0


def test_configuration_applies_to_gate_rules(tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    libc, kernel = trees(tmp_path, "(1 << 0)")
    monkeypatch.chdir(tmp_path)
    args = ["libc-gate", "--libc", libc, "--kernel", kernel, "--only", "sys/mount.h"]
    Path("uapicheck.toml").write_text('ignore = ["UA701"]\n')
    assert run(args) == 0
    assert "[UA701]" not in capsys.readouterr().out
    Path("uapicheck.toml").write_text('[severity]\nUA701 = "warning"\n')
    assert run(args) == 0  # a warning does not fail the gate
    assert "warning: 'OPEN_TREE_CLONE' redefined" in capsys.readouterr().out
    Path("uapicheck.toml").write_text('[per-header-ignores]\n"sys/mount.h" = ["libc-macro-redefined"]\n')
    assert run(args) == 0
    assert "[UA701]" not in capsys.readouterr().out
    assert run([*args, "--select", "UA703"]) == 0
    Path("uapicheck.toml").write_text('select = ["UA70"]\n')
    assert run(args) == 1


# ---------------------------------------------------------------- against GCC

REDEFINED = re.compile(r'warning: "(\w+)" redefined')
UNDEF = re.compile(r'(\S+?):(\d+):\d+: (?:warning|error): "(\w+)" is not defined, evaluates to 0')
TYPE_AGAIN = re.compile(r"error: (?:redefinition|nested redefinition) of '((?:struct|union|enum) \w+)'")
ERROR = re.compile(r"error: ")


def gcc_view(gate: Gate, tu_text: str, tmp: Path) -> tuple[set[str], set[str], set[str], bool]:
    src = tmp / "tu.c"
    src.write_text(tu_text)
    own = subprocess.run(["gcc", "-print-file-name=include"], capture_output=True, text=True).stdout.strip()
    flags = ["-nostdinc"]
    for d in gate.dirs:
        flags += ["-isystem", own] if d == builtin_include_dir() else ["-I", d]
    done = subprocess.run(["gcc", "-std=gnu17", "-fsyntax-only", "-Wall", "-Wundef", *flags, str(src)],
                          capture_output=True, text=True, env={**os.environ, "LC_ALL": "C"})
    err = done.stderr
    undef = {f"{os.path.basename(m.group(1))}:{m.group(2)}:{m.group(3)}" for m in UNDEF.finditer(err)}
    return set(REDEFINED.findall(err)), undef, set(TYPE_AGAIN.findall(err)), bool(ERROR.search(err))


def our_view(v: Verdict) -> tuple[set[str], set[str], set[str], bool]:
    ctx = v.ctx
    redefined = {r.new.name for r in ctx.tu.unit.redefinitions if ctx.owner(r.new.file) != "compiler"}
    undef = {f"{os.path.basename(t.file)}:{t.line}:{n}" for t, n in ctx.tu.unit.undefined_in_if
             if ctx.owner(t.file) != "compiler"}
    types = {f.subject.split(":", 1)[1] for f in v.findings if f.code == GateTypeRedefined.code}
    # compile errors only: layouts (UA706) and silent value differences (UA702) are not
    found = [f for f in v.findings if f.code not in ("UA701", "UA705", "UA702", "UA706")]
    errors = bool(found) or bool([d for d in ctx.tu.unit.diagnostics if d.severity == "error"])
    return redefined, undef, types, errors


def kernel_trees(tmp: Path) -> list[tuple[str, str]]:
    """This machine's own kernel headers, as a tree of their own, and
    Debian's when fetched."""
    own = tmp / "linux-6.1"
    for d in ("linux", "asm-generic"):
        (own / d).parent.mkdir(parents=True, exist_ok=True)
        (own / d).symlink_to(f"/usr/include/{d}")
    (own / "x86_64-linux-gnu").mkdir()
    (own / "x86_64-linux-gnu" / "asm").symlink_to("/usr/include/x86_64-linux-gnu/asm")
    out = [("6.1 (this machine)", str(own))]
    for version in ("6.12", "7.2", "7.3"):
        roots = sorted(Path(DATA, "headers").glob(version + "*/usr/include"))
        if roots:
            out.append((version, str(roots[-1])))
    return out


def libc_trees() -> list[tuple[str, str]]:
    """This machine's glibc; with UAPICHECK_REAL_TREES=1, the newer ones
    shared/tools/fetch-debian-headers --glibc fetched."""
    out = [("glibc 2.36 (this machine)", "/usr/include")]
    if os.environ.get("UAPICHECK_REAL_TREES"):
        out += [(f"glibc {p.parts[-3]}", str(p)) for p in sorted(Path(DATA, "glibc").glob("*/usr/include"))
                if p.parts[-3] != "2.36"]
    return out


def matrix(tmp: Path) -> list[tuple[str, str, str, str]]:
    kernels = kernel_trees(tmp)
    return [(llabel, libc, klabel, kernel) for llabel, libc in libc_trees() for klabel, kernel in kernels]


@pytest.mark.gcc
@pytest.mark.skipif(not shutil.which("gcc") or not Path("/usr/include/stdio.h").exists(), reason="gcc or glibc absent")
def test_every_pair_as_gcc_sees_it(tmp_path: Path) -> None:
    problems: list[str] = []
    checked = 0
    verdicts: dict[tuple[str, str], list[str]] = {}
    for llabel, libc, klabel, kernel in matrix(tmp_path):
        label = f"{llabel} + Linux {klabel}"
        pairs = load_pairs()
        gate = Gate(libc, kernel, ARCHES["x86_64"])
        for v in check(libc, kernel, pairs, ["x86_64"], list(GATE_RULES)):
            ctx = v.ctx
            verdicts.setdefault((llabel, klabel), []).append(
                f"{ctx.pair.libc} {ctx.order}: -I {v.mode('include')}; system {v.mode('system')}")
            includes = [ctx.pair.libc, *ctx.pair.kernel] if ctx.order == ORDERS[0] else [*ctx.pair.kernel,
                                                                                        ctx.pair.libc]
            theirs = gcc_view(gate, "".join(f"#include <{h}>\n" for h in includes), tmp_path)
            ours = our_view(v)
            checked += 1
            parsed = ctx.tu.decls is not None and not ctx.tu.decls.diagnostics
            for what, a, b in zip(("redefined", "-Wundef", "types defined twice", "errors"), ours, theirs):
                if what == "types defined twice" and not parsed:
                    continue  # pycparser stops at the first syntax error; GCC goes on and finds more
                if a != b:
                    diff = (f"uapicheck only {sorted(a - b)[:5]}, gcc only {sorted(b - a)[:5]}"
                            if isinstance(a, set) else f"uapicheck {a}, gcc {b}")
                    problems.append(f"{label}: {ctx.pair.label()} {ctx.order}: {what}: {diff}")
    assert checked >= 22
    report = os.environ.get("UAPICHECK_GATE_REPORT")
    if report:  # the matrix, for people
        with open(report, "w") as f:
            for (llabel, klabel), lines in verdicts.items():
                f.write(f"== {llabel} + Linux {klabel}\n" + "\n".join(lines) + "\n")
    assert not problems, f"{len(problems)} mispredictions of {checked}:\n" + "\n".join(problems)
