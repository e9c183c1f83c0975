from __future__ import annotations

from collections.abc import Iterator

from . import ArchContext, Finding, Rule


class TypeAlignChanged(Rule):
    """What it detects:
    A type whose alignment changed.

    Who breaks:
    Binaries with structs that embed the type: its offset inside them, and
    their size, move even when its own size does not.

    Example:
    `__u64 x;` becomes `__aligned_u64 x;` on i386, where `__u64` members are
    4-aligned: the struct's alignment goes from 4 to 8.

    Fix:
    Keep the alignment; pad explicitly instead of raising it.
    """

    code = "UA204"
    name = "type-align-changed"
    severity = "error"

    def check(self, ctx: ArchContext) -> Iterator[Finding]:
        for c in ctx.pending("type-align-changed"):
            a, b = ctx.old[c.header].types[c.name], ctx.new[c.header].types[c.name]
            yield self.at(c, f"alignment of '{c.name}' changed from {a['align']} to {b['align']} bytes",
                          "who breaks: binaries whose structs embed it: its offset in them moves",
                          "fix: keep the alignment; add explicit padding members instead")
