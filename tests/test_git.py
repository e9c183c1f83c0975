"""Kernel git trees: revisions read from git objects, only changed headers
analysed, and revisions that try to be options refused."""

from __future__ import annotations

import multiprocessing
import subprocess
from pathlib import Path

import pytest

from support.kernel import MOUNT
from support.repos import git, new_repo
from support.trees import write
from uapicheck.cli import run
from uapicheck.gitsource import Repo

TYPES = """#ifndef _UAPI_LINUX_TYPES_H
#define _UAPI_LINUX_TYPES_H
#include <asm/types.h>
#endif
"""
ASM_GENERIC_TYPES = """#ifndef _UAPI_ASM_GENERIC_TYPES_H
#define _UAPI_ASM_GENERIC_TYPES_H
typedef unsigned char __u8;
typedef unsigned int __u32;
typedef unsigned long long __u64;
#endif
"""
STDINT_USER = """#ifndef _UAPI_LINUX_QUIET_H
#define _UAPI_LINUX_QUIET_H
#include <stdint.h>
#define QUIET {value}
struct quiet {{ uint32_t a; }};
#endif
"""
PAIR = """#ifndef _UAPI_LINUX_PAIR_H
#define _UAPI_LINUX_PAIR_H
#include <linux/types.h>
struct pair {{
	__u32 a;
{pad}	__u64 b;
}};
#endif
"""


@pytest.fixture
def kernel(tmp_path: Path) -> Path:
    repo = new_repo(tmp_path / "linux", {
        "include/uapi/linux/types.h": TYPES,
        "include/uapi/asm-generic/types.h": ASM_GENERIC_TYPES,
        "include/uapi/asm-generic/Kbuild": "mandatory-y += types.h\n",
        "include/uapi/linux/mount.h": MOUNT.format(clone="1", extra=""),
        "include/uapi/linux/pair.h": PAIR.format(pad=""),
        "include/uapi/linux/quiet.h": STDINT_USER.format(value=1),
        "arch/x86/include/uapi/asm/Kbuild": "",
        "arch/x86/include/uapi/asm/bootparam.h": "#define X86_ONLY 1\n",
        "arch/arm64/include/uapi/asm/Kbuild": "",
        "arch/arm64/include/uapi/asm/sve_context.h": "#define SVE_ONLY 1\n",
        "Makefile": "# not read\n",
    }, "v6.19")
    git(repo, "tag", "v6.19")
    write(repo, {"include/uapi/linux/mount.h": MOUNT.format(clone="(1 << 0)",
                                                           extra="#define OPEN_TREE_NAMESPACE (1 << 1)"),
                 "include/uapi/linux/pair.h": PAIR.format(pad="\t__u32 pad;\n")})
    git(repo, "commit", "-q", "-a", "--no-gpg-sign", "--no-verify", "-m", "v7.0")
    git(repo, "tag", "v7.0")
    return repo


def test_diff_between_two_tags(kernel: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(kernel)
    assert run(["diff", "v6.19", "v7.0", "--arch", "x86_64,i386,aarch64"]) == 1
    captured = capsys.readouterr()
    assert captured.out == (
        "include/uapi/linux/mount.h:4:9: error: macro 'OPEN_TREE_CLONE' changed token form from '1' to "
        "'(1 << 0)' (value 1 unchanged); glibc 2.36's <sys/mount.h> defines it as '1' too [UA103]\n"
        "include/uapi/linux/mount.h:4:9: note: the old definition was here (in v6.19)\n"
        "include/uapi/linux/mount.h:4:9: note: who breaks: the build of glibc 2.36 and every program that "
        "includes <sys/mount.h> and <linux/mount.h>: GCC says \"'OPEN_TREE_CLONE' redefined\", an error under "
        "-Werror\n"
        "include/uapi/linux/mount.h:4:9: note: glibc 2.41 to 2.44's <sys/mount.h> is not affected: it "
        "includes <linux/mount.h>'s definition first and guards its copy\n"
        "include/uapi/linux/mount.h:4:9: note: fix: keep the old spelling: #define OPEN_TREE_CLONE 1\n"
        "include/uapi/linux/pair.h:4: error: size of 'struct pair' changed from 12 to 16 bytes (by +4) "
        "(on i386) [UA202]\n"
        "include/uapi/linux/pair.h:4: note: the old definition was here (in v6.19)\n"
        "include/uapi/linux/pair.h:4: note: who breaks: binaries built with the old size: arrays, embedding "
        "structs, sizeof arguments, ioctl numbers\n"
        "include/uapi/linux/pair.h:4: note: fix: keep the layout; extend with a new struct or a "
        "size-versioned one\n"
        "include/uapi/linux/pair.h:4: error: offset of 'struct pair.b' changed from 4 bytes to 8 bytes "
        "(by +4 bytes) (on i386) [UA205]\n"
        "include/uapi/linux/pair.h:4: note: the old definition was here (in v6.19)\n"
        "include/uapi/linux/pair.h:4: note: who breaks: binaries built with the old layout access the "
        "wrong bytes\n"
        "include/uapi/linux/pair.h:4: note: fix: add members at the end or in reserved space; never reorder\n"
        "include/uapi/linux/pair.h:4: note: 'struct pair' names its implicit padding: 'pad' (4 bytes at offset "
        "4) (on x86_64, aarch64) [UA210]\n"
        "include/uapi/linux/pair.h:4: note: not a break; but old callers may have left garbage there: the kernel "
        "must not start rejecting nonzero bytes in it\n"
        "    1 error    UA103 macro-token-form-changed\n"
        "    1 error    UA202 type-size-changed\n"
        "    1 error    UA205 member-offset-changed\n"
        "    1 note     UA210 reserved-member-used\n"
        "3 errors, 0 warnings, 1 note in 2 headers on x86_64, i386, aarch64 (0 suppressed)\n")
    # per arch: mount.h and pair.h, and the three types headers they include, of 7
    assert captured.err == ("uapicheck: 15 of 21 headers changed or include a changed file "
                            "(v6.19 -> v7.0, x86_64, i386, aarch64)\n")


def test_working_tree_against_head_and_a_revision(kernel: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(kernel / "include")
    assert run(["diff", "--arch", "x86_64", "-q"]) == 0
    assert capsys.readouterr().out == "0 errors, 0 warnings, 0 notes in 0 headers on x86_64 (0 suppressed)\n"
    (kernel / "include/uapi/linux/quiet.h").write_text(STDINT_USER.format(value=2))
    assert run(["diff", "--arch", "x86_64", "-q"]) == 1
    out = capsys.readouterr().out
    # <stdint.h> is uapicheck's own, found on disk whatever the tree is read from
    assert out.startswith("../include/uapi/linux/quiet.h:4:9: error: macro 'QUIET' changed value from 1 (int) "
                          "to 2 (int) [UA102]\n../include/uapi/linux/quiet.h:4:9: note: the old definition was here (in HEAD)")
    assert run(["diff", "--arch", "x86_64", "-q", "--staged"]) == 0
    capsys.readouterr()
    assert run(["diff", "v6.19", "--arch", "x86_64", "-q", "--select", "UA102"]) == 1
    assert "QUIET" in capsys.readouterr().out


@pytest.mark.parametrize("rev,message", [
    ("--output=x", "'--output=x' is not a revision (a revision cannot start with '-')"),
    ("-c core.pager=touch pwned", "is not a revision (a revision cannot start with '-')"),
    ("v6.19; touch pwned", "'v6.19; touch pwned' is not a commit in"),
    ("$(touch pwned)", "'$(touch pwned)' is not a commit in"),
    ("no-such-tag", "'no-such-tag' is not a commit in"),
])
def test_bad_revisions_exit_2_and_touch_nothing(kernel: Path, capsys, monkeypatch: pytest.MonkeyPatch, rev: str,
                                                message: str) -> None:
    monkeypatch.chdir(kernel)
    before = sorted(p.name for p in kernel.iterdir())
    assert run(["diff", "-C", str(kernel), "-q", "--", rev, "v7.0"]) == 2
    assert message in capsys.readouterr().err
    assert sorted(p.name for p in kernel.iterdir()) == before


def test_not_a_repository(tmp_path: Path, capsys) -> None:
    assert run(["diff", "-C", str(tmp_path), "v1", "v2", "-q"]) == 2
    assert "not inside a git repository" in capsys.readouterr().err



_FORKED: list[Repo] = []  # what the forked readers below read from


def _read(blob: str) -> bytes:
    return _FORKED[0].read_blob(blob)


def test_forked_processes_read_blobs_through_their_own_git(kernel: Path) -> None:
    """A tree read for the hook reads files from git as they are needed,
    through one `git cat-file`; a forked worker (-j) starts its own instead
    of sharing that pipe with the parent and its siblings."""
    repo = Repo(str(kernel))
    try:
        blobs = sorted(set(repo.commit_files(repo.resolve("HEAD")).values()))
        expected = [subprocess.run(["git", "-C", str(kernel), "cat-file", "blob", b], capture_output=True,
                                   check=True).stdout for b in blobs]
        assert repo.read_blob(blobs[0]) == expected[0]  # the parent's git runs
        _FORKED[:] = [repo]
        with multiprocessing.get_context("fork").Pool(2) as pool:
            assert pool.map_async(_read, blobs[1:], chunksize=1).get(timeout=60) == expected[1:]
        assert [repo.read_blob(b) for b in blobs] == expected
    finally:
        _FORKED.clear()
        repo.close()
