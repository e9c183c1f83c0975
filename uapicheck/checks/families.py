"""Flag families read from the headers themselves: macros of one header
that share a name prefix and whose values are single bits of one argument,
with the masks that cover them.

A prefix makes a family when, among its macros that are not limits, sizes
or shifts by name and not aliases of another macro, at least three values
are distinct single bits, no three nonzero values are consecutive integers
(1, 2, 3 is an enumeration) and nearly all the rest are masks: unions of
members, or runs of contiguous bits (a field, such as a signal number in
the low byte). Each macro belongs to the longest prefix that makes a family.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..facts import HeaderFacts, MacroFact

# names that are counts, sizes, positions or versions, not bits of an argument
NOT_A_FLAG = re.compile(
    r"(^|_)(MAX|MIN|SHIFT|BITS|BIT_NR|SIZE|SZ|LEN|LENGTH|COUNT|CNT|NUM|NR|OFFSET|OFF|VERSION|VER\d*|MAGIC|FIRST|LAST|"
    r"BASE|END|SENTINEL|WIDTH|ALIGN|IOC)(_|$)")
IDENT = re.compile(r"^[A-Za-z_]\w*$")
MASK_NAME = re.compile(r"(^|_)(MASK|ALL|ANY)$")


def single(v: int) -> bool:
    return v > 0 and v & (v - 1) == 0


def run_of_bits(v: int) -> bool:
    """Several contiguous bits: 0xff, 0x70."""
    low = v & -v
    return v > 0 and not single(v) and single((v // low) + 1)


@dataclass
class Family:
    prefix: str
    header: str
    members: dict[str, MacroFact]  # the flags and masks, by name
    masks: set[str] = field(default_factory=set)

    @property
    def singles(self) -> list[int]:
        return sorted({m.value for m in self.members.values() if m.value is not None and single(m.value)})

    def fields(self) -> dict[str, int]:
        """Masks that are not unions of members: fields of the argument."""
        out = {}
        for name in self.masks:
            v = self.members[name].value or 0
            covered = 0
            for n, m in self.members.items():
                if n not in self.masks and m.value and m.value & v == m.value:
                    covered |= m.value
            if covered != v:
                out[name] = v
        return out


def candidates(facts: HeaderFacts) -> dict[str, MacroFact]:
    """The macros of a header that may be flags: object-like, a value of
    at least 0, not an alias of another macro, not a count or size by name."""
    out = {}
    for name, m in facts.macros.items():
        if m.params is not None or m.value is None or m.value < 0 or NOT_A_FLAG.search(name.strip("_")):
            continue
        if IDENT.match(m.replacement) and m.replacement in facts.macros:
            continue  # an alias: the same flag under another name
        out[name] = m
    return out


def _prefixes(name: str) -> list[str]:
    """'FOO_BAR_BAZ' -> ['FOO_BAR_', 'FOO_'], longest first."""
    body = name.lstrip("_")
    lead = name[:len(name) - len(body)]
    parts = body.split("_")
    return [lead + "_".join(parts[:i]) + "_" for i in range(len(parts) - 1, 0, -1)]


def _masks(members: dict[str, MacroFact]) -> set[str]:
    values = [m.value for m in members.values() if m.value is not None and single(m.value)]
    out = {name for name in members if MASK_NAME.search(name)}
    for name, m in members.items():
        v = m.value or 0
        if v and not single(v):
            parts = [x for x in values if x & v == x]
            union = 0
            for x in parts:
                union |= x
            if (len(parts) >= 2 and union == v) or run_of_bits(v):
                out.add(name)
    return out


def _qualifies(members: dict[str, MacroFact]) -> bool:
    values = {m.value for m in members.values() if m.value is not None}
    singles = [v for v in values if single(v)]
    if len(singles) < 3:
        return False
    if any(v > 0 and v + 1 in values and v + 2 in values for v in values):
        return False  # three in a row: an enumeration
    masks = _masks(members)
    others = [n for n, m in members.items() if m.value and not single(m.value) and n not in masks]
    return len(others) * 4 <= len(members)


def infer(header: str, facts: HeaderFacts) -> list[Family]:
    """The flag families of one header, longest prefixes first."""
    pool = candidates(facts)
    by_prefix: dict[str, list[str]] = {}
    for name in pool:
        for p in _prefixes(name):
            by_prefix.setdefault(p, []).append(name)
    taken: set[str] = set()
    out = []
    for prefix in sorted(by_prefix, key=lambda p: (-len(p), p)):
        members = {n: pool[n] for n in sorted(by_prefix[prefix]) if n not in taken}
        if len(members) >= 3 and _qualifies(members):
            out.append(Family(prefix, header, members, _masks(members)))
            taken.update(members)
    return out
