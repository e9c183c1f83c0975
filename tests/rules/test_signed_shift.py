"""UA108 signed-shift-overflow: the case it reports and a look-alike it must not."""

from __future__ import annotations

from pathlib import Path

from support.harness import codes, findings, hdr

OLD = hdr('#define A 1\n')
NEW = hdr('#define A 1\n#define FOO_HIGH (1 << 31)\n')


def test_reported(tmp_path: Path) -> None:
    assert findings(tmp_path, OLD, NEW, ('x86_64',), code="UA108") == [
        "new/linux/x.h:5:9: warning: 'FOO_HIGH' overflows a signed type: '(1 << 31)' is -2147483648 (int) [UA108]\n"
        'new/linux/x.h:5:9: note: who breaks: code that widens it gets a sign-extended value\n'
        'new/linux/x.h:5:9: note: fix: shift an unsigned 1 (1U << n) or write the hexadecimal literal',
    ]


def test_not_for_an_unsigned_shift(tmp_path: Path) -> None:
    assert "UA108" not in codes(tmp_path, hdr('#define A 1\n'), hdr('#define A 1\n#define FOO_HIGH (1U << 31)\n'), ('x86_64',))
