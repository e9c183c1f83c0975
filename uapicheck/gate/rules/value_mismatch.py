from __future__ import annotations

from collections.abc import Iterator

from ...diagnostics import Location
from ...rulebase import Finding
from ..context import GateContext, GateRule, value_of


class GateValueMismatch(GateRule):
    """What it detects:
    A macro that the libc headers and the kernel headers define with
    different values, where guards (`#ifndef`, `#undef`) keep the compiler
    quiet: the program silently gets whichever came first.

    Who breaks:
    Programs whose behaviour depends on include order: the same flag has
    two values, and at most one is what the kernel expects.

    Example:
    the kernel defines `FOO_FLAG 0x4`, the libc `#ifndef FOO_FLAG` /
    `#define FOO_FLAG 0x8`.

    Fix:
    Make the libc's value the kernel's.
    """

    code = "UA702"
    name = "libc-value-mismatch"
    severity = "warning"

    def check(self, ctx: GateContext) -> Iterator[Finding]:
        # each side's definitions as it makes them alone: in the pair, guards hide one of them
        redefined = {r.new.name for r in ctx.tu.unit.redefinitions}
        kernel = {m.name: m for m in ctx.kernel_alone.unit.defines
                  if ctx.owner(m.file) == "kernel" and value_of(m) is not None}
        libc = {m.name: m for m in ctx.libc_alone.unit.defines
                if ctx.owner(m.file) == "libc" and value_of(m) is not None}
        for name in sorted(kernel.keys() & libc.keys() - redefined):
            k, c = kernel[name], libc[name]
            if value_of(k) == value_of(c):
                continue
            final = ctx.tu.unit.macros.get(name)
            seen = value_of(final) if final is not None else None
            yield self.finding(
                ctx.pair.libc, ctx.subject(name), Location(c.file, c.line, c.col),
                f"'{name}' is {value_of(c)} in the libc and {value_of(k)} in the kernel; {ctx.when()} the program "
                f"gets {seen}", (Location(k.file, k.line, k.col), "the kernel's definition"),
                (Location(c.file, c.line, c.col),
                 f"fix: make the libc's value the kernel's: '#define {k.signature()} {k.replacement()}'"))
