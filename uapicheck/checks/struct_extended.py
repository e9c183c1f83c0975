from __future__ import annotations

import re
from collections.abc import Iterator

from ..facts import TypeFact
from ..rulebase import Finding
from . import K, ArchContext, DiffRule, per_type
from .reserved_member_used import is_reserved

SIZE_VER = re.compile(r"^(\w+)_SIZE_VER(\d+)$")
# a first member that carries the struct's size: the kernel copies that many bytes
SIZE_FIRST = re.compile(r"^(size|argsz|usize|len|length|\w+_len|\w+_size|\w+_sz)$")
# a member that counts a trailing array: the array is a payload, not an end marker
COUNTS = re.compile(r"(^|_)(len|length|size|count|cnt|num|nr|nents|bytes)(_|$)", re.I)
BYTE_TYPES = ("char", "unsigned char", "signed char", "__u8", "__s8")
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


def end_marker(t: TypeFact) -> str | None:
    """A trailing zero-size byte array (struct rseq's `char end[]`) that no
    member counts: its offset is the size of the features a caller knows."""
    members = t.named_members
    if not members:
        return None
    last = max(members.values(), key=lambda m: (m.end, m.offset))
    element = last.type.split("[")[0].strip()
    if (last.name is None or last.size != 0 or element not in BYTE_TYPES
            or any(m.end > last.offset for m in members.values())
            or any(COUNTS.search(n) for n in members if n != last.name)):
        return None
    return last.name


def extension(ctx: ArchContext, header: str, struct: str, old: TypeFact | None = None) -> tuple[str, str] | None:
    """(end marker or "", why) if the kernel copies struct by size: a
    size-version family in its header, an end marker, a first member that
    carries the size (in the old layout, when given), or rules/extensible.toml."""
    known = ctx.data.extensible(header, struct)
    if known is not None:
        return known
    versions = size_versions(ctx, header, struct)
    if versions:
        return "", "versioned by " + ", ".join(versions)
    if old is None or not old.record:
        return None
    marker = end_marker(old)
    if marker is not None:
        return marker, f"members come before the end marker '{marker}', whose offset is the feature size"
    first = min(old.named_members.values(), key=lambda m: m.offset, default=None)
    if first is not None and first.offset == 0 and first.name and SIZE_FIRST.match(first.name):
        return "", f"its first member '{first.name}' carries its size, and the kernel copies that much"
    return None


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
    A struct that the kernel copies by size that grew compatibly: every
    old member keeps its offset and type, new members come at the end, in
    reserved space, or inside nested structs that grew at their end. Read
    from the headers: a `<PREFIX>_SIZE_VER<n>` family; a trailing
    zero-size byte array that no member counts, before which members are
    added (`struct rseq`'s `char end[]`: its offset is the feature size); a
    first member that carries the size (`size`, `argsz`, `*_len`,
    `*_size`). rules/extensible.toml lists what needs kernel knowledge
    (drm, VFIO, ioctl conventions).

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
            reason = extension(ctx, c.header, c.name, a)
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
