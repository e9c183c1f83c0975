"""UA303 enumerator-inserted: the case it reports and a look-alike it must not."""

from __future__ import annotations

from pathlib import Path

from support.harness import codes, findings, hdr

OLD = hdr('enum foo { FOO_A, FOO_B, FOO_C, FOO_MAX };\n')
NEW = hdr('enum foo { FOO_A, FOO_X, FOO_B, FOO_C, FOO_MAX };\n')


def test_reported(tmp_path: Path) -> None:
    assert findings(tmp_path, OLD, NEW, ('x86_64',), code="UA303") == [
        "new/linux/x.h:4: error: 'FOO_X' = 1 inserted, renumbering 'FOO_B' from 1 to 2, 'FOO_C' from 2 to 3, 'FOO_MAX' from 3 to 4 [UA303]\n"
        'new/linux/x.h:4: note: who breaks: binaries built with the old numbers\n'
        'new/linux/x.h:4: note: fix: add enumerators at the end, before the sentinel',
    ]


def test_not_for_added_before_the_sentinel(tmp_path: Path) -> None:
    assert "UA303" not in codes(tmp_path, hdr('enum foo { FOO_A, FOO_B, FOO_C, FOO_MAX };\n'), hdr('enum foo { FOO_A, FOO_B, FOO_C, FOO_X, FOO_MAX };\n'), ('x86_64',))
