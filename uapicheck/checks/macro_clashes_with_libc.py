from __future__ import annotations

from collections.abc import Iterator

from ..rulebase import Finding
from . import K, ArchContext, DiffRule
from .copies import copies_of, never_together
from .macro_token_form import spelling


class MacroClashesWithLibc(DiffRule):
    """What it detects:
    A new macro whose name a C library already defines with another
    spelling (rules/libc-copies.toml, generated from glibc's and musl's
    headers), where a program can include both (not where GCC rejects the
    two headers together anyway: rules/libc-known.json). A respelling of an
    existing macro is macro-token-form-changed.

    Who breaks:
    Translation units that include both the library's header and the
    kernel's: GCC says "'X' redefined" (an error under -Werror, silent only
    where both come from system directories), and if the values differ the
    program gets whichever came last.

    Example:
    The kernel adds `#define MS_NOSYMFOLLOW (1 << 8)` where glibc's
    `<sys/mount.h>` has `MS_NOSYMFOLLOW = 256` ... `#define MS_NOSYMFOLLOW
    MS_NOSYMFOLLOW`.

    Fix:
    Spell it as the library does, token for token, or choose another name.
    """

    code = "UA112"
    name = "macro-clashes-with-libc"
    severity = "warning"

    def check(self, ctx: ArchContext) -> Iterator[Finding]:
        for c in ctx.pending(K.MACRO_ADDED):
            new = ctx.macro_pair(c)[1]
            if new is None:
                continue
            copies = copies_of(c.name, ctx.arch, c.header)
            clash = [cp for cp in copies if cp.spelling != spelling(new)]
            if not clash or len(clash) < len(copies):
                continue  # a library that already agrees shows the spelling is the shared one
            clash = [cp for cp in clash if never_together(cp, c.header) is None]
            if not clash:
                continue  # GCC rejects the two headers together anyway: no program sees both definitions
            cp = clash[0]
            others = "".join(f"; {x.who()} as '{x.spelling}'" for x in clash[1:3])
            yield self.at(c, f"new macro '{c.name}' is '{new.replacement}', but {cp.who()} already defines it as "
                          f"'{cp.spelling}'{others}",
                          f"who breaks: translation units that include <{cp.header}> and <{c.header}>: "
                          f"\"'{c.name}' redefined\", an error under -Werror",
                          f"fix: spell it as the C library does (#define {c.name} {cp.spelling}), or choose "
                          "another name", old_note="")
