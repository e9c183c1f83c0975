"""Translation units of a C library's headers and a kernel's headers,
included together in both orders, as a compiler would see them.

For each pair (libc header, kernel headers) and order, one translation
unit is preprocessed, parsed and laid out; each side is also compiled
alone, so that a libc's own copy of a struct can be compared with the
kernel's, and what a header does alone is not blamed on the pair.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from .. import packaged, tomlfile
from ..analysis import Analysis, analyse
from ..arches import ARCHES, Arch
from ..errors import UapicheckError
from ..preprocess.cpp import LexCache, Preprocessor, Unit, builtin_macros
from ..rulebase import Finding
from ..sources import DirFS, InstalledTree, SourceError, blob_id, builtin_include_dir, libc_dirs
from .context import ORDERS, GateContext, GateRule, Pair

QUIET_IN_SYSTEM = ("UA701", "UA705")  # GCC keeps these quiet inside system headers
ALONE_KEPT = 64  # units of one side alone kept for the pairs after


class GateError(UapicheckError):
    pass


def load_pairs(extra: str | None = None) -> list[Pair]:
    texts = [("rules/libc-pairs.toml", packaged.text("ruledata", "libc-pairs.toml"))]
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
        self.libc_root = libc_root
        self.kernel_root = kernel_root
        try:
            kasm = InstalledTree(kernel_root).asm_dir(arch, list(ARCHES.values()))
        except SourceError:
            kasm = None
        # GCC's order: -I (the kernel tree), its own headers, then the libc's
        # (its multiarch directory with bits/ and sys/, then its root)
        dirs = [d for d in (kasm, kernel_root) if d]
        dirs.append(builtin_include_dir())
        self.dirs = tuple(dirs + [d for d in libc_dirs(libc_root, arch) if d not in dirs])
        self.tu_dir = os.path.join(os.path.abspath(libc_root), ".uapicheck-gate")
        self.files: dict[str, bytes] = {}
        self.lexed = LexCache(OverlayFS(self.files))
        macros = {**arch.predefined(), "__GNUC__": "12", "__GNUC_MINOR__": "2", "__STDC_HOSTED__": "1"}
        self.predefined = builtin_macros(macros)
        self.alone: OrderedDict[str, Analysis] = OrderedDict()

    def _source(self, includes: list[str]) -> str:
        path = os.path.join(self.tu_dir, "+".join(includes).replace("/", "_") + ".c")
        self.files[path] = "".join(f"#include <{h}>\n" for h in includes).encode()
        return path

    def preprocess(self, header: str) -> Unit:
        """A unit that includes header, preprocessed only."""
        return Preprocessor(self.lexed, list(self.dirs), self.predefined, self.arch.char_signed).run(
            self._source([header]))

    def unit(self, includes: list[str]) -> Analysis:
        path = self._source(includes)
        return analyse(Preprocessor(self.lexed, list(self.dirs), self.predefined, self.arch.char_signed), path,
                       self.arch)

    def headers_alone(self, includes: list[str]) -> Analysis:
        """unit(includes), kept for the next pairs that share a side."""
        key = "\n".join(includes)
        if key in self.alone:
            self.alone.move_to_end(key)
            return self.alone[key]
        self.alone[key] = found = self.unit(includes)
        if len(self.alone) > ALONE_KEPT:
            self.alone.popitem(last=False)
        return found

    def contexts(self, pairs: list[Pair]) -> Iterator[GateContext]:
        for pair in pairs:
            libc_alone = self.headers_alone([pair.libc])
            kernel_alone = self.headers_alone(list(pair.kernel))
            for order in ORDERS:
                yield GateContext(pair, order, self.arch.name, self.unit(pair.includes(order)), libc_alone,
                                  kernel_alone, self.dirs)


@dataclass
class Verdict:
    """What GCC does with one pair in one order on one arch."""

    pair: Pair
    order: str
    arch: str
    findings: list[Finding] = field(default_factory=list)

    def mode(self, mode: str) -> str:
        return verdict(self.findings, mode)

    def line(self) -> str:
        return (f"{self.arch}: {self.pair.label()}, {self.order}: -I: {self.mode('include')}; "
                f"system headers: {self.mode('system')}")


def check(gate: Gate, pairs: list[Pair], rules: list[type[GateRule]]) -> Iterator[tuple[GateContext, Verdict]]:
    """Every rule on every pair and order, one translation unit at a time
    (a run over hundreds of pairs keeps only a few in memory)."""
    for ctx in gate.contexts(pairs):
        found = [replace(f, arches=(ctx.arch,)) for rule in rules for f in rule().check(ctx)]
        yield ctx, Verdict(ctx.pair, ctx.order, ctx.arch, found)


def shown(findings: list[Finding], mode: str) -> list[Finding]:
    """What GCC reports in mode: in system headers, not redefinitions or -Wundef."""
    return [f for f in findings if mode == "include" or f.code not in QUIET_IN_SYSTEM]


def errors(findings: list[Finding], mode: str) -> dict[str, int]:
    """The error findings GCC reports in mode, by rule name."""
    counts: dict[str, int] = {}
    for f in shown(findings, mode):
        if f.severity == "error":
            counts[f.name] = counts.get(f.name, 0) + 1
    return dict(sorted(counts.items()))


def verdict(findings: list[Finding], mode: str) -> str:
    """'clean', or what GCC would say, for builds that see the headers
    with -I ("include") or as system headers ("system")."""
    counts = errors(findings, mode)
    return "fails: " + ", ".join(f"{n} {name}" for name, n in counts.items()) if counts else "clean"
