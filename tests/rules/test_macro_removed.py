"""UA101 macro-removed: the case it reports and a look-alike it must not."""

from __future__ import annotations

from pathlib import Path

from support.harness import codes, findings, hdr

OLD = hdr('#define A 1\n#define B 2\n')
NEW = hdr('#define A 1\n')


def test_reported(tmp_path: Path) -> None:
    assert findings(tmp_path, OLD, NEW, ('x86_64',), code="UA101") == [
        "old/linux/x.h:5:9: error: macro 'B' removed (was '2') [UA101]\n"
        "old/linux/x.h:5:9: note: who breaks: code that uses 'B' no longer compiles; '#ifdef B' turns false\n"
        "old/linux/x.h:5:9: note: fix: keep 'B'",
    ]


def test_not_for_a_macro_added(tmp_path: Path) -> None:
    assert "UA101" not in codes(tmp_path, hdr('#define A 1\n'), hdr('#define A 1\n#define B 2\n'), ('x86_64',))
