from __future__ import annotations

import re
from collections.abc import Iterator

from ..facts import MemberFact
from ..rulebase import Finding
from . import K, ArchContext, DiffRule, per_type

RESERVED = re.compile(r"(^|_)(reserved|rsvd|resv|pad|padding|unused|spare)(\d*|_\w*)$|^_*res\d*$", re.I)


def is_reserved(member: str) -> bool:
    """__reserved, pad, mem_rsvd, __spare2, res1, ..."""
    return bool(RESERVED.search(member))


class ReservedMemberUsed(DiffRule):
    """What it detects:
    New members placed inside the bytes of a reserved or padding member
    (`__reserved`, `pad`, `unused`, ...), which shrinks, moves within its
    old bytes or goes, while every other member and the size stay as they
    were.

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
            spans = [(ma[m].offset, ma[m].end) for m in ma if is_reserved(m)]

            def inside(m: MemberFact) -> bool:
                return any(lo <= m.offset and m.end <= hi for lo, hi in spans)

            added = [m for m in mb if m not in ma]
            touched = [m for m in ma if is_reserved(m) and ma[m] != mb.get(m)]
            others_kept = all(ma[m] == mb.get(m) for m in ma if not is_reserved(m))
            if (not added or not others_kept or not all(inside(mb[m]) for m in added)
                    or not all(m not in mb or inside(mb[m]) for m in touched)):
                continue
            ctx.claim(*[x for x in ctx.of_type(c.header, c.name) if x.kind.of_member])
            names = ", ".join(f"'{m}'" for m in added)
            used = ", ".join(f"'{m}'" for m in sorted({m for m in ma if is_reserved(m)
                                                      for n in added if inside(mb[n])}))
            yield self.at(c, f"'{c.name}' puts reserved space to use: {names} in the bytes of {used}",
                          "not a break: reserved bytes had to be zero; zero must keep meaning the old behaviour",
                          old_note="", subject=c.name)
