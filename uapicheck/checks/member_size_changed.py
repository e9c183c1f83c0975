from __future__ import annotations

from collections.abc import Iterator

from ..facts import amount
from ..rulebase import Finding
from . import K, ArchContext, DiffRule


class MemberSizeChanged(DiffRule):
    """What it detects:
    A member whose type changed size.

    Who breaks:
    Binaries built against the old layout read or write the wrong number
    of bytes, and often every later member moves.

    Example:
    `__u32 count;` becomes `__u64 count;`.

    Fix:
    Keep the member; add a wider one at the end, or in reserved space.
    """

    code = "UA209"
    name = "member-size-changed"
    severity = "error"

    def check(self, ctx: ArchContext) -> Iterator[Finding]:
        for c in ctx.pending(K.MEMBER_TYPE_CHANGED):
            x, y = ctx.members_of(c)
            if x.size != y.size:
                d = y.size - x.size
                bits = x.bitfield or y.bitfield
                yield self.at(c, f"'{c.name}.{c.member}' changed from '{x.type}' ({amount(x.size, bits)}) to "
                              f"'{y.type}' ({amount(y.size, bits)}, by {'+' if d > 0 else '-'}{amount(abs(d), bits)})",
                              "who breaks: binaries built with the old layout access the wrong bytes",
                              "fix: keep the member; add a wider one at the end or in reserved space")
