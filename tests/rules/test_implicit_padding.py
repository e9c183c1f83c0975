"""UA213 implicit-padding: the case it reports and a look-alike it must not."""

from __future__ import annotations

from pathlib import Path

from support.harness import codes, findings, hdr

OLD = hdr('')
NEW = hdr('struct foo { __u32 a; __u64 b; };\n')


def test_reported(tmp_path: Path) -> None:
    assert findings(tmp_path, OLD, NEW, ('x86_64',), code="UA213") == [
        "new/linux/x.h:4: warning: 'struct foo' has implicit padding: 4 bytes before 'b' [UA213]\n"
        'new/linux/x.h:4: note: who breaks: the padding can leak kernel memory and can never be put to use, since nobody had to zero it\n'
        'new/linux/x.h:4: note: fix: name the padding (__u32 pad;) and have the kernel check it is zero',
    ]


def test_not_for_named_padding(tmp_path: Path) -> None:
    assert "UA213" not in codes(tmp_path, hdr(''), hdr('struct foo { __u32 a; __u32 pad; __u64 b; };\n'), ('x86_64',))
