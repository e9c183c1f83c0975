from __future__ import annotations

from collections.abc import Iterator

from ..rulebase import Finding
from . import K, ArchContext, DiffRule


class TypeAdded(DiffRule):
    """What it detects:
    A struct, union, named enum or typedef that is new, with its size and
    alignment on each arch.

    Who breaks:
    Nobody. It is context: a new type is where the layout rules
    (layout-differs-32-64, implicit-padding) look first, and its sizes are
    what user space will depend on from now on.

    Example:
    `struct file_attr` added to `linux/fs.h`: 24 bytes, align 8 (4 on i386).

    Fix:
    Nothing.
    """

    code = "UA216"
    name = "type-added"
    severity = "note"

    def check(self, ctx: ArchContext) -> Iterator[Finding]:
        for c in ctx.pending(K.TYPE_ADDED):
            t = ctx.types_of(c)[1]
            if t is None:
                continue
            yield self.at(c, f"'{c.name}' added: {t.size} bytes, align {t.align}", old_note="")
