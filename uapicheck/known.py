"""Known conflicts: what uapicheck's matrix of C libraries and kernels
(rules/libc-known.json, written by scripts/record-known-conflicts) found,
so that the gate reports only what is new for a C library it recognises.

A conflict is known for a libc version if the matrix saw it with that
version and the matrix's oldest kernel: it is long-standing, not brought
by a newer kernel. Every finding the matrix saw also gets a note naming
the first libc and kernel versions it was seen with.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field

from . import packaged
from .errors import UapicheckError
from .libc import Libc
from .rulebase import Finding, fingerprint

SHIPPED = "libc-known.json"
SCHEMA = "uapicheck-libc-known/1"
# conflicts GCC rejects, not only warns of: a type, an enumerator or a
# typedef defined twice, and other errors
HARD = ("UA703", "UA707", "UA708")
SUBJECT = re.compile(r"(.+?) (kernel-first|libc-first) (.+)")


class KnownError(UapicheckError):
    pass


def version_key(v: str) -> tuple[int, ...]:
    return tuple(int(x) for x in re.findall(r"\d+", v))


@dataclass
class Matrix:
    """The shipped record: kernels (the first is the baseline), the
    versions of each libc, and where each conflict was seen."""

    kernels: list[str] = field(default_factory=list)
    versions: dict[str, list[str]] = field(default_factory=dict)  # libc name -> versions
    # (libc name, fingerprint) -> the (libc version, kernel version) it was seen with
    seen: dict[tuple[str, str], list[tuple[str, str]]] = field(default_factory=dict)
    # (libc name, libc header, kernel header, libc version) -> order -> a name
    # GCC rejected in that order with the baseline kernel
    hard: dict[tuple[str, str, str, str], dict[str, str]] = field(default_factory=dict)

    def never_together(self, library: str, header: str, kernel_header: str, versions: tuple[str, ...]) -> str | None:
        """A name that makes GCC reject <header> with <kernel_header>, in
        either order, for every one of the library's versions, since the
        baseline kernel: no program includes both. None if some can."""
        found = [self.hard.get((library, header, kernel_header, v), {}) for v in versions]
        if not versions or any(len(orders) < 2 for orders in found):
            return None
        return found[0].get("kernel-first")

    def set_for(self, lib: Libc) -> tuple[str | None, set[str]]:
        """The libc version whose known conflicts apply (the same, or the
        newest shipped one before it) and their fingerprints."""
        versions = self.versions.get(lib.name, [])
        if not lib.version or not versions or not self.kernels:
            return None, set()
        older = [v for v in versions if version_key(v) <= version_key(lib.version)]
        if not older:
            return None, set()
        chosen = max(older, key=version_key)
        base = (chosen, self.kernels[0])
        return chosen, {fp for (name, fp), where in self.seen.items() if name == lib.name and base in where}

    def history(self, lib: Libc, f: Finding) -> str | None:
        where = self.seen.get((lib.name, f.fingerprint))
        if not where:
            return None
        first_libc = min((v for v, _ in where), key=version_key)
        first_kernel = min((k for v, k in where if v == first_libc), key=version_key)
        libcs = sorted({v for v, _ in where}, key=version_key)
        kernels = sorted({k for _, k in where}, key=version_key)
        return (f"first seen in uapicheck's matrix with {lib.name} {first_libc} and Linux {first_kernel} "
                f"(seen with {lib.name} {', '.join(libcs)}; Linux {', '.join(kernels)})")


def load() -> Matrix:
    origin = f"rules/{SHIPPED}"
    text = packaged.text("ruledata", SHIPPED)
    try:
        data = json.loads(text)
        if data.get("schema") != SCHEMA:
            raise KnownError(f"{origin}: not a {SCHEMA} file")
        m = Matrix([str(k) for k in data["kernels"]], {str(k): [str(v) for v in vs] for k, vs in data["libc"].items()})
        for c in data["conflicts"]:
            where = [(str(v), str(k)) for v, kernels in c["seen"].items() for k in kernels.split()]
            m.seen[(str(c["libc"]), fingerprint(c["code"], c["header"], c["subject"]))] = where
            subject = SUBJECT.fullmatch(str(c["subject"]))
            if c["code"] in HARD and subject:
                for v, k in where:
                    if k == m.kernels[0]:
                        orders = m.hard.setdefault((str(c["libc"]), str(c["header"]), subject[1], v), {})
                        orders.setdefault(subject[2], subject[3])
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise KnownError(f"{origin}: malformed ({exc!r})") from None
    return m


def kernel_version(root: str) -> str | None:
    """'6.1' from <linux/version.h> (LINUX_VERSION_CODE), if the tree has it."""
    try:
        with open(os.path.join(root, "linux", "version.h"), "rb") as f:
            text = f.read(1 << 14).decode("latin-1")
    except OSError:
        return None
    m = re.search(r"#\s*define\s+LINUX_VERSION_CODE\s+(\d+)", text)
    if not m:
        return None
    code = int(m.group(1))
    return f"{code >> 16}.{(code >> 8) & 0xFF}"
