"""What a gate rule reads: one pair of a C library header and kernel
headers, in one include order, on one arch; and the base its rules share."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from ..analysis import Analysis
from ..errors import EvalError
from ..expr import eval_if
from ..preprocess.cpp import Macro
from ..rulebase import Rule
from ..sources import builtin_include_dir

ORDERS = ("libc-first", "kernel-first")
SYSTEM_NOTE = ("GCC reports this where the headers are not system headers: with -I, as in the libc's own build "
               "and programs that pass -I; an error with -Werror. It is silent for /usr/include and -isystem")


@dataclass(frozen=True)
class Pair:
    libc: str
    kernel: tuple[str, ...]

    def label(self) -> str:
        return f"<{self.libc}> with {', '.join(f'<{k}>' for k in self.kernel)}"


@dataclass
class GateContext:
    """The translation unit of a pair in one order, and each side alone."""

    pair: Pair
    order: str
    arch: str
    tu: Analysis
    libc_alone: Analysis
    kernel_alone: Analysis
    libc_root: str
    kernel_root: str
    explained: set[int] = field(default_factory=set)  # ids of diagnostics a rule has explained

    def owner(self, path: str) -> str:
        """'kernel', 'libc' or 'compiler' for a file of the unit."""
        if path.startswith(builtin_include_dir()):
            return "compiler"
        kernel = os.path.normpath(self.kernel_root) + os.sep
        libc = os.path.normpath(self.libc_root) + os.sep
        # the longer root wins where one tree holds the other
        hits = [(len(r), who) for r, who in ((kernel, "kernel"), (libc, "libc")) if path.startswith(r)]
        return max(hits)[1] if hits else "libc"

    def when(self) -> str:
        first = f"<{self.pair.libc}>" if self.order == "libc-first" else ", ".join(f"<{k}>" for k in self.pair.kernel)
        return f"when {first} comes first"


class GateRule(Rule[GateContext]):
    """A rule on one translation unit of a libc/kernel pair."""


def value_of(m: Macro) -> int | None:
    """The #if value of an object-like macro's own tokens, if they are a
    plain constant (no other macros)."""
    if m.params is not None or not m.body:
        return None
    try:
        result = eval_if(list(m.body), True)
    except EvalError:
        return None
    return None if result.undefined else result.value
