"""UA301 enumerator-removed: the case it reports and a look-alike it must not."""

from __future__ import annotations

from pathlib import Path

from support.harness import codes, findings, hdr

OLD = hdr('enum foo { FOO_A, FOO_B, FOO_OLD };\n')
NEW = hdr('enum foo { FOO_A, FOO_B };\n')


def test_reported(tmp_path: Path) -> None:
    assert findings(tmp_path, OLD, NEW, ('x86_64',), code="UA301") == [
        "old/linux/x.h:4: error: enumerator 'FOO_OLD' of 'enum foo' removed (was 2) [UA301]\n"
        "old/linux/x.h:4: note: who breaks: code that uses 'FOO_OLD' no longer compiles\n"
        "old/linux/x.h:4: note: fix: keep 'FOO_OLD'",
    ]


def test_not_for_an_enumerator_added(tmp_path: Path) -> None:
    assert "UA301" not in codes(tmp_path, hdr('enum foo { FOO_A, FOO_B };\n'), hdr('enum foo { FOO_A, FOO_B, FOO_C };\n'), ('x86_64',))
