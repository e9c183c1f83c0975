"""Where headers come from: an installed tree (``/usr/include``) or a raw
kernel tree (``include/uapi`` and ``arch/*/include/uapi``).

A source answers three questions per arch: which headers are the UAPI
headers to check, which directories ``#include <...>`` searches, and what a
file's bytes are (for a raw tree, after the edits of
``scripts/headers_install.sh``).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from .arches import Arch
from .preprocess.lexer import MAX_FILE_BYTES

# Directories linux-libc-dev installs (besides each arch's asm/).
UAPI_DIRS = ("linux", "asm-generic", "drm", "misc", "mtd", "rdma", "regulator", "scsi", "sound",
             "video", "xen", "cxl", "fwctl")


def builtin_include_dir() -> str:
    """Our stand-ins for the compiler's own headers (stddef.h, stdarg.h, ...)."""
    return str(resources.files("uapicheck").joinpath("include"))


class DirFS:
    """Plain files; symbolic links are followed (Debian's asm/ are links)."""

    def read(self, path: str) -> bytes:
        with open(path, "rb") as f:
            return f.read(MAX_FILE_BYTES + 1)  # one byte more tells a file over the limit

    def is_file(self, path: str) -> bool:
        return os.path.isfile(path)


class SourceError(Exception):
    pass


@dataclass
class InstalledTree:
    """A tree laid out as `make headers_install` and Debian install it."""

    root: str
    fs: DirFS = field(default_factory=DirFS)
    predefined: dict[str, str] = field(default_factory=dict)

    def asm_dir(self, arch: Arch, siblings: list[Arch]) -> str | None:
        for a in [arch] + [s for s in siblings if s.kernel_arch == arch.kernel_arch and s is not arch]:
            for t in a.triplets:
                d = os.path.join(self.root, t)
                if os.path.isdir(os.path.join(d, "asm")):
                    return d
        if os.path.isdir(os.path.join(self.root, "asm")):
            return None  # a plain headers_install tree: asm/ sits in the root
        raise SourceError(f"{self.root}: no asm/ headers for {arch.name} (looked for {', '.join(arch.triplets)})")

    def include_dirs(self, arch: Arch, siblings: list[Arch]) -> list[str]:
        asm = self.asm_dir(arch, siblings)
        dirs = [builtin_include_dir()]
        if asm:
            dirs.append(asm)
        dirs.append(self.root)
        return dirs

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


def headers_install(data: bytes) -> bytes:
    # one pass, as sed's s///g: a match that starts inside the previous one
    # (the second of "__user __iomem") stays, in the kernel's output too
    for pattern, repl in _INSTALL_EDITS:
        data = pattern.sub(repl, data)
    return data


class KernelFS(DirFS):
    """A raw kernel tree as headers_install would install it."""

    def __init__(self, tree: KernelTree) -> None:
        self.tree = tree

    def read(self, path: str) -> bytes:
        wrapper = self.tree.generic_wrapper(path)
        if wrapper is not None:
            return wrapper
        return headers_install(super().read(path))

    def is_file(self, path: str) -> bool:
        return os.path.isfile(path) or self.tree.generic_wrapper(path) is not None


def _kbuild(path: Path, kinds: tuple[str, ...]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {k: set() for k in kinds}
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return found
    for m in re.finditer(r"^(\w+)-y\s*\+?=\s*(.*)$", text, re.M):
        if m.group(1) in found:
            found[m.group(1)].update(m.group(2).split())
    return found


@dataclass
class KernelTree:
    root: str
    predefined: dict[str, str] = field(default_factory=lambda: {"__EXPORTED_HEADERS__": "1"})

    def __post_init__(self) -> None:
        self.fs = KernelFS(self)
        mandatory = _kbuild(Path(self.root, "include/uapi/asm-generic/Kbuild"), ("mandatory",))["mandatory"]
        self.generic: dict[str, set[str]] = {}
        self.generated: dict[str, set[str]] = {}
        for arch_dir in sorted(Path(self.root, "arch").glob("*/include/uapi/asm")):
            karch = arch_dir.parts[-4]
            kb = _kbuild(arch_dir / "Kbuild", ("generic", "generated", "syscall"))
            own = {p.name for p in arch_dir.glob("*.h")}
            self.generic[karch] = {h for h in kb["generic"] | mandatory if h not in own}
            self.generated[karch] = kb["generated"] | {
                f"unistd_{abi}.h" for abi in ("32", "64", "x32", "n32", "n64", "o32")
                if kb["syscall"]}
        self._wrappers: dict[str, str] = {}
        for karch, names in self.generic.items():
            base = os.path.join(self.root, "arch", karch, "include", "uapi", "asm")
            for n in names:
                self._wrappers[os.path.normpath(os.path.join(base, n))] = n

    def generic_wrapper(self, path: str) -> bytes | None:
        name = self._wrappers.get(path)
        if name is None:
            return None
        return f"#include <asm-generic/{name}>\n".encode()

    def include_dirs(self, arch: Arch, siblings: list[Arch]) -> list[str]:
        arch_uapi = os.path.join(self.root, "arch", arch.kernel_arch, "include", "uapi")
        if not os.path.isdir(arch_uapi):
            raise SourceError(f"{self.root}: no arch/{arch.kernel_arch}/include/uapi for {arch.name}")
        return [builtin_include_dir(), arch_uapi, os.path.join(self.root, "include", "uapi")]

    def headers(self, arch: Arch, siblings: list[Arch]) -> list[tuple[str, str]]:
        uapi = os.path.join(self.root, "include", "uapi")
        out = [(n, p) for n, p in _walk(uapi, "") if not n.startswith("asm/")]
        arch_uapi = os.path.join(self.root, "arch", arch.kernel_arch, "include", "uapi")
        out += _walk(arch_uapi, "asm")
        base = os.path.join(arch_uapi, "asm")
        out += [(f"asm/{n}", os.path.join(base, n)) for n in self.generic.get(arch.kernel_arch, ())]
        return sorted(out)

    def explain_missing(self, name: str) -> str | None:
        base = os.path.basename(name)
        if name.startswith("asm/") and any(base in g for g in self.generated.values()):
            return "generated by the kernel build (Kbuild generated-y); a raw tree does not have it"
        return None


def open_source(path: str) -> InstalledTree | KernelTree:
    if os.path.isdir(os.path.join(path, "include", "uapi")) and os.path.isdir(os.path.join(path, "arch")):
        return KernelTree(path)
    if os.path.isdir(os.path.join(path, "linux")):
        return InstalledTree(path)
    if os.path.isdir(os.path.join(path, "usr", "include", "linux")):
        return InstalledTree(os.path.join(path, "usr", "include"))
    raise SourceError(f"{path}: neither an installed header tree (linux/) nor a kernel tree (include/uapi)")
