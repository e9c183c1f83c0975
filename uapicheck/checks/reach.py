"""The headers a run that analyses only what changed (git mode, the
pre-commit hook) must analyse as well, because rules look across headers:
a new OPEN_TREE_* flag is checked against the AT_* flags of
<linux/fcntl.h>, which <linux/mount.h> does not include, and an identifier
a changed macro leaves undefined may be defined by a header it does not
include. With them, such a run finds what a whole-tree run finds."""

from __future__ import annotations

import re
from dataclasses import dataclass
from fnmatch import translate
from functools import lru_cache

from ..arches import ARCHES, Arch
from ..facts import HeaderFacts
from ..sources import KernelFS, Source
from .data import RuleData, literal_start
from .names import defined

DEFINE = rb"^[ \t]*#[ \t]*define[ \t]+(?:%s)\b"
# headers_install only drops words and writes __packed, inline, asm and
# volatile out as these: any other word, or part of one without "__", that
# an installed header has, its raw text has too
INSTALL_WRITES = ("__attribute__((packed))", "__inline__", "__asm__", "__volatile__")


def _globs(data: RuleData) -> list[str]:
    """The names of the declared flag families' members and shared arguments' macros, as globs."""
    return [g for f in data.families.values() for g in f.macros] + [m for s in data.shared for m in s.macros]


def family_pattern(data: RuleData) -> re.Pattern[bytes] | None:
    """Any #define of a member of a declared flag family or shared argument."""
    globs = _globs(data)
    if not globs:
        return None
    alternatives = "|".join(translate(g).removeprefix("(?s:").removesuffix(")\\Z") for g in sorted(set(globs)))
    return re.compile(DEFINE % alternatives.encode(), re.M)


def undefined_here(facts: dict[str, HeaderFacts], arch: str) -> set[str]:
    """Identifiers the analysed headers' macros leave that they do not define."""
    names = defined(facts.values(), arch)
    return {n for f in facts.values() for m in f.macros.values() for n, how in m.free if not names.has(n, how)}


def reach(tree: Source, arches: list[Arch], facts: dict[str, dict[str, HeaderFacts]], data: RuleData,
          marks: dict[str, bool]) -> dict[str, set[str]]:
    """Per arch, the headers of tree (by include name), not among that
    arch's facts, that define a declared flag family's member or an
    identifier the analysed macros need. marks remembers, by content, which
    files define a family member: the same in every run with the same rule
    data (see question())."""
    families = family_pattern(data)
    members = None
    if families is not None:
        # what a match needs in the raw text: a family's literal start
        members = Search(families, _raw([literal_start(g) for g in _globs(data)]))
    defines: dict[str, bool] = {}  # by path: the arches share most files
    out: dict[str, set[str]] = {}
    for arch in arches:
        needed = sorted(undefined_here(facts[arch.name], arch.name))
        words = None
        if needed:
            words = Search(re.compile(rb"\b(?:%s)\b" % b"|".join(re.escape(n.encode()) for n in needed)),
                           _raw(needed))
        out[arch.name] = set()
        for name, path in tree.headers(arch, list(ARCHES.values())):
            if name in facts[arch.name]:
                continue
            if members is not None and path not in defines:
                defines[path] = _marked(marks, tree, path, members)
            if (members is not None and defines[path]) or (words is not None and words.found(tree, path)):
                out[arch.name].add(name)
    return out


def question(data: RuleData) -> str:
    """What reach() asks of each file, whatever the run: marks are kept under it."""
    families = family_pattern(data)
    return "defines a family member: " + (families.pattern.decode() if families is not None else "")


@dataclass(frozen=True)
class Search:
    """A pattern to find in a header's installed text, and one that finds in
    its raw text what every match needs (None where that is not sure)."""

    pattern: re.Pattern[bytes]
    raw: re.Pattern[bytes] | None

    def found(self, tree: Source, path: str) -> bool:
        if self.raw is not None and not _mentions(self.raw, _unedited(tree, path)):
            return False
        try:
            text = tree.fs.read(path)
        except OSError:
            return False
        return self.pattern.search(text) is not None


def _raw(parts: list[str]) -> re.Pattern[bytes] | None:
    """Any of parts; None unless each is sure to be in the raw text as in the installed one."""
    if not all(p and "__" not in p and not any(p in w for w in INSTALL_WRITES) for p in parts):
        return None
    return re.compile(b"|".join(re.escape(p.encode()) for p in sorted(set(parts))))


def _marked(marks: dict[str, bool], tree: Source, path: str, members: Search) -> bool:
    """members.found(), from marks where the same content was seen before."""
    digest = tree.fs.digest(path)
    if digest is None:
        return members.found(tree, path)
    # what reach() reads is the file's content, and whether headers_install edits it
    key = digest + " installed" if isinstance(tree.fs, KernelFS) and tree.fs.installed(path) else digest
    if key not in marks:
        marks[key] = members.found(tree, path)
    return marks[key]


def _unedited(tree: Source, path: str) -> bytes:
    try:
        return tree.fs.unedited(path) if isinstance(tree.fs, KernelFS) else tree.fs.read(path)
    except OSError:
        return b""


@lru_cache(maxsize=8192)  # each arch, and both revisions, read mostly the same files
def _mentions(pattern: re.Pattern[bytes], text: bytes) -> bool:
    return pattern.search(text) is not None
