"""UA206 member-removed: the case it reports and a look-alike it must not."""

from __future__ import annotations

from pathlib import Path

from support.harness import codes, findings, hdr

OLD = hdr('struct foo { __u32 a; __u32 b; };\n')
NEW = hdr('struct foo { __u32 a; };\n')


def test_reported(tmp_path: Path) -> None:
    assert findings(tmp_path, OLD, NEW, ('x86_64',), code="UA206") == [
        "new/linux/x.h:4: error: member 'b' of 'struct foo' removed (was at offset 4 bytes) [UA206]\n"
        'old/linux/x.h:4: note: the old definition was here\n'
        "new/linux/x.h:4: note: who breaks: code that uses 'b' no longer compiles\n"
        "new/linux/x.h:4: note: fix: keep 'b'; rename it to a reserved name if it has no use left",
    ]


def test_not_for_a_reserved_member_put_to_use(tmp_path: Path) -> None:
    assert "UA206" not in codes(tmp_path, hdr('struct foo { __u32 a; __u32 __reserved; };\n'), hdr('struct foo { __u32 a; __u32 flags; };\n'), ('x86_64',))
