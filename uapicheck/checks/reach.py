"""The headers a run that analyses only what changed (git mode, the
pre-commit hook) must analyse as well, because rules look across headers:
a new OPEN_TREE_* flag is checked against the AT_* flags of
<linux/fcntl.h>, which <linux/mount.h> does not include, and an identifier
a changed macro leaves undefined may be defined by a header it does not
include. With them, such a run finds what a whole-tree run finds."""

from __future__ import annotations

import re
from fnmatch import translate
from functools import lru_cache

from ..arches import ARCHES, Arch
from ..facts import HeaderFacts
from ..sources import KernelFS, Source
from .data import RuleData
from .names import defined

DEFINE = rb"^[ \t]*#[ \t]*define[ \t]+(?:%s)\b"
# headers_install only drops words and writes __packed, inline, asm and
# volatile out as these: any other word, or part of one without "__", that
# an installed header has, its raw text has too
INSTALL_WRITES = ("__attribute__((packed))", "__inline__", "__asm__", "__volatile__")


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
    # what a match needs in the raw text: a family's literal start, a needed word
    parts = [re.split(r"[*?[]", g)[0] for f in data.families.values() for g in f.macros]
    parts += [re.split(r"[*?[]", m)[0] for s in data.shared for m in s.macros] + needed
    sure = all(p and "__" not in p and not any(p in w for w in INSTALL_WRITES) for p in parts)
    raw_match = re.compile(b"|".join(re.escape(p.encode()) for p in sorted(set(parts)))) if sure and parts else None
    out = set()
    for name, path in tree.headers(arch, list(ARCHES.values())):
        if name in facts or (sure and (raw_match is None or not _mentions(raw_match, _unedited(tree, path)))):
            continue
        try:
            text = tree.fs.read(path)
        except OSError:
            continue
        if (families is not None and families.search(text)) or (words is not None and words.search(text)):
            out.add(name)
    return out


def _unedited(tree: Source, path: str) -> bytes:
    try:
        return tree.fs.unedited(path) if isinstance(tree.fs, KernelFS) else tree.fs.read(path)
    except OSError:
        return b""


@lru_cache(maxsize=8192)  # each arch, and both revisions, read mostly the same files
def _mentions(pattern: re.Pattern[bytes], text: bytes) -> bool:
    return pattern.search(text) is not None
