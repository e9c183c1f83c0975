from __future__ import annotations

from collections.abc import Iterator

from . import ArchContext, Finding, Rule


class EnumeratorRemoved(Rule):
    """What it detects:
    An enumerator that is gone.

    Who breaks:
    Code that uses it no longer compiles.

    Example:
    `FOO_OLD` deleted from `enum foo`.

    Fix:
    Keep it; mark it deprecated in a comment.
    """

    code = "UA301"
    name = "enumerator-removed"
    severity = "error"

    def check(self, ctx: ArchContext) -> Iterator[Finding]:
        for c in ctx.pending("enumerator-removed"):
            yield self.at(c, c.message, f"who breaks: code that uses '{c.member}' no longer compiles",
                          f"fix: keep '{c.member}'", old_note="")
