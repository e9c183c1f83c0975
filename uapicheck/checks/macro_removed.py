from __future__ import annotations

from . import K, ChangeRule


class MacroRemoved(ChangeRule):
    """What it detects:
    A macro that a header no longer defines, neither itself nor through
    the headers it includes.

    Who breaks:
    Programs that use it no longer compile; `#ifdef` tests turn false
    and silently take another path.

    Example:
    `#define FS_IOC_OLD _IO('f', 9)` deleted.

    Fix:
    Keep the macro, even if the kernel no longer acts on it.
    """

    code = "UA101"
    name = "macro-removed"
    severity = "error"
    kinds = (K.MACRO_REMOVED,)
    who = "code that uses '{c.name}' no longer compiles; '#ifdef {c.name}' turns false"
    fix = "keep '{c.name}'"
    old_note = ""
