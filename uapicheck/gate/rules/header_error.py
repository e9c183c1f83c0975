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
    Depends on the error; its location says where to look, and the
    finding says whether each side compiles alone.
    """

    code = "UA707"
    name = "libc-header-error"
    severity = "error"

    def check(self, ctx: GateContext) -> Iterator[Finding]:
        diags = [d for d in ctx.tu.unit.diagnostics if d.severity == "error"]
        if ctx.tu.decls is not None:
            diags += [d for d in ctx.tu.decls.diagnostics if d.severity == "error" and id(d) not in ctx.explained]
        for d in diags[:1]:
            name = ctx.include_name(d.location.file)
            if "No such file" in d.message:
                fix = (f"fix: <{name}> includes a header the trees do not have: install it, or drop the include "
                       "from the installed header")
            else:
                broken = [f"<{h}>" for a, h in ((ctx.libc_alone, ctx.pair.libc),
                                                                (ctx.kernel_alone, ", ".join(ctx.pair.kernel)))
                          if any(x.severity == "error" for x in a.diagnostics)]
                fix = (f"fix: {' and '.join(broken)} {'fails' if len(broken) == 1 else 'fail'} alone too: fix "
                       "that first" if broken else
                       "fix: each side compiles alone, so the two clash here: include them in the order that "
                       "compiles, or not together")
            # the parser's own words would not help: say what GCC would
            message = "this declaration does not compile" if d.code == "parse" else d.message
            yield self.finding(ctx.pair.libc, ctx.subject(f"error in {name}"), d.location,
                               f"{message} {ctx.when()}", (d.location, fix))
