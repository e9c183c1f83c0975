from __future__ import annotations

import os
from collections.abc import Iterator

from ...diagnostics import Location
from ...rulebase import Finding
from ..context import GateContext, GateRule, libc_compat_off, uapi_def_guard


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
    checks `#ifndef RESOLVE_NO_XDEV`) and include the kernel header first
    from the libc header; or, where the kernel's copy sits under a
    `__UAPI_DEF_*` macro of `<linux/libc-compat.h>`, include the libc
    header first.
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
            yield self.finding(ctx.pair.libc, ctx.subject(name), loc, f"redefinition of '{name}' {ctx.when()}",
                               (first[name], "originally defined here"), fix(ctx, name, first[name], loc))


def fix(ctx: GateContext, name: str, a: Location, b: Location) -> tuple[Location, str]:
    kernel, libc = (a, b) if ctx.owner(a.file) == "kernel" else (b, a)
    guard = uapi_def_guard(kernel.file, kernel.line)
    own = ctx.libc_alone.unit.macros.get(guard) if guard else None
    if guard and own is not None and ctx.owner(own.file) == "libc":
        return kernel, (f"fix: the kernel's copy is under '#if {guard}', which <{ctx.pair.libc}> sets to "
                        f"'{own.replacement()}' itself (musl's way): include <{ctx.pair.libc}> first")
    if guard:
        compat = [p for p in ctx.tu.unit.files if p.endswith(os.path.join("linux", "libc-compat.h"))]
        needs = libc_compat_off(compat[0], guard) if compat else []
        missing = [m for m in needs if m not in ctx.libc_alone.unit.macros]
        text = (f"fix: the kernel's copy is under '#if {guard}', which <linux/libc-compat.h> sets to 0 when "
                f"{' and '.join(needs) or 'the libc header came first'} {'is' if len(needs) == 1 else 'are'} "
                f"defined: include <{ctx.pair.libc}> first")
        if missing:
            text += f" (<{ctx.pair.libc}> alone does not define {', '.join(missing)}: define it, or guard the copy)"
        return kernel, text
    macro = _kernel_macro(ctx, kernel)
    guard_text = f"'#ifndef {macro}'" if macro else "an #ifndef of a macro the kernel header defines"
    return libc, (f"fix: guard the libc's '{name}' with {guard_text} and include <{ctx.pair.kernel[0]}> before "
                  f"it from <{ctx.pair.libc}> (glibc's __has_include pattern in <sys/mount.h>); or give the kernel's "
                  "copy a __UAPI_DEF_* guard in <linux/libc-compat.h>")


def _kernel_macro(ctx: GateContext, at: Location) -> str | None:
    """A macro the kernel file defines before at, the one nearest to it."""
    before = [m for m in ctx.kernel_alone.unit.defines
              if m.file == at.file and m.line < at.line and m.params is None]
    return before[-1].name if before else None
