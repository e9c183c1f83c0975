"""Which identifiers user space has: what the UAPI headers of one side
define (macros, tags, typedefs, enumerators, members, functions), what the
compiler predefines or provides, and what a C library defines."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from ..arches import ARCHES
from ..facts import HeaderFacts, MemberFact


def _members(members: tuple[MemberFact, ...], out: set[str]) -> None:
    for m in members:
        if m.name:
            out.add(m.name)
        _members(m.members, out)


@dataclass
class Names:
    """Identifiers by what they can be: a type in a cast or sizeof, a
    function or macro to call, a value."""

    types: set[str] = field(default_factory=set)
    calls: set[str] = field(default_factory=set)
    values: set[str] = field(default_factory=set)

    def has(self, name: str, how: str) -> bool:
        """Whether name, used as how says, is defined; calls holds the macros,
        which may expand to a type or a value where a program includes them."""
        if how == "type":
            return name in self.types or name in self.calls
        if how == "call":
            return name in self.calls
        return name in self.values or name in self.calls

    def add(self, other: Names) -> None:
        self.types |= other.types
        self.calls |= other.calls
        self.values |= other.values


def defined(headers: Iterable[HeaderFacts], arch: str) -> Names:
    """What the headers define, with what the compiler provides on arch."""
    out = Names()
    for facts in headers:
        out.calls.update(facts.macros)
        out.calls.update(facts.declares)
        out.values.update(facts.declares)
        for name, t in facts.types.items():
            if t.kind == "typedef":
                out.types.add(name)
            out.values.update(e for e, _ in t.enumerators)
            _members(t.members, out.values)  # '#define si_pid _sifields._kill._pid'
    out.add(compiler_names())
    out.values.update(ARCHES[arch].predefined())
    return out


@lru_cache(maxsize=1)
def compiler_names() -> Names:
    """What the compiler's own headers define: uapicheck's stand-ins for
    stddef.h, stdint.h, limits.h, stdbool.h and stdarg.h."""
    out = Names()
    for item in resources.files("uapicheck").joinpath("include").iterdir():
        if item.name.endswith(".h"):
            text = item.read_text()
            macros = re.findall(r"^\s*#\s*define\s+(\w+)", text, re.M)
            out.calls.update(macros)
            out.types.update(re.findall(r"\btypedef\b[^;]*?\b(\w+)\s*;", text))
    return out
