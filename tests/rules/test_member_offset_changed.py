"""UA205 member-offset-changed: the case it reports and a look-alike it must not."""

from __future__ import annotations

from pathlib import Path

from support.harness import codes, findings, hdr

OLD = hdr('struct foo { __u32 a; __u32 b; };\n')
NEW = hdr('struct foo { __u32 b; __u32 a; };\n')


def test_reported(tmp_path: Path) -> None:
    assert findings(tmp_path, OLD, NEW, ('x86_64',), code="UA205") == [
        "new/linux/x.h:4: error: offset of 'struct foo.a' changed from 0 bytes to 4 bytes (by +4 bytes) [UA205]\n"
        'old/linux/x.h:4: note: the old definition was here\n'
        'new/linux/x.h:4: note: who breaks: binaries built with the old layout access the wrong bytes\n'
        'new/linux/x.h:4: note: fix: add members at the end or in reserved space; never reorder',
        "new/linux/x.h:4: error: offset of 'struct foo.b' changed from 4 bytes to 0 bytes (by -4 bytes) [UA205]\n"
        'old/linux/x.h:4: note: the old definition was here\n'
        'new/linux/x.h:4: note: who breaks: binaries built with the old layout access the wrong bytes\n'
        'new/linux/x.h:4: note: fix: add members at the end or in reserved space; never reorder',
    ]


def test_not_for_reformatted(tmp_path: Path) -> None:
    assert "UA205" not in codes(tmp_path, hdr('struct foo { __u32 a; __u32 b; };\n'), hdr('struct foo {\n\t__u32 a;\n\t__u32 b;\n};\n'), ('x86_64',))


def test_reported_in_bits_for_a_bit_field(tmp_path: Path) -> None:
    found = findings(tmp_path, hdr('struct bf { __u32 a : 3, b : 5; };\n'), hdr('struct bf { __u32 a : 4, b : 5; };\n'),
                     code="UA205")
    assert found[0].splitlines()[0] == ("new/linux/x.h:4: error: offset of 'struct bf.b' changed from 3 bits to 4 bits "
                                        "(by +1 bit) [UA205]")
