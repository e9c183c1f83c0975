from __future__ import annotations

from collections.abc import Iterator

from ..facts import MemberFact, TypeFact
from ..rulebase import Finding
from . import K, ArchContext, DiffRule, per_type


def holes(t: TypeFact) -> list[str]:
    """Implicit padding of a struct, in bytes, as 'N bytes after m'."""
    out: list[str] = []

    def walk(members: tuple[MemberFact, ...], base: int, union: bool) -> int:
        end = base
        for m in members:
            off = base + m.offset
            if not union and off // 8 > (end + 7) // 8 and not m.bitfield:
                out.append(f"{off // 8 - (end + 7) // 8} bytes before '{m.name or '<anonymous>'}'")
            if m.name is None and m.members:
                inner = walk(m.members, off, m.type.startswith("union"))
                end = max(end, inner)
            end = max(end, off + m.size)
        return end

    end = walk(t.members, 0, t.kind == "union")
    tail = t.size - (end + 7) // 8
    if tail > 0 and t.kind == "struct":
        out.append(f"{tail} bytes at the end")
    return out


class ImplicitPadding(DiffRule):
    """What it detects:
    A new struct, or a changed one that gained padding, with bytes no
    member covers: holes between members or padding at the end.

    Who breaks:
    Kernels that copy the struct to user space leak whatever the padding
    held; the kernel cannot check that user space zeroed it, so it can
    never be put to use later. Documentation/process/botching-up-ioctls.rst:
    "pad the entire struct to a multiple of 64 bits".

    Example:
    `struct foo { __u32 a; __u64 b; };` has 4 bytes of padding before `b`
    on x86_64.

    Fix:
    Name the padding: `__u32 pad;` (and check it is zero).
    """

    code = "UA213"
    name = "implicit-padding"
    severity = "warning"

    def check(self, ctx: ArchContext) -> Iterator[Finding]:
        for c in per_type(ctx.changes, K.TYPE_ADDED, K.TYPE_SIZE_CHANGED, K.MEMBER_ADDED, K.MEMBER_OFFSET_CHANGED):
            t = ctx.types_of(c)[1]
            if t is None or t.kind != "struct" or t.packed:
                continue
            found = holes(t)
            old = ctx.old.get(c.header)
            before = old.types.get(c.name) if old else None
            if not found or (before is not None and len(holes(before)) >= len(found)):
                continue
            yield self.at(c, f"'{c.name}' has implicit padding: {', '.join(found)}",
                          "who breaks: the padding can leak kernel memory and can never be put to use, "
                          "since nobody had to zero it",
                          "fix: name the padding (__u32 pad;) and have the kernel check it is zero",
                          old_note="", subject=c.name)
