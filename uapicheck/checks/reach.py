"""The headers a run that analyses only what changed (git mode, the
pre-commit hook) must analyse as well, because rules look across headers:
a new OPEN_TREE_* flag is checked against the AT_* flags of
<linux/fcntl.h>, which <linux/mount.h> does not include, and an identifier
a changed macro leaves undefined may be defined by a header it does not
include. With them, such a run finds what a whole-tree run finds."""

from __future__ import annotations

import re
from fnmatch import translate

from ..arches import ARCHES, Arch
from ..facts import HeaderFacts
from ..sources import Source
from .data import RuleData
from .names import defined

DEFINE = rb"^[ \t]*#[ \t]*define[ \t]+(?:%s)\b"


def family_pattern(data: RuleData) -> re.Pattern[bytes] | None:
    """Any #define of a member of a declared flag family or shared argument."""
    globs = [g for f in data.families.values() for g in f.macros] + [m for s in data.shared for m in s.macros]
    if not globs:
        return None
    alternatives = "|".join(translate(g).removeprefix("(?s:").removesuffix(")\\Z") for g in sorted(set(globs)))
    return re.compile(DEFINE % alternatives.encode(), re.M)


def undefined_here(facts: dict[str, HeaderFacts], arch: str) -> set[str]:
    """Identifiers the analysed headers' macros leave that they do not define."""
    names = defined(facts.values(), arch)
    return {n for f in facts.values() for m in f.macros.values() for n, how in m.free if not names.has(n, how)}


def reach(tree: Source, arch: Arch, facts: dict[str, HeaderFacts], data: RuleData) -> set[str]:
    """The headers of tree (by include name), not among facts, that define a
    declared flag family's member or an identifier the analysed macros need."""
    families = family_pattern(data)
    needed = sorted(undefined_here(facts, arch.name))
    words = re.compile(rb"\b(?:%s)\b" % b"|".join(re.escape(n.encode()) for n in needed)) if needed else None
    out = set()
    for name, path in tree.headers(arch, list(ARCHES.values())):
        if name in facts:
            continue
        try:
            text = tree.fs.read(path)
        except OSError:
            continue
        if (families is not None and families.search(text)) or (words is not None and words.search(text)):
            out.add(name)
    return out
