"""The Linux 7.0 cases through the rules (shared/UAPI-FACTS.md)."""

from __future__ import annotations

from pathlib import Path

from support.harness import codes, findings
from support.linux70 import RSEQ as BASE_RSEQ

MOUNT = """#ifndef _LINUX_MOUNT_H
#define _LINUX_MOUNT_H
#include <linux/fcntl.h>
#define OPEN_TREE_CLONE {clone}
#define OPEN_TREE_CLOEXEC O_CLOEXEC
{extra}
#endif
"""
FCNTL = """#ifndef _LINUX_FCNTL_H
#define _LINUX_FCNTL_H
#define O_CLOEXEC 02000000
#define AT_SYMLINK_NOFOLLOW 0x100
#define AT_REMOVEDIR 0x200
#define AT_NO_AUTOMOUNT 0x800
#define AT_EMPTY_PATH 0x1000
#define AT_RECURSIVE 0x8000
#define AT_HANDLE_FID AT_REMOVEDIR
#endif
"""


def mount(clone: str, extra: str = "") -> dict[str, str]:
    return {"linux/mount.h": MOUNT.format(clone=clone, extra=extra), "linux/fcntl.h": FCNTL}


def test_open_tree_clone_respelled(tmp_path: Path) -> None:
    assert findings(tmp_path, mount("1"), mount("(1 << 0)"), ("x86_64", "i386")) == [
        "new/linux/mount.h:4:9: error: macro 'OPEN_TREE_CLONE' changed token form from '1' to '(1 << 0)' "
        "(value 1 unchanged); glibc 2.36's <sys/mount.h> defines it as '1' too [UA103]\n"
        "old/linux/mount.h:4:9: note: the old definition was here\n"
        "new/linux/mount.h:4:9: note: who breaks: the build of glibc 2.36 and every program that includes "
        "<sys/mount.h> and <linux/mount.h>: GCC says \"'OPEN_TREE_CLONE' redefined\", an error under -Werror\n"
        "new/linux/mount.h:4:9: note: glibc 2.41 to 2.44's <sys/mount.h> is not affected: it includes "
        "<linux/mount.h>'s definition first and guards its copy\n"
        "new/linux/mount.h:4:9: note: fix: keep the old spelling: #define OPEN_TREE_CLONE 1"]


def test_open_tree_namespace_is_checked_against_the_at_flags(tmp_path: Path) -> None:
    ok = mount("1", "#define OPEN_TREE_NAMESPACE (1 << 1)")
    assert codes(tmp_path / "a", mount("1"), ok) == []
    clash = mount("1", "#define OPEN_TREE_NAMESPACE (1 << 8)")
    # glibc 2.44 defines OPEN_TREE_NAMESPACE as (1 << 1): that clash is UA112's
    assert codes(tmp_path / "c", mount("1"), clash) == ["UA112", "UA501"]
    assert findings(tmp_path / "b", mount("1"), clash, code="UA501") == [
        "new/linux/mount.h:6:9: error: 'OPEN_TREE_NAMESPACE' (0x100) shares bit 0x100 with 'AT_SYMLINK_NOFOLLOW' "
        "(0x100) in open_tree(2) flags [UA501]\n"
        "new/linux/fcntl.h:4:9: note: 'AT_SYMLINK_NOFOLLOW' is defined here\n"
        "new/linux/mount.h:6:9: note: fix: give 'OPEN_TREE_NAMESPACE' a free bit, or write "
        "'#define OPEN_TREE_NAMESPACE AT_SYMLINK_NOFOLLOW' if it is the same flag"]


# tests/test_linux70.py's struct rseq, with a line for a new struct before it and
# one for a new member before 'char end[]'; str.format fields, braces doubled
RSEQ = (BASE_RSEQ.replace("{", "{{").replace("}", "}}").replace("ALIGN", "4 * sizeof(__u64)")
        .replace("}};\nstruct rseq {{", "}};\n{rl_cs}\nstruct rseq {{")
        .replace("\t__u8 __reserved;\n\tchar end[];", "\t__u8 __reserved;\n{member}\n\tchar end[];"))
RL_CS = """struct rseq_rl_cs {
	__u32 version;
	__u32 flags;
	__u64 start_ip;
	__u64 post_commit_offset;
	__u64 abort_ip;
} __attribute__((aligned(32)));"""


def test_rseq_growth_is_an_extension(tmp_path: Path) -> None:
    """Not an error; but a plain __u64 after a __u8 leaves a hole and sits at
    36 on i386, 40 elsewhere: the review warnings say so."""
    old = {"linux/rseq.h": RSEQ.format(rl_cs="", member="")}
    new = {"linux/rseq.h": RSEQ.format(rl_cs=RL_CS, member="\t__u64 rseq_rl_cs;")}
    got = findings(tmp_path, old, new, ("x86_64", "i386", "arm"))
    assert got == [
        "new/linux/rseq.h:14: note: 'struct rseq_rl_cs' added: 32 bytes, align 32 [UA216]",
        "new/linux/rseq.h:21: note: 'struct rseq' extended: '__u64 rseq_rl_cs' at offset 40; "
        "size 64 bytes, align 32 (on x86_64, arm) [UA203]\n"
        "new/linux/rseq.h:21: note: an extension, not a break: members come before the end marker 'end', whose "
        "offset is the feature size\n"
        "new/linux/rseq.h:21: note: on i386: 'struct rseq' extended: '__u64 rseq_rl_cs' at offset 36; "
        "size 64 bytes, align 32",
        "new/linux/rseq.h:21: warning: layout of 'struct rseq' differs between 32- and 64-bit arches: "
        "'rseq_rl_cs' at offset 40 on x86_64, arm; 36 on i386 [UA212]\n"
        "new/linux/rseq.h:21: note: who breaks: 32-bit programs on 64-bit kernels, unless the kernel translates\n"
        "new/linux/rseq.h:21: note: fix: fixed-size types, __aligned_u64 and explicit padding",
        "new/linux/rseq.h:21: warning: 'struct rseq' has implicit padding: 7 bytes before 'rseq_rl_cs', "
        "16 bytes at the end (on x86_64, arm) [UA213]\n"
        "new/linux/rseq.h:21: note: who breaks: the padding can leak kernel memory and can never be put to use, "
        "since nobody had to zero it\n"
        "new/linux/rseq.h:21: note: fix: name the padding (__u32 pad;) and have the kernel check it is zero\n"
        "new/linux/rseq.h:21: note: on i386: 'struct rseq' has implicit padding: 3 bytes before 'rseq_rl_cs', "
        "20 bytes at the end"]


def test_rseq_growth_with_explicit_padding_is_only_the_extension(tmp_path: Path) -> None:
    old = {"linux/rseq.h": RSEQ.format(rl_cs="", member="")}
    new = {"linux/rseq.h": RSEQ.format(rl_cs=RL_CS, member="\t__u8 __pad[7];\n\t__u64 rseq_rl_cs "
                                       "__attribute__((aligned(8)));\n\t__u8 __pad2[16];")}
    assert codes(tmp_path, old, new, ("x86_64", "i386", "arm")) == ["UA203", "UA216"]


FS = """#ifndef _LINUX_FS_H
#define _LINUX_FS_H
#include <linux/types.h>
struct file_attr {{
	__u64 fa_xflags;
	__u32 fa_extsize;
	__u32 fa_nextents;
	__u32 fa_projid;
	__u32 fa_cowextsize;
}};
#define FILE_ATTR_SIZE_VER0 24
#define FILE_ATTR_SIZE_LATEST FILE_ATTR_SIZE_VER0
#define FS_XFLAG_APPEND 0x00000010
#define FS_XFLAG_COWEXTSIZE 0x00010000
{flags}
#define FS_XFLAG_HASATTR 0x80000000
#endif
"""


def test_fs_xflag_growth_is_clean_and_a_reused_bit_is_an_error(tmp_path: Path) -> None:
    old = {"linux/fs.h": FS.format(flags="")}
    grown = {"linux/fs.h": FS.format(flags="#define FS_XFLAG_CASEFOLD 0x00040000\n"
                                           "#define FS_XFLAG_CASENONPRESERVING 0x00080000")}
    assert codes(tmp_path / "a", old, grown) == []
    reused = {"linux/fs.h": FS.format(flags="#define FS_XFLAG_CASEFOLD 0x00040000\n"
                                            "#define FS_XFLAG_CASENONPRESERVING 0x00080000\n"
                                            "#define FS_XFLAG_NEWTHING 0x00040000")}
    assert findings(tmp_path / "b", grown, reused) == [
        "new/linux/fs.h:17:9: error: 'FS_XFLAG_NEWTHING' (0x40000) shares bit 0x40000 with 'FS_XFLAG_CASEFOLD' "
        "(0x40000) in the FS_XFLAG family (struct fsxattr fsx_xflags, struct file_attr fa_xflags) [UA501]\n"
        "new/linux/fs.h:15:9: note: 'FS_XFLAG_CASEFOLD' is defined here\n"
        "new/linux/fs.h:17:9: note: fix: give 'FS_XFLAG_NEWTHING' a free bit, or write "
        "'#define FS_XFLAG_NEWTHING FS_XFLAG_CASEFOLD' if it is the same flag"]


def test_file_attr_added_with_its_size_version(tmp_path: Path) -> None:
    old = {"linux/fs.h": "#include <linux/types.h>\n"}
    assert findings(tmp_path, old, {"linux/fs.h": FS.format(flags="")}, ("x86_64", "i386")) == [
        "new/linux/fs.h:4: note: 'struct file_attr' added: 24 bytes, align 8 (on x86_64) [UA216]\n"
        "new/linux/fs.h:4: note: on i386: 'struct file_attr' added: 24 bytes, align 4"]
