"""UA702 libc-value-mismatch: the case it reports and a look-alike it must not."""

from __future__ import annotations

from pathlib import Path

from support.gate import gate


def test_reported(tmp_path: Path) -> None:
    got = gate(tmp_path, {"libc.h": "#ifndef FOO_FLAG\n#define FOO_FLAG 8\n#endif\n"},
               {"linux/k.h": "#define FOO_FLAG 4\n"}, code="UA702")
    # libc first, the kernel's definition is a redefinition (UA701); kernel first, the guard hides the libc's
    assert got == [
        "libc/libc.h:2:9: warning: 'FOO_FLAG' is 8 in the libc and 4 in the kernel; when <linux/k.h> comes first "
        "the program gets 4 [UA702]\nkernel/linux/k.h:1:9: note: the kernel's definition\n"
        "libc/libc.h:2:9: note: fix: make the libc's value the kernel's: '#define FOO_FLAG 4'"]


def test_not_for_a_guarded_copy_with_the_same_value(tmp_path: Path) -> None:
    assert gate(tmp_path, {"libc.h": "#ifndef FOO_FLAG\n#define FOO_FLAG 0x4\n#endif\n"},
                {"linux/k.h": "#define FOO_FLAG 4\n"}, code="UA702") == []
