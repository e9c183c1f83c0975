from __future__ import annotations

from collections.abc import Iterator

from ..compare import Change
from ..facts import MacroFact
from ..preprocess.lexer import lex_text
from ..rulebase import Finding
from . import K, ArchContext, DiffRule
from .copies import Copy, copies_of, never_together

GROUP = 3  # this many respellings of one kind in one header are one finding


def spelling(m: MacroFact) -> str:
    """The definition as rules/libc-copies.toml writes it."""
    return m.replacement if m.params is None else f"({', '.join(m.params)}) {m.replacement}"


def _strip(tokens: list[str]) -> list[str]:
    """Tokens without the parentheses that enclose all of them."""
    while len(tokens) >= 2 and tokens[0] == "(" and tokens[-1] == ")":
        depth = 0
        for i, t in enumerate(tokens):
            depth += {"(": 1, ")": -1}.get(t, 0)
            if depth == 0 and i < len(tokens) - 1:
                return tokens
        tokens = tokens[1:-1]
    return tokens


def _uncast(tokens: list[str]) -> list[str] | None:
    """The operand of a cast that makes up the whole expression, if it does."""
    tokens = _strip(tokens)
    if len(tokens) >= 4 and tokens[0] == "(" and ")" in tokens:
        end = tokens.index(")")
        words = tokens[1:end]
        if words and all(w.isidentifier() or w == "*" for w in words) and end + 1 < len(tokens):
            return _strip(tokens[end + 1:])
    return None


def _literal(tokens: list[str]) -> bool:
    return len(tokens) == 1 and tokens[0][:1].isdigit()


def kind(a: str, b: str) -> str:
    """What kind of respelling turned replacement list a into b."""
    x, y = [t.text for t in lex_text(a)], [t.text for t in lex_text(b)]
    if x == y:
        return "changed white space"
    if _uncast(x) == _strip(y):
        return "dropped their cast"
    if _uncast(y) == _strip(x):
        return "gained a cast"
    if _strip(x) == _strip(y):
        return "gained parentheses" if len(y) > len(x) else "lost parentheses"
    sx, sy = _strip(x), _strip(y)
    if _literal(sx) and len(sy) == 3 and sy[1] == "<<" and _literal(sy[:1]) and _literal(sy[2:]):
        return "became shifts"
    if _literal(sx) and _literal(sy):
        return "changed how a literal is written"
    return ""


class MacroTokenForm(DiffRule):
    """What it detects:
    A macro whose replacement list changed spelling while its value did
    not: other tokens, or white space added or removed between tokens.
    C11 6.10.3p2 allows a redefinition only with an identical replacement
    list (same tokens, same presence of white space). Where a C library
    defines the macro too, with the old spelling (rules/libc-copies.toml,
    generated from glibc's and musl's headers), it is an error naming the
    library, its header and versions, unless GCC already rejects that
    header with the kernel's in either order (a struct both define: the
    known-conflict matrix, rules/libc-known.json), where no program sees
    both; many respellings of one kind in one header (casts dropped,
    parentheses added) are one finding.

    Who breaks:
    Every C library and program that carries its own copy of the old
    definition: GCC now says "'X' redefined", an error under -Werror. In
    Linux 7.0-rc1 `OPEN_TREE_CLONE` went from `1` to `(1 << 0)` and broke
    glibc's build (glibc bug 33921): glibc 2.36's `<sys/mount.h>` includes
    `<linux/mount.h>` and then defines `OPEN_TREE_CLONE 1` itself.

    Example:
    `#define OPEN_TREE_CLONE 1` becomes `#define OPEN_TREE_CLONE (1 << 0)`.

    Fix:
    Keep the old spelling, token for token.
    """

    code = "UA103"
    name = "macro-token-form-changed"
    severity = "warning"

    def check(self, ctx: ArchContext) -> Iterator[Finding]:
        groups: dict[tuple[str, str], list[tuple[Change, MacroFact, MacroFact]]] = {}
        for c in ctx.pending(K.MACRO_TOKEN_FORM_CHANGED):
            old, new = ctx.macro_pair(c)
            if old is None or new is None:
                continue
            copies = copies_of(c.name, ctx.arch, c.header)
            same = [cp for cp in copies if cp.spelling == spelling(old)]
            how = kind(old.replacement, new.replacement) if old.params == new.params else ""
            if not same and how:
                groups.setdefault((c.header, how), []).append((c, old, new))
                continue
            yield self.single(c, old, same, copies)
        for (header, how), items in groups.items():
            if len(items) < GROUP:
                for c, old, _ in items:
                    yield self.single(c, old, [], copies_of(c.name, ctx.arch, c.header))
                continue
            yield self.grouped(header, how, items)

    def single(self, c: Change, old: MacroFact, same: list[Copy], copies: tuple[Copy, ...]) -> Finding:
        was = old.replacement
        params = f"({', '.join(old.params)})" if old.params is not None else ""
        fix = f"fix: keep the old spelling: #define {c.name}{params} {was}"
        rejected = {cp: never_together(cp, c.header) for cp in same if not cp.kernel_first}
        meet = [cp for cp, why in rejected.items() if why is None]
        apart = [f"{cp.who()} is not affected: it includes <{c.header}>'s definition first and guards its copy"
                 for cp in same if cp.kernel_first]
        apart += [f"{cp.who()} is not affected: GCC rejects it with <{c.header}> in either order ('{why}' "
                  "defined twice), so no program sees both" for cp, why in rejected.items() if why is not None]
        if meet:
            libs = "; ".join(cp.who() for cp in meet)
            breaks = [f"who breaks: the build of {cp.release()} and every program that includes <{cp.header}> and "
                      f"<{c.header}>{', in that order' if cp.guarded else ''}: GCC says \"'{c.name}' redefined\", an "
                      "error under -Werror" for cp in meet]
            return self.at(c, f"{c.message}; {libs} define{'s' if len(meet) == 1 else ''} it as '{was}' too",
                           *breaks, *apart, fix, severity="error")
        notes = [f"who breaks: a C library or program that also defines '{c.name}' as '{was}' now gets "
                 f"\"'{c.name}' redefined\", an error under -Werror"]
        notes += apart
        notes += [f"{cp.who()} spells it '{cp.spelling}', unlike the old and the new definition: the two "
                  "conflicted before" for cp in copies if cp not in same][:2]
        return self.at(c, c.message, *notes, fix)

    def grouped(self, header: str, how: str, items: list[tuple[Change, MacroFact, MacroFact]]) -> Finding:
        items = sorted(items, key=lambda item: (item[0].line, item[0].name))  # in the header's order
        c = items[0][0]
        listed = ", ".join(f"'{x.name}' ('{o.replacement}' to '{n.replacement}')" for x, o, n in items[:3])
        more = f" and {len(items) - 3} more" if len(items) > 3 else ""
        now_if = " (they are now usable in #if)" if all(n.if_ok and not o.if_ok for _, o, n in items) else ""
        return self.at(c, f"{len(items)} macros of '{header}' {how}, values unchanged: {listed}{more}{now_if}",
                       "who breaks: C libraries and programs that carry copies of the old definitions: "
                       "\"redefined\" errors under -Werror",
                       "fix: keep the old spellings, token for token", old_note="", subject=f"{header}:{how}")
