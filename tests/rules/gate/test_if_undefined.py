"""UA705 libc-if-undefined: the case it reports and a look-alike it must not."""

from __future__ import annotations

from pathlib import Path

from support.gate import gate

# the libc and the kernel use the same include guard for different files: in
# one order the kernel's k2.h is skipped and K2_VERSION is never defined
LIBC = "#ifndef _COMMON_H\n#define _COMMON_H\nint libc_thing;\n#endif\n"
KERNEL = {"linux/k.h": "#include <linux/k2.h>\n#if K2_VERSION > 1\nint v2;\n#endif\n",
          "linux/k2.h": "#ifndef _COMMON_H\n#define _COMMON_H\n#define K2_VERSION 2\n#endif\n"}


def test_reported(tmp_path: Path) -> None:
    assert gate(tmp_path, {"libc.h": LIBC}, KERNEL, code="UA705") == [
        "kernel/linux/k.h:2:2: error: 'K2_VERSION' is not defined, evaluates to 0 in #if when <libc.h> comes "
        "first [-Wundef] [UA705]\n"
        "kernel/linux/k.h:2:2: note: GCC reports this where the headers are not system headers: with -I, as in "
        "the libc's own build and programs that pass -I; an error with -Werror. It is silent for /usr/include "
        "and -isystem\n"
        "kernel/linux/k.h:2:2: note: fix: include <linux/k2.h>, which defines 'K2_VERSION', before this test, or "
        "test 'defined(K2_VERSION)' first"]


def test_not_for_an_identifier_behind_defined(tmp_path: Path) -> None:
    assert gate(tmp_path, {"libc.h": "int x;\n"}, {"linux/k.h": "#if defined(FOO) && FOO > 1\n#endif\n"},
                code="UA705") == []
