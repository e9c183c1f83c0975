"""Gate fixtures: a small libc tree and a small kernel tree, one pair, both
orders; rendered findings out, with paths as libc/... and kernel/...."""

from __future__ import annotations

from pathlib import Path

from uapicheck.gate.context import Pair
from uapicheck.arches import ARCHES
from uapicheck.gate.driver import Gate, check
from uapicheck.gate.rules import GATE_RULES
from uapicheck.report.text import render

from .trees import write


def gate(tmp: Path, libc: dict[str, str], kernel: dict[str, str], code: str | None = None,
         pair: tuple[str, tuple[str, ...]] = ("libc.h", ("linux/k.h",))) -> list[str]:
    write(tmp / "libc", libc)
    write(tmp / "kernel", kernel)
    (tmp / "kernel" / "asm").mkdir(parents=True, exist_ok=True)
    (tmp / "libc").mkdir(exist_ok=True)
    units = Gate(str(tmp / "libc"), str(tmp / "kernel"), ARCHES["x86_64"])
    return [render(f, ["x86_64"]).replace(str(tmp) + "/", "") for _, v in check(units, [Pair(*pair)], list(GATE_RULES))
            for f in v.findings if code is None or f.code == code]
