"""UA112 macro-clashes-with-libc: a new kernel macro that a C library
already defines with another spelling (rules/libc-copies.toml), and the
look-alikes: the library's own spelling, and a name no library defines."""

from __future__ import annotations

from pathlib import Path

from support.harness import codes, findings, hdr


def test_reported(tmp_path: Path) -> None:
    assert findings(tmp_path, hdr(""), hdr("#define OPEN_TREE_CLONE (1 << 0)\n"), code="UA112") == [
        "new/linux/x.h:4:9: warning: new macro 'OPEN_TREE_CLONE' is '(1 << 0)', but glibc 2.36's <sys/mount.h> "
        "already defines it as '1'; glibc 2.41 to 2.44's <sys/mount.h> as '1' [UA112]\n"
        "new/linux/x.h:4:9: note: who breaks: translation units that include <sys/mount.h> and <linux/x.h>: "
        "\"'OPEN_TREE_CLONE' redefined\", an error under -Werror\n"
        "new/linux/x.h:4:9: note: fix: spell it as the C library does (#define OPEN_TREE_CLONE 1), or choose "
        "another name",
    ]


def test_not_for_the_libraries_spelling_or_an_unknown_name(tmp_path: Path) -> None:
    assert "UA112" not in codes(tmp_path / "a", hdr(""), hdr("#define OPEN_TREE_CLONE 1\n"))
    assert "UA112" not in codes(tmp_path / "b", hdr(""), hdr("#define UAPICHECK_NOWHERE_ELSE (1 << 0)\n"))


def test_not_where_gcc_rejects_the_two_headers_together(tmp_path: Path) -> None:
    """glibc 2.44's <fcntl.h> has F_GETDELEG 1039; with <linux/fcntl.h> it
    already fails on struct flock (rules/libc-known.json), in another
    header it would meet it."""
    new = "#define F_GETDELEG (1024 + 15)\n"
    assert "UA112" not in codes(tmp_path / "a", {"linux/fcntl.h": ""}, {"linux/fcntl.h": new})
    assert "UA112" in codes(tmp_path / "b", {"linux/x.h": ""}, {"linux/x.h": new})
