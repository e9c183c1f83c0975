from __future__ import annotations

from collections.abc import Iterator

from . import ArchContext, Finding, Rule


class EnumeratorValueChanged(Rule):
    """What it detects:
    An enumerator whose value changed (other than a sentinel moving up as
    its enum grows).

    Who breaks:
    Binaries built with the old value.

    Example:
    `FOO_B = 2` becomes `FOO_B = 3`.

    Fix:
    Keep the value.
    """

    code = "UA302"
    name = "enumerator-value-changed"
    severity = "error"

    def check(self, ctx: ArchContext) -> Iterator[Finding]:
        for c in ctx.pending("enumerator-value-changed"):
            yield self.at(c, c.message, "who breaks: binaries built with the old value",
                          f"fix: keep the value of '{c.member}'")
