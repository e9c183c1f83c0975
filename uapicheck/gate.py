"""The libc build gate: a C library's headers and a kernel's headers
included together, in both orders, as a compiler would see them.

For each pair (libc header, kernel headers) and order, one translation
unit is preprocessed and parsed: macro redefinitions that are not
token-identical, #if on undefined identifiers, struct/union/enum defined
twice, an enumerator a kernel macro turned into a number. Each header is
also compiled alone, so that a libc's own copy of a struct can be compared
with the kernel's. GCC reports redefinitions and -Wundef only outside
system headers: each verdict says whether it holds for builds that see the
headers with -I (the libc's own build, programs with -I) or for everyone.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from .arches import ARCHES, Arch
from .diagnostics import Diagnostic, Location
from .expr import EvalError, eval_if
from .layout import Engine, LayoutError, TypeLayout
from .parse import Declarations, parse
from .preprocess.cpp import ExpansionLimit, LexCache, Macro, Preprocessor, Unit, builtin_macros
from .sources import DirFS, InstalledTree, SourceError, blob_id, builtin_include_dir, libc_dirs

ORDERS = ("libc-first", "kernel-first")


class GateError(Exception):
    pass


@dataclass(frozen=True)
class Pair:
    libc: str
    kernel: tuple[str, ...]

    def label(self) -> str:
        return f"<{self.libc}> with {', '.join(f'<{k}>' for k in self.kernel)}"


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
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise GateError(f"{origin}: {exc}") from None
        for key in data:
            if key != "pair":
                raise GateError(f"{origin}: unknown key '{key}' (known: pair)")
        for p in data.get("pair", []):
            if set(p) != {"libc", "kernel"} or not isinstance(p["kernel"], list):
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


@dataclass
class TranslationUnit:
    """What preprocessing and parsing one translation unit gave."""

    unit: Unit
    decls: Declarations | None
    layouts: dict[str, TypeLayout] = field(default_factory=dict)


@dataclass
class GateContext:
    """What the gate rules read for one pair, order and arch."""

    pair: Pair
    order: str
    arch: str
    tu: TranslationUnit
    libc_alone: TranslationUnit
    kernel_alone: TranslationUnit
    libc_root: str
    kernel_root: str
    explained: set[int] = field(default_factory=set)  # ids of diagnostics a rule has explained

    def owner(self, path: str) -> str:
        """'kernel', 'libc' or 'compiler' for a file of the unit."""
        if path.startswith(builtin_include_dir()):
            return "compiler"
        kernel = os.path.normpath(self.kernel_root) + os.sep
        libc = os.path.normpath(self.libc_root) + os.sep
        # the longer root wins where one tree holds the other
        hits = [(len(r), who) for r, who in ((kernel, "kernel"), (libc, "libc")) if path.startswith(r)]
        return max(hits)[1] if hits else "libc"


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
        self.fs = OverlayFS(self.files)
        self.lexed = LexCache(self.fs)
        macros = {**arch.predefined(), "__GNUC__": "12", "__GNUC_MINOR__": "2", "__STDC_HOSTED__": "1"}
        self.predefined = builtin_macros(macros)

    def unit(self, name: str, includes: list[str]) -> TranslationUnit:
        path = os.path.join(self.tu_dir, name)
        self.files[path] = "".join(f"#include <{h}>\n" for h in includes).encode()
        pp = Preprocessor(self.lexed, self.dirs, self.predefined, self.arch.char_signed)
        try:
            unit = pp.run(path)
        except RecursionError:
            unit = Unit(path, [], {}, [], [Diagnostic("error", Location(path), "nested too deeply", "preprocess")],
                        True)
        if unit.fatal:
            return TranslationUnit(unit, None)
        decls = parse(unit.tokens, path)
        result = TranslationUnit(unit, decls)
        if not decls.diagnostics:
            try:
                result.layouts = Engine(decls, self.arch).layouts()
            except (LayoutError, RecursionError):
                result.layouts = {}
        return result


def value_of(m: Macro) -> int | None:
    """The #if value of an object-like macro's own tokens, if they are a
    plain constant (no other macros)."""
    if m.params is not None or not m.body:
        return None
    try:
        result = eval_if(list(m.body), True)
    except (EvalError, ExpansionLimit, RecursionError):
        return None
    return None if result.undefined else result.value


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


MODES = ("include", "system")
QUIET_IN_SYSTEM = ("UA701", "UA705")  # GCC keeps these quiet inside system headers


def verdict(findings: list, mode: str) -> str:  # type: ignore[type-arg]
    """'clean', or what GCC would say, for builds that see the headers
    with -I ("include") or as system headers ("system")."""
    relevant = [f for f in findings if f.severity == "error" and (mode == "include" or f.code not in QUIET_IN_SYSTEM)]
    if not relevant:
        return "clean"
    counts: dict[str, int] = {}
    for f in relevant:
        counts[f.name] = counts.get(f.name, 0) + 1
    return "fails: " + ", ".join(f"{n} {name}" for name, n in counts.items())
