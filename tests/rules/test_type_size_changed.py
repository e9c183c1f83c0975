"""UA202 type-size-changed: the case it reports and a look-alike it must not."""

from __future__ import annotations

from pathlib import Path

from support.harness import codes, findings, hdr

OLD = hdr('struct foo { __u32 a; };\n')
NEW = hdr('struct foo { __u32 a; __u32 b; };\n')


def test_reported(tmp_path: Path) -> None:
    assert findings(tmp_path, OLD, NEW, ('x86_64',), code="UA202") == [
        "new/linux/x.h:4: error: size of 'struct foo' changed from 4 to 8 bytes (by +4) [UA202]\n"
        'old/linux/x.h:4: note: the old definition was here\n'
        'new/linux/x.h:4: note: who breaks: binaries built with the old size: arrays, embedding structs, sizeof arguments, ioctl numbers\n'
        'new/linux/x.h:4: note: fix: keep the layout; extend with a new struct or a size-versioned one',
    ]


def test_not_for_a_size_versioned_struct_growing(tmp_path: Path) -> None:
    assert "UA202" not in codes(tmp_path, hdr('struct foo { __u32 a; };\n#define FOO_SIZE_VER0 4\n'), hdr('struct foo { __u32 a; __u32 b; };\n#define FOO_SIZE_VER0 4\n#define FOO_SIZE_VER1 8\n'), ('x86_64',))
