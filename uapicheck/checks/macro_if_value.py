from __future__ import annotations

from collections.abc import Iterator

from ..rulebase import Finding
from . import K, ArchContext, DiffRule


class MacroIfValue(DiffRule):
    """What it detects:
    A macro whose value in `#if` changed while its C value did not: `#if`
    computes in intmax_t/uintmax_t, so `(~0U)` is 0xffffffff in C and all
    ones in 64 bits in `#if`.

    Who breaks:
    Code that compares the macro in `#if` (`#if FOO_MASK == 0xffffffff`)
    takes the other branch.

    Example:
    `#define FOO_MASK 0xffffffffU` becomes `#define FOO_MASK (~0U)`.

    Fix:
    Spell the value out as a literal.
    """

    code = "UA105"
    name = "macro-if-value-changed"
    severity = "warning"

    def check(self, ctx: ArchContext) -> Iterator[Finding]:
        for c in ctx.pending(K.MACRO_IF_VALUE_CHANGED):
            m = ctx.both_macros(c)[1]
            yield self.at(c, f"{c.message}, while its C value stays {m.value}",
                          f"who breaks: '#if' comparisons of '{c.name}' take the other branch",
                          "fix: spell the value as a literal")
