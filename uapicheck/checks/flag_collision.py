from __future__ import annotations

import re
from collections.abc import Iterator

from ..diagnostics import Location
from ..facts import MacroFact
from ..rulebase import Finding
from . import K, ArchContext, DiffRule

CHANGED = (K.MACRO_ADDED, K.MACRO_VALUE_CHANGED)
IDENT = re.compile(r"^[A-Za-z_]\w*$")


def _is_mask(value: int, others: list[int]) -> bool:
    """A value with several bits that is exactly the union of at least two
    other members: a mask (STATX_BASIC_STATS), not a flag."""
    parts = [v for v in others if v and v != value and v & value == v]
    union = 0
    for v in parts:
        union |= v
    return bin(value).count("1") > 1 and len(parts) >= 2 and union == value


class FlagCollision(DiffRule):
    """What it detects:
    A new or changed flag that shares a bit with another flag of its
    family, or of a family passed in the same argument (rules/flags.toml):
    `OPEN_TREE_*` with the `AT_*` flags and `O_CLOEXEC` in open_tree()'s
    flags. A flag written as another's name (`#define AT_HANDLE_FID
    AT_REMOVEDIR`) is a deliberate alias; masks that are the union of
    members are not flags.

    Who breaks:
    Callers that pass one flag get the other's behaviour too; the kernel
    cannot tell them apart.

    Example:
    `#define FS_XFLAG_NEW 0x00040000` next to
    `#define FS_XFLAG_CASEFOLD 0x00040000`.

    Fix:
    Take a free bit; if the reuse is deliberate, write the other flag's
    name as the value.
    """

    code = "UA501"
    name = "flag-collision"
    severity = "error"

    def check(self, ctx: ArchContext) -> Iterator[Finding]:
        macros = ctx.macros("new")
        changed = {c.name for c in ctx.changes if c.kind in CHANGED}
        if not changed:
            return

        def flags(names: list[str]) -> dict[str, MacroFact]:
            out = {}
            for n in names:
                h, m = macros[n]
                if m.value is None or m.value <= 0 or m.params is not None:
                    continue
                if IDENT.match(m.replacement) and m.replacement in macros:
                    continue  # an alias
                out[n] = m
            values = [m.value for m in out.values() if m.value is not None]
            return {n: m for n, m in out.items() if not _is_mask(m.value or 0, values)}

        # (what the bits are, owner family of each name or None, members)
        groups: list[tuple[str, dict[str, str] | None, dict[str, MacroFact]]] = []
        member_of: dict[str, dict[str, str]] = {}
        for fam in ctx.data.families.values():
            names = [n for n in macros if fam.has(n)]
            member_of[fam.name] = {n: fam.name for n in names}
            groups.append((f"the {fam.name} family ({fam.argument})", None, flags(names)))
        for s in ctx.data.shared:
            owner: dict[str, str] = {}
            for f in s.families:
                owner.update(member_of.get(f, {}))
            owner.update({n: n for n in s.macros if n in macros})
            groups.append((s.argument, owner, flags(list(owner))))
        seen: set[tuple[str, str]] = set()
        for label, owners, members in groups:
            for x in sorted(members):
                if x not in changed:
                    continue
                for y, my in sorted(members.items()):
                    mx = members[x]
                    if y == x or not (mx.value or 0) & (my.value or 0) or (min(x, y), max(x, y)) in seen:
                        continue
                    if owners is not None and owners[x] == owners[y]:
                        continue  # one family: reported as such
                    seen.add((min(x, y), max(x, y)))
                    hx, hy = macros[x][0], macros[y][0]
                    common = (mx.value or 0) & (my.value or 0)
                    px, py = ctx.new[hx].path, ctx.new[hy].path
                    yield Finding(self.code, self.name, self.severity, hx, f"{x}/{y}",
                                  Location(px, mx.line, mx.col),
                                  f"'{x}' ({mx.value:#x}) shares bit {common:#x} with '{y}' ({my.value:#x}) in "
                                  f"{label}",
                                  ((Location(py, my.line, my.col), f"'{y}' is defined here"),
                                   (Location(px, mx.line, mx.col),
                                    f"fix: give '{x}' a free bit, or write '#define {x} {y}' if it is the same "
                                    "flag")))
