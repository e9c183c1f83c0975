from __future__ import annotations

import re
from collections.abc import Iterator

from ..snapshot import named_members
from . import ArchContext, Finding, Rule

SIZE_VER = re.compile(r"^(\w+)_SIZE_VER(\d+)$")


def size_versions(ctx: ArchContext, header: str, struct: str) -> list[str]:
    """The <PREFIX>_SIZE_VER<n> macros of the new header that version struct."""
    facts = ctx.new.get(header)
    out = []
    for name in sorted(facts.macros if facts else ()):
        m = SIZE_VER.match(name)
        if m and ctx.data.struct_for_prefix(m.group(1)) == struct:
            out.append(name)
    return out


class StructExtended(Rule):
    """What it detects:
    A struct versioned by size (a `<PREFIX>_SIZE_VER<n>` family, or an end
    marker such as `struct rseq`'s `char end[]` whose size the kernel
    announces) that grew only at its end: every old member keeps its
    offset and type, new members come after them.

    Who breaks:
    Nobody: the kernel copies only as many bytes as the caller says it
    knows (`copy_struct_from_user`), and reports the size it uses. This
    is how such structs are meant to grow; the finding gives the new size
    and alignment per arch for review.

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
        seen: set[tuple[str, str]] = set()
        for c in ctx.pending("member-added", "type-size-changed"):
            key = (c.header, c.name)
            if key in seen:
                continue
            seen.add(key)
            a, b = ctx.old[c.header].types.get(c.name), ctx.new[c.header].types.get(c.name)
            if a is None or b is None or b["kind"] != "struct" or b["size"] < a["size"]:
                continue
            marker, why = ctx.data.markers.get(c.name, ("", ""))
            versions = size_versions(ctx, c.header, c.name)
            if not marker and not versions:
                continue
            ma, mb = named_members(a), named_members(b)
            kept = [m for m in ma if m != marker]
            if any(ma[m] != mb.get(m) for m in kept):
                continue
            old_end = max((ma[m]["offset"] + ma[m]["size"] for m in kept), default=0)
            added = [m for m in mb if m not in ma]
            if not added or any(mb[m]["offset"] < old_end for m in added):
                continue
            mine = ctx.of_type(c.header, c.name)
            explained = [x for x in mine if x.kind in ("member-added", "type-size-changed")
                         or (x.kind == "member-offset-changed" and x.member == marker)]
            ctx.claim(*explained)
            names = ", ".join(f"'{mb[m]['type']} {m}' at offset {mb[m]['offset'] // 8}" for m in added)
            how = why if marker else "versioned by " + ", ".join(versions)
            grew = f"size {a['size']} to {b['size']} bytes" if a["size"] != b["size"] else f"size {b['size']} bytes"
            yield self.at(c, f"'{c.name}' extended at its end: {names}; {grew}, align {b['align']}",
                          f"an extension, not a break: {how}", old_note="", subject=c.name)
