from __future__ import annotations

from . import K, ChangeRule


class MacroIfLost(ChangeRule):
    """What it detects:
    A macro that `#if` could evaluate and now cannot: it expands to a cast,
    `sizeof`, an enum constant, or an identifier that is not a macro where
    the header is included alone.

    Who breaks:
    Code that tests it in `#if`: a cast or `sizeof` is a hard error there;
    an unknown identifier silently counts as 0 and draws -Wundef, an error
    under -Werror.

    Example:
    `#define FOO_MAX 16` becomes `#define FOO_MAX ((__u32)16)`; or
    `#define OPEN_TREE_CLOEXEC O_CLOEXEC` without `<fcntl.h>`.

    Fix:
    Keep a plain integer constant; put a typed variant in a second macro.
    """

    code = "UA104"
    name = "macro-if-lost"
    severity = "warning"
    kinds = (K.MACRO_IF_LOST,)
    who = "'#if {c.name}' fails to compile, or takes 0 under -Wundef"
    fix = 'keep a plain integer constant that #if can evaluate'
