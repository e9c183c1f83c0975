from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Location
from ..rulebase import Finding
from . import ArchContext, DiffRule


class HeaderBroken(DiffRule):
    """What it detects:
    A header that compiled standalone in the old tree and does not in the
    new one, often because a header it includes changed.

    Who breaks:
    Every program that includes it, and `make headers_check`-style tests in
    C libraries. What the header no longer declares because it does not
    compile is not reported again as removed.

    A header that does not compile on either side is a note: its changes
    could not be checked.

    Example:
    `linux/b.h` uses `__kernel_foo_t`, which `linux/a.h` stopped defining.

    Fix:
    Include what the header uses; keep types that other headers use.
    """

    code = "UA602"
    name = "header-broken"
    severity = "error"

    def check(self, ctx: ArchContext) -> Iterator[Finding]:
        for h in sorted(ctx.old.keys() & ctx.new.keys()):
            errors = [d for d in ctx.new[h].diagnostics if d.severity == "error"]
            if not errors:
                continue
            if any(d.severity == "error" for d in ctx.old[h].diagnostics):
                # broken before too: nothing it declares can be compared; say so, never skip silently
                d = errors[0]
                yield Finding(self.code, self.name, "note", h, h, d.location,
                              f"header '{h}' could not be analysed on either side ({d.message}); its changes "
                              "are not checked")
                continue
            ctx.claim(*[c for c in ctx.changes if c.header == h and c.kind.removal])
            d = errors[0]
            notes: list[tuple[Location, str]] = []
            if d.location.file != ctx.new[h].path:
                notes.append((d.location, f"the error is in a file <{h}> includes, which changed"))
            notes.append((Location(ctx.new[h].path), f"who breaks: every program that includes <{h}>"))
            yield Finding(self.code, self.name, self.severity, h, h, d.location,
                          f"header '{h}' no longer compiles standalone: {d.message}", tuple(notes))
