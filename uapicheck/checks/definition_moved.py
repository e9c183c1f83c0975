from __future__ import annotations

from collections.abc import Iterator

from ..rulebase import Finding
from . import K, ArchContext, DiffRule


class DefinitionMoved(DiffRule):
    """What it detects:
    A macro, type or enumerator that left a header but is still defined by
    a header that one includes, so every program still sees it; or a
    struct, union or enum whose tag was renamed with the old tag kept as a
    macro (`#define old_tag new_tag`) and the layout kept.

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
        macros = ctx.macros("new")
        for c in ctx.pending(K.TYPE_REMOVED):
            # a tag renamed, the old one kept as a macro: #define v4l2_isp_params_buffer v4l2_isp_buffer
            kind, _, tag = c.name.partition(" ")
            alias = macros.get(tag)
            if kind in ("struct", "union", "enum") and alias is not None:
                target = f"{kind} {alias[1].replacement}"
                old, new = ctx.type("old", c.name), ctx.type("new", target)
                if old is not None and new is not None and (old.size, old.align) == (new.size, new.align):
                    ctx.claim(c)
                    yield self.at(c, f"'{c.name}' is now '{target}', the old tag kept by "
                                  f"'#define {tag} {alias[1].replacement}'", old_note="")
        headers = list(ctx.new.items())
        at: dict[str, list[int]] = {}  # by path, where the headers are among them
        for i, (_, other) in enumerate(headers):
            at.setdefault(other.path, []).append(i)
        enumerators: dict[str, set[str]] = {}  # by header, those it has: asked for each removed one
        for c in ctx.pending(K.MACRO_REMOVED, K.TYPE_REMOVED, K.ENUMERATOR_REMOVED):
            facts = ctx.new.get(c.header)
            if facts is None:
                continue
            # the headers it includes, in the order of the new side's headers
            for h, other in (headers[i] for i in sorted(i for p in set(facts.includes) for i in at.get(p, ()))):
                if c.kind == K.MACRO_REMOVED:
                    found = c.name in other.macros
                elif c.kind == K.TYPE_REMOVED:
                    found = c.name in other.types
                else:
                    if h not in enumerators:
                        enumerators[h] = set(other.enumerators())
                    found = c.member in enumerators[h]
                if found:
                    ctx.claim(c)
                    what = c.member or c.name
                    yield self.at(c, f"'{what}' moved from '{c.header}' to '{h}', which '{c.header}' includes",
                                  old_note="")
                    break
