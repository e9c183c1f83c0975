from __future__ import annotations

from . import K, ChangeRule


class TypeRemoved(ChangeRule):
    """What it detects:
    A struct, union, named enum or typedef that a header no longer
    declares, neither itself nor through the headers it includes.

    Who breaks:
    Every program that names the type: it no longer compiles.

    Example:
    `struct fsxattr` removed from `linux/fs.h`.

    Fix:
    Keep the type; deprecate it in a comment instead.
    """

    code = "UA201"
    name = "type-removed"
    severity = "error"
    kinds = (K.TYPE_REMOVED,)
    message = "'{c.name}' removed from '{c.header}'"
    who = "programs that use '{c.name}' no longer compile"
    fix = "keep '{c.name}'"
    old_note = ""
