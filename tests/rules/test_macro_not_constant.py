"""UA109 macro-not-constant: the case it reports and a look-alike it must not."""

from __future__ import annotations

from pathlib import Path

from support.harness import codes, findings, hdr

OLD = hdr('#define FOO_SIZE 64\n')
# foo_size() exists in user space (the header defines it), but is no constant
NEW = hdr('#define FOO_SIZE foo_size()\nstatic __inline__ int foo_size(void) { return 64; }\n')


def test_reported(tmp_path: Path) -> None:
    assert findings(tmp_path, OLD, NEW, ('x86_64',), code="UA109") == [
        "new/linux/x.h:4:9: warning: macro 'FOO_SIZE' is no longer an integer constant (was 64; now 'foo_size()': call to 'foo_size' is not a constant expression) [UA109]\n"
        'old/linux/x.h:4:9: note: the old definition was here\n'
        'new/linux/x.h:4:9: note: who breaks: array bounds, case labels and static initialisers using it',
    ]


def test_not_for_still_constant(tmp_path: Path) -> None:
    assert "UA109" not in codes(tmp_path, hdr('#define FOO_SIZE 64\n'), hdr('#define FOO_SIZE (32 * 2)\n'), ('x86_64',))
