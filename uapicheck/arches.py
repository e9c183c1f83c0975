"""Architectures: their ABI tables and predefined macros, read from data/."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from . import tomlfile
from .expr import IntModel


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

    @property
    def ints(self) -> IntModel:
        return IntModel(self.types["int"][0] * 8, self.types["long"][0] * 8, self.char_signed)

    def predefined(self) -> dict[str, str]:
        """Object-like macros the compiler defines, name to replacement text."""
        text = resources.files("uapicheck.data.predefined").joinpath(f"{self.name}.h").read_text()
        macros: dict[str, str] = {}
        for line in text.splitlines():
            if line.startswith("#define "):
                _, name, *rest = line.split(" ", 2)
                macros[name] = rest[0] if rest else ""
        return macros


def _load() -> dict[str, Arch]:
    data = tomlfile.loads(resources.files("uapicheck.data").joinpath("arches.toml").read_text(), "data/arches.toml")
    arches = {}
    for name, d in data.items():
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
_BY_ALIAS = {n.lower(): a.name for a in ARCHES.values() for n in (a.name, *a.aliases, *a.triplets)}


def lookup(name: str) -> str | None:
    """The arch a toolchain name means, whatever its case: arm64, AMD64, ..."""
    return _BY_ALIAS.get(name.lower())
