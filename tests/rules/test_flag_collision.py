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


# a family no rule file declares: read from the header (FOO_FLAG_*: single bits)
FAMILY = '#define FOO_FLAG_A 1\n#define FOO_FLAG_B 2\n#define FOO_FLAG_C 4\n#define FOO_FLAG_D 8\n'


def test_reported_in_an_inferred_family(tmp_path: Path) -> None:
    assert findings(tmp_path, hdr(FAMILY), hdr(FAMILY + '#define FOO_FLAG_E 4\n'), code="UA501") == [
        "new/linux/x.h:8:9: warning: 'FOO_FLAG_E' (0x4) shares bit 0x4 with 'FOO_FLAG_C' (0x4) among the FOO_FLAG_* "
        "flags of linux/x.h, a family read from the header [UA501]\n"
        "new/linux/x.h:6:9: note: 'FOO_FLAG_C' is defined here\n"
        "new/linux/x.h:8:9: note: the family: 5 macros whose single bits (0x1, 0x2, 0x4, 0x8, ...) are one "
        "argument's; declare it in a rule file (rules/flags.toml's format) to make this an error\n"
        "new/linux/x.h:8:9: note: fix: give 'FOO_FLAG_E' a free bit (0x10 is the lowest), or write "
        "'#define FOO_FLAG_E FOO_FLAG_C' if it is the same flag",
    ]


def test_reported_inside_a_field_that_holds_no_flags(tmp_path: Path) -> None:
    old = '#define SIGF_MASK 0xff\n#define SIGF_A 0x100\n#define SIGF_B 0x200\n#define SIGF_C 0x400\n'
    assert findings(tmp_path, hdr(old), hdr(old + '#define SIGF_D 0x40\n'), code="UA501") == [
        "new/linux/x.h:8:9: warning: 'SIGF_D' (0x40) falls inside 'SIGF_MASK' (0xff), a field that holds no flags, "
        "among the SIGF_* flags of linux/x.h, a family read from the header [UA501]\n"
        "new/linux/x.h:4:9: note: 'SIGF_MASK' is defined here\n"
        "new/linux/x.h:8:9: note: the family: 5 macros whose single bits (0x40, 0x100, 0x200, 0x400, ...) are one "
        "argument's; declare it in a rule file (rules/flags.toml's format) to make this an error\n"
        "new/linux/x.h:8:9: note: fix: give 'SIGF_D' a bit outside 'SIGF_MASK' (0x800 is the lowest free one)",
    ]


def test_not_for_enumerated_values(tmp_path: Path) -> None:
    enum = '#define FOO_MODE_A 1\n#define FOO_MODE_B 2\n#define FOO_MODE_C 3\n#define FOO_MODE_D 4\n'
    assert "UA501" not in codes(tmp_path, hdr(enum), hdr(enum + '#define FOO_MODE_E 2\n'))


def test_not_for_a_value_of_a_field_or_a_family_that_overlapped_already(tmp_path: Path) -> None:
    atime = ('#define M_RDONLY 0x1\n#define M_NOSUID 0x2\n#define M_NODEV 0x4\n#define M__ATIME 0x70\n'
             '#define M_NOATIME 0x10\n#define M_STRICTATIME 0x20\n')
    assert "UA501" not in codes(tmp_path / "a", hdr(atime), hdr(atime + '#define M_LAZYTIME 0x30\n'))
    dirty = '#define BAR_A 1\n#define BAR_B 2\n#define BAR_C 4\n#define BAR_D 4\n'
    assert "UA501" not in codes(tmp_path / "b", hdr(dirty), hdr(dirty + '#define BAR_E 1\n'))
