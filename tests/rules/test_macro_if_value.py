"""UA105 macro-if-value-changed: the case it reports and a look-alike it must not."""

from __future__ import annotations

from pathlib import Path

from support.harness import codes, findings, hdr

OLD = hdr('#define FOO_MASK 0xffffffffU\n')
NEW = hdr('#define FOO_MASK (~0U)\n')


def test_reported(tmp_path: Path) -> None:
    assert findings(tmp_path, OLD, NEW, ('x86_64',), code="UA105") == [
        "new/linux/x.h:4:9: warning: macro 'FOO_MASK' changed #if value from 4294967295 to 18446744073709551615, while its C value stays 4294967295 [UA105]\n"
        'old/linux/x.h:4:9: note: the old definition was here\n'
        "new/linux/x.h:4:9: note: who breaks: '#if' comparisons of 'FOO_MASK' take the other branch\n"
        'new/linux/x.h:4:9: note: fix: spell the value as a literal',
    ]


def test_not_for_same_value_in_if(tmp_path: Path) -> None:
    assert "UA105" not in codes(tmp_path, hdr('#define FOO_MASK 0xffffffffU\n'), hdr('#define FOO_MASK 4294967295U\n'), ('x86_64',))
