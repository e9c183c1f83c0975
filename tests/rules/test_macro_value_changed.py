"""UA102 macro-value-changed: the case it reports and a look-alike it must not."""

from __future__ import annotations

from pathlib import Path

from support.harness import codes, findings, hdr

OLD = hdr('#define FOO_FLAG 0x4\n')
NEW = hdr('#define FOO_FLAG 0x8\n')


def test_reported(tmp_path: Path) -> None:
    assert findings(tmp_path, OLD, NEW, ('x86_64',), code="UA102") == [
        "new/linux/x.h:4:9: error: macro 'FOO_FLAG' changed value from 4 (int) to 8 (int) [UA102]\n"
        'old/linux/x.h:4:9: note: the old definition was here\n'
        'new/linux/x.h:4:9: note: who breaks: binaries built with the old value\n'
        "new/linux/x.h:4:9: note: fix: keep 'FOO_FLAG' as it was; add a new macro",
    ]


def test_not_for_same_value_other_spelling(tmp_path: Path) -> None:
    assert "UA102" not in codes(tmp_path, hdr('#define FOO_FLAG 0x4\n'), hdr('#define FOO_FLAG (1 << 2)\n'), ('x86_64',))
