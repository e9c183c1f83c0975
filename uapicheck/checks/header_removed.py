from __future__ import annotations

from collections.abc import Iterator

from . import ArchContext, Finding, Rule


class HeaderRemoved(Rule):
    """What it detects:
    A header that the old tree installs and the new one does not.

    Who breaks:
    Every program and C library that includes it: the build stops at the
    `#include`.

    Example:
    `linux/a.out.h` installed by the old tree, absent from the new one.

    Fix:
    Keep the header. If its contents moved, leave a header that includes
    their new home.
    """

    code = "UA601"
    name = "header-removed"
    severity = "error"

    def check(self, ctx: ArchContext) -> Iterator[Finding]:
        for c in ctx.pending("header-removed"):
            yield self.at(c, f"header '{c.header}' removed",
                          f"who breaks: every program that includes <{c.header}>",
                          f"fix: keep <{c.header}>; if its contents moved, make it include their new home")
