"""UA211 flexible-array: the case it reports and a look-alike it must not."""

from __future__ import annotations

from pathlib import Path

from support.harness import codes, findings, hdr

OLD = hdr('struct foo { __u32 n; __u8 data[0]; };\n')
NEW = hdr('struct foo { __u32 n; __u8 data[]; };\n')


def test_reported(tmp_path: Path) -> None:
    assert findings(tmp_path, OLD, NEW, ('x86_64',), code="UA211") == [
        "new/linux/x.h:4: note: 'struct foo.data' is now a flexible array member ('__u8[0]' to '__u8[]') [UA211]",
    ]


def test_not_for_a_fixed_array_of_4_made_flexible(tmp_path: Path) -> None:
    assert "UA211" not in codes(tmp_path, hdr('struct foo { __u32 n; __u8 data[4]; };\n'), hdr('struct foo { __u32 n; __u8 data[]; };\n'), ('x86_64',))
