"""UA204 type-align-changed: the case it reports and a look-alike it must not."""

from __future__ import annotations

from pathlib import Path

from support.harness import codes, findings, hdr

OLD = hdr('struct foo { __u32 a; __u32 b; };\n')
NEW = hdr('struct foo { __u32 a; __u32 b; } __attribute__((aligned(8)));\n')


def test_reported(tmp_path: Path) -> None:
    assert findings(tmp_path, OLD, NEW, ('x86_64',), code="UA204") == [
        "new/linux/x.h:4: error: alignment of 'struct foo' changed from 4 to 8 bytes [UA204]\n"
        'old/linux/x.h:4: note: the old definition was here\n'
        'new/linux/x.h:4: note: who breaks: binaries whose structs embed it: its offset in them moves\n'
        'new/linux/x.h:4: note: fix: keep the alignment; add explicit padding members instead',
    ]


def test_not_for_an_alignment_attribute_that_changes_nothing(tmp_path: Path) -> None:
    assert "UA204" not in codes(tmp_path, hdr('struct foo { __u32 a; __u32 b; };\n'), hdr('struct foo { __u32 a; __u32 b; } __attribute__((aligned(4)));\n'), ('x86_64',))
