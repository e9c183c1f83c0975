from __future__ import annotations

from . import K, ChangeRule


class MemberOffsetChanged(ChangeRule):
    """What it detects:
    A member that moved inside its struct or union.

    Who breaks:
    Binaries built against the old layout read and write the wrong bytes.

    Example:
    A new member inserted before existing ones, or two members reordered.

    Fix:
    Add new members at the end, or in reserved space.
    """

    code = "UA205"
    name = "member-offset-changed"
    severity = "error"
    kinds = (K.MEMBER_OFFSET_CHANGED,)
    who = 'binaries built with the old layout access the wrong bytes'
    fix = 'add members at the end or in reserved space; never reorder'
