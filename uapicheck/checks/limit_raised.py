from __future__ import annotations

import re
from collections.abc import Iterator

from . import ArchContext, Finding, Rule

SENTINEL = re.compile(r"(^|_)(MAX|LAST|LATEST|CNT|COUNT|NUM|NR|END)(_|$)|^(__)?(NUM|NR|MAX)_|AFTER_LAST")


def is_sentinel(name: str) -> bool:
    return bool(SENTINEL.search(name))


class LimitRaised(Rule):
    """What it detects:
    A `*_MAX`, `*_CNT`, `__*_LAST`, `NUM_*` or `*_SIZE_LATEST` macro whose
    value grew: the bound of a list that gained entries.

    Who breaks:
    Nobody who uses it as intended; binaries sized with the old bound keep
    working with the entries they know. Context for review.

    Example:
    `#define IFLA_MAX 64` becomes `#define IFLA_MAX 65`.

    Fix:
    Nothing.
    """

    code = "UA110"
    name = "limit-raised"
    severity = "note"

    def check(self, ctx: ArchContext) -> Iterator[Finding]:
        old, new = ctx.macros("old"), ctx.macros("new")
        for c in ctx.pending("macro-value-changed"):
            a, b = old[c.name][1].value, new[c.name][1].value
            if is_sentinel(c.name) and a is not None and b is not None and b > a:
                ctx.claim(c)
                yield self.at(c, f"limit '{c.name}' raised from {a} to {b}", old_note="")
