from __future__ import annotations

import re
from collections.abc import Iterator

from ..diagnostics import Location
from ..rulebase import Finding
from . import ArchContext, DiffRule

SIZE_MACRO = re.compile(r"^(\w+)_SIZE_(VER(\d+)|LATEST)$")


class SizeVersionMismatch(DiffRule):
    """What it detects:
    `<PREFIX>_SIZE_VER<n>` and `<PREFIX>_SIZE_LATEST` macros that disagree
    with `sizeof` of the struct they version: the latest version (or
    `_SIZE_LATEST`) must be the struct's size, and the versions must grow.
    Checked where the struct or the macros changed.

    Who breaks:
    Programs and C libraries that pass `<PREFIX>_SIZE_LATEST` as the size
    argument, and kernels that compare it with `sizeof`.

    Example:
    `struct file_attr` grows to 32 bytes and `FILE_ATTR_SIZE_VER1` is
    missing, or `FILE_ATTR_SIZE_LATEST` still says 24.

    Fix:
    Add `<PREFIX>_SIZE_VER<n+1>` with the new size and point
    `<PREFIX>_SIZE_LATEST` at it.
    """

    code = "UA214"
    name = "size-version-mismatch"
    severity = "error"

    def check(self, ctx: ArchContext) -> Iterator[Finding]:
        touched: dict[str, set[str]] = {}
        for c in ctx.changes:
            touched.setdefault(c.header, set()).add(c.name)
        for header, names in sorted(touched.items()):
            facts = ctx.new.get(header)
            if facts is None:
                continue
            families: dict[str, list[tuple[int, str]]] = {}
            for name, m in facts.macros.items():
                match = SIZE_MACRO.match(name)
                if match and m.value is not None:
                    n = int(match.group(3)) if match.group(3) is not None else -1
                    families.setdefault(match.group(1), []).append((n, name))
            for prefix, members in sorted(families.items()):
                struct = ctx.data.struct_for_prefix(prefix)
                t = ctx.type("new", struct)
                if t is None or not (names & {struct, *(n for _, n in members)}):
                    continue
                versions = sorted(x for x in members if x[0] >= 0)
                size = t.size
                problems = []
                latest = [n for i, n in members if i < 0]
                if latest and facts.macros[latest[0]].value != size:
                    problems.append((latest[0], f"'{latest[0]}' is {facts.macros[latest[0]].value} but "
                                     f"sizeof({struct}) is {size}"))
                elif versions and facts.macros[versions[-1][1]].value != size:
                    last = versions[-1][1]
                    problems.append((last, f"'{last}', the latest size version, is {facts.macros[last].value} "
                                     f"but sizeof({struct}) is {size}"))
                values = [facts.macros[n].value for _, n in versions]
                if any(x is not None and y is not None and x >= y for x, y in zip(values, values[1:])):
                    problems.append((versions[-1][1], f"the {prefix}_SIZE_VER<n> values do not grow: "
                                     f"{', '.join(str(v) for v in values)}"))
                for macro, text in problems:
                    m = facts.macros[macro]
                    yield Finding(self.code, self.name, self.severity, header, macro,
                                  Location(facts.path, m.line, m.col), text,
                                  ((Location(facts.path, m.line, m.col),
                                    f"fix: add {prefix}_SIZE_VER{len(versions)} {size} and point "
                                    f"{prefix}_SIZE_LATEST at it"),))
