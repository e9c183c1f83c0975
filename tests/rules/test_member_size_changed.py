"""UA209 member-size-changed: the case it reports and a look-alike it must not."""

from __future__ import annotations

from pathlib import Path

from support.harness import codes, findings, hdr

OLD = hdr('struct foo { __u32 count; __u64 x; };\n')
NEW = hdr('struct foo { __u64 count; __u64 x; };\n')


def test_reported(tmp_path: Path) -> None:
    assert findings(tmp_path, OLD, NEW, ('x86_64',), code="UA209") == [
        "new/linux/x.h:4: error: 'struct foo.count' changed from '__u32' (4 bytes) to '__u64' (8 bytes, by +4 bytes) [UA209]\n"
        'old/linux/x.h:4: note: the old definition was here\n'
        'new/linux/x.h:4: note: who breaks: binaries built with the old layout access the wrong bytes\n'
        'new/linux/x.h:4: note: fix: keep the member; add a wider one at the end or in reserved space',
    ]


def test_not_for_same_size_other_type(tmp_path: Path) -> None:
    assert "UA209" not in codes(tmp_path, hdr('struct foo { __s32 count; };\n'), hdr('struct foo { __u32 count; };\n'), ('x86_64',))
