from __future__ import annotations

from collections.abc import Iterator

from . import ArchContext, Finding, Rule


class TypeRemoved(Rule):
    """What it detects:
    A struct, union, named enum or typedef that a header no longer
    declares, neither itself nor through the headers it includes.

    Who breaks:
    Every program that names the type: it no longer compiles.

    Example:
    `struct fsxattr` removed from `linux/fs.h`.

    Fix:
    Keep the type; deprecate it in a comment instead.
    """

    code = "UA201"
    name = "type-removed"
    severity = "error"

    def check(self, ctx: ArchContext) -> Iterator[Finding]:
        for c in ctx.pending("type-removed"):
            yield self.at(c, f"'{c.name}' removed from '{c.header}'",
                          f"who breaks: programs that use '{c.name}' no longer compile",
                          f"fix: keep '{c.name}'", old_note="")
