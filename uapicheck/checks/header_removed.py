from __future__ import annotations

from . import K, ChangeRule


class HeaderRemoved(ChangeRule):
    """What it detects:
    A header that the old tree installs and the new one does not.

    Who breaks:
    Every program and C library that includes it: the build stops at the
    `#include`.

    Example:
    `linux/a.out.h` installed by the old tree, absent from the new one.

    Fix:
    Keep the header. If its contents moved, leave a header that includes
    their new home.
    """

    code = "UA601"
    name = "header-removed"
    severity = "error"
    kinds = (K.HEADER_REMOVED,)
    message = "header '{c.header}' removed"
    who = 'every program that includes <{c.header}>'
    fix = 'keep <{c.header}>; if its contents moved, make it include their new home'
