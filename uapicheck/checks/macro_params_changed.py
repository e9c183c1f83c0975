from __future__ import annotations

from . import K, ChangeRule


class MacroParamsChanged(ChangeRule):
    """What it detects:
    A function-like macro whose parameters changed, or a macro that became
    function-like or stopped being so.

    Who breaks:
    Every use with the old number of arguments fails to compile; an
    object-like use of a now function-like macro silently stops expanding.

    Example:
    `#define FOO(x) ...` becomes `#define FOO(x, y) ...`.

    Fix:
    Keep the old macro; add a new one with the new signature.
    """

    code = "UA107"
    name = "macro-params-changed"
    severity = "error"
    kinds = (K.MACRO_PARAMS_CHANGED,)
    who = 'every use written for the old parameters'
    fix = 'keep the old macro; add a new one'
