from __future__ import annotations

import os
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ...diagnostics import Location
from ...rulebase import Finding
from ..context import GateContext, GateRule

if TYPE_CHECKING:
    from ...parse import Declarations, TypeRef, Typedef

QUALIFIERS = ("const", "volatile")
MAX_DEPTH = 32  # typedef chains: headers are untrusted input


class GateNameConflict(GateRule):
    """What it detects:
    An ordinary identifier that the libc headers and the kernel headers
    both declare, in ways C does not allow twice: an enumerator of two
    enums, a typedef of two different types (C11 6.7p3 allows a typedef
    again only for the same type), or a typedef and an enumerator.

    Who breaks:
    Every program that includes both, system headers or not: "redeclaration
    of enumerator", "conflicting types for 'Elf64_Addr'" are errors.

    Example:
    glibc's `<elf.h>` says `typedef uint64_t Elf64_Addr;` (`unsigned
    long`), the kernel's `<linux/elf.h>` `typedef __u64 Elf64_Addr;`
    (`unsigned long long`).

    Fix:
    Make the libc's typedef name the kernel's type, or guard the libc's
    declarations with a macro the kernel header defines; enumerators
    cannot be declared twice at all: only one side may declare them.
    """

    code = "UA708"
    name = "libc-name-conflict"
    severity = "error"

    def check(self, ctx: GateContext) -> Iterator[Finding]:
        if ctx.tu.decls is None:
            return
        decls = ctx.tu.decls
        typedefs: dict[str, Typedef] = {}
        first: dict[str, tuple[str, Location, str]] = {}  # name -> kind, where, type
        items = [(e.loc, "enumerator", e.name, "") for enum in decls.enums for e in enum.enumerators]
        items += [(t.loc, "typedef", t.name, canonical(t.type, typedefs, decls)) for t in _in_order(decls, typedefs)]
        for loc, kind, name, type_ in sorted(items, key=lambda i: _order(ctx, i[0])):
            if name not in first:
                first[name] = (kind, loc, type_)
                continue
            kind0, loc0, type0 = first[name]
            if ctx.owner(loc.file) == ctx.owner(loc0.file) or (kind == kind0 == "typedef" and type_ == type0):
                continue
            if kind == kind0 == "enumerator":
                message = f"redeclaration of enumerator '{name}' {ctx.when()}"
                fix = ("fix: an enumerator cannot be declared twice: guard the libc's enum with '#ifndef' of a "
                       f"macro <{ctx.pair.kernel[0]}> defines and include that header first from "
                       f"<{ctx.pair.libc}>, or make the libc's names macros spelled as the kernel's")
            elif kind == kind0:
                message = f"conflicting types for '{name}' {ctx.when()}: '{type_}' here, '{type0}' before"
                kernel = type_ if ctx.owner(loc.file) == "kernel" else type0
                fix = f"fix: make the libc's typedef '{name}' the kernel's type, '{kernel}', or guard it"
            else:
                message = f"'{name}' redeclared as a different kind of symbol {ctx.when()}: a {kind}, a {kind0} before"
                fix = "fix: only one side may declare the name: guard the libc's declaration"
            libc_loc = loc if ctx.owner(loc.file) == "libc" else loc0
            yield self.finding(ctx.pair.libc, ctx.subject(name), loc, message,
                               (loc0, "previous declaration here"), (libc_loc, fix))


def _in_order(decls: Declarations, typedefs: dict[str, Typedef]) -> Iterator[Typedef]:
    """The typedefs, each entered before the next is resolved."""
    for t in decls.typedefs:
        yield t
        typedefs.setdefault(t.name, t)


def _order(ctx: GateContext, loc: Location) -> int:
    """Where loc comes in the unit: the order its files were first read, then the line."""
    files = ctx.tu.unit.files
    return (files.index(loc.file) if loc.file in files else len(files)) * 1_000_000 + loc.line


def canonical(t: TypeRef, typedefs: dict[str, Typedef], decls: Declarations, depth: int = 0) -> str:
    """A spelling equal for the same C type: typedef names resolved,
    integer specifiers in one order, an anonymous struct its own type."""
    if depth > MAX_DEPTH:
        return "?"
    if t.kind == "base":
        return _base(t.names)
    if t.kind == "name":
        td = typedefs.get(t.names[0]) if t.names else None
        return canonical(td.type, typedefs, decls, depth + 1) if td else " ".join(t.names)
    if t.kind in ("ptr", "array") and t.target is not None:
        inner = canonical(t.target, typedefs, decls, depth + 1)
        if t.kind == "ptr":
            return inner + " *"
        return inner + f"[{' '.join(x.text for x in t.dim) if t.dim is not None else ''}]"
    if t.kind in ("record", "enum"):
        decl = t.record if t.kind == "record" else t.enum
        tag = decl.tag if decl is not None else t.tag
        kind = t.record.kind if t.record is not None else (t.names[0] if t.kind == "record" and t.names else "enum")
        if tag:
            return f"{kind} {tag}"
        where = f" at {os.path.basename(decl.loc.file)}:{decl.loc.line}" if decl is not None else ""
        return f"{kind} <anonymous{where}>"
    return t.spelling()


def _base(names: tuple[str, ...]) -> str:
    words = ["signed" if w in ("__signed__", "__signed") else w for w in names if w not in QUALIFIERS]
    quals = "".join(f"{q} " for q in QUALIFIERS if q in names)
    sign = "unsigned " if "unsigned" in words else ""
    if "char" in words:
        core = "signed char" if "signed" in words else f"{sign}char"
    elif "double" in words or "float" in words:
        core = " ".join(w for w in words if w != "signed")
    elif "short" in words:
        core = f"{sign}short"
    elif "long" in words:
        core = sign + " ".join(["long"] * words.count("long"))
    elif "__int128" in words:
        core = f"{sign}__int128"
    elif {"int", "signed", "unsigned"} & set(words):
        core = f"{sign}int"
    else:
        core = " ".join(words)
    return quals + core
