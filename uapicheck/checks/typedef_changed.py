from __future__ import annotations

from . import K, ChangeRule


class TypedefChanged(ChangeRule):
    """What it detects:
    A typedef that names a different type now.

    Who breaks:
    Programs that mix the typedef with the old type (pointers to it, C++
    overloads, `_Generic`); if the size changed too, type-size-changed
    says so as well.

    Example:
    `typedef int __kernel_foo_t;` becomes `typedef long __kernel_foo_t;`.

    Fix:
    Keep the typedef; add a new one.
    """

    code = "UA215"
    name = "typedef-changed"
    severity = "warning"
    kinds = (K.TYPEDEF_CHANGED,)
    who = 'code that mixes the typedef with its old type'
