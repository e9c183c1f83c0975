from __future__ import annotations

import re
from collections.abc import Iterator

from ..diagnostics import Location
from ..facts import HeaderFacts, MacroFact
from ..rulebase import Finding, Severity
from . import K, ArchContext, DiffRule
from .data import ByStart
from .families import Family, infer

CHANGED = (K.MACRO_ADDED, K.MACRO_VALUE_CHANGED)
NEAR = 10  # lines: a new member further from every old one starts a block of its own
IDENT = re.compile(r"^[A-Za-z_]\w*$")
Where = tuple[str, MacroFact]  # header, macro


def _is_mask(value: int, others: list[int]) -> bool:
    """A value with several bits that is exactly the union of at least two
    other members: a mask (STATX_BASIC_STATS), not a flag."""
    parts = [v for v in others if v and v != value and v & value == v]
    union = 0
    for v in parts:
        union |= v
    return bin(value).count("1") > 1 and len(parts) >= 2 and union == value


def _own_group(name: str, fam: Family, changed: set[str]) -> bool:
    """Whether name shares a longer prefix than the family's with another
    member, and every member with that prefix is new: a group added together
    (PANFROST_BO_SYNC_* beside the PANFROST_BO_* flags)."""
    rest = name[len(fam.prefix):]
    for i in range(len(rest) - 1, 0, -1):
        if rest[i] == "_":
            prefix = fam.prefix + rest[:i + 1]
            group = [n for n in fam.members if n.startswith(prefix)]
            if len(group) >= 2:
                return all(n in changed for n in group)
    return False


def free_bit(values: list[int]) -> int:
    used = 0
    for v in values:
        used |= v
    bit = 1
    while used & bit:
        bit <<= 1
    return bit


class FlagCollision(DiffRule):
    """What it detects:
    A new or changed flag that shares a bit with another flag of its
    family, or falls inside a field of its family that holds no flags (a
    mask reserved for a signal number). Families are read from the headers
    themselves (a common name prefix in one header, members that are
    single bits, plus masks), and declared in rules/flags.toml where
    inference cannot know them: families split over headers, families
    passed in one argument (`OPEN_TREE_*` with the `AT_*` flags and
    `O_CLOEXEC` in open_tree()'s flags), deliberate overlaps. A collision
    in a declared family is an error, in an inferred one a warning. A flag
    written as another's name (`#define AT_HANDLE_FID AT_REMOVEDIR`) is a
    deliberate alias; masks that are the union of members are not flags;
    an inferred family whose old members already overlap is not checked.

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

    def __init__(self) -> None:
        self._families: dict[tuple[str, tuple[int, ...]], list[Family]] = {}

    def check(self, ctx: ArchContext) -> Iterator[Finding]:
        changed = {c.name for c in ctx.changes if c.kind in CHANGED}
        if not changed:
            return
        declared: set[str] = set()
        yield from self.declared(ctx, changed, declared)
        headers = sorted({c.header for c in ctx.changes if c.kind in CHANGED})
        for header in headers:
            for fam in self.families(header, ctx.new[header]):
                if any(n in declared for n in fam.members):
                    continue
                yield from self.inferred(ctx, fam, changed)

    def families(self, header: str, facts: HeaderFacts) -> list[Family]:
        """infer(header, facts), once for the arches whose macros are the
        same: equal facts are one object (facts.py), alive while the run is."""
        key = (header, tuple(map(id, facts.macros.values())))
        if key not in self._families:
            self._families[key] = infer(header, facts)
        return self._families[key]

    def declared(self, ctx: ArchContext, changed: set[str], members: set[str]) -> Iterator[Finding]:
        """Collisions in rules/flags.toml's families and shared arguments."""
        macros = ctx.macros("new")

        def flags(names: list[str]) -> dict[str, MacroFact]:
            out = {}
            for n in names:
                m = macros[n][1]
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
        by_start = ByStart(macros)
        for fam in ctx.data.families.values():
            names = fam.members(by_start)
            members.update(names)
            member_of[fam.name] = {n: fam.name for n in names}
            groups.append((f"the {fam.name} family ({fam.argument})", None, flags(names)))
        for s in ctx.data.shared:
            owner: dict[str, str] = {}
            for f in s.families:
                owner.update(member_of.get(f, {}))
            owner.update({n: n for n in s.macros if n in macros})
            groups.append((s.argument, owner, flags(list(owner))))
        seen: set[tuple[str, str]] = set()
        for label, owners, group in groups:
            for x in sorted(group):
                if x not in changed:
                    continue
                for y, my in sorted(group.items()):
                    mx = group[x]
                    if y == x or not (mx.value or 0) & (my.value or 0) or (min(x, y), max(x, y)) in seen:
                        continue
                    if owners is not None and owners[x] == owners[y]:
                        continue  # one family: reported as such
                    seen.add((min(x, y), max(x, y)))
                    yield self.collision(ctx, (macros[x][0], mx), (macros[y][0], my), f"in {label}", "error")

    def inferred(self, ctx: ArchContext, fam: Family, changed: set[str]) -> Iterator[Finding]:
        """Collisions in a family read from the header: only where its
        unchanged members are at least three cleanly disjoint bits, and only
        for a new member that joins them (not a group of its own: a longer
        prefix all of whose members are new, or a block far from theirs)."""
        flags = {n: m.value or 0 for n, m in fam.members.items() if n not in fam.masks}
        kept = [v for n, v in flags.items() if n not in changed]
        if any(a & b for i, a in enumerate(kept) for b in kept[i + 1:]) or len(set(kept) & set(fam.singles)) < 3:
            return  # not a clean flag family before the change: overlaps the kernel has long shipped
        fields = {f: mask for f, mask in fam.fields().items() if f not in changed}
        label = f"among the {fam.prefix}* flags of {fam.header}, a family read from the header"
        here = {n: (fam.header, m) for n, m in fam.members.items()}
        old_lines = [m.line for n, m in fam.members.items() if n not in changed]
        for x in sorted(n for n in flags if n in changed and flags[n]):
            if _own_group(x, fam, changed) or min(abs(here[x][1].line - line) for line in old_lines) > NEAR:
                continue
            v = flags[x]
            inside = [f for f, mask in sorted(fields.items()) if v & ~mask == 0]
            if inside:
                mask = fields[inside[0]]
                if any(flags[n] & mask == flags[n] for n in flags if n not in changed):
                    continue  # a field of values, and this is one more value
                yield self.collision(ctx, here[x], here[inside[0]], label, "warning", fam, field=True)
                continue
            for y in sorted(flags):
                if y != x and flags[y] & v and (y not in changed or y > x):
                    yield self.collision(ctx, here[x], here[y], label, "warning", fam)

    def collision(self, ctx: ArchContext, x: Where, y: Where, label: str, severity: Severity,
                  fam: Family | None = None, field: bool = False) -> Finding:
        (hx, mx), (hy, my) = x, y
        vx, vy = mx.value or 0, my.value or 0
        px, py = ctx.new[hx].path, ctx.new[hy].path
        if field:
            message = f"'{mx.name}' ({vx:#x}) falls inside '{my.name}' ({vy:#x}), a field that holds no flags, {label}"
        else:
            message = f"'{mx.name}' ({vx:#x}) shares bit {vx & vy:#x} with '{my.name}' ({vy:#x}) {label}"
        notes = [(Location(py, my.line, my.col), f"'{my.name}' is defined here")]
        here = Location(px, mx.line, mx.col)
        if fam is not None:
            bit = free_bit([m.value or 0 for m in fam.members.values()])
            singles = ", ".join(f"{b:#x}" for b in fam.singles[:6])
            notes.append((here, f"the family: {len(fam.members)} macros whose single bits ({singles}, ...) are "
                          "one argument's; declare it in a rule file (rules/flags.toml's format) to make this an "
                          "error"))
            fix = (f"fix: give '{mx.name}' a bit outside '{my.name}' ({bit:#x} is the lowest free one)" if field
                   else f"fix: give '{mx.name}' a free bit ({bit:#x} is the lowest), or write '#define {mx.name} "
                   f"{my.name}' if it is the same flag")
        else:
            fix = f"fix: give '{mx.name}' a free bit, or write '#define {mx.name} {my.name}' if it is the same flag"
        notes.append((here, fix))
        return Finding(self.code, self.name, severity, hx, f"{mx.name}/{my.name}", here, message, tuple(notes))

