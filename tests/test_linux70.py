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
from support.linux70 import FS, MOUNT_NEW, MOUNT_OLD, RSEQ, TYPES
from support.trees import installed

def test_open_tree_clone_respelling_is_a_token_form_change(tmp_path: Path) -> None:
    old = build(installed(tmp_path / "old", {"linux/types.h": TYPES, "linux/mount.h": MOUNT_OLD}), ["x86_64", "i386"])
    new = build(installed(tmp_path / "new", {"linux/types.h": TYPES, "linux/mount.h": MOUNT_NEW}), ["x86_64", "i386"])
    per_arch = compare(old, new)
    assert sorted(per_arch) == ["i386", "x86_64"]
    for changes in per_arch.values():
        got = sorted((c.kind.value, c.name) for c in changes)
        assert got == [("macro-added", "OPEN_TREE_NAMESPACE"), ("macro-token-form-changed", "OPEN_TREE_CLONE")]
        form = next(c for c in changes if c.kind.value == "macro-token-form-changed")
        assert form.message == ("macro 'OPEN_TREE_CLONE' changed token form from '1' to '(1 << 0)' "
                                "(value 1 unchanged)")
    facts = new.arches["x86_64"]["linux/mount.h"].macros
    assert (facts["OPEN_TREE_CLONE"].value, facts["OPEN_TREE_CLONE"].if_value) == (1, 1)
    # O_CLOEXEC is <fcntl.h>'s: the header is read after it, as its users include it
    assert new.arches["x86_64"]["linux/mount.h"].prelude == ["fcntl.h"]
    assert (facts["OPEN_TREE_CLOEXEC"].value, facts["OPEN_TREE_CLOEXEC"].if_ok) == (0o2000000, True)


@pytest.mark.parametrize("align", ["4 * sizeof(__u64)", "32"])
@pytest.mark.parametrize("arch", list(ARCHES))
def test_rseq_layout(tmp_path: Path, arch: str, align: str) -> None:
    snap = build(installed(tmp_path, {"linux/types.h": TYPES, "linux/rseq.h": RSEQ.replace("ALIGN", align)}), [arch])
    t = snap.arches[arch]["linux/rseq.h"].types["struct rseq"]
    offsets = {m.name: m.offset for m in t.members}
    assert (t.size, t.align, offsets["end"] // 8, offsets["slice_ctrl"] // 8) == (64, 32, 33, 28)
    ctrl = snap.arches[arch]["linux/rseq.h"].types["struct rseq_slice_ctrl"]
    assert (ctrl.size, ctrl.align) == (4, 4)


@pytest.mark.parametrize("arch,align", [("x86_64", 8), ("i386", 4), ("arm", 8)])
def test_file_attr_matches_its_size_version(tmp_path: Path, arch: str, align: int) -> None:
    snap = build(installed(tmp_path, {"linux/types.h": TYPES, "linux/fs.h": FS}), [arch])
    facts = snap.arches[arch]["linux/fs.h"]
    t = facts.types["struct file_attr"]
    assert (t.size, t.align) == (24, align)
    assert facts.macros["FILE_ATTR_SIZE_VER0"].value == t.size
    assert facts.macros["FILE_ATTR_SIZE_LATEST"].value == 24


@pytest.mark.gcc
@pytest.mark.skipif(not shutil.which("gcc"), reason="gcc not installed")
def test_rseq_agrees_with_gcc_on_every_installed_compiler(tmp_path: Path) -> None:
    from support.gcc import Gcc, compiler
    src = installed(tmp_path, {"linux/types.h": TYPES, "linux/rseq.h": RSEQ.replace("ALIGN", "4 * sizeof(__u64)")})
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
        offs = {m.name: m.offset // 8 for m in t.members}
        ours = [t.size, t.align, offs["end"], offs["slice_ctrl"], offs["__reserved"]]
        assert [got[i] for i in range(len(exprs))] == ours, arch
        checked.append(arch)
    assert checked
