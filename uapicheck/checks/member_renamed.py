from __future__ import annotations

from collections.abc import Iterator

from ..rulebase import Finding
from . import K, ArchContext, DiffRule


class MemberRenamed(DiffRule):
    """What it detects:
    A member removed and another added at the same offset with the same
    type: a rename.

    Who breaks:
    Source code that uses the old name stops compiling; binaries are not
    affected.

    Example:
    `__u32 flags;` becomes `__u32 fa_flags;`.

    Fix:
    Keep the old name as well, in an anonymous union with the new one.
    """

    code = "UA207"
    name = "member-renamed"
    severity = "error"

    def check(self, ctx: ArchContext) -> Iterator[Finding]:
        for c in ctx.pending(K.MEMBER_REMOVED):
            a, b = ctx.both_types(c)
            old = a.named_members[c.member]
            new_members = b.named_members
            for x in ctx.pending(K.MEMBER_ADDED):
                if (x.header, x.name) != (c.header, c.name):
                    continue
                m = new_members[x.member]
                if (m.offset, m.size, m.type) == (old.offset, old.size, old.type):
                    ctx.claim(c, x)
                    yield self.at(x, f"member '{c.name}.{c.member}' renamed to '{x.member}'",
                                  f"who breaks: source code that uses '{c.member}' no longer compiles",
                                  f"fix: keep '{c.member}' too, in an anonymous union with '{x.member}'",
                                  subject=f"{c.name}.{c.member}")
                    break
