from __future__ import annotations

from collections.abc import Iterator

from ..arches import ARCHES
from ..facts import TypeFact
from ..rulebase import Finding
from . import K, ArchContext, DiffRule, per_type

TOUCHED = (K.TYPE_ADDED, K.TYPE_SIZE_CHANGED, K.MEMBER_ADDED, K.MEMBER_OFFSET_CHANGED, K.MEMBER_TYPE_CHANGED)


Shape = tuple[int, tuple[tuple[str, int], ...]]


def _shape(t: TypeFact) -> Shape:
    return t.size, tuple((n, m.offset) for n, m in t.named_members.items())


class Layout3264(DiffRule):
    """What it detects:
    A new or changed struct whose size or member offsets differ between
    the 32-bit and 64-bit arches of the run (`long`, pointers, or `__u64`
    aligned to 4 on i386).

    Who breaks:
    32-bit programs on a 64-bit kernel: the kernel needs a compat
    translation for every such struct, or reads the wrong bytes.
    Documentation/driver-api/ioctl.rst asks for layouts that are the same
    on both.

    Example:
    `struct foo { __u32 a; __u64 b; };` is 12 bytes on i386, 16 on x86_64.

    Fix:
    Use fixed-size types, `__aligned_u64`, and explicit padding so the
    layout is identical everywhere.
    """

    code = "UA212"
    name = "layout-differs-32-64"
    severity = "warning"

    def check(self, ctx: ArchContext) -> Iterator[Finding]:
        for c in per_type(ctx.changes, *TOUCHED):
            t = ctx.types_of(c)[1]
            if t is None or not t.record:
                continue
            shapes: dict[Shape, list[str]] = {}
            bits: dict[Shape, set[int]] = {}
            for arch, sib in ctx.siblings.items():
                facts = sib.new.get(c.header)
                other = facts.types.get(c.name) if facts else None
                if other is not None:
                    s = _shape(other)
                    shapes.setdefault(s, []).append(arch)
                    bits.setdefault(s, set()).add(ARCHES[arch].types["pointer"][0] * 8)
            if len(shapes) < 2 or len(set().union(*bits.values())) < 2:
                continue
            if len({s[0] for s in shapes}) > 1:
                what = "size " + "; ".join(f"{s[0]} bytes on {', '.join(a)}" for s, a in shapes.items())
            else:
                offsets = [dict(s[1]) for s in shapes]
                name = next(n for n in offsets[0] if len({o.get(n) for o in offsets}) > 1)
                what = f"'{name}' at offset " + "; ".join(
                    f"{dict(s[1]).get(name, 0) // 8} on {', '.join(a)}" for s, a in shapes.items())
            yield self.at(c, f"layout of '{c.name}' differs between 32- and 64-bit arches: {what}",
                          "who breaks: 32-bit programs on 64-bit kernels, unless the kernel translates",
                          "fix: fixed-size types, __aligned_u64 and explicit padding", old_note="",
                          subject=c.name)
