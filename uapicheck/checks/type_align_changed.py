from __future__ import annotations

from collections.abc import Iterator

from ..rulebase import Finding
from . import K, ArchContext, DiffRule


class TypeAlignChanged(DiffRule):
    """What it detects:
    A type whose alignment changed.

    Who breaks:
    Binaries with structs that embed the type: its offset inside them, and
    their size, move even when its own size does not.

    Example:
    `__u64 x;` becomes `__aligned_u64 x;` on i386, where `__u64` members are
    4-aligned: the struct's alignment goes from 4 to 8.

    Fix:
    Keep the alignment; pad explicitly instead of raising it. For structs
    the kernel copies by size (rules/extensible.toml) this is a warning:
    only structs embedding them move.
    """

    code = "UA204"
    name = "type-align-changed"
    severity = "error"

    def check(self, ctx: ArchContext) -> Iterator[Finding]:
        for c in ctx.pending(K.TYPE_ALIGN_CHANGED):
            a, b = ctx.both_types(c)
            known = ctx.data.extensible(c.header, c.name)
            if known is not None:
                yield self.at(c, f"alignment of '{c.name}' changed from {a.align} to {b.align} bytes",
                              f"copied by size ({known[1]}): only structs that embed it are affected",
                              severity="warning")
                continue
            yield self.at(c, f"alignment of '{c.name}' changed from {a.align} to {b.align} bytes",
                          "who breaks: binaries whose structs embed it: its offset in them moves",
                          "fix: keep the alignment; add explicit padding members instead")
