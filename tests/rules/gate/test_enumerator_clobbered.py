"""UA704 libc-enumerator-clobbered: the case it reports and a look-alike it must not."""

from __future__ import annotations

from pathlib import Path

from support.gate import gate


def test_reported(tmp_path: Path) -> None:
    got = gate(tmp_path, {"libc.h": "enum { MS_RDONLY = 1, MS_NOSUID = 2 };\n"},
               {"linux/k.h": "#define MS_RDONLY 1\n"}, code="UA704")
    assert got == [
        "libc/libc.h:1:8: error: 'MS_RDONLY' is a macro ('1') when <linux/k.h> comes first, so 'enum { MS_RDONLY = "
        "1, MS_NOSUID = 2 };' reads 'enum { 1 = 1, MS_NOSUID = 2 };' and does not compile [UA704]\n"
        "kernel/linux/k.h:1:9: note: 'MS_RDONLY' is defined here\n"
        "libc/libc.h:1:8: note: fix: the kernel's macro 'MS_RDONLY' rewrites the libc's declaration: '#undef "
        "MS_RDONLY' before it in the libc's header and define the name again after it (glibc's pattern for "
        "MS_RDONLY), or include <libc.h> first"]


def test_not_for_glibcs_undef_and_self_define(tmp_path: Path) -> None:
    libc = "enum {\n#undef MS_RDONLY\n  MS_RDONLY = 1,\n#define MS_RDONLY MS_RDONLY\n};\n"
    assert gate(tmp_path, {"libc.h": libc}, {"linux/k.h": "#define MS_RDONLY 1\n"}, code="UA704") == []
