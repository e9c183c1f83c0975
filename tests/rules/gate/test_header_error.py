"""UA707 libc-header-error: the case it reports and a look-alike it must not."""

from __future__ import annotations

from pathlib import Path

from support.gate import gate


def test_reported(tmp_path: Path) -> None:
    got = gate(tmp_path, {"libc.h": "int a;\n"}, {"linux/k.h": "#include <linux/compiler.h>\nint b;\n"},
               code="UA707")
    fix = ("kernel/linux/k.h:1:2: note: fix: <linux/k.h> includes a header the trees do not have: install it, or "
           "drop the include from the installed header")
    assert got == [
        "kernel/linux/k.h:1:2: error: linux/compiler.h: No such file or directory when <libc.h> comes first "
        f"[UA707]\n{fix}",
        "kernel/linux/k.h:1:2: error: linux/compiler.h: No such file or directory when <linux/k.h> comes first "
        f"[UA707]\n{fix}"]


def test_not_for_an_enumerator_a_macro_replaced(tmp_path: Path) -> None:
    assert gate(tmp_path, {"libc.h": "enum { MS_RDONLY = 1 };\n"}, {"linux/k.h": "#define MS_RDONLY 1\n"},
                code="UA707") == []
