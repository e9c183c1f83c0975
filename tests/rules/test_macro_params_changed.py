"""UA107 macro-params-changed: the case it reports and a look-alike it must not."""

from __future__ import annotations

from pathlib import Path

from support.harness import codes, findings, hdr

OLD = hdr('#define FOO(x) ((x) + 1)\n')
NEW = hdr('#define FOO(x, y) ((x) + (y))\n')


def test_reported(tmp_path: Path) -> None:
    assert findings(tmp_path, OLD, NEW, ('x86_64',), code="UA107") == [
        "new/linux/x.h:4:9: error: macro 'FOO' changed from 'FOO(x)' to 'FOO(x, y)' [UA107]\n"
        'old/linux/x.h:4:9: note: the old definition was here\n'
        'new/linux/x.h:4:9: note: who breaks: every use written for the old parameters\n'
        'new/linux/x.h:4:9: note: fix: keep the old macro; add a new one',
    ]


def test_not_for_body_respelled_same_parameters(tmp_path: Path) -> None:
    assert "UA107" not in codes(tmp_path, hdr('#define FOO(x) ((x) + 1)\n'), hdr('#define FOO(x) ((x)+1)\n'), ('x86_64',))
