"""What a gate rule reads: one pair of a C library header and kernel
headers, in one include order, on one arch; and the base its rules share."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..errors import EvalError
from ..libc import KERNEL_DIRS
from ..rulebase import Rule
from ..sources import builtin_include_dir

if TYPE_CHECKING:  # the analysing modules, which the catalogue of rules does without
    from ..analysis import Analysis
    from ..preprocess.cpp import Macro

ORDERS = ("libc-first", "kernel-first")
MODES = ("include", "system")  # builds that see the headers with -I, or as system headers
MAX_LINES = 100_000
DIRECTIVE = re.compile(r"^\s*#\s*(if|ifdef|ifndef|elif|else|endif)\b")
UAPI_DEF = re.compile(r"__UAPI_DEF_\w+")
DEFINED = re.compile(r"defined\s*\(?\s*(\w+)")
SYSTEM_NOTE = ("GCC reports this where the headers are not system headers: with -I, as in the libc's own build "
               "and programs that pass -I; an error with -Werror. It is silent for /usr/include and -isystem")


@dataclass(frozen=True)
class Pair:
    """A libc header and the kernel headers included with it; found (by
    discovery, with some of the names both define) or listed."""

    libc: str
    kernel: tuple[str, ...]
    found: bool = field(default=False, compare=False)
    shared: tuple[str, ...] = field(default=(), compare=False)

    def label(self) -> str:
        return f"<{self.libc}> with {', '.join(f'<{k}>' for k in self.kernel)}"

    def includes(self, order: str) -> list[str]:
        return [self.libc, *self.kernel] if order == "libc-first" else [*self.kernel, self.libc]

    def first(self, order: str) -> str:
        """The headers that come first in order, as the output names them."""
        return f"<{self.libc}>" if order == "libc-first" else ", ".join(f"<{k}>" for k in self.kernel)

    def matches(self, name: str) -> bool:
        """name as the output prints a header or a pair: fcntl.h, <fcntl.h>,
        linux/fcntl.h, or the whole label."""
        return name == self.label() or name.strip("<>") in (self.libc, *self.kernel)


@dataclass
class GateContext:
    """The translation unit of a pair in one order, and each side alone."""

    pair: Pair
    order: str
    arch: str
    tu: Analysis
    libc_alone: Analysis
    kernel_alone: Analysis
    dirs: tuple[str, ...]  # the include search path, the kernel's directories first
    explained: set[int] = field(default_factory=set)  # ids of diagnostics a rule has explained

    def owner(self, path: str) -> str:
        """'kernel', 'libc' or 'compiler' for a file of the unit: the
        kernel's are its UAPI directories and asm/, wherever they are found
        (/usr/include holds both)."""
        if path.startswith(builtin_include_dir()):
            return "compiler"
        return "kernel" if self.include_name(path).split("/")[0] in KERNEL_DIRS else "libc"

    def include_name(self, path: str) -> str:
        """The name a program includes the file by (linux/mount.h)."""
        return include_name(self.dirs, path)

    def subject(self, thing: str) -> str:
        """A finding's subject: the kernel side, the order and what it is
        about, in include names (the libc header is the finding's header),
        so that its fingerprint holds from one tree to another."""
        return f"{' '.join(self.pair.kernel)} {self.order} {thing}"

    def when(self) -> str:
        return f"when {self.pair.first(self.order)} comes first"


def include_name(dirs: tuple[str, ...], path: str) -> str:
    """path as #include names it, relative to the deepest search directory
    that holds it."""
    holding = [os.path.join(d, "") for d in dirs if path.startswith(os.path.join(d, ""))]
    return path[len(max(holding, key=len)):] if holding else os.path.basename(path)


class GateRule(Rule[GateContext]):
    """A rule on one translation unit of a libc/kernel pair."""


def source_lines(path: str) -> list[str]:
    """A header's lines (at most MAX_LINES: headers are untrusted input)."""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return [line for _, line in zip(range(MAX_LINES), f)]
    except OSError:
        return []


def enclosing_conditions(path: str, line: int) -> list[str]:
    """The #if, #ifdef and #ifndef lines that enclose line of path,
    outermost first."""
    stack: list[str] = []
    for text in source_lines(path)[:max(line - 1, 0)]:
        d = DIRECTIVE.match(text)
        if not d:
            continue
        if d.group(1) in ("if", "ifdef", "ifndef"):
            stack.append(text.strip())
        elif d.group(1) == "endif" and stack:
            stack.pop()
    return stack


def uapi_def_guard(path: str, line: int) -> str | None:
    """The __UAPI_DEF_* macro of <linux/libc-compat.h> that the kernel's
    definition at path:line sits under, if any."""
    for cond in reversed(enclosing_conditions(path, line)):
        m = UAPI_DEF.search(cond)
        if m:
            return m.group(0)
    return None


def libc_compat_off(path: str, guard: str) -> list[str]:
    """The macros that must be defined for <linux/libc-compat.h> (at path)
    to set guard to 0: the 'defined(X)' of the conditions around
    '#define guard 0' (__GLIBC__, then the libc header's include guard)."""
    stack: list[str] = []
    zero = re.compile(rf"^\s*#\s*define\s+{re.escape(guard)}\s+0\b")
    for text in source_lines(path):
        d = DIRECTIVE.match(text)
        if d and d.group(1) in ("if", "ifdef", "ifndef"):
            stack.append(text)
        elif d and d.group(1) == "endif" and stack:
            stack.pop()
        elif d and d.group(1) in ("else", "elif") and stack:
            stack[-1] = "#else"  # the branch after #else: its #if's macros are not defined here
        elif zero.match(text):
            return [name for cond in stack for name in DEFINED.findall(cond)]
    return []


def value_of(m: Macro) -> int | None:
    """The #if value of an object-like macro's own tokens, if they are a
    plain constant (no other macros)."""
    if m.params is not None or not m.body:
        return None
    try:
        from ..expr import eval_if  # the evaluator, which the catalogue of rules does without

        result = eval_if(list(m.body), True)
    except EvalError:
        return None
    return None if result.undefined else result.value
