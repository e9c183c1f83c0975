from __future__ import annotations

from collections.abc import Iterator

from . import ArchContext, Finding, Rule


class TypeSizeChanged(Rule):
    """What it detects:
    A struct, union, enum or typedef whose size changed, other than the
    growth of a struct versioned by size (see struct-extended).

    Who breaks:
    Binaries built against the old size: arrays of the type, structs that
    embed it, `sizeof` passed to the kernel, ioctl numbers that encode it.

    Example:
    `struct foo { __u32 a; };` becomes `struct foo { __u32 a; __u32 b; };`.

    Fix:
    Keep the old struct; add a new one (or a size-versioned extension with
    a `_SIZE_VER<n>` macro and a size argument the kernel checks).
    """

    code = "UA202"
    name = "type-size-changed"
    severity = "error"

    def check(self, ctx: ArchContext) -> Iterator[Finding]:
        for c in ctx.pending("type-size-changed"):
            a, b = ctx.old[c.header].types[c.name], ctx.new[c.header].types[c.name]
            d = b["size"] - a["size"]
            yield self.at(c, f"size of '{c.name}' changed from {a['size']} to {b['size']} bytes (by {d:+d})",
                          "who breaks: binaries built with the old size: arrays, embedding structs, sizeof "
                          "arguments, ioctl numbers",
                          "fix: keep the layout; extend with a new struct or a size-versioned one")
