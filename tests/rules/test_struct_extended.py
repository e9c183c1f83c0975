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


def test_reported_before_an_end_marker_of_any_name(tmp_path: Path) -> None:
    old = hdr('struct feat { __u32 a; __u32 b; char marker[]; };\n')
    new = hdr('struct feat { __u32 a; __u32 b; __u64 c; char marker[]; };\n')
    assert findings(tmp_path, old, new, code="UA203") == [
        "new/linux/x.h:4: note: 'struct feat' extended: '__u64 c' at offset 8; size 8 to 16 bytes, align 8 [UA203]\n"
        "new/linux/x.h:4: note: an extension, not a break: members come before the end marker 'marker', whose "
        "offset is the feature size",
    ]


def test_reported_for_a_struct_whose_first_member_is_its_size(tmp_path: Path) -> None:
    old = hdr('struct args { __u32 argsz; __u32 flags; };\n')
    new = hdr('struct args { __u32 argsz; __u32 flags; __u64 extra; };\n')
    assert findings(tmp_path, old, new, code="UA203") == [
        "new/linux/x.h:4: note: 'struct args' extended: '__u64 extra' at offset 8; size 8 to 16 bytes, align 8 "
        "[UA203]\n"
        "new/linux/x.h:4: note: an extension, not a break: its first member 'argsz' carries its size, and the "
        "kernel copies that much",
    ]


def test_not_for_a_payload_array_a_member_counts(tmp_path: Path) -> None:
    old = hdr('struct msg { __u32 len; __u32 type; __u8 data[]; };\n')
    new = hdr('struct msg { __u32 len; __u32 type; __u32 flags; __u8 data[]; };\n')
    found = codes(tmp_path, old, new)
    assert "UA203" not in found and "UA205" in found
