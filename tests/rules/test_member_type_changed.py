"""UA208 member-type-changed: the case it reports and a look-alike it must not."""

from __future__ import annotations

from pathlib import Path

from support.harness import codes, findings, hdr

OLD = hdr('struct foo { __s32 fd; };\n')
NEW = hdr('struct foo { __u32 fd; };\n')


def test_reported(tmp_path: Path) -> None:
    assert findings(tmp_path, OLD, NEW, ('x86_64',), code="UA208") == [
        "new/linux/x.h:4: warning: type of 'struct foo.fd' changed from '__s32' to '__u32' (size 4 bytes kept) [UA208]\n"
        'old/linux/x.h:4: note: the old definition was here\n'
        "new/linux/x.h:4: note: who breaks: code that relies on the old type's signedness or name",
    ]


def test_not_for_an_unchanged_member(tmp_path: Path) -> None:
    assert "UA208" not in codes(tmp_path, hdr('struct foo { __u32 fd; };\n'), hdr('struct foo { __u32 fd; __u32 x; };\n'), ('x86_64',))


def test_not_for_a_typedef_of_the_same_type_or_a_tag_renamed_through_a_macro(tmp_path: Path) -> None:
    u128 = "typedef unsigned __int128 __u128;\n"
    assert "UA208" not in codes(tmp_path / "a", hdr(u128 + "struct k { __uint128_t key; };\n"),
                                hdr(u128 + "struct k { __u128 key; };\n"), ("aarch64",))
    old = hdr("struct old_hdr { __u32 id; };\nstruct blk { struct old_hdr h; };\n")
    new = hdr("struct new_hdr { __u32 id; };\n#define old_hdr new_hdr\nstruct blk { struct new_hdr h; };\n")
    assert "UA208" not in codes(tmp_path / "b", old, new)


SMALL = "typedef __signed__ char __s8;\ntypedef __signed__ short __s16;\n"


def test_reported_for_the_sign_of_a_char_or_a_short(tmp_path: Path) -> None:
    """char, signed char and unsigned char are three types, short and
    unsigned short two, on every arch (aarch64's plain char is unsigned)."""
    for old, new in [("__u8", "__s8"), ("__u16", "__s16"), ("unsigned char", "char"), ("char", "signed char")]:
        for arch in ("x86_64", "aarch64"):
            where = tmp_path / f"{old}-{new}-{arch}".replace(" ", "_")
            assert "UA208" in codes(where, hdr(SMALL + f"struct foo {{ {old} x; }};\n"),
                                    hdr(SMALL + f"struct foo {{ {new} x; }};\n"), (arch,)), (old, new, arch)


def test_not_for_a_char_or_a_short_spelled_otherwise(tmp_path: Path) -> None:
    for old, new in [("__u8", "unsigned char"), ("__s8", "signed char"), ("__u16", "unsigned short int"),
                     ("short", "signed short")]:
        where = tmp_path / f"{old}-{new}".replace(" ", "_")
        assert "UA208" not in codes(where, hdr(SMALL + f"struct foo {{ {old} x; }};\n"),
                                    hdr(SMALL + f"struct foo {{ {new} x; }};\n"), ("x86_64",)), (old, new)
