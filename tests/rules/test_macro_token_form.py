"""UA103 macro-token-form-changed: the case it reports and a look-alike it must not."""

from __future__ import annotations

from pathlib import Path

from support.harness import codes, findings, hdr

OLD = hdr('#define OPEN_TREE_CLONE 1\n')
NEW = hdr('#define OPEN_TREE_CLONE (1 << 0)\n')


def test_reported(tmp_path: Path) -> None:
    assert findings(tmp_path, OLD, NEW, ('x86_64',), code="UA103") == [
        "new/linux/x.h:4:9: warning: macro 'OPEN_TREE_CLONE' changed token form from '1' to '(1 << 0)' (value 1 unchanged) [UA103]\n"
        'old/linux/x.h:4:9: note: the old definition was here\n'
        'new/linux/x.h:4:9: note: who breaks: a C library or program that also defines \'OPEN_TREE_CLONE\' as \'1\' now gets "\'OPEN_TREE_CLONE\' redefined", an error under -Werror\n'
        'new/linux/x.h:4:9: note: fix: keep the old spelling: #define OPEN_TREE_CLONE 1',
    ]


def test_not_for_white_space_amount_and_comments(tmp_path: Path) -> None:
    assert "UA103" not in codes(tmp_path, hdr('#define A (1 << 0)\n'), hdr('#define A (1 /* bit 0 */ <<   0)\n'), ('x86_64',))
