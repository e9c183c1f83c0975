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
    Keep the spelling both sides agree on, or guard the libc's copy with
    `#ifndef`.
    """

    code = "UA701"
    name = "libc-macro-redefined"
    severity = "error"

    def check(self, ctx: GateContext) -> Iterator[Finding]:
        for r in ctx.tu.unit.redefinitions:
            owners = {ctx.owner(r.old.file), ctx.owner(r.new.file)}
            if owners != {"libc", "kernel"}:
                continue
            a, b = value_of(r.old), value_of(r.new)
            values = f"; values {a} and {b}" if a is not None and b is not None and a != b else ""
            old_sig = f"{r.old.name}({', '.join(r.old.params)})" if r.old.params is not None else r.old.name
            new_sig = f"{r.new.name}({', '.join(r.new.params)})" if r.new.params is not None else r.new.name
            yield self.finding(
                ctx.pair.libc, f"{ctx.order}:{r.new.name}", Location(r.new.file, r.new.line, r.new.col),
                f"'{r.new.name}' redefined {ctx.when()}: '#define {new_sig} {r.new.replacement()}' after "
                f"'#define {old_sig} {r.old.replacement()}'{values}",
                (Location(r.old.file, r.old.line, r.old.col), "this is the location of the previous definition"),
                (Location(r.new.file, r.new.line, r.new.col), SYSTEM_NOTE))
