from __future__ import annotations

from . import K, ChangeRule


class MacroNotConstant(ChangeRule):
    """What it detects:
    A macro that was an integer constant expression and no longer is (it
    now needs a declaration the header does not make, or is not an
    integer at all).

    Who breaks:
    Code that uses it in array bounds, `case` labels, static initialisers
    or `_Static_assert`.

    Example:
    `#define FOO_SIZE 64` becomes `#define FOO_SIZE foo_size()`.

    Fix:
    Keep an integer constant expression.
    """

    code = "UA109"
    name = "macro-not-constant"
    severity = "warning"
    kinds = (K.MACRO_VALUE_LOST,)
    who = 'array bounds, case labels and static initialisers using it'
