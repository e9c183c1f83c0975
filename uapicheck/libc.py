"""The C library beside the kernel headers: which one a header tree is
(glibc and its version from <features.h>; musl from its own headers, its
version from the tree's surroundings), which headers are its own, and
what each of them defines itself: macro names with their spellings,
struct, union and enum tags, enumerators and typedef names, read from
uapicheck's own preprocessor output.

The libc gate discovers which libc and kernel headers overlap from these
definitions; a rule that needs "what does the C library define" can use
them too.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .arches import Arch
from .sources import UAPI_DIRS, libc_dirs
from .tokens import Token

if TYPE_CHECKING:
    from .preprocess.cpp import Unit

PRIVATE_DIRS = ("bits", "gnu")  # included by the public headers, never by programs
KERNEL_DIRS = (*UAPI_DIRS, "asm")
DPKG_INFO = "/var/lib/dpkg/info"  # Debian's file lists tell a libc's headers from other packages'
DPKG_PACKAGES = ("libc6-dev", "musl-dev")
READ_LIMIT = 1 << 16  # bytes read to recognise a library: its headers are untrusted input


@dataclass(frozen=True)
class Libc:
    """A recognised C library: name 'glibc' or 'musl' ('' unrecognised),
    version when known."""

    name: str
    version: str | None = None

    def label(self) -> str:
        if not self.name:
            return "an unrecognised C library"
        return f"{self.name} {self.version}" if self.version else f"{self.name} (version unknown)"


def _head(path: str | Path) -> str:
    try:
        with open(path, "rb") as f:
            return f.read(READ_LIMIT).decode("latin-1")
    except OSError:
        return ""


def recognise(root: str) -> Libc:
    """glibc by __GLIBC__ and __GLIBC_MINOR__ in its <features.h>; musl by
    its generated <bits/alltypes.h>, which guards each type with
    __DEFINED_name (musl's headers carry no version: Debian's changelog
    beside the tree gives it, if present)."""
    features = _head(os.path.join(root, "features.h"))
    major = re.search(r"^\s*#\s*define\s+__GLIBC__\s+(\d+)\s*$", features, re.M)
    minor = re.search(r"^\s*#\s*define\s+__GLIBC_MINOR__\s+(\d+)\s*$", features, re.M)
    if major and minor:
        return Libc("glibc", f"{major.group(1)}.{minor.group(1)}")
    if major:
        return Libc("glibc")
    if "__DEFINED_" in _head(os.path.join(root, "bits", "alltypes.h")):
        return Libc("musl", _musl_version(root))
    return Libc("")


def _musl_version(root: str) -> str | None:
    import gzip  # here only: the other runs do without it

    # Debian: usr/include/<triplet>/ beside usr/share/doc/musl-dev/changelog.Debian.gz
    for up in list(Path(os.path.abspath(root)).parents)[:3]:
        for package in ("musl-dev", "musl"):
            log = up / "share" / "doc" / package / "changelog.Debian.gz"
            try:
                with gzip.open(log, "rb") as f:
                    first = f.read(256).decode("latin-1")
            except (OSError, EOFError):
                continue
            m = re.match(r"musl \((\d+(?:\.\d+)+)", first)
            if m:
                return m.group(1)
    return None


# ---------------------------------------------------------------- headers

def _walk(top: str, skip: Callable[[str], bool]) -> Iterable[tuple[str, str]]:
    for dirpath, dirnames, filenames in os.walk(top):
        rel = os.path.relpath(dirpath, top)
        dirnames[:] = sorted(d for d in dirnames if not skip(os.path.normpath(os.path.join(rel, d))))
        for fn in sorted(filenames):
            if fn.endswith(".h"):
                path = os.path.join(dirpath, fn)
                yield os.path.normpath(os.path.relpath(path, top)), path


def _packaged(root: str) -> set[str] | None:
    """The header paths under root that Debian's libc6-dev or musl-dev
    installed, when root is a system directory dpkg knows; else None."""
    try:
        lists = sorted(n for n in os.listdir(DPKG_INFO)
                       if n.endswith(".list") and n.split(":")[0].removesuffix(".list") in DPKG_PACKAGES)
    except OSError:
        return None
    real = os.path.realpath(root) + os.sep
    found: set[str] = set()
    for name in lists:
        try:
            lines = Path(DPKG_INFO, name).read_text(errors="replace").splitlines()
        except OSError:
            continue
        found |= {os.path.realpath(p) for p in lines if p.endswith(".h") and p.startswith(real)}
    return found or None


def headers(root: str, arch: Arch) -> list[tuple[str, str]]:
    """(include name, path) of the C library's own headers: the tree less
    the kernel's directories and other arches' multiarch directories; its
    multiarch directory for arch shadows the root, as in GCC's search. In a
    system directory dpkg knows (/usr/include), only the files Debian's
    libc6-dev or musl-dev installed: other packages' headers are not the
    C library's."""
    dirs = libc_dirs(root, arch)
    multiarch = dirs[0] if len(dirs) > 1 else None
    packaged = _packaged(root)

    def skip(rel: str) -> bool:
        first = rel.split(os.sep)[0]
        # dpkg's list decides where it has one (glibc installs scsi/sg.h)
        return "-linux-" in first or (packaged is None and first in KERNEL_DIRS)

    found: dict[str, str] = {}
    for top in [d for d in (multiarch, root) if d]:
        for name, path in _walk(top, skip):
            if packaged is None or os.path.realpath(path) in packaged:
                found.setdefault(name, path)
    return sorted(found.items())


def is_private(name: str) -> bool:
    return name.split("/")[0] in PRIVATE_DIRS


# ---------------------------------------------------------------- definitions

@dataclass
class Definitions:
    """What some files define themselves."""

    macros: dict[str, str] = field(default_factory=dict)  # name -> replacement list as spelled
    tags: set[str] = field(default_factory=set)  # 'struct stat', 'enum fsconfig_command'
    enumerators: set[str] = field(default_factory=set)
    typedefs: set[str] = field(default_factory=set)

    def identifiers(self) -> set[str]:
        """Names in the space where macros, enumerators and typedefs meet."""
        return set(self.macros) | self.enumerators | self.typedefs

    def update(self, other: Definitions) -> None:
        for name, spelling in other.macros.items():
            self.macros.setdefault(name, spelling)
        self.tags |= other.tags
        self.enumerators |= other.enumerators
        self.typedefs |= other.typedefs


TYPEDEF_END = {";", ",", "[", ")", "__attribute__"}


def definitions_by_file(unit: Unit) -> dict[str, Definitions]:
    """Every file's own definitions in one preprocessed unit."""
    out: dict[str, Definitions] = {}

    def of(path: str) -> Definitions:
        return out.setdefault(path, Definitions())

    for m in unit.defines:
        of(m.file).macros.setdefault(m.name, m.replacement())
    toks = unit.tokens
    n = len(toks)
    i = 0
    while i < n:
        t = toks[i]
        if t.text in ("struct", "union", "enum") and i + 2 < n and toks[i + 1].kind == "id" \
                and toks[i + 2].text == "{":
            of(t.file).tags.add(f"{t.text} {toks[i + 1].text}")
        if t.text == "enum":
            j = i + 1 + (i + 1 < n and toks[i + 1].kind == "id")
            if j < n and toks[j].text == "{":
                names, i = _enumerators(toks, j)  # on after the body: each token is read once
                of(t.file).enumerators |= names
        elif t.text == "typedef":
            name = _typedef_name(toks, i + 1)
            if name:
                of(t.file).typedefs.add(name)
        i += 1
    return out


def _enumerators(toks: list[Token], brace: int) -> tuple[set[str], int]:
    """The enumerators of the body at brace, and where the body ends."""
    names: set[str] = set()
    depth = 0
    for k in range(brace, len(toks)):
        text = toks[k].text
        if text in ("{", "(", "["):
            depth += 1
        elif text in ("}", ")", "]"):
            depth -= 1
            if depth == 0:
                return names, k
        elif depth == 1 and toks[k].kind == "id" and toks[k - 1].text in ("{", ","):
            names.add(text)
    return names, len(toks)


def _typedef_name(toks: list[Token], start: int) -> str | None:
    """The first declarator name of a typedef: an identifier that a ';',
    ',', '[', ')' or attribute follows, outside braces. The next typedef
    ends the search: each token is read for one typedef at most."""
    depth = 0
    for k in range(start, len(toks) - 1):
        text = toks[k].text
        if text == "{":
            depth += 1
        elif text == "}":
            depth -= 1
        elif text == "typedef" or (depth == 0 and text == ";"):
            return None
        elif depth == 0 and toks[k].kind == "id" and toks[k + 1].text in TYPEDEF_END:
            return text
    return None


def public_definitions(public: list[tuple[str, str]], compile_one: Callable[[str], Unit]) -> dict[str, Definitions]:
    """Each public header's own definitions: its file's, and those of the
    private headers (bits/, gnu/) it reads that no other public header it
    includes reads too (<netinet/in.h> reads <bits/socket.h> through
    <sys/socket.h>: those are <sys/socket.h>'s)."""
    paths = {path: name for name, path in public}
    files: dict[str, set[str]] = {}
    defs: dict[str, dict[str, Definitions]] = {}
    for name, path in public:
        unit = compile_one(name)
        files[name] = set(unit.files)
        defs[name] = definitions_by_file(unit)
    out: dict[str, Definitions] = {}
    for name, path in public:
        included = [paths[f] for f in files[name] if f in paths and paths[f] != name]
        elsewhere = set().union(*(files[p] for p in included)) if included else set()
        own = Definitions()
        for f, d in sorted(defs[name].items()):
            if f == path or (f not in paths and f not in elsewhere and _private_file(f)):
                own.update(d)
        out[name] = own
    return out


def _private_file(path: str) -> bool:
    parts = path.split(os.sep)
    return any(p in PRIVATE_DIRS for p in parts[-3:-1])
