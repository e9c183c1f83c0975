"""UA302 enumerator-value-changed: the case it reports and a look-alike it must not."""

from __future__ import annotations

from pathlib import Path

from support.harness import codes, findings, hdr

OLD = hdr('enum foo { FOO_A = 1, FOO_B = 2 };\n')
NEW = hdr('enum foo { FOO_A = 1, FOO_B = 3 };\n')


def test_reported(tmp_path: Path) -> None:
    assert findings(tmp_path, OLD, NEW, ('x86_64',), code="UA302") == [
        "new/linux/x.h:4: error: enumerator 'FOO_B' of 'enum foo' changed from 2 to 3 [UA302]\n"
        'old/linux/x.h:4: note: the old definition was here\n'
        'new/linux/x.h:4: note: who breaks: binaries built with the old value\n'
        "new/linux/x.h:4: note: fix: keep the value of 'FOO_B'",
    ]


def test_not_for_a_sentinel_moving_up(tmp_path: Path) -> None:
    assert "UA302" not in codes(tmp_path, hdr('enum { FOO_A, FOO_B, __FOO_MAX };\n'), hdr('enum { FOO_A, FOO_B, FOO_C, __FOO_MAX };\n'), ('x86_64',))
