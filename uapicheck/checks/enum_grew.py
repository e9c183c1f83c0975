from __future__ import annotations

from collections.abc import Iterator

from . import ArchContext, Finding, Rule
from .limit_raised import is_sentinel


def enum_values(t: dict | None) -> dict[str, int]:  # type: ignore[type-arg]
    return dict(map(tuple, t["enumerators"])) if t else {}  # type: ignore[arg-type]


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
        if t["kind"] == "enum":
            values = enum_values(t)
            if len(values.keys() & new.keys()) > len(best.keys() & new.keys()):
                best = values
    return best


class EnumGrew(Rule):
    """What it detects:
    An enum that gained enumerators after all its old ones, with only its
    sentinels (`__FOO_MAX`, `FOO_MAX`, `NUM_FOO`, `__FOO_AFTER_LAST`)
    moving up.

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
        by_enum: dict[tuple[str, str], list] = {}  # type: ignore[type-arg]
        for c in ctx.pending("enumerator-added", "enumerator-value-changed", "enumerator-removed"):
            by_enum.setdefault((c.header, c.name), []).append(c)
        for (header, name), changes in by_enum.items():
            if any(c.kind == "enumerator-removed" for c in changes):
                continue
            old = old_enum(ctx, header, name)
            new = enum_values(ctx.new[header].types.get(name))
            if not old:
                continue
            top = max((v for e, v in old.items() if not is_sentinel(e)), default=None)
            added = [c.member for c in changes if c.kind == "enumerator-added"]
            moved = [c.member for c in changes if c.kind == "enumerator-value-changed"]
            if top is None or not added:
                continue
            if any(new[e] <= top and not is_sentinel(e) for e in added):
                continue
            if any(not is_sentinel(e) or new[e] < old[e] for e in moved):
                continue
            ctx.claim(*changes)
            first = next(c for c in changes if c.kind == "enumerator-added")
            what = ", ".join(f"'{e}' = {new[e]}" for e in added)
            bumped = "".join(f"; '{e}' {old[e]} to {new[e]}" for e in moved)
            label = "an anonymous enum" if name.startswith("enum <anonymous") else f"'{name}'"
            yield self.at(first, f"{label} grew at its end: {what}{bumped}", old_note="",
                          subject=f"{name}:{added[0]}")
