"""The libc gate: glibc's OPEN_TREE_CLONE pattern on small headers, the
command line (modes, --only, known conflicts, baselines, configuration),
and every pair found and listed, in both orders, against what GCC does
with this machine's glibc (and, fetched, newer glibc, musl and kernels)."""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from uapicheck.arches import ARCHES
from uapicheck.cli import run
from uapicheck.gate.context import GateContext, Pair
from uapicheck.gate.discover import plan
from uapicheck.gate.driver import Gate, Verdict, check, load_pairs
from uapicheck.gate.rules import GATE_RULES
from uapicheck.known import Matrix, version_key
from uapicheck.gate.rules.type_redefined import GateTypeRedefined
from uapicheck.libc import Libc, headers, recognise
from uapicheck.rulebase import fingerprint
from uapicheck.sources import builtin_include_dir

from support.trees import own_kernel, write

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


def trees(tmp: Path, clone: str, guarded: bool = False, glibc: str | None = None) -> tuple[str, str]:
    """A libc with glibc's <sys/mount.h> pattern (glibc: its version, in a
    <features.h>) and a kernel with <linux/mount.h>."""
    libc, kernel = tmp / "libc", tmp / "kernel"
    (libc / "sys").mkdir(parents=True)
    (kernel / "linux").mkdir(parents=True)
    (kernel / "asm").mkdir()
    guard = ("#ifndef OPEN_TREE_CLONE\n", "#endif\n") if guarded else ("", "")
    (libc / "sys" / "mount.h").write_text(LIBC_MOUNT.format(guard_open=guard[0], guard_close=guard[1]))
    (kernel / "linux" / "mount.h").write_text(KERNEL_MOUNT.format(clone=clone))
    if glibc:
        major, minor = glibc.split(".")
        (libc / "features.h").write_text(f"#define __GLIBC__ {major}\n#define __GLIBC_MINOR__ {minor}\n")
        (kernel / "linux" / "version.h").write_text(f"#define LINUX_VERSION_CODE {(6 << 16) + (1 << 8)}\n")
    return str(libc), str(kernel)


def findings(libc: str, kernel: str) -> list[str]:
    pair = Pair("sys/mount.h", ("linux/mount.h",))
    return [f"{f.code} {f.subject}" for _, v in check(Gate(libc, kernel, ARCHES["x86_64"]), [pair], list(GATE_RULES))
            for f in v.findings]


def gate_out(capsys: pytest.CaptureFixture[str], tmp: Path) -> list[str]:
    return capsys.readouterr().out.replace(str(tmp) + "/", "").splitlines()


def test_open_tree_clone_respelled_is_an_error(tmp_path: Path) -> None:
    assert findings(*trees(tmp_path, "(1 << 0)")) == ["UA701 linux/mount.h libc-first OPEN_TREE_CLONE",
                                                      "UA701 linux/mount.h kernel-first OPEN_TREE_CLONE"]


def test_same_spelling_and_guard_are_clean(tmp_path: Path) -> None:
    assert findings(*trees(tmp_path / "a", "1")) == []
    assert findings(*trees(tmp_path / "b", "(1 << 0)", guarded=True)) == []


def test_pairs_are_found_by_the_names_both_define(tmp_path: Path) -> None:
    """A macro, a tag, an enumerator or a typedef in common makes a pair;
    a private bits/ header counts for the public header that reads it; a
    kernel header that shares nothing makes none."""
    libc, kernel = tmp_path / "libc", tmp_path / "kernel"
    write(libc, {"fcntl.h": "#include <bits/fcntl.h>\n", "bits/fcntl.h": "#define O_CLOEXEC 02000000\n",
                 "sys/epoll.h": "struct epoll_event { int events; };\n",
                 "sys/personality.h": "enum { PER_LINUX = 0 };\n", "elf.h": "typedef unsigned Elf32_Word;\n",
                 "stdio.h": "#include <fcntl.h>\n#define BUFSIZ 8192\n"})
    write(kernel, {"asm-generic/fcntl.h": "#define O_CLOEXEC 02000000\n",
                   "linux/eventpoll.h": "struct epoll_event { int events; };\n",
                   "linux/personality.h": "#define PER_LINUX 0\n", "linux/elf.h": "typedef unsigned Elf32_Word;\n",
                   "linux/other.h": "#define NOTHING_SHARED 1\n"})
    (kernel / "asm").mkdir()
    p = plan(Gate(str(libc), str(kernel), ARCHES["x86_64"]), [])
    assert [(x.libc, x.kernel, x.shared) for x in p.pairs] == [
        ("elf.h", ("linux/elf.h",), ("Elf32_Word",)),
        ("fcntl.h", ("asm-generic/fcntl.h",), ("O_CLOEXEC",)),
        ("sys/epoll.h", ("linux/eventpoll.h",), ("struct epoll_event",)),
        ("sys/personality.h", ("linux/personality.h",), ("PER_LINUX",))]
    assert p.found == 4


def test_command_line_modes_verdicts_and_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    libc, kernel = trees(tmp_path, "(1 << 0)")
    args = ["libc-gate", "--libc", libc, "--kernel", kernel]
    assert run(args) == 1
    out = gate_out(capsys, tmp_path)
    assert out[:4] == [
        "libc/sys/mount.h:8:9: error: 'OPEN_TREE_CLONE' redefined when <linux/mount.h> comes first: '#define "
        "OPEN_TREE_CLONE 1' after '#define OPEN_TREE_CLONE (1 << 0)' [UA701]",
        "kernel/linux/mount.h:3:9: note: this is the location of the previous definition",
        "libc/sys/mount.h:8:9: note: GCC reports this where the headers are not system headers: with -I, as in the "
        "libc's own build and programs that pass -I; an error with -Werror. It is silent for /usr/include and "
        "-isystem",
        "libc/sys/mount.h:8:9: note: fix: spell the libc's definition as the kernel does, '#define OPEN_TREE_CLONE "
        "(1 << 0)' (an #ifndef OPEN_TREE_CLONE guard helps only when the kernel header comes first)"]
    assert out[-3:] == [
        "x86_64: <sys/mount.h> with <linux/mount.h>, libc-first: -I: fails: 1 libc-macro-redefined; system "
        "headers: clean",
        "x86_64: <sys/mount.h> with <linux/mount.h>, kernel-first: -I: fails: 1 libc-macro-redefined; system "
        "headers: clean",
        "libc-gate: an unrecognised C library with kernel headers of unknown version on x86_64, include mode: 1 "
        "pair (1 found, 0 listed, 4 listed skipped: headers absent), 1 checked, 2 translation units, 0 compile, "
        "2 fail; 2 errors, 0 warnings, 0 notes (no known-conflict set, 0 in baseline, 0 suppressed)"]
    # as system headers, GCC is silent about redefinitions: so is the report
    assert run([*args, "--mode", "system"]) == 0
    assert gate_out(capsys, tmp_path) == [
        "libc-gate: an unrecognised C library with kernel headers of unknown version on x86_64, system mode: 1 "
        "pair (1 found, 0 listed, 4 listed skipped: headers absent), 1 checked, 2 translation units, 2 compile, "
        "0 fail; 0 errors, 0 warnings, 0 notes (no known-conflict set, 0 in baseline, 0 suppressed)"]


@pytest.mark.parametrize("form", ["sys/mount.h", "<sys/mount.h>", "linux/mount.h", "<linux/mount.h>",
                                  "libc/sys/mount.h", "<sys/mount.h> with <linux/mount.h>"])
def test_only_takes_every_form_the_output_prints(form: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    libc, kernel = trees(tmp_path, "(1 << 0)")
    assert run(["libc-gate", "--libc", libc, "--kernel", kernel, "--only", form]) == 1
    assert "2 translation units" in gate_out(capsys, tmp_path)[-1]


def test_only_names_what_it_did_not_find(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    libc, kernel = trees(tmp_path, "(1 << 0)")
    assert run(["libc-gate", "--libc", libc, "--kernel", kernel, "--only", "<fcntl.h>"]) == 2
    assert capsys.readouterr().err == (
        "uapicheck: error: --only: no pair has a header <fcntl.h> (1 pair on x86_64: give a header as <fcntl.h>, "
        "fcntl.h, linux/fcntl.h or a path)\n")


def test_the_order_that_compiles_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path / "libc", {"sys/mount.h": "enum { MS_RDONLY = 1 };\n"})
    write(tmp_path / "kernel", {"linux/mount.h": "#define MS_RDONLY 1\n"})
    (tmp_path / "kernel" / "asm").mkdir()
    assert run(["libc-gate", "--libc", str(tmp_path / "libc"), "--kernel", str(tmp_path / "kernel")]) == 1
    out = gate_out(capsys, tmp_path)
    assert out[0].startswith("libc/sys/mount.h:1:8: error: 'MS_RDONLY' is a macro ('1') when <linux/mount.h> "
                             "comes first")
    assert out[3] == "libc/sys/mount.h:1:8: note: fix: or include <sys/mount.h> first: that order compiles"
    assert out[4] == ("x86_64: <sys/mount.h> with <linux/mount.h>, kernel-first: -I: fails: 1 "
                      "libc-enumerator-clobbered; system headers: fails: 1 libc-enumerator-clobbered")


def test_json_verdicts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    libc, kernel = trees(tmp_path, "(1 << 0)")
    assert run(["libc-gate", "--libc", libc, "--kernel", kernel, "--format", "json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc["verdicts"][0] == {
        "arch": "x86_64", "libc": "sys/mount.h", "kernel": ["linux/mount.h"], "order": "libc-first", "found": True,
        "shared": ["OPEN_TREE_CLONE"], "include": {"compiles": False, "errors": {"libc-macro-redefined": 1}},
        "system": {"compiles": True, "errors": {}}}
    assert doc["gate"]["pairs_found"] == 1 and doc["gate"]["translation_units"] == 2
    assert [f["code"] for f in doc["findings"]] == ["UA701", "UA701"]


def test_known_conflicts_of_a_recognised_libc(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Conflicts the matrix saw with this glibc version and its oldest
    kernel are known: not reported, counted; --no-known shows them with the
    versions they were first seen with."""
    libc, kernel = trees(tmp_path, "(1 << 0)", glibc="2.36")
    matrix = Matrix(["6.1", "7.2"], {"glibc": ["2.36", "2.44"]})
    for order in ("libc-first", "kernel-first"):
        matrix.seen[("glibc", fingerprint("UA701", "sys/mount.h", f"linux/mount.h {order} OPEN_TREE_CLONE"))] = [
            ("2.36", "6.1"), ("2.36", "7.2")]
    monkeypatch.setattr("uapicheck.gate.run.load_known", lambda: matrix)
    args = ["libc-gate", "--libc", libc, "--kernel", kernel]
    assert run(args) == 0
    assert gate_out(capsys, tmp_path)[-1].startswith("libc-gate: glibc 2.36 with Linux 6.1 on x86_64, include mode:")
    assert run(args) == 0  # the newest set at or before the version applies: 2.40 gets 2.36's
    (Path(libc) / "features.h").write_text("#define __GLIBC__ 2\n#define __GLIBC_MINOR__ 40\n")
    assert run(args) == 0
    assert "(2 known for glibc 2.36," in gate_out(capsys, tmp_path)[-1]
    assert run([*args, "--no-known"]) == 1
    out = gate_out(capsys, tmp_path)
    assert ("libc/sys/mount.h:8:9: note: first seen in uapicheck's matrix with glibc 2.36 and Linux 6.1 (seen with "
            "glibc 2.36; Linux 6.1, 7.2)") in out
    (Path(libc) / "features.h").write_text("#define __GLIBC__ 2\n#define __GLIBC_MINOR__ 44\n")
    assert run(args) == 1  # 2.44's set does not have it


def test_baseline_record_gate_and_stale_entries(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    libc, kernel = trees(tmp_path, "(1 << 0)")
    saved = str(tmp_path / "gate.json")
    args = ["--libc", libc, "--kernel", kernel]
    assert run(["baseline", "record-gate", *args, "-o", saved]) == 0
    assert capsys.readouterr().err == f"{saved}: 2 findings accepted\n"
    assert run(["libc-gate", *args, "--baseline", saved]) == 0
    assert "(no known-conflict set, 2 in baseline, 0 suppressed)" in gate_out(capsys, tmp_path)[-1]
    (Path(kernel) / "linux" / "mount.h").write_text(KERNEL_MOUNT.format(clone="1"))  # fixed: both entries stale
    assert run(["libc-gate", *args, "--baseline", saved]) == 0
    out = gate_out(capsys, tmp_path)
    assert out[-1] == (f"{saved}: note: stale baseline entry: UA701 'linux/mount.h libc-first OPEN_TREE_CLONE' in "
                       "sys/mount.h is no longer found; remove it").replace(str(tmp_path) + "/", "")


def test_configuration_applies_to_gate_rules(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
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


def test_ignore_ua703_in_the_configuration(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    open_how = "struct open_how { unsigned long long flags; };\n"
    write(tmp_path / "libc", {"fcntl.h": open_how})
    write(tmp_path / "kernel", {"linux/openat2.h": open_how})
    (tmp_path / "kernel" / "asm").mkdir()
    monkeypatch.chdir(tmp_path)
    args = ["libc-gate", "--libc", "libc", "--kernel", "kernel"]
    assert run(args) == 1
    assert "[UA703]" in capsys.readouterr().out
    Path("uapicheck.toml").write_text('ignore = ["UA703"]\n')
    assert run(args) == 0
    assert "[UA703]" not in capsys.readouterr().out


def test_recognises_glibc_and_musl(tmp_path: Path) -> None:
    write(tmp_path / "glibc", {"features.h": "#define\t__GLIBC__\t2\n#define\t__GLIBC_MINOR__\t41\n"})
    musl = tmp_path / "usr" / "include" / "x86_64-linux-musl"
    write(musl, {"bits/alltypes.h": "#if defined(__NEED_size_t) && !defined(__DEFINED_size_t)\n#endif\n"})
    assert recognise(str(tmp_path / "glibc")) == Libc("glibc", "2.41")
    assert recognise(str(musl)) == Libc("musl")  # no version in musl's headers
    changelog = tmp_path / "usr" / "share" / "doc" / "musl-dev" / "changelog.Debian.gz"
    changelog.parent.mkdir(parents=True)
    changelog.write_bytes(gzip.compress(b"musl (1.2.5-3.1~deb13u1) trixie; urgency=medium\n"))
    assert recognise(str(musl)) == Libc("musl", "1.2.5")
    assert recognise(str(tmp_path)).label() == "an unrecognised C library"


def test_only_the_libcs_own_headers_in_a_shared_tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In /usr/include, other packages' headers are not the C library's:
    dpkg's list for libc6-dev says which are."""
    root = tmp_path / "include"
    write(root, {"fcntl.h": "", "zlib.h": "", "linux/fcntl.h": "", "scsi/sg.h": "", "scsi/scsi_bsg_fc.h": ""})
    info = tmp_path / "info"
    write(info, {"libc6-dev:amd64.list": "".join(f"{root}/{n}\n" for n in ("fcntl.h", "scsi/sg.h"))})
    assert [n for n, _ in headers(str(root), ARCHES["x86_64"])] == ["fcntl.h", "zlib.h"]  # scsi/ is the kernel's
    monkeypatch.setattr("uapicheck.libc.DPKG_INFO", str(info))
    assert [n for n, _ in headers(str(root), ARCHES["x86_64"])] == ["fcntl.h", "scsi/sg.h"]


@pytest.mark.skipif(not Path("/usr/include/features.h").exists(), reason="no glibc")
def test_plain_gate_is_green_for_this_machines_glibc_and_kernel(capsys: pytest.CaptureFixture[str]) -> None:
    """glibc 2.36 with the Linux 6.1 headers it ships with: every conflict
    there is long-standing, and known."""
    if recognise("/usr/include") != Libc("glibc", "2.36"):
        pytest.skip("this machine's C library is not glibc 2.36")
    assert run(["libc-gate", "--libc", "/usr/include", "--kernel", "/usr/include"]) == 0
    last = capsys.readouterr().out.splitlines()[-1]
    assert re.match(r"libc-gate: glibc 2.36 with Linux 6.1 on x86_64, include mode: \d+ pairs .* 0 errors, "
                    r"0 warnings, 0 notes \(\d+ known for glibc 2.36,", last), last


@pytest.mark.skipif(not Path("/usr/include/features.h").exists() or not sorted(Path(DATA).glob("headers/7.2*")),
                    reason="no glibc, or Debian's Linux 7.2 headers not fetched (shared/tools/fetch-debian-headers)")
def test_plain_gate_is_red_for_glibc_236_with_linux_72(capsys: pytest.CaptureFixture[str]) -> None:
    kernel = str(sorted(Path(DATA).glob("headers/7.2*/usr/include"))[-1])
    if recognise("/usr/include") != Libc("glibc", "2.36"):
        pytest.skip("this machine's C library is not glibc 2.36")
    assert run(["libc-gate", "--libc", "/usr/include", "--kernel", kernel]) == 1
    out = capsys.readouterr().out
    assert re.search(r"sys/mount.h:\d+:\d+: error: 'OPEN_TREE_CLONE' redefined when <sys/mount.h> comes first", out)


# ---------------------------------------------------------------- against GCC

REDEFINED = re.compile(r'warning: "(\w+)" redefined')
UNDEF = re.compile(r'(\S+?):(\d+):\d+: (?:warning|error): "(\w+)" is not defined, evaluates to 0')
TYPE_AGAIN = re.compile(r"error: (?:redefinition|nested redefinition|redeclaration) of '((?:struct|union|enum) \w+)'")
ERROR = re.compile(r"error: ")


View = tuple[set[str], set[str], set[str], bool]  # redefined, -Wundef, types twice, errors


def gcc_view(gate: Gate, includes: list[str], tmp: Path, system: bool = False) -> View:
    """What GCC says about the unit, the headers seen with -I (or, system:
    with -isystem, as /usr/include is)."""
    src = tmp / ("-".join(includes).replace("/", "_") + ("-system" if system else "") + ".c")
    src.write_text("".join(f"#include <{h}>\n" for h in includes))
    own = subprocess.run(["gcc", "-print-file-name=include"], capture_output=True, text=True).stdout.strip()
    flags = ["-nostdinc"]
    for d in gate.dirs:
        flags += ["-isystem", own] if d == builtin_include_dir() else ["-isystem" if system else "-I", d]
    done = subprocess.run(["gcc", "-std=gnu17", "-fsyntax-only", "-Wall", "-Wundef", *flags, str(src)],
                          capture_output=True, text=True, env={**os.environ, "LC_ALL": "C"})
    err = done.stderr
    src.unlink()
    undef = {f"{os.path.basename(m.group(1))}:{m.group(2)}:{m.group(3)}" for m in UNDEF.finditer(err)}
    return set(REDEFINED.findall(err)), undef, set(TYPE_AGAIN.findall(err)), bool(ERROR.search(err))


def our_view(ctx: GateContext, v: Verdict, system: bool = False) -> View:
    # GCC's own <limits.h> #undefs what it redefines after the libc's; uapicheck's stand-in is plainer
    redefined = {r.new.name for r in ctx.tu.unit.redefinitions
                 if "compiler" not in (ctx.owner(r.new.file), ctx.owner(r.old.file))}
    undef = {f"{os.path.basename(t.file)}:{t.line}:{n}" for t, n in ctx.tu.unit.undefined_in_if
             if ctx.owner(t.file) != "compiler"}
    types = {f.subject.rsplit(" ", 2)[-2] + " " + f.subject.rsplit(" ", 1)[-1] for f in v.findings
             if f.code == GateTypeRedefined.code}
    # compile errors only: layouts (UA706) and silent value differences (UA702) are not
    found = [f for f in v.findings if f.code not in ("UA701", "UA705", "UA702", "UA706")]
    errors = bool(found) or bool([d for d in ctx.tu.unit.diagnostics if d.severity == "error"])
    if system:  # GCC is silent about both inside system headers
        return set(), set(), types, errors
    return redefined, undef, types, errors


def combinations() -> list[tuple[str, str, str, str | None]]:
    """(libc label, libc tree, kernel label, kernel tree; None: this
    machine's): this machine's glibc with its own kernel headers and, when
    fetched, Debian's Linux 7.2 and newest musl; with UAPICHECK_REAL_TREES=1,
    every fetched glibc and musl (shared/tools/fetch-debian-headers) with
    every fetched kernel."""
    real = bool(os.environ.get("UAPICHECK_REAL_TREES"))
    kernels: list[tuple[str, str | None]] = [("6.1", None)]
    for version in ("6.12", "7.2", "7.3") if real else ("7.2",):
        roots = sorted(Path(DATA, "headers").glob(version + "*/usr/include"))
        kernels += [(version, str(roots[-1]))] if roots else []
    libcs = [("glibc 2.36 (this machine)", "/usr/include")]
    musl = [(f"musl {p.parts[-4]}", str(p)) for p in sorted(Path(DATA, "musl").glob("*/usr/include/x86_64-linux-musl"),
                                                            key=lambda p: version_key(p.parts[-4]))]
    if real:
        libcs += [(f"glibc {p.parts[-3]}", str(p)) for p in sorted(Path(DATA, "glibc").glob("*/usr/include"))
                  if p.parts[-3] != "2.36"]
    libcs += musl if real else musl[-1:]
    return [(ll, lp, kl, kp) for ll, lp in libcs for kl, kp in kernels]


@pytest.mark.gcc
@pytest.mark.skipif(not shutil.which("gcc") or not Path("/usr/include/stdio.h").exists(), reason="gcc or glibc absent")
@pytest.mark.parametrize("llabel, libc, klabel, kernel", combinations(),
                         ids=[f"{c[0].split(' (')[0]}+{c[2]}" for c in combinations()])
def test_every_pair_as_gcc_sees_it(llabel: str, libc: str, klabel: str, kernel: str | None, tmp_path: Path) -> None:
    """Every pair the gate finds and lists, both orders, with -I and as
    system headers: what uapicheck predicts against what GCC says."""
    problems: list[str] = []
    label = f"{llabel} + Linux {klabel}"
    gate = Gate(libc, kernel or str(own_kernel(tmp_path)), ARCHES["x86_64"])
    p = plan(gate, load_pairs())
    jobs = []
    counts: dict[str, int] = {}
    with ThreadPoolExecutor(max_workers=2) as pool:  # GCC runs while the next unit is analysed
        for ctx, v in check(gate, p.pairs, list(GATE_RULES)):
            includes = ctx.pair.includes(ctx.order)
            parsed = ctx.tu.decls is not None and not ctx.tu.decls.diagnostics
            for system in (False, True):
                jobs.append((f"{ctx.pair.label()} {ctx.order}{' (system)' if system else ''}", parsed,
                             our_view(ctx, v, system), pool.submit(gcc_view, gate, includes, tmp_path, system)))
            for mode in ("include", "system"):
                key = f"{mode} {'clean' if v.mode(mode) == 'clean' else 'fails'}"
                counts[key] = counts.get(key, 0) + 1
        for what_unit, parsed, ours, future in jobs:
            theirs = future.result()
            for what, a, b in zip(("redefined", "-Wundef", "types defined twice", "errors"), ours, theirs):
                if what == "types defined twice" and not parsed:
                    continue  # pycparser stops at the first syntax error; GCC goes on and finds more
                if a != b:
                    diff = (f"uapicheck only {sorted(a - b)[:5]}, gcc only {sorted(b - a)[:5]}"
                            if isinstance(a, set) else f"uapicheck {a}, gcc {b}")
                    problems.append(f"{what_unit}: {what}: {diff}")
    line = (f"{label}: {p.found} pairs found, {p.listed} listed, {len(jobs) // 2} units, {len(problems)} "
            "mispredictions; " + ", ".join(f"{k} {n}" for k, n in sorted(counts.items())))
    report = os.environ.get("UAPICHECK_GATE_REPORT")
    if report:  # the matrix, for people
        with open(report, "a") as f:
            f.write(line + "\n" + "".join(f"  {x}\n" for x in problems))
    assert p.found > 0
    assert not problems, f"{len(problems)} mispredictions of {len(jobs)}:\n" + "\n".join(problems)
