"""UA706 libc-layout-differs: the case it reports and a look-alike it must not."""

from __future__ import annotations

from pathlib import Path

from support.gate import gate


def test_reported(tmp_path: Path) -> None:
    libc = "struct mount_attr { unsigned long long attr_set, attr_clr, propagation; };\n"
    kernel = "struct mount_attr { unsigned long long attr_set, attr_clr, propagation, userns_fd; };\n"
    assert gate(tmp_path, {"libc.h": libc}, {"linux/k.h": kernel}, code="UA706") == [
        "libc/libc.h:1:8: error: the libc's 'struct mount_attr' differs from the kernel's: size 24 vs 32 bytes "
        "[UA706]\nkernel/linux/k.h:1:8: note: the kernel's definition\n"
        "libc/libc.h:1:8: note: fix: make the libc's 'struct mount_attr' the kernel's member for member (32 bytes, "
        "align 8), or include <linux/k.h> instead of copying it"]


def test_not_for_other_member_names_over_the_same_bytes(tmp_path: Path) -> None:
    libc = "struct sockaddr_in { unsigned short f; unsigned char sin_zero[14]; };\n"
    kernel = "struct sockaddr_in { unsigned short f; unsigned char __pad[14]; };\n"
    assert gate(tmp_path, {"libc.h": libc}, {"linux/k.h": kernel}, code="UA706") == []
