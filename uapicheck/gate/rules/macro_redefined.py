from __future__ import annotations

from collections.abc import Iterator

from ...diagnostics import Location
from ...rulebase import Finding
from ..context import SYSTEM_NOTE, GateContext, GateRule, value_of


class GateMacroRedefined(GateRule):
    """What it detects:
    A macro that the libc headers and the kernel headers both define, with
    replacement lists that are not identical (C11 6.10.3p2: same tokens,
    same white-space presence), in a translation unit that includes both.

    Who breaks:
    The libc's own build and every program that sees the headers through
    -I: GCC says "'X' redefined", an error with -Werror (glibc bug 33921,
    `OPEN_TREE_CLONE`). Builds that take both from /usr/include see
    nothing; if the values differ, they silently get the second one.

    Example:
    glibc's `<sys/mount.h>` defines `OPEN_TREE_CLONE 1` after including
    the kernel's `<linux/mount.h>`, which says `(1 << 0)`.

    Fix:
    Spell the libc's definition exactly as the kernel does (glibc 2.44:
    `#define OPEN_TREE_CLONE (1 << 0)`); an `#ifndef` guard alone helps
    only in the order where the kernel header comes first.
    """

    code = "UA701"
    name = "libc-macro-redefined"
    severity = "error"

    def check(self, ctx: GateContext) -> Iterator[Finding]:
        for r in ctx.tu.unit.redefinitions:
            owners = (ctx.owner(r.old.file), ctx.owner(r.new.file))
            if set(owners) != {"libc", "kernel"}:
                continue
            a, b = value_of(r.old), value_of(r.new)
            values = f"; values {a} and {b}" if a is not None and b is not None and a != b else ""
            kernel, libc = (r.old, r.new) if owners[0] == "kernel" else (r.new, r.old)
            fix = (f"fix: spell the libc's definition as the kernel does, '#define {kernel.signature()} "
                   f"{kernel.replacement()}' (an #ifndef {kernel.name} guard helps only when the kernel header "
                   "comes first)")
            if values:
                fix = (f"fix: the values differ: make the libc's definition the kernel's, '#define "
                       f"{kernel.signature()} {kernel.replacement()}'")
            yield self.finding(
                ctx.pair.libc, ctx.subject(r.new.name), Location(r.new.file, r.new.line, r.new.col),
                f"'{r.new.name}' redefined {ctx.when()}: '#define {r.new.signature()} {r.new.replacement()}' after "
                f"'#define {r.old.signature()} {r.old.replacement()}'{values}",
                (Location(r.old.file, r.old.line, r.old.col), "this is the location of the previous definition"),
                (Location(r.new.file, r.new.line, r.new.col), SYSTEM_NOTE),
                (Location(libc.file, libc.line, libc.col), fix))
