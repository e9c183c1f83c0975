from __future__ import annotations

from collections.abc import Iterator

from ..rulebase import Finding
from . import K, ArchContext, DiffRule


class MacroEnumSwap(DiffRule):
    """What it detects:
    A name that was a macro and is now an enumerator, or the reverse.

    Who breaks:
    `#ifdef NAME` and `#if defined(NAME)` tests: they turn false when a
    macro becomes an enumerator. In the other direction, a C library's
    enum with that name becomes `1 = 1` after preprocessing (glibc 2.36's
    `MS_RDONLY` against `linux/mount.h`).

    Example:
    `#define FSCONFIG_SET_FLAG 0` becomes `enum { FSCONFIG_SET_FLAG = 0 };`.

    Fix:
    Keep the macro; define it to itself after the enum if both are needed
    (`#define FSCONFIG_SET_FLAG FSCONFIG_SET_FLAG`).
    """

    code = "UA106"
    name = "macro-enum-swap"
    severity = "warning"

    def check(self, ctx: ArchContext) -> Iterator[Finding]:
        added = {c.member: c for c in ctx.pending(K.ENUMERATOR_ADDED)}
        for c in ctx.pending(K.MACRO_REMOVED):
            e = added.get(c.name)
            if e is not None:
                ctx.claim(c, e)
                yield self.at(e, f"'{c.name}' changed from a macro to an enumerator",
                              f"who breaks: '#ifdef {c.name}' is now false",
                              f"fix: keep a macro too: #define {c.name} {c.name}", subject=c.name)
        macros = {c.name: c for c in ctx.pending(K.MACRO_ADDED)}
        for c in ctx.pending(K.ENUMERATOR_REMOVED):
            m = macros.get(c.member)
            if m is not None:
                ctx.claim(c, m)
                yield self.at(m, f"'{c.member}' changed from an enumerator to a macro",
                              "who breaks: a C library's enumerator of that name now expands to a number",
                              "fix: keep the enumerator; define the macro to its own name", subject=c.member)
