"""UA216 type-added: the case it reports and a look-alike it must not."""

from __future__ import annotations

from pathlib import Path

from support.harness import codes, findings, hdr

OLD = hdr('')
NEW = hdr('struct file_attr { __u64 fa_xflags; __u32 fa_extsize; __u32 fa_nextents; __u32 fa_projid; __u32 fa_cowextsize; };\n')


def test_reported(tmp_path: Path) -> None:
    assert findings(tmp_path, OLD, NEW, ('x86_64', 'i386'), code="UA216") == [
        "new/linux/x.h:4: note: 'struct file_attr' added: 24 bytes, align 8 (on x86_64) [UA216]\n"
        "new/linux/x.h:4: note: on i386: 'struct file_attr' added: 24 bytes, align 4",
    ]


def test_not_for_an_anonymous_enum(tmp_path: Path) -> None:
    assert "UA216" not in codes(tmp_path, hdr('struct a { __u32 x; };\n'), hdr('struct a { __u32 x; };\nenum { ANON_ONLY = 1 };\n'), ('x86_64', 'i386'))
