from __future__ import annotations

from . import K, ChangeRule


class EnumeratorRemoved(ChangeRule):
    """What it detects:
    An enumerator that is gone.

    Who breaks:
    Code that uses it no longer compiles.

    Example:
    `FOO_OLD` deleted from `enum foo`.

    Fix:
    Keep it; mark it deprecated in a comment.
    """

    code = "UA301"
    name = "enumerator-removed"
    severity = "error"
    kinds = (K.ENUMERATOR_REMOVED,)
    who = "code that uses '{c.member}' no longer compiles"
    fix = "keep '{c.member}'"
    old_note = ""
