"""The data rules read: flag families and size-versioned structs, shipped in
the top-level rules/ folder (a link to uapicheck/ruledata, which installs with the package)
and extendable from the user's configuration."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field
from fnmatch import fnmatchcase

from .. import packaged, tomlfile
from ..errors import UapicheckError


class DataError(UapicheckError):
    pass


@dataclass(frozen=True)
class Family:
    name: str
    argument: str
    macros: tuple[str, ...]  # name globs
    exclude: tuple[str, ...] = ()

    def has(self, macro: str) -> bool:
        return (any(fnmatchcase(macro, g) for g in self.macros)
                and not any(fnmatchcase(macro, g) for g in self.exclude))

    def members(self, names: ByStart) -> list[str]:
        """The names of the family, in their order. Only those that start as
        one of its globs does are matched against the globs."""
        found = {n for start in {literal_start(g) for g in self.macros} for n in names.starting(start)}
        return sorted((n for n in found if self.has(n)), key=names.order.__getitem__)


class ByStart:
    """Names, found by how they start: a tree has 35,000 macros and the
    shipped data 76 families, each asking for a few starts."""

    def __init__(self, names: Iterable[str]) -> None:
        self.order = {n: i for i, n in enumerate(names)}
        self._sorted = sorted(self.order)

    def starting(self, start: str) -> list[str]:
        i = j = bisect_left(self._sorted, start)
        while j < len(self._sorted) and self._sorted[j].startswith(start):
            j += 1
        return self._sorted[i:j]


def literal_start(glob: str) -> str:
    """What every name a glob matches starts with."""
    return re.split(r"[*?[]", glob)[0]


@dataclass(frozen=True)
class Shared:
    """Families (and single macros) whose bits share one argument."""

    argument: str
    families: tuple[str, ...]
    macros: tuple[str, ...] = ()


@dataclass
class RuleData:
    families: dict[str, Family] = field(default_factory=dict)
    shared: list[Shared] = field(default_factory=list)
    size_prefixes: dict[str, str] = field(default_factory=dict)  # FOO of FOO_SIZE_VER0 -> "struct bar"
    structs: dict[str, tuple[str, str]] = field(default_factory=dict)  # struct -> (end marker or "", why)
    headers: list[tuple[str, str]] = field(default_factory=list)  # (glob, why): ioctl structs copied by size
    kernel_only: dict[str, tuple[str, str]] = field(default_factory=dict)  # identifier -> (UAPI spelling, why)

    def extensible(self, header: str, struct: str) -> tuple[str, str] | None:
        """(end marker, why) if struct is known to grow by size."""
        if struct in self.structs:
            return self.structs[struct]
        for glob, why in self.headers:
            if fnmatchcase(header, glob):
                return "", why
        return None

    def struct_for_prefix(self, prefix: str) -> str:
        return self.size_prefixes.get(prefix, f"struct {prefix.lower()}")

    def merge(self, data: tomlfile.Table, origin: str) -> None:
        tomlfile.table(data, {"family", "shared", "size-versions", "struct", "headers", "kernel-only"}, origin,
                       DataError)
        try:
            for name, f in data.get("family", {}).items():
                tomlfile.table(f, {"argument", "macros", "exclude"}, f"{origin}: family.{name}", DataError)
                self.families[name] = Family(name, str(f["argument"]), tuple(f["macros"]),
                                             tuple(f.get("exclude", ())))
            for s in data.get("shared", []):
                tomlfile.table(s, {"argument", "families", "macros"}, f"{origin}: shared", DataError)
                self.shared.append(Shared(str(s["argument"]), tuple(s["families"]), tuple(s.get("macros", ()))))
            self.size_prefixes.update({str(k): str(v) for k, v in data.get("size-versions", {}).items()})
            for st in data.get("struct", []):
                tomlfile.table(st, {"names", "marker", "why"}, f"{origin}: struct", DataError)
                for n in st["names"]:
                    self.structs[str(n)] = (str(st.get("marker", "")), str(st["why"]))
            for h in data.get("headers", []):
                tomlfile.table(h, {"globs", "why"}, f"{origin}: headers", DataError)
                self.headers += [(str(g), str(h["why"])) for g in h["globs"]]
            for k in data.get("kernel-only", []):
                tomlfile.table(k, {"names", "use", "why"}, f"{origin}: kernel-only", DataError)
                for n in k["names"]:
                    self.kernel_only[str(n)] = (str(k["use"]).replace("{name}", str(n)), str(k["why"]))
        except KeyError as exc:
            raise DataError(f"{origin}: missing key {exc}") from None
        for s in self.shared:
            for name in s.families:
                if name not in self.families:
                    raise DataError(f"{origin}: shared argument '{s.argument}' names unknown family '{name}'")


# the shipped files in this format; rules/ holds others (defaults, libc data)
SHIPPED = ("extensible.toml", "flags.toml", "kernel-only.toml")


def shipped() -> RuleData:
    data = RuleData()
    for name in SHIPPED:
        origin = f"rules/{name}"
        data.merge(packaged.toml(origin, "ruledata", name, error=DataError), origin)
    return data
