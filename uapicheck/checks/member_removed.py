from __future__ import annotations

from . import K, ChangeRule


class MemberRemoved(ChangeRule):
    """What it detects:
    A member that is gone from its struct or union (not renamed, not a
    reserved field put to use).

    Who breaks:
    Source code that uses it no longer compiles; binaries that use it
    access bytes that now mean something else, or nothing.

    Example:
    `__u32 old_flags;` deleted from a struct.

    Fix:
    Keep the member; rename it to `__reserved` if it has no use left.
    """

    code = "UA206"
    name = "member-removed"
    severity = "error"
    kinds = (K.MEMBER_REMOVED,)
    who = "code that uses '{c.member}' no longer compiles"
    fix = "keep '{c.member}'; rename it to a reserved name if it has no use left"
