from __future__ import annotations

from collections.abc import Iterator

from ..rulebase import Finding
from . import K, ArchContext, DiffRule


class MacroTokenForm(DiffRule):
    """What it detects:
    A macro whose replacement list changed spelling while its value did
    not: other tokens, or white space added or removed between tokens.
    C11 6.10.3p2 allows a redefinition only with an identical replacement
    list (same tokens, same presence of white space).

    Who breaks:
    Every C library and program that carries its own copy of the old
    definition: GCC now says "'X' redefined", an error under -Werror. In
    Linux 7.0-rc1 `OPEN_TREE_CLONE` went from `1` to `(1 << 0)` and broke
    glibc's build (glibc bug 33921).

    Example:
    `#define OPEN_TREE_CLONE 1` becomes `#define OPEN_TREE_CLONE (1 << 0)`.

    Fix:
    Keep the old spelling, token for token.
    """

    code = "UA103"
    name = "macro-token-form-changed"
    severity = "warning"

    def check(self, ctx: ArchContext) -> Iterator[Finding]:
        old = ctx.macros("old")
        for c in ctx.pending(K.MACRO_TOKEN_FORM_CHANGED):
            m = old[c.name][1]
            was = m.replacement
            params = f"({', '.join(m.params)})" if m.params is not None else ""
            yield self.at(c, c.message,
                          f"who breaks: a C library or program that also defines '{c.name}' as '{was}' now "
                          f"gets \"'{c.name}' redefined\", an error under -Werror",
                          f"fix: keep the old spelling: #define {c.name}{params} {was}")
