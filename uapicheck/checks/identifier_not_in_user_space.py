from __future__ import annotations

from collections.abc import Iterator

from ..facts import MacroFact
from ..preprocess.lexer import lex_text
from ..rulebase import Finding
from . import K, ArchContext, DiffRule
from .names import Names

TOUCHED = (K.MACRO_ADDED, K.MACRO_TOKEN_FORM_CHANGED, K.MACRO_VALUE_LOST, K.MACRO_IF_LOST, K.MACRO_PARAMS_CHANGED)


def lacking(m: MacroFact | None, names: Names) -> dict[str, str]:
    """The identifiers a use of m needs that user space does not have, with
    how they are used."""
    return {name: how for name, how in (m.free if m else ()) if not names.has(name, how)}


def consequence(name: str, how: str) -> str:
    if how == "type":
        return f"'{name}' is not a type in user space"
    if how == "call":
        return f"'{name}' is not a function or macro in user space"
    return f"'{name}' is not declared in user space"


class IdentifierNotInUserSpace(DiffRule):
    """What it detects:
    A macro, object-like or function-like, whose expansion uses an
    identifier that no UAPI header, the compiler or a C library defines
    (`u64`, `BITS_PER_LONG`, `BIT()`), where the old definition did not:
    the macro now depends on the kernel's own headers. Found from what the
    expansion leaves after every macro of the headers is expanded, so a
    macro that uses a broken one is reported too.

    Who breaks:
    Every program that uses the macro: it fails to compile ("unknown type
    name 'u64'", "implicit declaration of function 'BIT'"), or, in `#if`,
    silently takes the identifier as 0. A macro new in the new headers
    breaks no program yet (a warning): the first to use it will not build.

    Example:
    Linux 7.2's `#define BLK_TC_ACT(act) ((u64)(act) << BLK_TC_SHIFT)` in
    `linux/blktrace_api.h`: every `BLK_TA_*` that uses it stops compiling.

    Fix:
    Use the UAPI spelling (`__u64`, `_BITUL()`, `__BITS_PER_LONG`), or define
    what the macro needs in a UAPI header.
    """

    code = "UA111"
    name = "identifier-not-in-user-space"
    severity = "error"

    def check(self, ctx: ArchContext) -> Iterator[Finding]:
        names_new, names_old = ctx.names("new"), ctx.names("old")
        seen: set[tuple[str, str]] = set()
        for c in ctx.pending(*TOUCHED):
            if (c.header, c.name) in seen:
                continue
            seen.add((c.header, c.name))
            old, new = ctx.macro_pair(c)
            before = lacking(old, names_old)
            added = {n: how for n, how in lacking(new, names_new).items() if n not in before}
            if new is None or not added:
                continue
            ctx.claim(*[x for x in ctx.pending(*TOUCHED) if (x.header, x.name) == (c.header, c.name)])
            if old is None:  # no program uses it yet
                yield self.at(c, self.message(ctx, new, added, "new macro", "depends on"),
                              f"who breaks: no program yet; the first to use '{new.name}' will not build",
                              self.fix(ctx, added), severity="warning")
                continue
            yield self.at(c, self.message(ctx, new, added), f"who breaks: every program that uses '{new.name}'",
                          self.fix(ctx, added), old_note="the old definition was here")

    def message(self, ctx: ArchContext, m: MacroFact, added: dict[str, str], what: str = "macro",
                depends: str = "now depends on") -> str:
        first, how = next(iter(sorted(added.items())))
        more = f" and {', '.join(repr(n) for n in sorted(added)[1:])}" if len(added) > 1 else ""
        direct = first in _identifiers(m.replacement)
        via = "" if direct else self.through(ctx, m, first)
        verb = "uses" if direct else depends
        return (f"{what} '{m.signature}' {verb} '{first}'{more}{via}, which user space does not have: every use "
                f"fails to compile ({consequence(first, how)})")

    def through(self, ctx: ArchContext, m: MacroFact, name: str) -> str:
        """' (through X)' for the macro of m's replacement that brings name in."""
        macros = ctx.macros("new")
        for ident in _identifiers(m.replacement):
            other = macros.get(ident)
            if other is not None and any(n == name for n, _ in other[1].free):
                return f" (through '{ident}')"
        return ""

    def fix(self, ctx: ArchContext, added: dict[str, str]) -> str:
        fixes = [f"'{ctx.data.kernel_only[n][0]}' for '{n}'" for n in sorted(added) if n in ctx.data.kernel_only]
        return f"fix: use the UAPI spelling: {', '.join(fixes)}" if fixes else (
            "fix: define what the macro needs in a UAPI header, or spell it with what user space has")


def _identifiers(replacement: str) -> list[str]:
    """The identifiers written in a replacement list, in order."""
    return [t.text for t in lex_text(replacement) if t.kind == "id"]
