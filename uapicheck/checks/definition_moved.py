from __future__ import annotations

from collections.abc import Iterator

from . import ArchContext, Finding, Rule


class DefinitionMoved(Rule):
    """What it detects:
    A macro, type or enumerator that left a header but is still defined by
    a header that one includes, so every program still sees it.

    Who breaks:
    Nobody who includes the header; programs that include only the new
    home get it too. It is context for reviewers.

    Example:
    `FS_IOC_GETFLAGS` moved from `linux/fs.h` to `linux/fs_flags.h`, which
    `linux/fs.h` includes.

    Fix:
    Nothing to fix while the old header keeps including the new one.
    """

    code = "UA603"
    name = "definition-moved"
    severity = "note"

    def check(self, ctx: ArchContext) -> Iterator[Finding]:
        for c in ctx.pending("macro-removed", "type-removed", "enumerator-removed"):
            facts = ctx.new.get(c.header)
            if facts is None:
                continue
            reach = set(facts.includes)
            for h, other in ctx.new.items():
                if other.path not in reach:
                    continue
                if c.kind == "macro-removed":
                    found = c.name in other.macros
                elif c.kind == "type-removed":
                    found = c.name in other.types
                else:
                    found = any(e == c.member for t in other.types.values() if t["kind"] == "enum"
                                for e, _ in t["enumerators"])  # type: ignore[union-attr]
                if found:
                    ctx.claim(c)
                    what = c.member or c.name
                    yield self.at(c, f"'{what}' moved from '{c.header}' to '{h}', which '{c.header}' includes",
                                  old_note="")
                    break
