"""UA501 flag-collision: the case it reports and a look-alike it must not."""

from __future__ import annotations

from pathlib import Path

from support.harness import codes, findings, hdr

OLD = hdr('#define MFD_CLOEXEC 0x0001U\n#define MFD_ALLOW_SEALING 0x0002U\n')
NEW = hdr('#define MFD_CLOEXEC 0x0001U\n#define MFD_ALLOW_SEALING 0x0002U\n#define MFD_NEW 0x0002U\n')


def test_reported(tmp_path: Path) -> None:
    assert findings(tmp_path, OLD, NEW, ('x86_64',), code="UA501") == [
        "new/linux/x.h:6:9: error: 'MFD_NEW' (0x2) shares bit 0x2 with 'MFD_ALLOW_SEALING' (0x2) in the MFD family (memfd_create(2) flags) [UA501]\n"
        "new/linux/x.h:5:9: note: 'MFD_ALLOW_SEALING' is defined here\n"
        "new/linux/x.h:6:9: note: fix: give 'MFD_NEW' a free bit, or write '#define MFD_NEW MFD_ALLOW_SEALING' if it is the same flag",
    ]


def test_not_for_an_alias_and_a_mask(tmp_path: Path) -> None:
    assert "UA501" not in codes(tmp_path, hdr('#define MFD_CLOEXEC 0x0001U\n#define MFD_ALLOW_SEALING 0x0002U\n'), hdr('#define MFD_CLOEXEC 0x0001U\n#define MFD_ALLOW_SEALING 0x0002U\n#define MFD_SAME MFD_CLOEXEC\n#define MFD_ALL 0x0003U\n'), ('x86_64',))
