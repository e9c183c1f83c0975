"""UA110 limit-raised: the case it reports and a look-alike it must not."""

from __future__ import annotations

from pathlib import Path

from support.harness import codes, findings, hdr

OLD = hdr('#define IFLA_MAX 64\n')
NEW = hdr('#define IFLA_MAX 65\n')


def test_reported(tmp_path: Path) -> None:
    assert findings(tmp_path, OLD, NEW, ('x86_64',), code="UA110") == [
        "new/linux/x.h:4:9: note: limit 'IFLA_MAX' raised from 64 to 65 [UA110]",
    ]


def test_not_for_a_limit_lowered(tmp_path: Path) -> None:
    assert "UA110" not in codes(tmp_path, hdr('#define IFLA_MAX 64\n'), hdr('#define IFLA_MAX 63\n'), ('x86_64',))
