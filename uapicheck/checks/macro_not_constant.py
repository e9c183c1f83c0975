from __future__ import annotations

from collections.abc import Iterator

from . import ArchContext, Finding, Rule


class MacroNotConstant(Rule):
    """What it detects:
    A macro that was an integer constant expression and no longer is (it
    now needs a declaration the header does not make, or is not an
    integer at all).

    Who breaks:
    Code that uses it in array bounds, `case` labels, static initialisers
    or `_Static_assert`.

    Example:
    `#define FOO_SIZE 64` becomes `#define FOO_SIZE foo_size()`.

    Fix:
    Keep an integer constant expression.
    """

    code = "UA109"
    name = "macro-not-constant"
    severity = "warning"

    def check(self, ctx: ArchContext) -> Iterator[Finding]:
        for c in ctx.pending("macro-value-lost"):
            yield self.at(c, c.message, "who breaks: array bounds, case labels and static initialisers using it")
