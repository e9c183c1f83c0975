"""GCC as the ground truth: what it computes for sizes, alignments, offsets
and macro values, read back from `gcc -S` output without running anything,
so cross compilers work too."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from functools import cached_property
from typing import Callable, Sequence

from uapicheck.arches import ARCHES, Arch
from uapicheck.program import PROGRAM_HEADERS

# the value in eight bytes, then its type class: '%c' of a byte prints on
# every target (riscv and mips refuse wider immediates, s390x prints one byte)
PROBE = re.compile(r"#UC (\d+)((?: -?\d+){8}) (-?\d+)")
INTEGER_CLASSES = {1, 2, 3, 4}  # __builtin_classify_type: integer, char, enumeral, boolean
PROBE_LINE = re.compile(r"probe\.c:(\d+):\d+: (?:error:|note: in expansion)")
IN_PROBE = re.compile(r"In function .uc_(\d+).")


def compiler(arch: str) -> list[str] | None:
    cmd = list(ARCHES[arch].compiler)
    if not shutil.which(cmd[0]):
        return None
    # gcc -m32 needs the multilib runtime headers; check it really works
    probe = subprocess.run(cmd + ["-fsyntax-only", "-x", "c", "-"], input="int x;\n", capture_output=True, text=True)
    return cmd if probe.returncode == 0 else None


# An attempt compiles the pending lines: it returns None when they all
# compiled (and has recorded their results), else the keys GCC blamed.
Attempt = Callable[[dict[int, str]], "set[int] | None"]


def settle(pending: dict[int, str], attempt: Attempt) -> set[int]:
    """Keys whose lines GCC rejects. Blamed lines are dropped until the rest
    compiles; where GCC blames no line (it reports an undeclared identifier
    once, and an error inside a macro's definition without the line that
    used it), the lines are split in halves, down to single lines."""
    failed: set[int] = set()
    while pending:
        bad = attempt(pending)
        if bad is None:
            break
        if not bad:
            if len(pending) == 1:
                bad = set(pending)
            else:
                items = list(pending.items())
                half = len(items) // 2
                return failed | settle(dict(items[:half]), attempt) | settle(dict(items[half:]), attempt)
        failed |= bad
        pending = {k: v for k, v in pending.items() if k not in bad}
    return failed


@dataclass
class Gcc:
    arch: Arch
    cmd: list[str]
    include_dirs: list[str]

    @cached_property
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
            return subprocess.run(self.cmd + ["-std=gnu17", *self.flags, *extra, path], capture_output=True,
                                  text=True, cwd=tmp)

    def errors_of_header(self, header: str, flags: list[str], first: Sequence[str] = ()) -> set[str]:
        """What including the header alone already reports (an #warning
        under -Werror, say): such errors are no probe line's fault."""
        return _errors(self.run("\n".join(includes(header, first)) + "\n", flags).stderr)

    def compiles(self, header: str, first: Sequence[str] = ()) -> bool:
        return self.run("\n".join(includes(header, first)) + "\n", ["-fsyntax-only"]).returncode == 0

    def values(self, header: str, exprs: list[str], first: Sequence[str] = ()) -> dict[int, int | None]:
        """Evaluate each expression as an integer constant after including
        the header (after first); None where GCC cannot. Each is probed in
        an asm "i" operand on a line of its own."""
        result: dict[int, int | None] = {}
        flags = ["-S", "-O0", "-o", "-", "-w"]
        baseline = self.errors_of_header(header, flags, first)

        def attempt(pending: dict[int, str]) -> set[int] | None:
            lines = includes(header, first)
            line_of: dict[int, int] = {}
            for i, e in pending.items():
                line_of[len(lines) + 1] = i
                v = f"(unsigned long long)({e})"
                # the enum makes a non-constant a front-end error, reported
                # for every line at once; asm operand errors come one by one
                operands = ", ".join(f'"i"((int)(({v} >> {8 * k}) & 0xff))' for k in range(8))
                lines.append(f"enum {{ uc_e_{i} = (int)!!(({e}) || 1) }}; "
                             f'void uc_{i}(void) {{ __asm__ volatile("\\n#UC {i} '
                             + " ".join(f"%c{k}" for k in range(9)) + f'" :: {operands}, '
                             f'"i"(__builtin_classify_type({e}))); }}')
            proc = self.run("\n".join(lines) + "\n", flags)
            if proc.returncode == 0 or not _errors(proc.stderr) - baseline:
                for m in PROBE.finditer(proc.stdout):
                    value = sum((int(b) & 0xFF) << (8 * k) for k, b in enumerate(m.group(2).split()))
                    integer = int(m.group(3)) in INTEGER_CLASSES
                    result[int(m.group(1))] = value if integer else None
                return None
            bad = {line_of[int(m.group(1))] for m in PROBE_LINE.finditer(proc.stderr) if int(m.group(1)) in line_of}
            return bad | {int(m.group(1)) for m in IN_PROBE.finditer(proc.stderr) if int(m.group(1)) in pending}

        settle(dict(enumerate(exprs)), attempt)
        return {i: result.get(i) for i in range(len(exprs))}

    def if_results(self, header: str, checks: list[tuple[str, str | None]],
                   first: Sequence[str] = ()) -> dict[int, bool]:
        """For (macro, expected #if value or None) pairs: does `#if MACRO`
        work under -Wundef -Werror, and (given a value) does it equal it?"""
        flags = ["-fsyntax-only", "-Wundef", "-Werror"]
        baseline = self.errors_of_header(header, flags, first)

        def attempt(pending: dict[int, str]) -> set[int] | None:
            lines = includes(header, first)
            line_of: dict[int, int] = {}
            for i in pending:
                name, value = checks[i]
                line_of[len(lines) + 1] = i
                if value is None:
                    lines += [f"#if {name} || 1", "#endif"]
                else:
                    lines += [f"#if ({name}) != ({value})", f"#error UCMISMATCH {i}", "#endif"]
            proc = self.run("\n".join(lines) + "\n", flags)
            if proc.returncode == 0 or not _errors(proc.stderr) - baseline:
                return None
            # an error names the #if line, or the #error line after it
            lines_hit = {int(m.group(1)) for m in PROBE_LINE.finditer(proc.stderr)}
            return {line_of[n] for n in lines_hit if n in line_of} | {line_of[n - 1] for n in lines_hit
                                                                       if n - 1 in line_of}

        failed = settle({i: name for i, (name, _) in enumerate(checks)}, attempt)
        return {i: i not in failed for i in range(len(checks))}


def includes(header: str, first: Sequence[str]) -> list[str]:
    """The #include lines of a program that uses header as uapicheck read
    it (HeaderFacts.prelude): what it read first, then the header, unless
    the last of those is the UAPI header that includes it."""
    lines = [f"#include <{f}>" for f in first]
    if not first or first[-1] in PROGRAM_HEADERS:
        lines.append(f"#include <{header}>")
    return lines


def _errors(stderr: str) -> set[str]:
    return {line for line in stderr.splitlines() if ": error:" in line}


def if_literal(v: int) -> str:
    if v < 0:
        return f"(-{-v - 1}LL - 1)"
    return f"{v}ULL" if v > (1 << 63) - 1 else f"{v}LL"
