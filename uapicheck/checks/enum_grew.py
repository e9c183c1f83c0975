from __future__ import annotations

from collections.abc import Iterator

from ..compare import Change
from ..facts import TypeFact
from ..rulebase import Finding
from . import K, ArchContext, DiffRule
from .limit_raised import is_sentinel, why_benign


def enum_values(t: TypeFact | None) -> dict[str, int]:
    return dict(t.enumerators) if t else {}


def old_enum(ctx: ArchContext, header: str, name: str) -> dict[str, int]:
    """The old enumerators of the enum a change names. Anonymous enums have
    no name to match: the old enum sharing most enumerators is the one."""
    new = enum_values(ctx.new[header].types.get(name))
    facts = ctx.old.get(header)
    if facts is None:
        return {}
    if not name.startswith("enum <anonymous"):
        return enum_values(facts.types.get(name))
    best: dict[str, int] = {}
    for t in facts.types.values():
        if t.kind == "enum":
            values = enum_values(t)
            if len(values.keys() & new.keys()) > len(best.keys() & new.keys()):
                best = values
    return best


def sentinels(old: dict[str, int], new: dict[str, int]) -> set[str]:
    """Enumerators that mark the end: sentinel names, and enumerators that
    had a sentinel's value and move with it (NL80211_AUTHTYPE_AUTOMATIC =
    __NL80211_AUTHTYPE_NUM)."""
    named = {e for e in new if is_sentinel(e) or (e in old and why_benign(e, old[e], new[e]) is not None)}
    moves = {(old[e], new[e]) for e in named if e in old}
    return named | {e for e in new if e in old and (old[e], new[e]) in moves}


class EnumGrew(DiffRule):
    """What it detects:
    An enum that gained enumerators without renumbering any old one but
    its sentinels (`__FOO_MAX`, `FOO_MAX`, `NUM_FOO`, `__FOO_AFTER_LAST`,
    and enumerators defined as one of them), which move up.

    Who breaks:
    Nobody: the way enums are meant to grow. Context for review.

    Example:
    `enum { A, B, __FOO_MAX };` becomes `enum { A, B, C, __FOO_MAX };`.

    Fix:
    Nothing.
    """

    code = "UA304"
    name = "enum-grew"
    severity = "note"

    def check(self, ctx: ArchContext) -> Iterator[Finding]:
        by_enum: dict[tuple[str, str], list[Change]] = {}
        for c in ctx.pending(K.ENUMERATOR_ADDED, K.ENUMERATOR_VALUE_CHANGED, K.ENUMERATOR_REMOVED):
            by_enum.setdefault((c.header, c.name), []).append(c)
        for (header, name), changes in by_enum.items():
            if any(c.kind == K.ENUMERATOR_REMOVED for c in changes):
                continue
            old = old_enum(ctx, header, name)
            new = enum_values(ctx.new[header].types.get(name))
            if not old:
                continue
            ends = sentinels(old, new)
            added = [c.member for c in changes if c.kind == K.ENUMERATOR_ADDED]
            moved = [c.member for c in changes if c.kind == K.ENUMERATOR_VALUE_CHANGED]
            if not added or any(e not in ends or new[e] < old[e] for e in moved):
                continue
            ctx.claim(*changes)
            first = next(c for c in changes if c.kind == K.ENUMERATOR_ADDED)
            what = ", ".join(f"'{e}' = {new[e]}" for e in added)
            bumped = "".join(f"; '{e}' {old[e]} to {new[e]}" for e in moved)
            label = "an anonymous enum" if name.startswith("enum <anonymous") else f"'{name}'"
            yield self.at(first, f"{label} grew at its end: {what}{bumped}", old_note="",
                          subject=f"{name}:{added[0]}")
