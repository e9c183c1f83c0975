"""UA212 layout-differs-32-64: the case it reports and a look-alike it must not."""

from __future__ import annotations

from pathlib import Path

from support.harness import codes, findings, hdr

OLD = hdr('')
NEW = hdr('struct foo { __u32 a; __u64 b; };\n')


def test_reported(tmp_path: Path) -> None:
    assert findings(tmp_path, OLD, NEW, ('x86_64', 'i386'), code="UA212") == [
        "new/linux/x.h:4: warning: layout of 'struct foo' differs between 32- and 64-bit arches: size 16 bytes on x86_64; 12 bytes on i386 [UA212]\n"
        'new/linux/x.h:4: note: who breaks: 32-bit programs on 64-bit kernels, unless the kernel translates\n'
        'new/linux/x.h:4: note: fix: fixed-size types, __aligned_u64 and explicit padding',
    ]


def test_not_for_explicit_padding_and___aligned_u64(tmp_path: Path) -> None:
    assert "UA212" not in codes(tmp_path, hdr(''), hdr('struct foo { __u32 a; __u32 pad; __aligned_u64 b; };\n'), ('x86_64', 'i386'))
