"""UA214 size-version-mismatch: the case it reports and a look-alike it must not."""

from __future__ import annotations

from pathlib import Path

from support.harness import codes, findings, hdr

OLD = hdr('struct foo { __u32 a; };\n#define FOO_SIZE_VER0 4\n#define FOO_SIZE_LATEST FOO_SIZE_VER0\n')
NEW = hdr('struct foo { __u32 a; __u32 b; };\n#define FOO_SIZE_VER0 4\n#define FOO_SIZE_LATEST FOO_SIZE_VER0\n')


def test_reported(tmp_path: Path) -> None:
    assert findings(tmp_path, OLD, NEW, ('x86_64',), code="UA214") == [
        "new/linux/x.h:6:9: error: 'FOO_SIZE_LATEST' is 4 but sizeof(struct foo) is 8 [UA214]\n"
        'new/linux/x.h:6:9: note: fix: add FOO_SIZE_VER1 8 and point FOO_SIZE_LATEST at it',
    ]


def test_not_for_a_new_version_for_the_new_size(tmp_path: Path) -> None:
    assert "UA214" not in codes(tmp_path, hdr('struct foo { __u32 a; };\n#define FOO_SIZE_VER0 4\n#define FOO_SIZE_LATEST FOO_SIZE_VER0\n'), hdr('struct foo { __u32 a; __u32 b; };\n#define FOO_SIZE_VER0 4\n#define FOO_SIZE_VER1 8\n#define FOO_SIZE_LATEST FOO_SIZE_VER1\n'), ('x86_64',))
