"""UA201 type-removed: the case it reports and a look-alike it must not."""

from __future__ import annotations

from pathlib import Path

from support.harness import codes, findings, hdr

OLD = hdr('struct a { __u32 x; };\nstruct b { __u32 y; };\n')
NEW = hdr('struct a { __u32 x; };\n')


def test_reported(tmp_path: Path) -> None:
    assert findings(tmp_path, OLD, NEW, ('x86_64',), code="UA201") == [
        "old/linux/x.h:5: error: 'struct b' removed from 'linux/x.h' [UA201]\n"
        "old/linux/x.h:5: note: who breaks: programs that use 'struct b' no longer compile\n"
        "old/linux/x.h:5: note: fix: keep 'struct b'",
    ]


def test_not_for_a_type_added(tmp_path: Path) -> None:
    assert "UA201" not in codes(tmp_path, hdr('struct a { __u32 x; };\n'), hdr('typedef __u32 t;\nstruct a { __u32 x; };\n'), ('x86_64',))
