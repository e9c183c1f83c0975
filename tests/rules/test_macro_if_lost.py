"""UA104 macro-if-lost: the case it reports and a look-alike it must not."""

from __future__ import annotations

from pathlib import Path

from support.harness import codes, findings, hdr

OLD = hdr('#define FOO_MAX 16\n')
NEW = hdr('#define FOO_MAX ((__u32)16)\n')


def test_reported(tmp_path: Path) -> None:
    assert findings(tmp_path, OLD, NEW, ('x86_64',), code="UA104") == [
        "new/linux/x.h:4:9: warning: macro 'FOO_MAX' can no longer be used in #if (expected ')' before '16') [UA104]\n"
        'old/linux/x.h:4:9: note: the old definition was here\n'
        "new/linux/x.h:4:9: note: who breaks: '#if FOO_MAX' fails to compile, or takes 0 under -Wundef\n"
        'new/linux/x.h:4:9: note: fix: keep a plain integer constant that #if can evaluate',
    ]


def test_not_for_a_suffix_if_understands(tmp_path: Path) -> None:
    assert "UA104" not in codes(tmp_path, hdr('#define FOO_MAX 16\n'), hdr('#define FOO_MAX (16U)\n'), ('x86_64',))
