"""Architectures: their ABI tables and predefined macros, read from data/."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING

from . import packaged

if TYPE_CHECKING:
    from .expr import IntModel


# -D NAME=VALUE and -U NAME (VALUE None), in the order a compiler applies them
Defines = tuple[tuple[str, str | None], ...]


@dataclass(frozen=True)
class Arch:
    name: str
    kernel_arch: str  # the arch/<name> directory of a kernel tree
    triplets: tuple[str, ...]  # Debian multiarch directories under /usr/include
    gcc: tuple[str, ...]  # the compiler that is the ground truth for this arch
    endian: str
    char_signed: bool
    biggest_alignment: int  # what a bare __attribute__((aligned)) means
    bitfield_anon_align: bool  # unnamed bit-fields raise the struct's alignment
    types: dict[str, tuple[int, int, int]]  # size, __alignof__, member alignment
    aliases: tuple[str, ...] = ()  # what toolchains call it: arm64, amd64, ppc64el, ...
    asm_markers: tuple[str, ...] = ()  # asm/ files only its kernel arch installs
    variant_of: str = ""  # a variant (i386-time64) shares this arch's ABI, compiler and headers
    defines: Defines = ()  # what a variant is compiled with
    why: str = ""  # where a variant's settings come from

    @property
    def base(self) -> str:
        """The arch whose compiler's predefined macros this one starts from."""
        return self.variant_of or self.name

    @property
    def ints(self) -> IntModel:
        from .expr import IntModel  # the evaluator: a run that analyses nothing does without it

        return IntModel(self.types["int"][0] * 8, self.types["long"][0] * 8, self.char_signed)

    def predefined(self) -> dict[str, str]:
        """Object-like macros the compiler defines, then -D and -U, name to
        replacement text."""
        macros = dict(_compiler_macros(self.base))
        for name, value in self.defines:
            if value is None:
                macros.pop(name, None)
            else:
                macros[name] = value
        return macros

    def configured(self, defines: Defines) -> Arch:
        """This arch with more -D and -U after its own (the command line's)."""
        return replace(self, defines=self.defines + defines) if defines else self

    @property
    def compiler(self) -> tuple[str, ...]:
        """The ground-truth compiler with this arch's -D and -U."""
        return (*self.gcc, *(f"-D{n}={v}" if v is not None else f"-U{n}" for n, v in self.defines))


@lru_cache(maxsize=None)  # asked for by every arch's cache and rules, 30 times a hook
def _compiler_macros(base: str) -> tuple[tuple[str, str], ...]:
    text = packaged.text("data", "predefined", f"{base}.h")
    macros: dict[str, str] = {}
    for line in text.splitlines():
        if line.startswith("#define "):
            _, name, *rest = line.split(" ", 2)
            macros[name] = rest[0] if rest else ""
    return tuple(macros.items())


def _load() -> dict[str, Arch]:
    data = packaged.toml("data/arches.toml", "data", "arches.toml")
    arches: dict[str, Arch] = {}
    for name, d in data.items():
        if "variant_of" in d:
            base = arches[d["variant_of"]]
            arches[name] = replace(base, name=name, aliases=(), asm_markers=(), variant_of=base.name,
                                   defines=tuple((n, v) for n, v in d["defines"]), why=d["why"])
            continue
        arches[name] = Arch(
            name=name,
            kernel_arch=d["kernel_arch"],
            triplets=tuple(d["triplets"]),
            gcc=tuple(d["gcc"]),
            endian=d["endian"],
            char_signed=d["char_signed"],
            biggest_alignment=d["biggest_alignment"],
            bitfield_anon_align=d["bitfield_anon_align"],
            types={k: (v[0], v[1], v[2]) for k, v in d["types"].items()},
            aliases=tuple(d.get("aliases", ())),
            asm_markers=tuple(d.get("asm_markers", ())),
        )
    return arches


ARCHES = _load()
DEFAULT_ARCHES = ("x86_64", "i386", "aarch64", "arm")
# a variant is known by its name only: a triplet means the arch itself
_BY_ALIAS = {n.lower(): a.name for a in ARCHES.values()
             for n in (a.name, *a.aliases, *(a.triplets if not a.variant_of else ()))}


def lookup(name: str) -> str | None:
    """The arch a toolchain name means, whatever its case: arm64, AMD64, ..."""
    return _BY_ALIAS.get(name.lower())
