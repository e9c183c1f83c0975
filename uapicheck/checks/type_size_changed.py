from __future__ import annotations

from . import K, ChangeRule


class TypeSizeChanged(ChangeRule):
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
    kinds = (K.TYPE_SIZE_CHANGED,)
    who = 'binaries built with the old size: arrays, embedding structs, sizeof arguments, ioctl numbers'
    fix = 'keep the layout; extend with a new struct or a size-versioned one'
