"""UA203 struct-extended: the case it reports and a look-alike it must not."""

from __future__ import annotations

from pathlib import Path

from support.harness import codes, findings, hdr

OLD = hdr('struct foo { __u32 a; };\n#define FOO_SIZE_VER0 4\n')
NEW = hdr('struct foo { __u32 a; __u32 b; };\n#define FOO_SIZE_VER0 4\n#define FOO_SIZE_VER1 8\n')


def test_reported(tmp_path: Path) -> None:
    assert findings(tmp_path, OLD, NEW, ('x86_64',), code="UA203") == [
        "new/linux/x.h:4: note: 'struct foo' extended: '__u32 b' at offset 4; size 4 to 8 bytes, align 4 [UA203]\n"
        'new/linux/x.h:4: note: an extension, not a break: versioned by FOO_SIZE_VER0, FOO_SIZE_VER1',
    ]


def test_not_for_growth_at_the_front(tmp_path: Path) -> None:
    assert "UA203" not in codes(tmp_path, hdr('struct foo { __u32 a; };\n#define FOO_SIZE_VER0 4\n'), hdr('struct foo { __u32 b; __u32 a; };\n#define FOO_SIZE_VER0 4\n#define FOO_SIZE_VER1 8\n'), ('x86_64',))
