from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ...diagnostics import Location
from ...rulebase import Finding
from ..context import GateContext, GateRule, source_lines

if TYPE_CHECKING:
    from ...preprocess.cpp import Macro

IDENT = re.compile(r"[A-Za-z_]\w*")


class GateEnumeratorClobbered(GateRule):
    """What it detects:
    A name in one side's declarations (an enumerator, a member) that the
    other side defines as a macro first: the preprocessor replaces it and
    the declaration no longer compiles (`MS_RDONLY = 1,` reads `1 = 1,`).

    Who breaks:
    Every program that includes both in that order, system headers or
    not: a syntax error.

    Example:
    glibc 2.36's `<sys/mount.h>` declares `enum { MS_RDONLY = 1, ... }`;
    after the kernel's `<linux/mount.h>` defined `MS_RDONLY 1`, the enum
    reads `1 = 1`.

    Fix:
    `#undef` the name before the enumerator and define it to itself after
    (glibc's pattern), or stop defining it as a macro; where the macro is
    the libc's own spelling trick (`sa_handler`), include the kernel
    header first or not at all.
    """

    code = "UA704"
    name = "libc-enumerator-clobbered"
    severity = "error"

    def check(self, ctx: GateContext) -> Iterator[Finding]:
        if ctx.tu.decls is None:
            return
        # the definitions in force may be either side's: the libc may redefine the name after the declaration
        defined: dict[str, list[Macro]] = {}
        for m in ctx.tu.unit.defines:
            defined.setdefault(m.name, []).append(m)
        for d in ctx.tu.decls.diagnostics:
            lines = source_lines(d.location.file)
            line = lines[d.location.line - 1] if 0 < d.location.line <= len(lines) else ""
            side = ctx.owner(d.location.file)
            found = [m for n in IDENT.findall(line) for m in defined.get(n, [])
                     if m.params is None and m.replacement() != n and ctx.owner(m.file) not in (side, "compiler")]
            if not found:
                continue
            m = found[0]
            ctx.explained.add(id(d))
            declared = line.strip()
            expanded = re.sub(rf"\b{re.escape(m.name)}\b", m.replacement(), declared)
            if ctx.owner(m.file) == "kernel":
                fix = (f"fix: the kernel's macro '{m.name}' rewrites the libc's declaration: '#undef {m.name}' "
                       "before it in the libc's header and define the name again after it (glibc's pattern for "
                       f"MS_RDONLY), or include <{ctx.pair.libc}> first")
            else:
                fix = (f"fix: the libc's macro '{m.name}' rewrites the kernel's declaration: include "
                       f"<{ctx.pair.kernel[0]}> before <{ctx.pair.libc}>, or not both")
            yield self.finding(ctx.pair.libc, ctx.subject(m.name), d.location,
                               f"'{m.name}' is a macro ('{m.replacement()}') {ctx.when()}, so '{declared}' reads "
                               f"'{expanded}' and does not compile",
                               (Location(m.file, m.line, m.col), f"'{m.name}' is defined here"),
                               (d.location, fix))
