from __future__ import annotations

import re
from collections.abc import Iterator

from ..rulebase import Finding
from . import K, ArchContext, DiffRule

OLD_STYLE = re.compile(r"^(.*)\[(0|1)\]$")


class FlexibleArray(DiffRule):
    """What it detects:
    A trailing `[0]` or `[1]` array turned into a C99 flexible array
    member `[]`, the conversion the kernel made tree-wide for
    `-fstrict-flex-arrays`.

    Who breaks:
    Nobody at run time: the offset of the array is kept. With `[1]`,
    `sizeof` of the struct may shrink; code that sized allocations with it
    allocated a little more than needed.

    Example:
    `__u8 data[0];` becomes `__u8 data[];`.

    Fix:
    Nothing.
    """

    code = "UA211"
    name = "flexible-array"
    severity = "note"

    def check(self, ctx: ArchContext) -> Iterator[Finding]:
        for c in ctx.pending(K.MEMBER_TYPE_CHANGED):
            a, b = ctx.types_of(c)
            if a is None or b is None:
                continue
            ma, mb = a.named_members, b.named_members
            x, y = ma[c.member], mb[c.member]
            m = OLD_STYLE.match(x.type)
            if not m or y.type != f"{m.group(1)}[]" or x.offset != y.offset:
                continue
            if any(ma[n] != mb.get(n) for n in ma if n != c.member):
                continue
            ctx.claim(c)
            size = ""
            if a.size != b.size:
                ctx.claim(*[s for s in ctx.of_type(c.header, c.name) if s.kind == K.TYPE_SIZE_CHANGED])
                size = f"; sizeof shrinks from {a.size} to {b.size} bytes"
            yield self.at(c, f"'{c.name}.{c.member}' is now a flexible array member "
                          f"('{x.type}' to '{y.type}'){size}", old_note="")
