"""Translation units of a C library's headers and a kernel's headers,
included together in both orders, as a compiler would see them.

For each pair (libc header, kernel headers) and order, one translation
unit is preprocessed, parsed and laid out; each side is also compiled
alone, so that a libc's own copy of a struct can be compared with the
kernel's, and what a header does alone is not blamed on the pair.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path

from .. import tomlfile
from ..analysis import Analysis, analyse
from ..arches import ARCHES, Arch
from ..errors import UapicheckError
from ..preprocess.cpp import LexCache, Preprocessor, builtin_macros
from ..rulebase import Finding
from ..sources import DirFS, InstalledTree, SourceError, blob_id, builtin_include_dir, libc_dirs
from .context import ORDERS, GateContext, GateRule, Pair

MODES = ("include", "system")
QUIET_IN_SYSTEM = ("UA701", "UA705")  # GCC keeps these quiet inside system headers


class GateError(UapicheckError):
    pass


def load_pairs(extra: str | None = None) -> list[Pair]:
    texts = [("rules/libc-pairs.toml",
              resources.files("uapicheck").joinpath("ruledata", "libc-pairs.toml").read_text())]
    if extra:
        try:
            texts.append((extra, Path(extra).read_text(encoding="utf-8")))
        except OSError as exc:
            raise GateError(f"{extra}: {exc.strerror}") from None
    pairs: list[Pair] = []
    for origin, text in texts:
        data = tomlfile.table(tomlfile.loads(text, origin, GateError), {"pair"}, origin, GateError)
        for p in data.get("pair", []):
            if not isinstance(p, dict) or set(p) != {"libc", "kernel"} or not isinstance(p["kernel"], list):
                raise GateError(f"{origin}: a [[pair]] has exactly libc = \"h\" and kernel = [\"h\", ...]")
            pairs.append(Pair(str(p["libc"]), tuple(str(k) for k in p["kernel"])))
    return pairs


class OverlayFS(DirFS):
    """The directories, plus the few files the gate writes for itself."""

    def __init__(self, files: dict[str, bytes]) -> None:
        self.files = files

    def read(self, path: str) -> bytes:
        return self.files[path] if path in self.files else super().read(path)

    def is_file(self, path: str) -> bool:
        return path in self.files or super().is_file(path)

    def digest(self, path: str) -> str | None:
        return blob_id(self.files[path]) if path in self.files else super().digest(path)


class Gate:
    """Translation units of one libc tree and one kernel tree on one arch."""

    def __init__(self, libc_root: str, kernel_root: str, arch: Arch) -> None:
        self.arch = arch
        try:
            kasm = InstalledTree(kernel_root).asm_dir(arch, list(ARCHES.values()))
        except SourceError:
            kasm = None
        # GCC's order: -I (the kernel tree), its own headers, then the libc's
        # (its multiarch directory with bits/ and sys/, then its root)
        dirs = [d for d in (kasm, kernel_root) if d]
        dirs.append(builtin_include_dir())
        self.dirs = dirs + [d for d in libc_dirs(libc_root, arch) if d not in dirs]
        self.tu_dir = os.path.join(os.path.abspath(libc_root), ".uapicheck-gate")
        self.files: dict[str, bytes] = {}
        self.lexed = LexCache(OverlayFS(self.files))
        macros = {**arch.predefined(), "__GNUC__": "12", "__GNUC_MINOR__": "2", "__STDC_HOSTED__": "1"}
        self.predefined = builtin_macros(macros)

    def unit(self, name: str, includes: list[str]) -> Analysis:
        path = os.path.join(self.tu_dir, name)
        self.files[path] = "".join(f"#include <{h}>\n" for h in includes).encode()
        return analyse(Preprocessor(self.lexed, self.dirs, self.predefined, self.arch.char_signed), path, self.arch)


def contexts(libc_root: str, kernel_root: str, pairs: list[Pair], arches: list[str]) -> list[GateContext]:
    out = []
    for arch_name in arches:
        gate = Gate(libc_root, kernel_root, ARCHES[arch_name])
        for i, pair in enumerate(pairs):
            libc_alone = gate.unit(f"pair{i}-libc.c", [pair.libc])
            kernel_alone = gate.unit(f"pair{i}-kernel.c", list(pair.kernel))
            for order in ORDERS:
                includes = [pair.libc, *pair.kernel] if order == "libc-first" else [*pair.kernel, pair.libc]
                tu = gate.unit(f"pair{i}-{order}.c", includes)
                out.append(GateContext(pair, order, arch_name, tu, libc_alone, kernel_alone, libc_root,
                                       kernel_root))
    return out


@dataclass
class Verdict:
    """What GCC does with one pair in one order on one arch."""

    ctx: GateContext
    findings: list[Finding] = field(default_factory=list)

    def mode(self, mode: str) -> str:
        return verdict(self.findings, mode)

    def line(self) -> str:
        return (f"{self.ctx.arch}: {self.ctx.pair.label()}, {self.ctx.order}: -I: {self.mode('include')}; "
                f"system headers: {self.mode('system')}")


def check(libc_root: str, kernel_root: str, pairs: list[Pair], arches: list[str],
          rules: list[type[GateRule]]) -> list[Verdict]:
    """Every rule on every pair, order and arch."""
    verdicts = []
    for ctx in contexts(libc_root, kernel_root, pairs, arches):
        found = [replace(f, arches=(ctx.arch,)) for rule in rules for f in rule().check(ctx)]
        verdicts.append(Verdict(ctx, found))
    return verdicts


def verdict(findings: list[Finding], mode: str) -> str:
    """'clean', or what GCC would say, for builds that see the headers
    with -I ("include") or as system headers ("system")."""
    relevant = [f for f in findings if f.severity == "error" and (mode == "include" or f.code not in QUIET_IN_SYSTEM)]
    if not relevant:
        return "clean"
    counts: dict[str, int] = {}
    for f in relevant:
        counts[f.name] = counts.get(f.name, 0) + 1
    return "fails: " + ", ".join(f"{n} {name}" for name, n in counts.items())
