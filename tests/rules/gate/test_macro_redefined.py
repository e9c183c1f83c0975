"""UA701 libc-macro-redefined: the case it reports and a look-alike it must not."""

from __future__ import annotations

from pathlib import Path

from support.gate import gate

NOTE = ("note: GCC reports this where the headers are not system headers: with -I, as in the libc's own build and "
        "programs that pass -I; an error with -Werror. It is silent for /usr/include and -isystem")
FIX = ("libc/libc.h:1:9: note: fix: spell the libc's definition as the kernel does, '#define FOO_FLAG (1 << 0)' (an "
       "#ifndef FOO_FLAG guard helps only when the kernel header comes first)")


def test_reported(tmp_path: Path) -> None:
    got = gate(tmp_path, {"libc.h": "#define FOO_FLAG 1\n"}, {"linux/k.h": "#define FOO_FLAG (1 << 0)\n"},
               code="UA701")
    assert got == [
        "kernel/linux/k.h:1:9: error: 'FOO_FLAG' redefined when <libc.h> comes first: '#define FOO_FLAG (1 << 0)' "
        "after '#define FOO_FLAG 1' [UA701]\n"
        "libc/libc.h:1:9: note: this is the location of the previous definition\n"
        f"kernel/linux/k.h:1:9: {NOTE}\n{FIX}",
        "libc/libc.h:1:9: error: 'FOO_FLAG' redefined when <linux/k.h> comes first: '#define FOO_FLAG 1' after "
        "'#define FOO_FLAG (1 << 0)' [UA701]\n"
        "kernel/linux/k.h:1:9: note: this is the location of the previous definition\n"
        f"libc/libc.h:1:9: {NOTE}\n{FIX}"]


def test_not_for_the_same_tokens_with_other_white_space_amounts(tmp_path: Path) -> None:
    assert gate(tmp_path, {"libc.h": "#define FOO_FLAG (1 << 0)\n"},
                {"linux/k.h": "#define FOO_FLAG (1 /* bit */ <<   0)\n"}, code="UA701") == []
