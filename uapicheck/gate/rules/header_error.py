from __future__ import annotations

from collections.abc import Iterator

from ...rulebase import Finding
from ..context import GateContext, GateRule


class GateHeaderError(GateRule):
    """What it detects:
    Any other error in the translation unit of a pair: a missing include,
    an `#error`, a declaration that does not parse for another reason.

    Who breaks:
    Every program that includes the pair in that order.

    Example:
    a kernel header that includes `<linux/compiler.h>`, which is not
    installed.

    Fix:
    Depends on the error; its location says where to look.
    """

    code = "UA707"
    name = "libc-header-error"
    severity = "error"

    def check(self, ctx: GateContext) -> Iterator[Finding]:
        diags = [d for d in ctx.tu.unit.diagnostics if d.severity == "error"]
        if ctx.tu.decls is not None:
            diags += [d for d in ctx.tu.decls.diagnostics if d.severity == "error" and id(d) not in ctx.explained]
        for d in diags[:1]:
            yield self.finding(ctx.pair.libc, f"{ctx.order}:error", d.location, f"{d.message} {ctx.when()}")
