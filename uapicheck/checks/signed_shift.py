from __future__ import annotations

from collections.abc import Iterator

from ..rulebase import Finding
from . import K, ArchContext, DiffRule

NEW = (K.MACRO_ADDED, K.MACRO_VALUE_CHANGED, K.MACRO_TOKEN_FORM_CHANGED)


class SignedShift(DiffRule):
    """What it detects:
    A new or changed macro whose C value overflows a signed type, most
    often `1 << 31`: a shift into the sign bit of `int`, undefined in C
    and negative in practice.

    Who breaks:
    Code that stores the flag in a wider type sign-extends it
    (0xffffffff80000000); C libraries that write the value as `1U << 31`
    disagree in type. glibc carried `MS_NOUSER` as `1 << 31` for years.

    Example:
    `#define FOO_FLAG (1 << 31)`.

    Fix:
    `(1U << 31)`, or the hexadecimal literal `0x80000000`.
    """

    code = "UA108"
    name = "signed-shift-overflow"
    severity = "warning"

    def check(self, ctx: ArchContext) -> Iterator[Finding]:
        for c in ctx.changes:
            m = ctx.macro_pair(c)[1] if c.kind in NEW else None
            if m is not None and m.overflow:
                yield self.at(c, f"'{c.name}' overflows a signed type: '{m.replacement}' is {m.value} "
                              f"({m.ctype})", "who breaks: code that widens it gets a sign-extended value",
                              "fix: shift an unsigned 1 (1U << n) or write the hexadecimal literal",
                              old_note="")
