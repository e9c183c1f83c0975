"""The Linux 7.0 cases, on small headers modelled on the facts in
shared/UAPI-FACTS.md: a respelling that keeps the value, struct rseq with
struct rseq_slice_ctrl, struct file_attr."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from uapicheck.arches import ARCHES
from uapicheck.compare import compare
from uapicheck.snapshot import build
from uapicheck.sources import InstalledTree

TYPES = """#ifndef _LINUX_TYPES_H
#define _LINUX_TYPES_H
typedef unsigned char __u8;
typedef unsigned short __u16;
typedef unsigned int __u32;
typedef unsigned long long __u64;
#define __aligned_u64 __u64 __attribute__((aligned(8)))
#endif
"""

MOUNT_OLD = """#ifndef _LINUX_MOUNT_H
#define _LINUX_MOUNT_H
#define OPEN_TREE_CLONE 1
#define OPEN_TREE_CLOEXEC O_CLOEXEC
#endif
"""
MOUNT_NEW = MOUNT_OLD.replace("#define OPEN_TREE_CLONE 1", "#define OPEN_TREE_CLONE (1 << 0)\n"
                              "#define OPEN_TREE_NAMESPACE (1 << 1)")

RSEQ = """#ifndef _LINUX_RSEQ_H
#define _LINUX_RSEQ_H
#include <linux/types.h>
struct rseq_slice_ctrl {
	union {
		__u32 all;
		struct {
			__u8 request;
			__u8 granted;
			__u16 __reserved;
		};
	};
};
struct rseq {
	__u32 cpu_id_start;
	__u32 cpu_id;
	__u64 rseq_cs;
	__u32 flags;
	__u32 node_id;
	__u32 mm_cid;
	struct rseq_slice_ctrl slice_ctrl;
	__u8 __reserved;
	char end[];
} __attribute__((aligned(ALIGN)));
#endif
"""

FS = """#ifndef _LINUX_FS_H
#define _LINUX_FS_H
#include <linux/types.h>
struct file_attr {
	__u64 fa_xflags;
	__u32 fa_extsize;
	__u32 fa_nextents;
	__u32 fa_projid;
	__u32 fa_cowextsize;
};
#define FILE_ATTR_SIZE_VER0 24
#define FILE_ATTR_SIZE_LATEST FILE_ATTR_SIZE_VER0
#define FS_XFLAG_CASEFOLD 0x00040000
#endif
"""


def tree(root: Path, files: dict[str, str]) -> InstalledTree:
    for name, text in files.items():
        p = root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    (root / "asm").mkdir(exist_ok=True)
    return InstalledTree(str(root))


def test_open_tree_clone_respelling_is_a_token_form_change(tmp_path: Path) -> None:
    old = build(tree(tmp_path / "old", {"linux/types.h": TYPES, "linux/mount.h": MOUNT_OLD}), ["x86_64", "i386"])
    new = build(tree(tmp_path / "new", {"linux/types.h": TYPES, "linux/mount.h": MOUNT_NEW}), ["x86_64", "i386"])
    per_arch = compare(old, new)
    assert sorted(per_arch) == ["i386", "x86_64"]
    for changes in per_arch.values():
        got = sorted((c.kind, c.name) for c in changes)
        assert got == [("macro-added", "OPEN_TREE_NAMESPACE"), ("macro-token-form-changed", "OPEN_TREE_CLONE")]
        form = next(c for c in changes if c.kind == "macro-token-form-changed")
        assert form.message == ("macro 'OPEN_TREE_CLONE' changed token form from '1' to '(1 << 0)' "
                                "(value 1 unchanged)")
    facts = new.arches["x86_64"]["linux/mount.h"].macros
    assert (facts["OPEN_TREE_CLONE"].value, facts["OPEN_TREE_CLONE"].if_value) == (1, 1)
    assert not facts["OPEN_TREE_CLOEXEC"].if_ok and facts["OPEN_TREE_CLOEXEC"].undefined == ["O_CLOEXEC"]


@pytest.mark.parametrize("align", ["4 * sizeof(__u64)", "32"])
@pytest.mark.parametrize("arch", list(ARCHES))
def test_rseq_layout(tmp_path: Path, arch: str, align: str) -> None:
    snap = build(tree(tmp_path, {"linux/types.h": TYPES, "linux/rseq.h": RSEQ.replace("ALIGN", align)}), [arch])
    t = snap.arches[arch]["linux/rseq.h"].types["struct rseq"]
    offsets = {m["name"]: m["offset"] for m in t["members"]}
    assert (t["size"], t["align"], offsets["end"] // 8, offsets["slice_ctrl"] // 8) == (64, 32, 33, 28)
    ctrl = snap.arches[arch]["linux/rseq.h"].types["struct rseq_slice_ctrl"]
    assert (ctrl["size"], ctrl["align"]) == (4, 4)


@pytest.mark.parametrize("arch,align", [("x86_64", 8), ("i386", 4), ("arm", 8)])
def test_file_attr_matches_its_size_version(tmp_path: Path, arch: str, align: int) -> None:
    snap = build(tree(tmp_path, {"linux/types.h": TYPES, "linux/fs.h": FS}), [arch])
    facts = snap.arches[arch]["linux/fs.h"]
    t = facts.types["struct file_attr"]
    assert (t["size"], t["align"]) == (24, align)
    assert facts.macros["FILE_ATTR_SIZE_VER0"].value == t["size"]
    assert facts.macros["FILE_ATTR_SIZE_LATEST"].value == 24


@pytest.mark.gcc
@pytest.mark.skipif(not shutil.which("gcc"), reason="gcc not installed")
def test_rseq_agrees_with_gcc_on_every_installed_compiler(tmp_path: Path) -> None:
    from gcc_oracle import Gcc, compiler
    src = tree(tmp_path, {"linux/types.h": TYPES, "linux/rseq.h": RSEQ.replace("ALIGN", "4 * sizeof(__u64)")})
    checked = []
    for arch in ARCHES:
        cmd = compiler(arch)
        if cmd is None:
            continue
        gcc = Gcc(ARCHES[arch], cmd, [str(tmp_path)])
        exprs = ["sizeof(struct rseq)", "__alignof__(struct rseq)", "__builtin_offsetof(struct rseq, end)",
                 "__builtin_offsetof(struct rseq, slice_ctrl)", "__builtin_offsetof(struct rseq, __reserved)"]
        got = gcc.values("linux/rseq.h", exprs)
        t = build(src, [arch]).arches[arch]["linux/rseq.h"].types["struct rseq"]
        offs = {m["name"]: m["offset"] // 8 for m in t["members"]}
        ours = [t["size"], t["align"], offs["end"], offs["slice_ctrl"], offs["__reserved"]]
        assert [got[i] for i in range(len(exprs))] == ours, arch
        checked.append(arch)
    assert checked
