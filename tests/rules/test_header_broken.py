"""UA602 header-broken: the case it reports and a look-alike it must not."""

from __future__ import annotations

from pathlib import Path

from support.harness import codes, findings, hdr

OLD = {'linux/a.h': 'typedef int a_t;\n', 'linux/b.h': '#include <linux/a.h>\nstruct b { a_t x; };\n'}
NEW = {'linux/a.h': 'typedef int a2_t;\n', 'linux/b.h': '#include <linux/a.h>\nstruct b { a_t x; };\n'}


def test_reported(tmp_path: Path) -> None:
    assert findings(tmp_path, OLD, NEW, ('x86_64',), code="UA602") == [
        "new/linux/b.h:2:1: error: header 'linux/b.h' no longer compiles standalone: cannot parse: Invalid specifier "
        "list [UA602]\n"
        'new/linux/b.h: note: who breaks: every program that includes <linux/b.h>',
    ]


def test_not_an_error_for_a_header_broken_on_both_sides(tmp_path: Path) -> None:
    # not a change: a note that its changes could not be checked
    got = findings(tmp_path, {"linux/b.h": "struct b { oops };\n"}, {"linux/b.h": "struct b { oops };\n"},
                   ("x86_64",), code="UA602")
    assert len(got) == 1 and ": note: header 'linux/b.h' could not be analysed on either side" in got[0], got
