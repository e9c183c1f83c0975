from __future__ import annotations

import re
from collections.abc import Iterator

from ..rulebase import Finding
from . import K, ArchContext, DiffRule

SENTINEL = re.compile(r"(MAX|LAST|LATEST)(_|$)|(^|_)(CNT|COUNT|NUM|NR|NBITS|END)(_|$)|^(__)?(NUM|NR)_|__SUPPORTED$")
MASK = re.compile(r"(^|_)(MASK|FLAGS|ALL|ALLFLAGS|SUPP|SUPPORTED|VALID|FEATURES|IOCTLS|MODES|BITS|LOCKS|RESERVED)(_|$)")
VERSION = re.compile(r"(^|_)VERSION(_|$)")


def is_sentinel(name: str) -> bool:
    return bool(SENTINEL.search(name))


def _bits(v: int) -> int:
    return v & ((1 << 64) - 1)


def why_benign(name: str, a: int, b: int) -> str | None:
    """Why a macro's new value is the expected kind of change, if it is."""
    if VERSION.search(name):
        return f"version '{name}' changed from {a} to {b}"
    if is_sentinel(name) and b > a:
        return f"limit '{name}' raised from {a} to {b}"
    if MASK.search(name):
        x, y = _bits(a), _bits(b)
        if x & y == x and y != x:
            return f"mask '{name}' gained bits {y & ~x:#x} ({a:#x} to {b:#x})"
        if x & y == y and (a < 0 or "RESERVED" in name):
            return f"mask '{name}' gave up bits {x & ~y:#x} ({a:#x} to {b:#x})"
    return None


class LimitRaised(DiffRule):
    """What it detects:
    A macro whose change is the expected kind: a limit (`*_MAX`, `*_CNT`,
    `__*_LAST`, `NUM_*`, `*_SIZE_LATEST`) that grew, a mask of supported
    bits (`*_MASK`, `*_FLAGS`, `*_SUPPORTED`, ...) that gained bits, a
    reserved or complemented mask that gave bits up to new flags, or a
    version number.

    Who breaks:
    Nobody who uses it as intended: binaries sized or masked with the old
    value keep working with what they know. Context for review.

    Example:
    `#define IFLA_MAX 64` becomes `#define IFLA_MAX 65`; `RWF_SUPPORTED`
    goes from 0x7f to 0x1ff.

    Fix:
    Nothing.
    """

    code = "UA110"
    name = "limit-raised"
    severity = "note"

    def check(self, ctx: ArchContext) -> Iterator[Finding]:
        for c in ctx.pending(K.MACRO_VALUE_CHANGED):
            ma, mb = ctx.both_macros(c)
            a, b = ma.value, mb.value
            why = why_benign(c.name, a, b) if a is not None and b is not None else None
            if why:
                ctx.claim(c)
                yield self.at(c, why, old_note="")
