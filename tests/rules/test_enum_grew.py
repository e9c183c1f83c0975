"""UA304 enum-grew: the case it reports and a look-alike it must not."""

from __future__ import annotations

from pathlib import Path

from support.harness import codes, findings, hdr

OLD = hdr('enum { IFLA_A, IFLA_B, __IFLA_MAX };\n#define IFLA_MAX (__IFLA_MAX - 1)\n')
NEW = hdr('enum { IFLA_A, IFLA_B, IFLA_C, __IFLA_MAX };\n#define IFLA_MAX (__IFLA_MAX - 1)\n')


def test_reported(tmp_path: Path) -> None:
    assert findings(tmp_path, OLD, NEW, ('x86_64',), code="UA304") == [
        "new/linux/x.h:4: note: an anonymous enum grew at its end: 'IFLA_C' = 2; '__IFLA_MAX' 2 to 3 [UA304]",
    ]


def test_not_for_an_insertion(tmp_path: Path) -> None:
    assert "UA304" not in codes(tmp_path, hdr('enum foo { FOO_A, FOO_B };\n'), hdr('enum foo { FOO_A, FOO_X, FOO_B };\n'), ('x86_64',))
