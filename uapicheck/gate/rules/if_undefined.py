from __future__ import annotations

from collections.abc import Iterator

from ...diagnostics import Location
from ...rulebase import Finding
from ..context import SYSTEM_NOTE, GateContext, GateRule


class GateIfUndefined(GateRule):
    """What it detects:
    An `#if` in the libc or kernel headers that uses an identifier that is
    not a macro in this include order, though it is when the header is
    included alone: `#if` takes it as 0 and -Wundef warns.

    Who breaks:
    Builds with -Wundef -Werror that see the headers with -I; and every
    program silently, since the test takes the branch for 0.

    Example:
    `#if OPEN_TREE_CLOEXEC == O_CLOEXEC` where `<fcntl.h>` was not included.

    Fix:
    Include what the test needs, or test `defined(X)` first.
    """

    code = "UA705"
    name = "libc-if-undefined"
    severity = "error"

    def check(self, ctx: GateContext) -> Iterator[Finding]:
        # what a header does alone is its own business: only what the order causes
        seen = {(tok.file, tok.line, name) for u in (ctx.libc_alone, ctx.kernel_alone)
                for tok, name in u.unit.undefined_in_if}
        for tok, name in ctx.tu.unit.undefined_in_if:
            if ctx.owner(tok.file) == "compiler" or (tok.file, tok.line, name) in seen:
                continue
            seen.add((tok.file, tok.line, name))
            where = Location(tok.file, tok.line, tok.col)
            yield self.finding(ctx.pair.libc, ctx.subject(f"{ctx.include_name(tok.file)}:{name}"), where,
                               f"'{name}' is not defined, evaluates to 0 in #if {ctx.when()} [-Wundef]",
                               (where, SYSTEM_NOTE), (where, fix(ctx, name)))


def fix(ctx: GateContext, name: str) -> str:
    """Where the name is defined when a side is included alone."""
    for alone in (ctx.libc_alone, ctx.kernel_alone):
        m = alone.unit.macros.get(name)
        if m is not None and ctx.owner(m.file) != "compiler":
            return (f"fix: include <{ctx.include_name(m.file)}>, which defines '{name}', before this test, or "
                    f"test 'defined({name})' first")
    return f"fix: test 'defined({name})' first"
