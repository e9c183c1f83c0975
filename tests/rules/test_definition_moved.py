"""UA603 definition-moved: the case it reports and a look-alike it must not."""

from __future__ import annotations

from pathlib import Path

from support.harness import codes, findings, hdr

OLD = {'linux/a.h': '#define A 1\n', 'linux/c.h': '#define C 1\n'}
NEW = {'linux/a.h': '#include <linux/c.h>\n', 'linux/c.h': '#define C 1\n#define A 1\n'}


def test_reported(tmp_path: Path) -> None:
    assert findings(tmp_path, OLD, NEW, ('x86_64',), code="UA603") == [
        "old/linux/a.h:1:9: note: 'A' moved from 'linux/a.h' to 'linux/c.h', which 'linux/a.h' includes [UA603]",
    ]


def test_not_for_moved_to_a_header_it_does_not_include(tmp_path: Path) -> None:
    assert "UA603" not in codes(tmp_path, {'linux/a.h': '#define A 1\n', 'linux/c.h': '#define C 1\n'}, {'linux/a.h': '\n', 'linux/c.h': '#define C 1\n#define A 1\n'}, ('x86_64',))
