from __future__ import annotations

from collections.abc import Iterator

from ..facts import amount
from ..rulebase import Finding
from . import K, ArchContext, DiffRule


class MemberTypeChanged(DiffRule):
    """What it detects:
    A member whose type changed while its size stayed the same: a change
    of signedness, of typedef, of an array's element type.

    Who breaks:
    Programs that relied on the old type's meaning: comparisons and
    shifts that change with signedness, `-Wpointer-sign` and
    `-Wincompatible-pointer-types` warnings, C++ overloads.

    Example:
    `__s32 fd;` becomes `__u32 fd;`.

    Fix:
    Keep the type unless the old one was wrong; say so in the commit.
    """

    code = "UA208"
    name = "member-type-changed"
    severity = "warning"

    def check(self, ctx: ArchContext) -> Iterator[Finding]:
        for c in ctx.pending(K.MEMBER_TYPE_CHANGED):
            x, y = ctx.members_of(c)
            if x.size == y.size:
                yield self.at(c, f"type of '{c.name}.{c.member}' changed from '{x.type}' to '{y.type}' "
                              f"(size {amount(y.size, y.bitfield)} kept)",
                              "who breaks: code that relies on the old type's signedness or name")
