from __future__ import annotations

from collections.abc import Iterator

from . import ArchContext, Finding, Rule


class MemberOffsetChanged(Rule):
    """What it detects:
    A member that moved inside its struct or union.

    Who breaks:
    Binaries built against the old layout read and write the wrong bytes.

    Example:
    A new member inserted before existing ones, or two members reordered.

    Fix:
    Add new members at the end, or in reserved space.
    """

    code = "UA205"
    name = "member-offset-changed"
    severity = "error"

    def check(self, ctx: ArchContext) -> Iterator[Finding]:
        for c in ctx.pending("member-offset-changed"):
            yield self.at(c, c.message,
                          "who breaks: binaries built with the old layout access the wrong bytes",
                          "fix: add members at the end or in reserved space; never reorder")
