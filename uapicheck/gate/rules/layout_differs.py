from __future__ import annotations

from collections.abc import Iterator

from ...rulebase import Finding
from ..context import GateContext, GateRule


class GateLayoutDiffers(GateRule):
    """What it detects:
    A struct or union that the libc defines itself and the kernel defines
    too, with a different size, alignment or member offsets.

    Who breaks:
    Programs that pass the libc's struct to the kernel (or the reverse):
    the kernel reads its own layout.

    Example:
    glibc's own `struct mount_attr` missing a member the kernel's has.

    Fix:
    Make the libc's copy the kernel's, member for member, or include the
    kernel header.
    """

    code = "UA706"
    name = "libc-layout-differs"
    severity = "error"

    def check(self, ctx: GateContext) -> Iterator[Finding]:
        if ctx.order != "libc-first":
            return  # a property of the two headers, not of an order: report it once
        a, b = ctx.libc_alone.layouts, ctx.kernel_alone.layouts
        for name in sorted(a.keys() & b.keys()):
            x, y = a[name], b[name]
            if not x.record or ctx.owner(x.file) != "libc" or ctx.owner(y.file) != "kernel":
                continue
            mx, my = x.named_members, y.named_members
            offsets = {m: (mx[m].offset, my[m].offset) for m in mx.keys() & my.keys() if mx[m].offset != my[m].offset}
            if (x.size, x.align) == (y.size, y.align) and not offsets:
                continue  # member names may differ (sin_zero, __pad): the bytes agree
            what = [f"size {x.size} vs {y.size} bytes"] if x.size != y.size else []
            what += [f"align {x.align} vs {y.align}"] if x.align != y.align else []
            what += [f"'{m}' at bit {o[0]} vs {o[1]}" for m, o in sorted(offsets.items())[:3]]
            yield self.finding(ctx.pair.libc, f"{' '.join(ctx.pair.kernel)} {name}", x.loc,
                               f"the libc's '{name}' differs from the kernel's: {', '.join(what)}",
                               (y.loc, "the kernel's definition"),
                               (x.loc, f"fix: make the libc's '{name}' the kernel's member for member ({y.size} "
                                       f"bytes, align {y.align}), or include <{ctx.include_name(y.file)}> instead "
                                       "of copying it"))
