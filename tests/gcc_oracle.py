"""GCC as the ground truth: what it computes for sizes, alignments, offsets
and macro values, read back from `gcc -S` output without running anything,
so cross compilers work too."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field

from uapicheck.arches import ARCHES, Arch

PROBE = re.compile(r"#UC (\d+) (-?\d+) (-?\d+) (-?\d+)")
INTEGER_CLASSES = {1, 2, 3, 4}  # __builtin_classify_type: integer, char, enumeral, boolean
PROBE_LINE = re.compile(r"probe\.c:(\d+):\d+: (?:error:|note: in expansion)")
IN_PROBE = re.compile(r"In function .uc_(\d+).")


def compiler(arch: str) -> list[str] | None:
    cmd = list(ARCHES[arch].gcc)
    if not shutil.which(cmd[0]):
        return None
    # gcc -m32 needs the multilib runtime headers; check it really works
    probe = subprocess.run(cmd + ["-fsyntax-only", "-x", "c", "-"], input="int x;\n", capture_output=True, text=True)
    return cmd if probe.returncode == 0 else None


@dataclass
class Gcc:
    arch: Arch
    cmd: list[str]
    include_dirs: list[str]

    def flags(self) -> list[str]:
        """The tree as -I, not as a system directory: GCC silences -Wundef
        and redefinition warnings for tokens that come from system headers."""
        own = subprocess.run(self.cmd + ["-print-file-name=include"], capture_output=True, text=True).stdout.strip()
        out = ["-nostdinc", "-isystem", own]
        for d in self.include_dirs:
            out += ["-I", d]
        return out

    def run(self, source: str, extra: list[str]) -> subprocess.CompletedProcess[str]:
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "probe.c")
            with open(path, "w") as f:
                f.write(source)
            return subprocess.run(self.cmd + ["-std=gnu17", *self.flags(), *extra, path], capture_output=True,
                                  text=True, cwd=tmp)

    def compiles(self, header: str) -> bool:
        return self.run(f"#include <{header}>\n", ["-fsyntax-only"]).returncode == 0

    def values(self, header: str, exprs: list[str]) -> dict[int, int | None]:
        """Evaluate each expression as an integer constant; None where GCC
        cannot. Each is probed in an asm "i" operand on a line of its own;
        lines GCC rejects are dropped until the rest compiles."""
        result: dict[int, int | None] = {}
        self._probe(header, dict(enumerate(exprs)), result)
        return result

    def _probe(self, header: str, pending: dict[int, str], result: dict[int, int | None]) -> None:
        while pending:
            lines = [f"#include <{header}>"]
            line_of: dict[int, int] = {}
            for i, e in pending.items():
                line_of[len(lines) + 1] = i
                v = f"(unsigned long long)({e})"
                # the enum makes a non-constant a front-end error, reported
                # for every line at once; asm operand errors come one by one
                lines.append(f"enum {{ uc_e_{i} = (int)!!(({e}) || 1) }}; "
                             f'void uc_{i}(void) {{ __asm__ volatile("\\n#UC {i} %c0 %c1 %c2" :: '
                             f'"i"((int)({v} & 0xffffffffu)), "i"((int)({v} >> 32)), '
                             f'"i"(__builtin_classify_type({e}))); }}')
            proc = self.run("\n".join(lines) + "\n", ["-S", "-O0", "-o", "-", "-w"])
            if proc.returncode == 0:
                for m in PROBE.finditer(proc.stdout):
                    lo, hi = int(m.group(2)) & 0xFFFFFFFF, int(m.group(3)) & 0xFFFFFFFF
                    integer = int(m.group(4)) in INTEGER_CLASSES
                    result[int(m.group(1))] = lo | hi << 32 if integer else None
                return
            # an error inside a macro's expansion is located in the header,
            # with notes that lead back to the probe line
            bad = {line_of[int(m.group(1))] for m in PROBE_LINE.finditer(proc.stderr) if int(m.group(1)) in line_of}
            bad |= {int(m.group(1)) for m in IN_PROBE.finditer(proc.stderr) if int(m.group(1)) in pending}
            if not bad:
                # GCC reports an undeclared identifier once, without saying
                # which line used it again: split the lines and try halves
                if len(pending) == 1:
                    bad = set(pending)
                else:
                    items = list(pending.items())
                    half = len(items) // 2
                    self._probe(header, dict(items[:half]), result)
                    self._probe(header, dict(items[half:]), result)
                    return
            for i in bad:
                result[i] = None
                del pending[i]

    def if_results(self, header: str, checks: list[tuple[str, str | None]]) -> dict[int, bool]:
        """For (macro, expected #if value or None) pairs: does `#if MACRO`
        work under -Wundef -Werror, and (given a value) does it equal it?"""
        lines = [f"#include <{header}>"]
        line_of: dict[int, int] = {}
        for i, (name, value) in enumerate(checks):
            cond = f"({name}) != ({value})" if value is not None else f"{name} || 1"
            line_of[len(lines) + 1] = i
            lines.append(f"#if {cond}")
            lines.append(f"#error UCMISMATCH {i}" if value is not None else "#endif")
            if value is not None:
                lines.append("#endif")
        proc = self.run("\n".join(lines) + "\n", ["-fsyntax-only", "-Wundef", "-Werror"])
        failed: set[int] = set()
        for m in PROBE_LINE.finditer(proc.stderr):
            ln = int(m.group(1))
            if ln in line_of:
                failed.add(line_of[ln])
            elif ln - 1 in line_of:
                failed.add(line_of[ln - 1])
        if len(checks) == 1 and proc.returncode != 0:
            failed = {0}  # alone, any error is this line's
        return {i: i not in failed for i in range(len(checks))}


def if_literal(v: int) -> str:
    if v < 0:
        return f"(-{-v - 1}LL - 1)"
    return f"{v}ULL" if v > (1 << 63) - 1 else f"{v}LL"
