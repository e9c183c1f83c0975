"""UA703 libc-type-redefined: the case it reports and a look-alike it must not."""

from __future__ import annotations

from pathlib import Path

from support.gate import gate

OPEN_HOW = "struct open_how { unsigned long long flags, mode, resolve; };\n"


def test_reported(tmp_path: Path) -> None:
    got = gate(tmp_path, {"libc.h": OPEN_HOW}, {"linux/k.h": "#define RESOLVE_NO_XDEV 1\n" + OPEN_HOW}, code="UA703")
    fix = ("libc/libc.h:1:8: note: fix: guard the libc's 'struct open_how' with '#ifndef RESOLVE_NO_XDEV' and "
           "include <linux/k.h> before it from <libc.h> (glibc's __has_include pattern in <sys/mount.h>); or give "
           "the kernel's copy a __UAPI_DEF_* guard in <linux/libc-compat.h>")
    assert got == [
        "kernel/linux/k.h:2:8: error: redefinition of 'struct open_how' when <libc.h> comes first [UA703]\n"
        f"libc/libc.h:1:8: note: originally defined here\n{fix}",
        "libc/libc.h:1:8: error: redefinition of 'struct open_how' when <linux/k.h> comes first [UA703]\n"
        f"kernel/linux/k.h:2:8: note: originally defined here\n{fix}"]


def test_reported_with_the_libc_compat_guard(tmp_path: Path) -> None:
    """The kernel's copy under a __UAPI_DEF_* macro: the fix names the libc
    macro that turns it off, and the order that works."""
    compat = ("#if defined(__GLIBC__)\n#if defined(_LIBC_H)\n#define __UAPI_DEF_OPEN_HOW 0\n#else\n"
              "#define __UAPI_DEF_OPEN_HOW 1\n#endif\n#endif\n"
              "#ifndef __UAPI_DEF_OPEN_HOW\n#define __UAPI_DEF_OPEN_HOW 1\n#endif\n")
    kernel = "#include <linux/libc-compat.h>\n#if __UAPI_DEF_OPEN_HOW\n" + OPEN_HOW + "#endif\n"
    libc = "#ifndef _LIBC_H\n#define _LIBC_H\n#define __GLIBC__ 2\n" + OPEN_HOW + "#endif\n"
    got = gate(tmp_path, {"libc.h": libc}, {"linux/k.h": kernel, "linux/libc-compat.h": compat}, code="UA703")
    assert got == [
        "libc/libc.h:4:8: error: redefinition of 'struct open_how' when <linux/k.h> comes first [UA703]\n"
        "kernel/linux/k.h:3:8: note: originally defined here\n"
        "kernel/linux/k.h:3:8: note: fix: the kernel's copy is under '#if __UAPI_DEF_OPEN_HOW', which "
        "<linux/libc-compat.h> sets to 0 when __GLIBC__ and _LIBC_H are defined: include <libc.h> first"]


def test_not_for_a_copy_guarded_by_a_kernel_macro(tmp_path: Path) -> None:
    libc = "#include <linux/k.h>\n#ifndef RESOLVE_NO_XDEV\n" + OPEN_HOW + "#endif\n"
    kernel = "#ifndef _K_H\n#define _K_H\n#define RESOLVE_NO_XDEV 1\n" + OPEN_HOW + "#endif\n"
    assert gate(tmp_path, {"libc.h": libc}, {"linux/k.h": kernel}, code="UA703") == []
