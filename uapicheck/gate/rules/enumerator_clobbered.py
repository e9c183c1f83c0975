from __future__ import annotations

import re
from collections.abc import Iterator

from ...diagnostics import Location
from ...rulebase import Finding
from ..context import GateContext, GateRule

IDENT = re.compile(r"[A-Za-z_]\w*")


class GateEnumeratorClobbered(GateRule):
    """What it detects:
    An enumerator of one side's headers that the other side defines as a
    macro first: the preprocessor replaces the name and the enum no longer
    parses (`1 = 1,`).

    Who breaks:
    Every program that includes both in that order, system headers or
    not: a syntax error.

    Example:
    glibc 2.36's `<sys/mount.h>` declares `enum { MS_RDONLY = 1, ... }`;
    after the kernel's `<linux/mount.h>` defined `MS_RDONLY 1`, the enum
    reads `1 = 1`.

    Fix:
    `#undef` the name before the enumerator and define it to itself after
    (glibc's pattern), or stop defining it as a macro.
    """

    code = "UA704"
    name = "libc-enumerator-clobbered"
    severity = "error"

    def check(self, ctx: GateContext) -> Iterator[Finding]:
        if ctx.tu.decls is None:
            return
        macros = ctx.tu.unit.macros
        for d in ctx.tu.decls.diagnostics:
            line = _line(d.location.file, d.location.line)
            names = [n for n in IDENT.findall(line) if n in macros and macros[n].params is None
                     and macros[n].replacement() != n]
            if not names:
                continue
            m = macros[names[0]]
            ctx.explained.add(id(d))
            yield self.finding(ctx.pair.libc, f"{ctx.order}:{names[0]}", d.location,
                               f"'{names[0]}' is a macro ('{m.replacement()}') {ctx.when()}, so this declaration "
                               f"does not parse: {d.message}",
                               (Location(m.file, m.line, m.col), f"'{names[0]}' is defined here"))


def _line(path: str, line: int) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            for i, text in enumerate(f, 1):
                if i == line:
                    return text
    except OSError:
        pass
    return ""
