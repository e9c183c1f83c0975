from __future__ import annotations

from collections.abc import Iterator

from ..compare import Change
from ..rulebase import Finding
from . import K, ArchContext, DiffRule
from .enum_grew import enum_values, old_enum


class EnumeratorValueChanged(DiffRule):
    """What it detects:
    An enumerator whose value changed (other than a sentinel moving up as
    its enum grows); one finding per enum, naming the first few.

    Who breaks:
    Binaries built with the old value.

    Example:
    `FOO_B = 2` becomes `FOO_B = 3`.

    Fix:
    Keep the value.
    """

    code = "UA302"
    name = "enumerator-value-changed"
    severity = "error"

    def check(self, ctx: ArchContext) -> Iterator[Finding]:
        by_enum: dict[tuple[str, str], list[Change]] = {}
        for c in ctx.pending(K.ENUMERATOR_VALUE_CHANGED):
            by_enum.setdefault((c.header, c.name), []).append(c)
        for changes in by_enum.values():
            c = changes[0]
            if len(changes) == 1:
                yield self.at(c, c.message, "who breaks: binaries built with the old value",
                              f"fix: keep the value of '{c.member}'")
                continue
            label = "an anonymous enum" if c.name.startswith("enum <anonymous") else f"'{c.name}'"
            old = old_enum(ctx, c.header, c.name)
            new = enum_values(ctx.new[c.header].types.get(c.name))
            what = ", ".join(f"'{x.member}' from {old[x.member]} to {new[x.member]}" for x in changes[:4])
            more = f" and {len(changes) - 4} more" if len(changes) > 4 else ""
            yield self.at(c, f"{len(changes)} enumerators of {label} changed value: {what}{more}",
                          "who breaks: binaries built with the old values",
                          "fix: keep every value; add new enumerators at the end", subject=c.name)
