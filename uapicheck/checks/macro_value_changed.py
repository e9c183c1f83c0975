from __future__ import annotations

from collections.abc import Iterator

from ..rulebase import Finding
from . import K, ArchContext, DiffRule


class MacroValueChanged(DiffRule):
    """What it detects:
    An integer macro whose value changed; or only its C type, a warning.

    Who breaks:
    Binaries built with the old value pass a number the kernel now reads
    differently; C libraries that define the macro too disagree with the
    kernel's headers.

    Example:
    `#define FOO_FLAG 0x4` becomes `#define FOO_FLAG 0x8`.

    Fix:
    Keep the value; add a new macro for the new meaning.
    """

    code = "UA102"
    name = "macro-value-changed"
    severity = "error"

    def check(self, ctx: ArchContext) -> Iterator[Finding]:
        for c in ctx.pending(K.MACRO_VALUE_CHANGED):
            a, b = ctx.both_macros(c)
            assert a.value is not None and b.value is not None  # a value change has both
            if a.value % (1 << 64) == b.value % (1 << 64):
                # the type alone: comparisons and promotions change, the bits do not
                yield self.at(c, f"macro '{c.name}' changed type from {a.ctype} to {b.ctype} ({a.value} to "
                              f"{b.value}, the same bits)",
                              "who breaks: code whose comparisons or arithmetic depend on the type",
                              f"fix: keep the type: #define {c.name} {a.replacement}", severity="warning")
                continue
            yield self.at(c, c.message, "who breaks: binaries built with the old value",
                          f"fix: keep '{c.name}' as it was; add a new macro")
