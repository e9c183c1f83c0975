"""Gate fixtures: a small libc tree and a small kernel tree, one pair, both
orders; rendered findings out, with paths as libc/... and kernel/...."""

from __future__ import annotations

from pathlib import Path

from uapicheck.checks.registry import GATE_RULES
from uapicheck.gate import Pair, contexts
from uapicheck.report import render


def gate(tmp: Path, libc: dict[str, str], kernel: dict[str, str], code: str | None = None,
         pair: tuple[str, tuple[str, ...]] = ("libc.h", ("linux/k.h",))) -> list[str]:
    for root, files in (("libc", libc), ("kernel", kernel)):
        for name, text in files.items():
            p = tmp / root / name
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(text)
    (tmp / "kernel" / "asm").mkdir(parents=True, exist_ok=True)
    (tmp / "libc").mkdir(exist_ok=True)
    out = []
    for ctx in contexts(str(tmp / "libc"), str(tmp / "kernel"), [Pair(pair[0], pair[1])], ["x86_64"]):
        for rule in GATE_RULES:
            for f in rule().check(ctx):
                if code is None or f.code == code:
                    out.append(render(f, ["x86_64"]).replace(str(tmp) + "/", ""))
    return out
