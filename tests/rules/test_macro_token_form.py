"""UA103 macro-token-form-changed: the case it reports and a look-alike it must not."""

from __future__ import annotations

from pathlib import Path

from support.harness import codes, findings, hdr

OLD = hdr('#define OPEN_TREE_CLONE 1\n')
NEW = hdr('#define OPEN_TREE_CLONE (1 << 0)\n')


def test_reported(tmp_path: Path) -> None:
    """glibc 2.36's <sys/mount.h> defines OPEN_TREE_CLONE as 1 too (rules/libc-copies.toml): an error."""
    assert findings(tmp_path, OLD, NEW, ('x86_64',), code="UA103") == [
        "new/linux/x.h:4:9: error: macro 'OPEN_TREE_CLONE' changed token form from '1' to '(1 << 0)' (value 1 "
        "unchanged); glibc 2.36's <sys/mount.h> defines it as '1' too [UA103]\n"
        "old/linux/x.h:4:9: note: the old definition was here\n"
        "new/linux/x.h:4:9: note: who breaks: the build of glibc 2.36 and every program that includes <sys/mount.h> "
        "and <linux/x.h>: GCC says \"'OPEN_TREE_CLONE' redefined\", an error under -Werror\n"
        "new/linux/x.h:4:9: note: glibc 2.41 to 2.44's <sys/mount.h> is not affected: it includes <linux/x.h>'s "
        "definition first and guards its copy\n"
        "new/linux/x.h:4:9: note: fix: keep the old spelling: #define OPEN_TREE_CLONE 1",
    ]


def test_reported_as_a_warning_where_no_c_library_copies_it(tmp_path: Path) -> None:
    assert findings(tmp_path, hdr('#define UAPICHECK_TEST_CLONE 1\n'), hdr('#define UAPICHECK_TEST_CLONE (1 << 0)\n'),
                    code="UA103") == [
        "new/linux/x.h:4:9: warning: macro 'UAPICHECK_TEST_CLONE' changed token form from '1' to '(1 << 0)' (value 1 "
        "unchanged) [UA103]\n"
        "old/linux/x.h:4:9: note: the old definition was here\n"
        "new/linux/x.h:4:9: note: who breaks: a C library or program that also defines 'UAPICHECK_TEST_CLONE' as '1' "
        "now gets \"'UAPICHECK_TEST_CLONE' redefined\", an error under -Werror\n"
        "new/linux/x.h:4:9: note: fix: keep the old spelling: #define UAPICHECK_TEST_CLONE 1",
    ]


CASTS = "typedef int acc_t;\n" + "".join(f"#define ACC_{i} ((acc_t) {i})\n" for i in range(4))


def test_reported_once_for_many_of_one_kind_in_a_header(tmp_path: Path) -> None:
    new = CASTS.replace("((acc_t) 0)", "0").replace("((acc_t) 1)", "1").replace("((acc_t) 2)", "2") \
        .replace("((acc_t) 3)", "3")
    assert findings(tmp_path, hdr(CASTS), hdr(new), code="UA103") == [
        "new/linux/x.h:5:9: warning: 4 macros of 'linux/x.h' dropped their cast, values unchanged: 'ACC_0' "
        "('((acc_t) 0)' to '0'), 'ACC_1' ('((acc_t) 1)' to '1'), 'ACC_2' ('((acc_t) 2)' to '2') and 1 more "
        "(they are now usable in #if) [UA103]\n"
        "new/linux/x.h:5:9: note: who breaks: C libraries and programs that carry copies of the old definitions: "
        "\"redefined\" errors under -Werror\n"
        "new/linux/x.h:5:9: note: fix: keep the old spellings, token for token",
    ]


def test_not_grouped_when_few(tmp_path: Path) -> None:
    two = "typedef int acc_t;\n#define ACC_A ((acc_t) 0)\n#define ACC_B ((acc_t) 1)\n"
    found = findings(tmp_path, hdr(two), hdr(two.replace("((acc_t) 0)", "0").replace("((acc_t) 1)", "1")),
                     code="UA103")
    assert [f.splitlines()[0].split(": ", 2)[2].split(" changed")[0] for f in found] == [
        "macro 'ACC_A'", "macro 'ACC_B'"]


def test_not_for_white_space_amount_and_comments(tmp_path: Path) -> None:
    assert "UA103" not in codes(tmp_path, hdr('#define A (1 << 0)\n'), hdr('#define A (1 /* bit 0 */ <<   0)\n'), ('x86_64',))


def test_a_warning_where_the_librarys_header_never_meets_the_kernels(tmp_path: Path) -> None:
    """musl's <sys/prctl.h> spells PR_SYS_DISPATCH_ON as 1, but GCC rejects
    it with <linux/prctl.h> in either order (struct prctl_mm_map, in
    rules/libc-known.json since Linux 6.1): no program sees both."""
    old = {"linux/prctl.h": "#define PR_SYS_DISPATCH_ON 1\n"}
    new = {"linux/prctl.h": "#define PR_SYS_DISPATCH_EXCLUSIVE_ON 1\n"
                            "#define PR_SYS_DISPATCH_ON PR_SYS_DISPATCH_EXCLUSIVE_ON\n"}
    assert findings(tmp_path, old, new, ('x86_64',), code="UA103") == [
        "new/linux/prctl.h:2:9: warning: macro 'PR_SYS_DISPATCH_ON' changed token form from '1' to "
        "'PR_SYS_DISPATCH_EXCLUSIVE_ON' (value 1 unchanged) [UA103]\n"
        "old/linux/prctl.h:1:9: note: the old definition was here\n"
        "new/linux/prctl.h:2:9: note: who breaks: a C library or program that also defines 'PR_SYS_DISPATCH_ON' as "
        "'1' now gets \"'PR_SYS_DISPATCH_ON' redefined\", an error under -Werror\n"
        "new/linux/prctl.h:2:9: note: musl 1.2.3 to 1.2.6's <sys/prctl.h> is not affected: GCC rejects it with "
        "<linux/prctl.h> in either order ('struct prctl_mm_map' defined twice), so no program sees both\n"
        "new/linux/prctl.h:2:9: note: fix: keep the old spelling: #define PR_SYS_DISPATCH_ON 1",
    ]
