"""UA601 header-removed: the case it reports and a look-alike it must not."""

from __future__ import annotations

from pathlib import Path

from support.harness import codes, findings, hdr

OLD = {'linux/y.h': '#define Y 1\n', **hdr('')}
NEW = hdr('')


def test_reported(tmp_path: Path) -> None:
    assert findings(tmp_path, OLD, NEW, ('x86_64',), code="UA601") == [
        "old/linux/y.h: error: header 'linux/y.h' removed [UA601]\n"
        'old/linux/y.h: note: who breaks: every program that includes <linux/y.h>\n'
        'old/linux/y.h: note: fix: keep <linux/y.h>; if its contents moved, make it include their new home',
    ]


def test_not_for_a_header_added(tmp_path: Path) -> None:
    assert "UA601" not in codes(tmp_path, hdr(''), {'linux/y.h': '#define Y 1\n', **hdr('')}, ('x86_64',))
