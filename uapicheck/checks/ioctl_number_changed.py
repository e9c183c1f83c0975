from __future__ import annotations

import re
from collections.abc import Iterator

from ..rulebase import Finding
from . import K, ArchContext, DiffRule
from .struct_extended import extension

IOC = re.compile(r"^\w*_IO(R|W|WR)\s*\(")  # _IOR(...), and wrappers such as DRM_IOWR(...)
# Bits of the size field: 14 on most arches, 13 where _IOC_DIRBITS is 3
# (include/uapi/asm-generic/ioctl.h, arch/{mips,powerpc}/include/uapi/asm/ioctl.h).
SIZE_BITS = {"mips": 13, "powerpc64le": 13}


def type_argument(replacement: str) -> str | None:
    """The type argument of `_IOR(type, nr, T)` or `DRM_IOWR(nr, T)` as written."""
    start = replacement.find("(")
    if start < 0 or not replacement.endswith(")"):
        return None
    depth, args, cur = 0, [], ""
    for ch in replacement[start + 1:-1]:
        if ch == "," and depth == 0:
            args.append(cur.strip())
            cur = ""
            continue
        depth += ch in "([{"
        depth -= ch in ")]}"
        cur += ch
    args.append(cur.strip())
    last = args[-1] if len(args) >= 2 else ""
    return last if re.match(r"^(struct |union |enum )?[A-Za-z_]\w*$", last) else None


def _direction(replacement: str) -> str:
    """'_IOWR' of `_IOWR('N', 0x80, T)`; the whole macro name for wrappers."""
    return replacement.split("(", 1)[0].strip()


def _extensible(ctx: ArchContext, struct: str) -> str | None:
    """Why the kernel accepts both sizes of struct, if it does."""
    header = next((h for h, facts in ctx.new.items() if struct in facts.types), None)
    reason = extension(ctx, header, struct) if header is not None else None
    return reason[1] if reason else None


class IoctlNumberChanged(DiffRule):
    """What it detects:
    An `_IOR`/`_IOW`/`_IOWR` ioctl number that changed because the size of
    its argument type changed: the number encodes `sizeof`.

    Who breaks:
    Binaries built with the old number: the kernel no longer recognises
    it (ENOTTY), or, where it handles both, reads the old layout. Where the
    struct is copied by size (DRM, size-versioned structs) and grew, it is
    an extension: a note.

    Example:
    `struct fsxattr` grows from 28 to 32 bytes; `FS_IOC_FSGETXATTR` goes
    from 0x801c581f to 0x8020581f.

    Fix:
    Keep the struct; add a new ioctl number for a new struct.
    """

    code = "UA401"
    name = "ioctl-number-changed"
    severity = "error"

    def check(self, ctx: ArchContext) -> Iterator[Finding]:
        bits = SIZE_BITS.get(ctx.arch, 14)
        for c in ctx.pending(K.MACRO_VALUE_CHANGED):
            a, b = ctx.both_macros(c)
            if a.value is None or b.value is None or not IOC.match(b.replacement):
                continue
            sa, sb = (a.value >> 16) & ((1 << bits) - 1), (b.value >> 16) & ((1 << bits) - 1)
            if sa == sb:
                continue
            ctx.claim(c)
            arg = type_argument(b.replacement) or "its argument"
            why = f"sizeof({arg}) changed from {sa} to {sb} bytes"
            if a.value >> (16 + bits) != b.value >> (16 + bits):
                why += f", and its direction from {_direction(a.replacement)} to {_direction(b.replacement)}"
            grown = _extensible(ctx, arg) if sb > sa else None
            if grown is not None:
                yield self.at(c, f"ioctl '{c.name}' changed from {a.value:#x} to {b.value:#x}: {why}",
                              f"an extension, not a break: {grown}", severity="note")
                continue
            yield self.at(c, f"ioctl '{c.name}' changed from {a.value:#x} to {b.value:#x}: {why}",
                          "who breaks: binaries built with the old number get ENOTTY or the wrong layout",
                          f"fix: keep the layout of {arg}; give a new struct a new ioctl number")
