"""UA703 libc-type-redefined: the case it reports and a look-alike it must not."""

from __future__ import annotations

from pathlib import Path

from support.gate import gate

OPEN_HOW = "struct open_how { unsigned long long flags, mode, resolve; };\n"


def test_reported(tmp_path: Path) -> None:
    got = gate(tmp_path, {"libc.h": OPEN_HOW}, {"linux/k.h": "#define RESOLVE_NO_XDEV 1\n" + OPEN_HOW}, code="UA703")
    assert got == [
        "kernel/linux/k.h:2:8: error: redefinition of 'struct open_how' when <libc.h> comes first [UA703]\n"
        "libc/libc.h:1:8: note: originally defined here",
        "libc/libc.h:1:8: error: redefinition of 'struct open_how' when <linux/k.h> comes first [UA703]\n"
        "kernel/linux/k.h:2:8: note: originally defined here"]


def test_not_for_a_copy_guarded_by_a_kernel_macro(tmp_path: Path) -> None:
    libc = "#include <linux/k.h>\n#ifndef RESOLVE_NO_XDEV\n" + OPEN_HOW + "#endif\n"
    kernel = "#ifndef _K_H\n#define _K_H\n#define RESOLVE_NO_XDEV 1\n" + OPEN_HOW + "#endif\n"
    assert gate(tmp_path, {"libc.h": libc}, {"linux/k.h": kernel}, code="UA703") == []
