from __future__ import annotations

from collections.abc import Iterator

from ..rulebase import Finding
from . import K, ArchContext, DiffRule
from .enum_grew import enum_values, old_enum, sentinels


class EnumeratorInserted(DiffRule):
    """What it detects:
    An enumerator inserted among existing ones, renumbering those after
    it. A `*_MAX` after them does not make it safe.

    Who breaks:
    Binaries built with the old numbers pass values the kernel now reads
    as other enumerators.

    Example:
    `enum { A, B, C };` becomes `enum { A, X, B, C };`: B goes from 1 to 2.

    Fix:
    Add new enumerators at the end, before the sentinel.
    """

    code = "UA303"
    name = "enumerator-inserted"
    severity = "error"

    def check(self, ctx: ArchContext) -> Iterator[Finding]:
        for c in ctx.pending(K.ENUMERATOR_ADDED):
            if c.header not in ctx.old:
                continue
            old = old_enum(ctx, c.header, c.name)
            new = enum_values(ctx.new[c.header].types.get(c.name))
            ends = sentinels(old, new)
            moved = [x for x in ctx.pending(K.ENUMERATOR_VALUE_CHANGED)
                     if (x.header, x.name) == (c.header, c.name)]
            if not any(x.member not in ends for x in moved) or new[c.member] > max(old[x.member] for x in moved):
                continue
            ctx.claim(c, *moved)
            what = ", ".join(f"'{x.member}' from {old[x.member]} to {new[x.member]}" for x in moved[:4])
            more = f" and {len(moved) - 4} more" if len(moved) > 4 else ""
            yield self.at(c, f"'{c.member}' = {new[c.member]} inserted, renumbering {what}{more}",
                          "who breaks: binaries built with the old numbers",
                          "fix: add enumerators at the end, before the sentinel", old_note="")
