from __future__ import annotations

import re
from collections.abc import Iterator

from ..facts import TypeFact
from ..rulebase import Finding
from . import K, ArchContext, DiffRule, per_type
from .reserved_member_used import is_reserved

SIZE_VER = re.compile(r"^(\w+)_SIZE_VER(\d+)$")
TOUCHED = (K.MEMBER_ADDED, K.TYPE_SIZE_CHANGED, K.MEMBER_OFFSET_CHANGED, K.MEMBER_TYPE_CHANGED, K.MEMBER_REMOVED)


def size_versions(ctx: ArchContext, header: str, struct: str) -> list[str]:
    """The <PREFIX>_SIZE_VER<n> macros of the new header that version struct."""
    facts = ctx.new.get(header)
    out = []
    for name in sorted(facts.macros if facts else ()):
        m = SIZE_VER.match(name)
        if m and ctx.data.struct_for_prefix(m.group(1)) == struct:
            out.append(name)
    return out


def extension(ctx: ArchContext, header: str, struct: str) -> tuple[str, str] | None:
    """(end marker or "", why) if the kernel copies struct by size: a
    size-version family in its header, or rules/extensible.toml."""
    known = ctx.data.extensible(header, struct)
    if known is not None:
        return known
    versions = size_versions(ctx, header, struct)
    return ("", "versioned by " + ", ".join(versions)) if versions else None


def grew_compatibly(a: TypeFact, b: TypeFact, marker: str) -> bool:
    """Every old member keeps its offset and type, except that structs and
    unions inside may grow, reserved members may shrink within their bytes,
    and the end marker may move; the whole does not shrink."""
    if b.size < a.size:
        return False
    ma, mb = a.named_members, b.named_members
    for m, x in ma.items():
        y = mb.get(m)
        if m == marker:
            continue
        if is_reserved(m):
            if y is not None and not (x.offset <= y.offset and y.end <= x.end):
                return False
            continue
        if y is None or y.offset != x.offset:
            return False
        aggregate = x.type.startswith(("struct", "union")) and x.type == y.type
        if x != y and not (aggregate and y.size >= x.size):
            return False
    return b.size > a.size or any(m not in ma for m in mb) or any(
        mb[m].size > x.size for m, x in ma.items() if m in mb and m != marker)


class StructExtended(DiffRule):
    """What it detects:
    A struct that the kernel copies by size (a `<PREFIX>_SIZE_VER<n>`
    family, an end marker such as `struct rseq`'s `char end[]`, or a struct
    or header listed in rules/extensible.toml) that grew compatibly: every
    old member keeps its offset and type, new members come at the end, in
    reserved space, or inside nested structs that grew at their end.

    Who breaks:
    Nobody: the kernel copies only as many bytes as the caller says it
    knows (`copy_struct_from_user`) and zero-fills the rest. This is how
    such structs are meant to grow; the finding gives the new size and
    alignment per arch for review.

    Example:
    `struct rseq` gains `__u64 rseq_rl_cs` before `char end[]`.

    Fix:
    Nothing; add a `<PREFIX>_SIZE_VER<n>` for the new size where the struct
    has such a family.
    """

    code = "UA203"
    name = "struct-extended"
    severity = "note"

    def check(self, ctx: ArchContext) -> Iterator[Finding]:
        for c in per_type(ctx.pending(*TOUCHED), *TOUCHED):
            a, b = ctx.types_of(c)
            if a is None or b is None or not b.record:
                continue
            reason = extension(ctx, c.header, c.name)
            if reason is None:
                continue
            marker, why = reason
            if not grew_compatibly(a, b, marker):
                continue
            ctx.claim(*[x for x in ctx.of_type(c.header, c.name) if x.kind in TOUCHED])
            ma, mb = a.named_members, b.named_members
            added = [m for m in mb if m not in ma]
            names = ", ".join(f"'{mb[m].type} {m}' at offset {mb[m].offset // 8}" for m in added[:4])
            more = f" and {len(added) - 4} more" if len(added) > 4 else ""
            what = f"{names}{more}" if added else "members grew"
            grew = f"size {a.size} to {b.size} bytes" if a.size != b.size else f"size {b.size} bytes"
            yield self.at(c, f"'{c.name}' extended: {what}; {grew}, align {b.align}",
                          f"an extension, not a break: {why}", old_note="", subject=c.name)
