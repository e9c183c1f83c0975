"""UA708 libc-name-conflict: the case it reports and a look-alike it must not."""

from __future__ import annotations

from pathlib import Path

from support.gate import gate


def test_reported(tmp_path: Path) -> None:
    libc = "typedef unsigned long Elf64_Addr;\nenum { PER_LINUX = 0 };\n"
    kernel = "typedef unsigned long long Elf64_Addr;\nenum { PER_LINUX = 0x0000 };\n"
    enumerator_fix = ("libc/libc.h:2:8: note: fix: an enumerator cannot be declared twice: guard the libc's enum "
                      "with '#ifndef' of a macro <linux/k.h> defines and include that header first from <libc.h>, "
                      "or make the libc's names macros spelled as the kernel's")
    typedef_fix = ("libc/libc.h:1:23: note: fix: make the libc's typedef 'Elf64_Addr' the kernel's type, 'unsigned "
                   "long long', or guard it")
    assert gate(tmp_path, {"libc.h": libc}, {"linux/k.h": kernel}, code="UA708") == [
        "kernel/linux/k.h:1:28: error: conflicting types for 'Elf64_Addr' when <libc.h> comes first: 'unsigned "
        f"long long' here, 'unsigned long' before [UA708]\nlibc/libc.h:1:23: note: previous declaration here\n"
        f"{typedef_fix}",
        "kernel/linux/k.h:2:8: error: redeclaration of enumerator 'PER_LINUX' when <libc.h> comes first [UA708]\n"
        f"libc/libc.h:2:8: note: previous declaration here\n{enumerator_fix}",
        "libc/libc.h:1:23: error: conflicting types for 'Elf64_Addr' when <linux/k.h> comes first: 'unsigned long' "
        f"here, 'unsigned long long' before [UA708]\nkernel/linux/k.h:1:28: note: previous declaration here\n"
        f"{typedef_fix}",
        "libc/libc.h:2:8: error: redeclaration of enumerator 'PER_LINUX' when <linux/k.h> comes first [UA708]\n"
        f"kernel/linux/k.h:2:8: note: previous declaration here\n{enumerator_fix}"]


def test_not_for_the_same_type_spelled_otherwise(tmp_path: Path) -> None:
    """C11 6.7p3: a typedef may be repeated for the same type."""
    libc = "typedef unsigned long int u64_t;\ntypedef __signed__ char s8_t;\n"
    kernel = "typedef long unsigned u64_t;\ntypedef signed char s8_t;\n"
    assert gate(tmp_path, {"libc.h": libc}, {"linux/k.h": kernel}, code="UA708") == []
