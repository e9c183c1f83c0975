"""Where headers come from: an installed tree (``/usr/include``) or a raw
kernel tree (``include/uapi`` and ``arch/*/include/uapi``).

A source answers three questions per arch: which headers are the UAPI
headers to check, which directories ``#include <...>`` searches, and what a
file's bytes are (for a raw tree, after the edits of
``scripts/headers_install.sh``).
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from typing import Callable, Union

from . import packaged
from .arches import ARCHES, Arch
from .errors import UapicheckError
from .preprocess.lexer import MAX_FILE_BYTES

# Directories linux-libc-dev installs (besides each arch's asm/).
UAPI_DIRS = ("linux", "asm-generic", "drm", "misc", "mtd", "rdma", "regulator", "scsi", "sound",
             "video", "xen", "cxl", "fwctl")


@lru_cache(maxsize=1)
def builtin_include_dir() -> str:
    """Our stand-ins for the compiler's own headers (stddef.h, stdarg.h, ...)."""
    return packaged.path("include")


def blob_id(data: bytes) -> str:
    """The id git gives these bytes as a blob, so that files on disk and in
    git objects compare by content without reading the git side."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


class DirFS:
    """Plain files; symbolic links are followed (Debian's asm/ are links)."""

    def read(self, path: str) -> bytes:
        # O_NONBLOCK: a FIFO or device named .h must not hang the run
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                raise OSError(errno.EINVAL, "not a regular file", path)
            with os.fdopen(fd, "rb", closefd=False) as f:
                # one byte more than the limit tells a file over it; asked for at once, the
                # limit's 16 MB are set aside for every header: ask for its size first
                data = f.read(min(st.st_size, MAX_FILE_BYTES) + 1)
                return data + f.read(MAX_FILE_BYTES + 1 - len(data)) if len(data) > st.st_size else data
        finally:
            os.close(fd)

    def is_file(self, path: str) -> bool:
        # anything but a directory: reading it then says what is wrong
        return os.path.exists(path) and not os.path.isdir(path)

    def is_dir(self, path: str) -> bool:
        return os.path.isdir(path)

    def listdir(self, path: str) -> list[str]:
        try:
            return sorted(os.listdir(path))
        except OSError:
            return []

    def walk(self, top: str) -> list[str]:
        """Every file under top, sorted; links to directories not followed."""
        found = []
        for dirpath, dirnames, filenames in os.walk(top, followlinks=False):
            dirnames.sort()
            found += [os.path.join(dirpath, fn) for fn in filenames]
        return sorted(found)

    def digest(self, path: str) -> str | None:
        try:
            return blob_id(self.read(path))
        except OSError:
            return None


class SeenDirFS(DirFS):
    """Plain files, each one's kind and digest found once: the two trees of
    a git-mode run probe the same C library headers (290 in a hook)."""

    def __init__(self) -> None:
        self.files: dict[str, bool] = {}
        self.digests: dict[str, str | None] = {}

    def is_file(self, path: str) -> bool:
        if path not in self.files:
            self.files[path] = super().is_file(path)
        return self.files[path]

    def digest(self, path: str) -> str | None:
        if path not in self.digests:
            self.digests[path] = super().digest(path)
        return self.digests[path]


class GitFS:
    """Files of one git tree (a commit or the index), read from git objects.
    Paths are root + the path in the repository."""

    def __init__(self, root: str, blobs: dict[str, str], reader: Callable[[str], bytes]) -> None:
        self.root = root
        top = os.path.normpath(root)  # git's paths are normalised already
        self.blobs = {os.path.join(top, p) if top != "." else p: b for p, b in blobs.items()}
        self.reader = reader
        self.dirs: set[str] = set()
        # what each folder holds: the trees list arch/'s 23 folders, and walk 40 of theirs, a run
        self.children: dict[str, set[str]] = {}
        for p in self.blobs:
            parent, name = os.path.split(p)
            self.children.setdefault(parent, set()).add(name)
            while parent and parent not in self.dirs:
                self.dirs.add(parent)
                parent, name = os.path.split(parent)
                self.children.setdefault(parent, set()).add(name)

    def read(self, path: str) -> bytes:
        blob = self.blobs.get(os.path.normpath(path))
        if blob is None:
            raise FileNotFoundError(2, "No such file in this revision", path)
        return self.reader(blob)

    def is_file(self, path: str) -> bool:
        return os.path.normpath(path) in self.blobs

    def is_dir(self, path: str) -> bool:
        return os.path.normpath(path) in self.dirs

    def listdir(self, path: str) -> list[str]:
        return sorted(self.children.get(os.path.normpath(path), ()))

    def walk(self, top: str) -> list[str]:
        found = []
        todo = [os.path.normpath(top)]
        while todo:
            folder = todo.pop()
            for name in self.children.get(folder, ()):
                p = os.path.join(folder, name)
                if p in self.blobs:
                    found.append(p)
                elif p in self.dirs:
                    todo.append(p)
        return sorted(found)

    def digest(self, path: str) -> str | None:
        return self.blobs.get(os.path.normpath(path))


class SourceError(UapicheckError):
    pass


@lru_cache(maxsize=1)
def minimal_libc_dir() -> str:
    """uapicheck's minimal C library: the types and constants UAPI headers
    lean on, laid out as glibc lays them out (time64 included), for arches
    the machine has no C library for."""
    return packaged.path("libc")


MINIMAL = "none"  # --libc none: uapicheck's minimal C library on every arch


def libc_dirs(libc: str, arch: Arch) -> list[str]:
    """The directories of a C library tree for arch: its multiarch directory
    (glibc's x86_64 headers serve -m32 and -mx32 too, as gcc-multilib uses
    them), then the tree."""
    family = [arch] + [a for a in ARCHES.values() if a.kernel_arch == arch.kernel_arch and a is not arch]
    multiarch = [os.path.join(libc, t) for a in family for t in a.triplets if os.path.isdir(os.path.join(libc, t))]
    return multiarch[:1] + [libc]


def _has_libc(root: str) -> bool:
    return os.path.isfile(os.path.join(root, "features.h"))


@dataclass(frozen=True)
class Libc:
    """The C library a program includes with the UAPI headers (a few of
    them include <sys/time.h> or <string.h> outside __KERNEL__, and some
    use size_t or struct timespec without including anything): a tree
    given with --libc; by default the machine's for each arch that has one
    (/usr/include, or a cross toolchain's /usr/<triplet>/include);
    uapicheck's minimal one for the others, or everywhere with --libc none."""

    root: str | None = None  # None: the machine's; MINIMAL: uapicheck's own

    def dirs(self, arch: Arch) -> list[str]:
        if self.root == MINIMAL:
            return [minimal_libc_dir()]
        if self.root is not None:
            return libc_dirs(self.root, arch)
        native = libc_dirs("/usr/include", arch)
        if _has_libc("/usr/include") and len(native) > 1:
            return native
        for t in arch.triplets:
            cross = os.path.join("/usr", t, "include")
            if _has_libc(cross):
                return [cross]
        return [minimal_libc_dir()]

    def name(self, arch: Arch) -> str:
        """Where the C library's headers come from on arch, for notes."""
        first = self.dirs(arch)[-1]
        return "uapicheck's minimal C library" if first == minimal_libc_dir() else f"the C library in {first}"

    def owns(self, path: str) -> bool | None:
        """For a path in a C library's tree: True for its own headers, False
        for the kernel headers installed beside them (never used: the tree
        under test has its own). None for paths elsewhere."""
        prefixes = _prefixes(self.root)
        if not path.startswith(prefixes):  # most paths a run asks about: at once
            return None
        for prefix in prefixes[:-1]:
            if path.startswith(prefix):
                parts = path[len(prefix):].split(os.sep)
                return not (set(parts[:2]) & {*UAPI_DIRS, "asm"})
        return True  # uapicheck's minimal C library


@lru_cache(maxsize=None)
def _prefixes(root: str | None) -> tuple[str, ...]:
    """Libc(root)'s trees, then uapicheck's minimal C library: asked for
    every file a run looks at (a hook asks 20,000 times)."""
    if root is None:  # the machine's
        trees = ["/usr/include", *(os.path.join("/usr", t, "include") for a in ARCHES.values() for t in a.triplets)]
    else:
        trees = [root] if root != MINIMAL else []
    return (*dict.fromkeys(t + os.sep for t in trees), minimal_libc_dir() + os.sep)


class InstalledFS(DirFS):
    """An installed tree, with the C library's own headers when the tree
    has none (a linux-libc-dev tree alone)."""

    def __init__(self, libc: Libc | None = None) -> None:
        self.libc = libc

    def is_file(self, path: str) -> bool:
        return (self.libc is None or self.libc.owns(path) is not False) and super().is_file(path)


@dataclass
class InstalledTree:
    """A tree laid out as `make headers_install` and Debian install it."""

    root: str
    fs: DirFS = field(default_factory=DirFS)
    predefined: dict[str, str] = field(default_factory=dict)
    libc: Libc | None = field(default_factory=Libc)  # None: the tree has its own (/usr/include)

    def __post_init__(self) -> None:
        if os.path.isfile(os.path.join(self.root, "stdio.h")):
            self.libc = None
        if type(self.fs) is DirFS:
            self.fs = InstalledFS(self.libc)

    def asm_dir(self, arch: Arch, siblings: list[Arch]) -> str | None:
        for a in [arch] + [s for s in siblings if s.kernel_arch == arch.kernel_arch and s is not arch]:
            for t in a.triplets:
                d = os.path.join(self.root, t)
                if os.path.isdir(os.path.join(d, "asm")):
                    return d
        if os.path.isdir(os.path.join(self.root, "asm")):
            # a plain headers_install tree: one arch's asm/ sits in the root
            found = self.plain_asm()
            if found is not None and found[0] != arch.kernel_arch:
                family = [a.name for a in ARCHES.values() if a.kernel_arch == found[0]]
                raise SourceError(f"{self.root}: its asm/ headers are the {found[0]} kernel arch's (asm/{found[1]}), "
                                  f"not {arch.name}'s: use --arch {', '.join(family)}")
            return None
        raise SourceError(f"{self.root}: no asm/ headers for {arch.name} (looked for {', '.join(arch.triplets)})")

    def plain_asm(self) -> tuple[str, str] | None:
        """(kernel arch, marker file) that the root's asm/ belongs to, read
        from the files only that arch installs; None where no marker tells."""
        names = set(os.listdir(os.path.join(self.root, "asm")))
        for a in ARCHES.values():
            marker = next((m for m in a.asm_markers if m in names), None)
            if marker is not None:
                return a.kernel_arch, marker
        return None

    def arches_unknown(self) -> bool:
        """A plain asm/ with headers that no marker assigns to an arch."""
        asm = os.path.join(self.root, "asm")
        return (not any(os.path.isdir(os.path.join(self.root, t, "asm")) for a in ARCHES.values() for t in a.triplets)
                and os.path.isdir(asm) and bool(os.listdir(asm)) and self.plain_asm() is None)

    def include_dirs(self, arch: Arch, siblings: list[Arch]) -> list[str]:
        asm = self.asm_dir(arch, siblings)
        dirs = [builtin_include_dir()]
        if asm:
            dirs.append(asm)
        dirs.append(self.root)
        return dirs + (self.libc.dirs(arch) if self.libc else [])

    def headers(self, arch: Arch, siblings: list[Arch]) -> list[tuple[str, str]]:
        """(name as included, path) of every UAPI header for this arch."""
        out: list[tuple[str, str]] = []
        asm = self.asm_dir(arch, siblings) or self.root
        out += _walk(asm, "asm")
        for d in UAPI_DIRS:
            out += _walk(self.root, d)
        return sorted(out)

    def explain_missing(self, name: str) -> str | None:
        return None


def _walk(base: str, sub: str) -> list[tuple[str, str]]:
    top = os.path.join(base, sub)
    found = []
    for dirpath, dirnames, filenames in os.walk(top, followlinks=False):
        dirnames.sort()
        for fn in filenames:
            if fn.endswith(".h"):
                path = os.path.join(dirpath, fn)
                found.append((os.path.relpath(path, base), path))
    return found


# scripts/headers_install.sh, as Python regular expressions. Lines are kept
# (a dropped #include leaves an empty line) so diagnostics point at the
# source line.
_INSTALL_EDITS = [
    (re.compile(rb"([\s(])(__user|__force|__iomem)[ \t]"), rb"\1"),
    (re.compile(rb"__attribute_const__([ \t]|$)", re.M), rb"\1"),
    (re.compile(rb"^#include <linux/compiler(|_types)\.h>", re.M), rb""),
    (re.compile(rb"(^|[^a-zA-Z0-9])__packed([^a-zA-Z0-9_]|$)", re.M), rb"\1__attribute__((packed))\2"),
    (re.compile(rb"(^|[ \t(])(inline|asm|volatile)([ \t(]|$)", re.M), rb"\1__\2__\3"),
    (re.compile(rb"#(ifndef|define|endif[ \t]*/[*])[ \t]*_UAPI", re.M), rb"#\1 "),
]


@lru_cache(maxsize=4096)  # a file is read for each arch, and two revisions share most files
def headers_install(data: bytes) -> bytes:
    # one pass, as sed's s///g: a match that starts inside the previous one
    # (the second of "__user __iomem") stays, in the kernel's output too
    for pattern, repl in _INSTALL_EDITS:
        data = pattern.sub(repl, data)
    return data


class KernelFS:
    """A raw kernel tree as headers_install would install it; uapicheck's
    own stand-ins for <stddef.h> and friends come from the disk, whatever
    the tree is read from."""

    def __init__(self, tree: KernelTree, base: DirFS | GitFS, disk: DirFS) -> None:
        self.tree = tree
        self.base = base
        self.disk = disk
        self.builtin = builtin_include_dir() + os.sep

    def _own(self, path: str) -> bool:
        """uapicheck's headers, or the C library's (never its kernel headers)."""
        return path.startswith(self.builtin) or bool(self.tree.libc.owns(path))

    def read(self, path: str) -> bytes:
        return headers_install(self.base.read(path)) if self.installed(path) else self.unedited(path)

    def installed(self, path: str) -> bool:
        """Whether read() gives the file with headers_install's edits (the tree's own files)."""
        return not self._own(path) and self.tree.generic_wrapper(path) is None

    def unedited(self, path: str) -> bytes:
        """The file before headers_install's edits (which the tree's own files get)."""
        if self._own(path):
            return self.disk.read(path)
        wrapper = self.tree.generic_wrapper(path)
        if wrapper is not None:
            return wrapper
        return self.base.read(path)

    def is_file(self, path: str) -> bool:
        if self._own(path):
            return self.disk.is_file(path)
        if self.tree.libc.owns(path) is False:
            return False  # the machine's own kernel headers: not this tree's
        return self.base.is_file(path) or self.tree.generic_wrapper(path) is not None

    def digest(self, path: str) -> str | None:
        if self._own(path):
            return self.disk.digest(path)
        wrapper = self.tree.generic_wrapper(path)
        return blob_id(wrapper) if wrapper is not None else self.base.digest(path)


def _kbuild(fs: DirFS | GitFS, path: str, kinds: tuple[str, ...]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {k: set() for k in kinds}
    try:
        text = fs.read(path).decode("utf-8", "replace")
    except OSError:
        return found
    for m in re.finditer(r"^(\w+)-y\s*\+?=\s*(.*)$", text, re.M):
        if m.group(1) in found:
            found[m.group(1)].update(m.group(2).split())
    return found


@dataclass
class KernelTree:
    """A raw kernel tree: a directory, or a git revision through GitFS."""

    root: str
    base: DirFS | GitFS = field(default_factory=DirFS)
    predefined: dict[str, str] = field(default_factory=lambda: {"__EXPORTED_HEADERS__": "1"})
    # as when check-uapi.sh compiles them, C library headers come from the
    # machine's C library, never its kernel headers
    libc: Libc = field(default_factory=Libc)
    revision: str = ""  # the git revision it was read from, if any
    disk: DirFS = field(default_factory=DirFS)  # where the C library's and uapicheck's own headers are read

    def path(self, *parts: str) -> str:
        return os.path.normpath(os.path.join(self.root, *parts))

    def __post_init__(self) -> None:
        self.fs = KernelFS(self, self.base, self.disk)
        mandatory = _kbuild(self.base, self.path("include/uapi/asm-generic/Kbuild"), ("mandatory",))["mandatory"]
        self.generic: dict[str, set[str]] = {}
        self.generated: dict[str, set[str]] = {}
        for karch in self.base.listdir(self.path("arch")):
            arch_dir = self.path("arch", karch, "include/uapi/asm")
            if not self.base.is_dir(arch_dir):
                continue
            kb = _kbuild(self.base, os.path.join(arch_dir, "Kbuild"), ("generic", "generated", "syscall"))
            own = {n for n in self.base.listdir(arch_dir) if n.endswith(".h")}
            self.generic[karch] = {h for h in kb["generic"] | mandatory if h not in own}
            self.generated[karch] = kb["generated"] | {
                f"unistd_{abi}.h" for abi in ("32", "64", "x32", "n32", "n64", "o32")
                if kb["syscall"]}
        self._headers: dict[str, list[tuple[str, str]]] = {}
        self._wrappers: dict[str, str] = {}
        for karch, names in self.generic.items():
            base = self.path("arch", karch, "include", "uapi", "asm")
            for n in names:
                self._wrappers[os.path.join(base, n)] = n

    @cached_property
    def _shared_headers(self) -> list[tuple[str, str]]:
        """The headers of include/uapi, which every arch has."""
        uapi = self.path("include", "uapi")
        # walk() gives normalised paths under its top: the include name is the rest
        out = [(p[len(uapi) + 1:], p) for p in self.base.walk(uapi) if p.endswith(".h")]
        return [(n, p) for n, p in out if not n.startswith("asm/")]

    def generic_wrapper(self, path: str) -> bytes | None:
        name = self._wrappers.get(os.path.normpath(path))
        if name is None:
            return None
        return f"#include <asm-generic/{name}>\n".encode()

    def include_dirs(self, arch: Arch, siblings: list[Arch]) -> list[str]:
        arch_uapi = self.path("arch", arch.kernel_arch, "include", "uapi")
        if not self.base.is_dir(arch_uapi):
            raise SourceError(f"{self.root}: no arch/{arch.kernel_arch}/include/uapi for {arch.name}")
        return [builtin_include_dir(), arch_uapi, self.path("include", "uapi"), *self.libc.dirs(arch)]

    def headers(self, arch: Arch, siblings: list[Arch]) -> list[tuple[str, str]]:
        if arch.kernel_arch not in self._headers:  # asked for again by each stage of a git-mode run
            out = list(self._shared_headers)
            arch_uapi = self.path("arch", arch.kernel_arch, "include", "uapi")
            out += [(p[len(arch_uapi) + 1:], p) for p in self.base.walk(os.path.join(arch_uapi, "asm"))
                    if p.endswith(".h")]
            base = os.path.join(arch_uapi, "asm")
            out += [(f"asm/{n}", os.path.join(base, n)) for n in self.generic.get(arch.kernel_arch, ())]
            self._headers[arch.kernel_arch] = sorted(out)
        return list(self._headers[arch.kernel_arch])

    def explain_missing(self, name: str) -> str | None:
        base = os.path.basename(name)
        if name.startswith("asm/") and any(base in g for g in self.generated.values()):
            return "generated by the kernel build (Kbuild generated-y); a raw tree does not have it"
        return None


Source = Union[InstalledTree, KernelTree]


def arches_of(source: Source, wanted: list[str]) -> list[str]:
    """The arches of wanted that source has asm/ headers for."""
    ok = []
    for a in wanted:
        try:
            source.include_dirs(ARCHES[a], list(ARCHES.values()))
            ok.append(a)
        except SourceError:
            pass
    return ok


_INCLUDE = re.compile(rb'^[ \t]*#[ \t]*include[ \t]*([<"])([^>"\n]+)[>"]', re.M)


class IncludeNames:
    """What each file's #include lines name: (quote, name) pairs, read once
    for every arch of a run."""

    def __init__(self, fs: DirFS | KernelFS) -> None:
        self.fs = fs
        self.named: dict[str, list[tuple[bytes, str]]] = {}
        self._bases: dict[str, frozenset[str]] = {}

    def __call__(self, path: str) -> list[tuple[bytes, str]]:
        named = self.named.get(path)
        if named is None:
            try:
                data = self.fs.read(path)
            except OSError:
                data = b""
            named = self.named[path] = [(quote, name.decode("utf-8", "replace"))
                                        for quote, name in _INCLUDE.findall(data)]
        return named

    def bases(self, path: str) -> frozenset[str]:
        """The file names (last parts) path's #include lines could find."""
        bases = self._bases.get(path)
        if bases is None:
            bases = self._bases[path] = frozenset(os.path.basename(os.path.normpath(n)) for _, n in self(path))
        return bases


class DirectIncludes:
    """The files each file names in its #include lines (every branch of
    every #if taken, so a superset), found on one arch's include path."""

    def __init__(self, tree: Source, dirs: list[str], names: IncludeNames | None = None) -> None:
        self.tree = tree
        self.dirs = dirs
        self.names = names or IncludeNames(tree.fs)
        self.direct: dict[str, list[str]] = {}

    def __call__(self, path: str) -> list[str]:
        if path not in self.direct:
            found = []
            for quote, rel in self.names(path):
                cands = [os.path.join(os.path.dirname(path), rel)] if quote == b'"' else []
                for cand in cands + [os.path.join(d, rel) for d in self.dirs]:
                    cand = os.path.normpath(cand)
                    if self.tree.fs.is_file(cand):
                        found.append(cand)
                        break
            self.direct[path] = found
        return self.direct[path]


def include_closures(tree: Source, arch: Arch, siblings: list[Arch], only: set[str] | None = None,
                     names: IncludeNames | None = None) -> dict[str, set[str]]:
    """Each header's include closure, from its #include lines alone (every
    branch of every #if taken, so a superset): name -> paths read. names:
    what the tree's files name, if read for another arch already."""
    includes = DirectIncludes(tree, tree.include_dirs(arch, siblings), names)
    out: dict[str, set[str]] = {}
    for name, path in tree.headers(arch, siblings):
        if only is not None and name not in only:
            continue
        seen = {path}
        todo = [path]
        while todo:
            for nxt in includes(todo.pop()):
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        out[name] = seen
    return out


class Includers:
    """For a file, the UAPI headers of one arch whose #include lines name
    it: (name, path), those in its own directory first. Only the headers
    that name a file of its base name are resolved on the arch, and what
    the headers name is read once for every arch (names): eight arches in
    two -j workers read and resolved every header's includes 16 times."""

    def __init__(self, tree: Source, arch: Arch, siblings: list[Arch], names: IncludeNames) -> None:
        self.includes = DirectIncludes(tree, tree.include_dirs(arch, siblings), names)
        self.headers = tree.headers(arch, siblings)

    def __call__(self, target: str) -> list[tuple[str, str]]:
        base = os.path.basename(target)
        bases = self.includes.names.bases
        found = [(name, path) for name, path in self.headers if base in bases(path) and target in self.includes(path)]
        found.sort(key=lambda np: (os.path.dirname(np[1]) != os.path.dirname(target), np[0]))
        return found


def affected_headers(old: Source, new: Source, arch: Arch, siblings: list[Arch],
                     names: tuple[IncludeNames, IncludeNames] | None = None) -> tuple[set[str], int]:
    """The headers whose content or include closure differs between two
    trees, and how many headers there are in all (names: what each tree's
    files name, read once for every arch)."""
    a = include_closures(old, arch, siblings, names=names[0] if names else None)
    b = include_closures(new, arch, siblings, names=names[1] if names else None)
    # each tree's paths relative to it, and their digests: a path is in many
    # closures (200,000 times in all for four arches of a kernel tree)
    ra, rb = _relative(old, set().union(*a.values())), _relative(new, set().union(*b.values()))
    da = {r: old.fs.digest(p) for p, r in ra.items()}
    db = {r: new.fs.digest(p) for p, r in rb.items()}
    changed = {r for r in da.keys() | db.keys() if da.get(r) != db.get(r)}
    out = set(a.keys() ^ b.keys())
    for name in a.keys() & b.keys():
        if any(ra[p] in changed for p in a[name]) or any(rb[p] in changed for p in b[name]):
            out.add(name)
    return _with_includes(out, [(old, a), (new, b)], arch, siblings), len(a.keys() | b.keys())


def _relative(tree: Source, paths: set[str]) -> dict[str, str]:
    """Each path as the tree's files are named whatever its root: relative
    to the root, but uapicheck's own headers by their full path."""
    root = os.path.normpath(tree.root)
    prefix = "" if root == "." else root + os.sep
    builtin = builtin_include_dir()
    out = {}
    for p in paths:
        if prefix and p.startswith(prefix):
            out[p] = p[len(prefix):]
        elif p.startswith(builtin) or (not prefix and not os.path.isabs(p) and os.path.normpath(p) == p):
            out[p] = p
        else:
            out[p] = os.path.relpath(p, tree.root)
    return out


def _with_includes(wanted: set[str], closures: list[tuple[Source, dict[str, set[str]]]], arch: Arch,
                   siblings: list[Arch]) -> set[str]:
    """wanted, and the headers those include: rules that look across headers
    (a new OPEN_TREE_* flag against the AT_* flags of linux/fcntl.h) need them."""
    out = set(wanted)
    for tree, closure in closures:
        names = {path: name for name, path in tree.headers(arch, siblings)}
        for name in wanted:
            out |= {names[p] for p in closure.get(name, ()) if p in names}
    return out


def hook_headers(old: KernelTree, new: KernelTree, arch: Arch, paths: list[str]) -> set[str]:
    """The include names, on this arch, of the given repository paths, and
    of the headers those include (rules that look across headers need them)."""
    own = set()
    for p in paths:
        parts = p.split("/")
        if p.startswith("include/uapi/") and not p.startswith("include/uapi/asm/"):
            own.add(p[len("include/uapi/"):])
        elif len(parts) > 5 and parts[0] == "arch" and parts[1] == arch.kernel_arch and parts[2:4] == ["include",
                                                                                                     "uapi"]:
            own.add("/".join(parts[4:]))
    return _with_includes(own, [(t, include_closures(t, arch, [], only=own)) for t in (old, new)], arch, [])


def open_source(path: str, libc: Libc = Libc()) -> InstalledTree | KernelTree:
    if os.path.isdir(os.path.join(path, "include", "uapi")) and os.path.isdir(os.path.join(path, "arch")):
        return KernelTree(path, libc=libc)
    if os.path.isdir(os.path.join(path, "linux")):
        return InstalledTree(path, libc=libc)
    if os.path.isdir(os.path.join(path, "usr", "include", "linux")):
        return InstalledTree(os.path.join(path, "usr", "include"), libc=libc)
    raise SourceError(f"{path}: neither an installed header tree (linux/) nor a kernel tree (include/uapi)")
