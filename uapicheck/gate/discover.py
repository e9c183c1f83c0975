"""Which libc and kernel headers overlap: each public libc header and each
kernel header that define a name in common (a macro, a tag, an enumerator
or a typedef) make a pair; rules/libc-pairs.toml adds the pairs this
cannot see (several kernel headers at once)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from .. import libc
from ..arches import ARCHES
from ..sources import InstalledTree, SourceError
from .context import Pair
from .driver import Gate

SHARED_SHOWN = 3  # names a pair shows as the reason it was found


@dataclass
class Plan:
    """The pairs one run checks, and how it came by them."""

    pairs: list[Pair] = field(default_factory=list)
    found: int = 0  # discovered
    listed: int = 0  # from the pairs files, beyond the discovered
    missing: list[Pair] = field(default_factory=list)  # listed, with a header these trees do not have


def kernel_headers(gate: Gate) -> list[tuple[str, str]]:
    try:
        return InstalledTree(gate.kernel_root).headers(gate.arch, list(ARCHES.values()))
    except SourceError:
        return []


def discover(gate: Gate) -> list[Pair]:
    """Pairs of a libc header and one kernel header that define a name in
    common, sorted."""
    own = libc.headers(gate.libc_root, gate.arch)
    public = [(n, p) for n, p in own if not libc.is_private(n)]
    libc_paths = {p for _, p in own}
    ours = libc.public_definitions(public, gate.preprocess)
    by_name: dict[str, set[str]] = {}  # a name the libc defines -> its headers
    for header, d in ours.items():
        for name in d.identifiers() | d.tags:
            by_name.setdefault(name, set()).add(header)
    pairs: list[Pair] = []
    for kname, path in kernel_headers(gate):
        if path in libc_paths:
            continue  # the libc's, in a tree that holds both
        unit = gate.preprocess(kname)
        theirs = libc.definitions_by_file(unit).get(path)
        if theirs is None:
            continue
        hits: dict[str, list[str]] = {}
        for name in sorted(theirs.identifiers() | theirs.tags):
            for header in by_name.get(name, ()):
                hits.setdefault(header, []).append(name)
        pairs += [Pair(h, (kname,), True, tuple(names[:SHARED_SHOWN])) for h, names in hits.items()]
    return sorted(pairs, key=lambda p: (p.libc, p.kernel))


def plan(gate: Gate, listed: list[Pair]) -> Plan:
    """The discovered pairs, then the listed ones discovery does not have
    and whose headers both trees hold."""
    pairs = discover(gate)
    out = Plan(pairs, len(pairs))
    have = set(out.pairs)
    for p in listed:
        if p in have:
            continue
        have.add(p)
        if all(_exists(gate, h) for h in (p.libc, *p.kernel)):
            out.pairs.append(p)
            out.listed += 1
        else:
            out.missing.append(p)
    return out


def _exists(gate: Gate, header: str) -> bool:
    return any(os.path.isfile(os.path.join(d, header)) for d in gate.dirs)
