"""UA208 member-type-changed: the case it reports and a look-alike it must not."""

from __future__ import annotations

from pathlib import Path

from support.harness import codes, findings, hdr

OLD = hdr('struct foo { __s32 fd; };\n')
NEW = hdr('struct foo { __u32 fd; };\n')


def test_reported(tmp_path: Path) -> None:
    assert findings(tmp_path, OLD, NEW, ('x86_64',), code="UA208") == [
        "new/linux/x.h:4: warning: type of 'struct foo.fd' changed from '__s32' to '__u32' (size 32 bits kept) [UA208]\n"
        'old/linux/x.h:4: note: the old definition was here\n'
        "new/linux/x.h:4: note: who breaks: code that relies on the old type's signedness or name",
    ]


def test_not_for_an_unchanged_member(tmp_path: Path) -> None:
    assert "UA208" not in codes(tmp_path, hdr('struct foo { __u32 fd; };\n'), hdr('struct foo { __u32 fd; __u32 x; };\n'), ('x86_64',))
