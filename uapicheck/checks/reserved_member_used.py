from __future__ import annotations

import re
from collections.abc import Iterator

from ..facts import MemberFact
from ..rulebase import Finding
from . import K, ArchContext, DiffRule, per_type

RESERVED = re.compile(r"(^|_)(reserved|rsvd|resv|pad|padding|unused|spare|zero)(\d*|_\w*)$|^_*res\d*$", re.I)


def is_reserved(member: str) -> bool:
    """__reserved, pad, mem_rsvd, __spare2, res1, zero, ..."""
    return bool(RESERVED.search(member))


class ReservedMemberUsed(DiffRule):
    """What it detects:
    New members placed inside the bytes of a reserved or padding member
    (by name: reserved, rsvd, pad, padding, spare, unused, zero, with any
    prefix or suffix), which shrinks, moves within its old bytes or goes,
    or inside implicit padding, while every other member and the size stay
    as they were.

    Who breaks:
    Nobody who followed the contract: reserved bytes had to be zero, and
    zero must keep meaning "not used" for the new members.

    Example:
    `__u32 __reserved[4];` becomes `__u32 new_flags; __u32 __reserved[3];`.

    Fix:
    Nothing; make sure zero in the new members means the old behaviour.
    """

    code = "UA210"
    name = "reserved-member-used"
    severity = "note"

    def check(self, ctx: ArchContext) -> Iterator[Finding]:
        kinds = (K.MEMBER_ADDED, K.MEMBER_REMOVED, K.MEMBER_TYPE_CHANGED, K.MEMBER_OFFSET_CHANGED)
        for c in per_type(ctx.pending(*kinds), *kinds):
            a, b = ctx.types_of(c)
            if a is None or b is None or a.size != b.size:
                continue
            ma, mb = a.named_members, b.named_members
            # the old bytes that were free: reserved members, and implicit padding
            spans = [(ma[m].offset, ma[m].end, f"'{m}'") for m in ma if is_reserved(m)]
            spans += [(lo, hi, f"the implicit padding at offset {lo // 8}") for lo, hi in a.gaps]

            def holder(m: MemberFact) -> str | None:
                return next((label for lo, hi, label in spans if lo <= m.offset and m.end <= hi), None)

            added = [m for m in mb if m not in ma]
            touched = [m for m in ma if is_reserved(m) and ma[m] != mb.get(m)]
            others_kept = all(ma[m] == mb.get(m) for m in ma if not is_reserved(m))
            if (not added or not others_kept or not all(holder(mb[m]) for m in added)
                    or not all(m not in mb or holder(mb[m]) for m in touched)):
                continue
            ctx.claim(*[x for x in ctx.of_type(c.header, c.name) if x.kind.of_member])
            names = ", ".join(f"'{m}'" for m in added)
            used = sorted({holder(mb[n]) or "" for n in added})
            padding = any(u.startswith("the implicit padding") for u in used)
            if padding and all(is_reserved(m) for m in added):
                where = ", ".join(f"'{m}' ({mb[m].size // 8} bytes at offset {mb[m].offset // 8})" for m in added)
                yield self.at(c, f"'{c.name}' names its implicit padding: {where}",
                              "not a break; but old callers may have left garbage there: the kernel must not start "
                              "rejecting nonzero bytes in it", old_note="", subject=c.name)
                continue
            notes = ["not a break: reserved bytes had to be zero; zero must keep meaning the old behaviour"]
            if padding:
                notes.append("implicit padding was never required to be zero: unless the kernel checked it, old "
                             "callers may leave garbage where the new member is now read")
            yield self.at(c, f"'{c.name}' puts reserved space to use: {names} in the bytes of {', '.join(used)}",
                          *notes, old_note="", subject=c.name)
