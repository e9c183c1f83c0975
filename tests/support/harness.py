"""One-call rule fixtures: old and new headers in, rendered findings out.

Paths in the output are written as old/... and new/..., so expected output
reads as the files the test defines.
"""

from __future__ import annotations

from pathlib import Path

from uapicheck.checks import check
from uapicheck.checks.data import shipped
from uapicheck.checks.registry import RULES
from uapicheck.report.text import render
from uapicheck.snapshot import build
from uapicheck.sources import InstalledTree

from .trees import installed

TYPES = """#ifndef _LINUX_TYPES_H
#define _LINUX_TYPES_H
typedef unsigned char __u8;
typedef unsigned short __u16;
typedef unsigned int __u32;
typedef int __s32;
typedef unsigned long long __u64;
#define __aligned_u64 __u64 __attribute__((aligned(8)))
#endif
"""

# _IOR as asm-generic/ioctl.h builds it, for ioctl fixtures
IOCTL = """#define _IOC(dir, type, nr, size) (((dir) << 30) | ((type) << 8) | (nr) | ((size) << 16))
#define _IOR(type, nr, T) _IOC(2U, (type), (nr), sizeof(T))
"""


def tree(root: Path, files: dict[str, str]) -> InstalledTree:
    """An installed tree with linux/types.h and files."""
    return installed(root, {"linux/types.h": TYPES, **files})


def findings(tmp: Path, old: dict[str, str], new: dict[str, str], arches: tuple[str, ...] = ("x86_64",),
             code: str | None = None) -> list[str]:
    """Rendered findings of every rule (or of one code) from old to new."""
    a = build(tree(tmp / "old", old), arches)
    b = build(tree(tmp / "new", new), arches)
    found = check(a, b, RULES, shipped())
    return [render(f, list(arches)).replace(str(tmp) + "/", "") for f in found if code is None or f.code == code]


def codes(tmp: Path, old: dict[str, str], new: dict[str, str], arches: tuple[str, ...] = ("x86_64",)) -> list[str]:
    a = build(tree(tmp / "old", old), arches)
    b = build(tree(tmp / "new", new), arches)
    return sorted(f.code for f in check(a, b, RULES, shipped()))


def hdr(body: str, name: str = "linux/x.h") -> dict[str, str]:
    """One header with an include guard and <linux/types.h>; body starts on line 4."""
    return {name: "#ifndef _X_H\n#define _X_H\n#include <linux/types.h>\n" + body + "#endif\n"}
