from __future__ import annotations

from collections.abc import Iterator

from ...diagnostics import Location
from ...rulebase import Finding
from ..context import GateContext, GateRule


class GateTypeRedefined(GateRule):
    """What it detects:
    A struct, union or enum that the libc headers and the kernel headers
    both define, in a translation unit that includes both.

    Who breaks:
    Every program that includes both, system headers or not: "redefinition
    of 'struct open_how'" is an error (glibc bug 33848; `enum
    fsconfig_command` in glibc 2.36).

    Example:
    glibc's `<fcntl.h>` and the kernel's `<linux/openat2.h>` both define
    `struct open_how`.

    Fix:
    Guard the libc's copy with a macro the kernel header defines (glibc
    checks `#ifndef RESOLVE_NO_XDEV`), or include the kernel header.
    """

    code = "UA703"
    name = "libc-type-redefined"
    severity = "error"

    def check(self, ctx: GateContext) -> Iterator[Finding]:
        if ctx.tu.decls is None:
            return
        first: dict[str, Location] = {}
        items = [(f"{r.kind} {r.tag}", r.loc) for r in ctx.tu.decls.records if r.tag]
        items += [(f"enum {e.tag}", e.loc) for e in ctx.tu.decls.enums if e.tag]
        for name, loc in items:
            if name not in first:
                first[name] = loc
                continue
            yield self.finding(ctx.pair.libc, f"{ctx.order}:{name}", loc, f"redefinition of '{name}' {ctx.when()}",
                               (first[name], "originally defined here"))
