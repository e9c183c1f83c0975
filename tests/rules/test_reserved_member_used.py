"""UA210 reserved-member-used: the case it reports and a look-alike it must not."""

from __future__ import annotations

from pathlib import Path

from support.harness import codes, findings, hdr

OLD = hdr('struct foo { __u32 a; __u32 __reserved[4]; };\n')
NEW = hdr('struct foo { __u32 a; __u32 new_flags; __u32 __reserved[3]; };\n')


def test_reported(tmp_path: Path) -> None:
    assert findings(tmp_path, OLD, NEW, ('x86_64',), code="UA210") == [
        "new/linux/x.h:4: note: 'struct foo' puts reserved space to use: 'new_flags' in the bytes of '__reserved' [UA210]\n"
        'new/linux/x.h:4: note: not a break: reserved bytes had to be zero; zero must keep meaning the old behaviour',
    ]


def test_not_for_a_non_reserved_array_shrunk(tmp_path: Path) -> None:
    assert "UA210" not in codes(tmp_path, hdr('struct foo { __u32 a; __u32 count[4]; };\n'), hdr('struct foo { __u32 a; __u32 new_flags; __u32 count[3]; };\n'), ('x86_64',))


def test_reported_in_implicit_padding_and_a_zero_member(tmp_path: Path) -> None:
    assert findings(tmp_path, hdr('struct p { __u32 a; __u64 b; __u32 zero; };\n'),
                    hdr('struct p { __u32 a; __u32 c; __u64 b; __u16 d; __u16 zero; };\n'), code="UA210") == [
        "new/linux/x.h:4: note: 'struct p' puts reserved space to use: 'c', 'd' in the bytes of 'zero', the "
        "implicit padding at offset 4 [UA210]\n"
        "new/linux/x.h:4: note: not a break: reserved bytes had to be zero; zero must keep meaning the old behaviour\n"
        "new/linux/x.h:4: note: implicit padding was never required to be zero: unless the kernel checked it, old "
        "callers may leave garbage where the new member is now read",
    ]


def test_not_when_removing_a_reserved_member_moves_others(tmp_path: Path) -> None:
    found = codes(tmp_path, hdr('struct foo { __u32 __reserved; __u32 a; };\n'), hdr('struct foo { __u32 a; };\n'))
    assert "UA210" not in found and "UA205" in found
