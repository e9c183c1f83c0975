"""The pre-commit hook, run by the real pre-commit in a scratch kernel
repository: it blocks a commit that breaks UAPI and lets it through once
the finding is in a baseline. Baselines on their own, too."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from support.kernel import MOUNT
from support.repos import ENV, git, new_repo

ROOT = Path(__file__).resolve().parent.parent


def hook_env(tmp_path: Path) -> dict[str, str]:
    bindir = Path(sys.executable).parent
    return {**os.environ, **ENV, "PATH": f"{bindir}:{os.environ['PATH']}", "PRE_COMMIT_HOME": str(tmp_path / "pc"),
            "XDG_CACHE_HOME": str(tmp_path / "cache")}


@pytest.fixture
def kernel(tmp_path: Path) -> Path:
    return new_repo(tmp_path / "linux", {
        "include/uapi/linux/types.h": "typedef unsigned long long __u64;\n",
        "include/uapi/linux/mount.h": MOUNT.format(clone="1", extra=""),
        "arch/x86/include/uapi/asm/Kbuild": "",
        "arch/x86/include/uapi/asm/x.h": "#define X 1\n",
    }, "base")


def uapicheck(repo: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "uapicheck", *args], cwd=repo, capture_output=True, text=True,
                          env=hook_env(tmp_path))


def test_hook_blocks_a_break_and_a_baseline_accepts_it(kernel: Path, tmp_path: Path) -> None:
    (kernel / "include/uapi/linux/mount.h").write_text(MOUNT.format(clone="2", extra=""))
    git(kernel, "add", "-A")
    blocked = uapicheck(kernel, tmp_path, "hook", "include/uapi/linux/mount.h", "Makefile", "--arch", "x86_64")
    assert blocked.returncode == 1
    assert blocked.stdout.startswith("include/uapi/linux/mount.h:4:9: error: macro 'OPEN_TREE_CLONE' changed value "
                                     "from 1 (int) to 2 (int) [UA102]\ninclude/uapi/linux/mount.h:4:9: note: the old definition was "
                                     "here (in HEAD)\n")
    recorded = uapicheck(kernel, tmp_path, "baseline", "record", "--staged", "--arch", "x86_64", "-q")
    assert recorded.returncode == 0, recorded.stderr
    assert recorded.stderr == "baselines/uapicheck.json: 1 findings accepted\n"
    passed = uapicheck(kernel, tmp_path, "hook", "include/uapi/linux/mount.h", "--arch", "x86_64",
                       "--baseline", "baselines/uapicheck.json")
    assert (passed.returncode, passed.stdout) == (0, "")
    # the same accepted finding, seen by diff, is suppressed; an entry that matches nothing is stale
    git(kernel, "commit", "-q", "--no-gpg-sign", "--no-verify", "-m", "accepted")
    diff = uapicheck(kernel, tmp_path, "diff", "HEAD~1", "HEAD", "--arch", "x86_64", "-q",
                     "--baseline", "baselines/uapicheck.json")
    assert (diff.returncode, diff.stdout) == (0, "0 errors, 0 warnings, 0 notes in 0 headers on x86_64 "
                                                 "(1 suppressed)\n")
    stale = uapicheck(kernel, tmp_path, "diff", "HEAD", "HEAD", "--arch", "x86_64", "-q",
                      "--baseline", "baselines/uapicheck.json")
    assert stale.stdout.startswith("baselines/uapicheck.json: note: stale baseline entry: UA102 "
                                   "'OPEN_TREE_CLONE' in linux/mount.h is no longer found; remove it\n")


@pytest.mark.skipif(shutil.which("pre-commit", path=str(Path(sys.executable).parent)) is None,
                    reason="pre-commit is not installed in this environment")
def test_pre_commit_try_repo(kernel: Path, tmp_path: Path) -> None:
    # pre-commit installs hooks from a git repository: a clean copy of this one's committed files
    source = tmp_path / "uapicheck-src"
    subprocess.run(["git", "clone", "-q", "--no-hardlinks", str(ROOT), str(source)], check=True,
                   env=hook_env(tmp_path))
    for rel in subprocess.run(["git", "-C", str(ROOT), "ls-files", "-m", "-o", "--exclude-standard"],
                              capture_output=True, text=True, check=True).stdout.split():
        target = source / rel  # uncommitted work too, so the test sees what it tests
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, target)
    git(source, "add", "-A")
    git(source, "commit", "-q", "--no-gpg-sign", "--no-verify", "--allow-empty", "-m", "test copy")
    env = hook_env(tmp_path)
    pre_commit = str(Path(sys.executable).parent / "pre-commit")

    def try_repo(*extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([pre_commit, "try-repo", str(source), "uapicheck", "--files",
                               "include/uapi/linux/mount.h", "--verbose", *extra], cwd=kernel, capture_output=True,
                              text=True, env=env)

    (kernel / "include/uapi/linux/mount.h").write_text(MOUNT.format(clone="2", extra=""))
    git(kernel, "add", "-A")
    blocked = try_repo()
    assert blocked.returncode == 1, blocked.stdout + blocked.stderr
    assert "error: macro 'OPEN_TREE_CLONE' changed value from 1 (int) to 2 (int) [UA102]" in blocked.stdout
    (kernel / "include/uapi/linux/mount.h").write_text(MOUNT.format(clone="1", extra="#define OPEN_TREE_NEW 2"))
    git(kernel, "add", "-A")
    ok = try_repo()
    assert ok.returncode == 0, ok.stdout + ok.stderr
    # a warning fails the commit too: pre-commit shows a hook's output only when it fails
    git(kernel, "commit", "-q", "--no-gpg-sign", "--no-verify", "-m", "new flag")
    (kernel / "include/uapi/linux/mount.h").write_text(MOUNT.format(clone="1", extra="#define OPEN_TREE_NEW (1 << 1)"))
    git(kernel, "add", "-A")
    warned = try_repo()
    assert warned.returncode == 1, warned.stdout + warned.stderr
    assert "warning: macro 'OPEN_TREE_NEW' changed token form from '2' to '(1 << 1)'" in warned.stdout
    # a tree where nothing can be checked says so, and fails
    bare = new_repo(tmp_path / "bare", {"include/uapi/linux/mount.h": MOUNT.format(clone="1", extra="")}, "base")
    (bare / "include/uapi/linux/mount.h").write_text(MOUNT.format(clone="2", extra=""))
    git(bare, "add", "-A")
    nothing = subprocess.run([pre_commit, "try-repo", str(source), "uapicheck", "--files", "include/uapi/linux/mount.h"],
                             cwd=bare, capture_output=True, text=True, env=env)
    assert nothing.returncode == 1, nothing.stdout + nothing.stderr
    assert "nothing could be checked" in nothing.stdout


def test_readme_documents_every_hook() -> None:
    import re
    ids = re.findall(r"^- id: (\S+)$", (ROOT / ".pre-commit-hooks.yaml").read_text(), re.M)
    readme = (ROOT / "README.md").read_text()
    assert ids and all(f"**`{i}`**" in readme for i in ids), ids


FCNTL = ("#ifndef _UAPI_LINUX_FCNTL_H\n#define _UAPI_LINUX_FCNTL_H\n#define AT_SYMLINK_NOFOLLOW 0x100\n"
         "#define AT_REMOVEDIR 0x200\n#endif\n")
FAMILY = ("#ifndef _UAPI_LINUX_FOO_H\n#define _UAPI_LINUX_FOO_H\n#define FOO_FLAG_A 1\n#define FOO_FLAG_B 2\n"
          "#define FOO_FLAG_C 4\n#define FOO_FLAG_D 8\n{extra}#endif\n")


@pytest.fixture
def flags_kernel(tmp_path: Path) -> Path:
    return new_repo(tmp_path / "linux", {
        "include/uapi/linux/types.h": "typedef unsigned long long __u64;\n",
        "include/uapi/linux/mount.h": MOUNT.format(clone="1", extra=""),
        "include/uapi/linux/fcntl.h": FCNTL,
        "include/uapi/linux/foo.h": FAMILY.format(extra=""),
        "arch/x86/include/uapi/asm/Kbuild": "",
        "arch/x86/include/uapi/asm/x.h": "#define X 1\n",
    }, "base")


def test_hook_sees_across_headers_and_infers_families(flags_kernel: Path, tmp_path: Path) -> None:
    """A staged OPEN_TREE_* flag takes an AT_* bit of a header mount.h does not
    include; a flag family no rule file declares gains a colliding member."""
    (flags_kernel / "include/uapi/linux/mount.h").write_text(
        MOUNT.format(clone="1", extra="#define OPEN_TREE_TEST (1 << 8)"))
    (flags_kernel / "include/uapi/linux/foo.h").write_text(FAMILY.format(extra="#define FOO_FLAG_E 4\n"))
    git(flags_kernel, "add", "-A")
    hook = uapicheck(flags_kernel, tmp_path, "hook", "include/uapi/linux/mount.h", "include/uapi/linux/foo.h",
                     "--arch", "x86_64")
    assert hook.returncode == 1, hook.stdout + hook.stderr
    assert ("include/uapi/linux/mount.h:5:9: error: 'OPEN_TREE_TEST' (0x100) shares bit 0x100 with "
            "'AT_SYMLINK_NOFOLLOW' (0x100) in open_tree(2) flags [UA501]") in hook.stdout
    assert ("include/uapi/linux/foo.h:7:9: warning: 'FOO_FLAG_E' (0x4) shares bit 0x4 with 'FOO_FLAG_C' (0x4) "
            "among the FOO_FLAG_* flags of linux/foo.h, a family read from the header [UA501]") in hook.stdout
    # the same findings from git mode and from two plain trees
    diff = uapicheck(flags_kernel, tmp_path, "diff", "--staged", "--arch", "x86_64", "-q")
    assert finding_lines(diff.stdout) == finding_lines(hook.stdout)
    old, new = tmp_path / "old", tmp_path / "new"
    for side, rev in ((old, "HEAD"), (new, None)):
        shutil.copytree(flags_kernel, side, ignore=shutil.ignore_patterns(".git"))
        if rev:
            for name in ("mount.h", "foo.h"):
                blob = subprocess.run(["git", "-C", str(flags_kernel), "show", f"HEAD:include/uapi/linux/{name}"],
                                      capture_output=True, text=True, check=True).stdout
                (side / "include/uapi/linux" / name).write_text(blob)
    trees = uapicheck(tmp_path, tmp_path, "diff", "old", "new", "--arch", "x86_64", "-q")
    assert finding_lines(trees.stdout.replace("new/", "")) == finding_lines(hook.stdout)


def finding_lines(text: str) -> list[str]:
    """The findings' first lines, without the summary."""
    return sorted(line for line in text.splitlines() if "[UA" in line and ": note: " not in line)


def test_a_warm_hook_sees_what_changed_in_the_index_only(flags_kernel: Path, tmp_path: Path) -> None:
    """What a warm run reuses is keyed by content: an include staged since
    misses the per-header cache, and a header that now defines a flag
    family's member is read again (checks/reach.py's marks)."""
    (flags_kernel / "include/uapi/linux/other.h").write_text("#define OTHER 1\n")
    git(flags_kernel, "add", "-A")
    git(flags_kernel, "commit", "-q", "--no-gpg-sign", "--no-verify", "-m", "other")
    (flags_kernel / "include/uapi/linux/mount.h").write_text(
        MOUNT.format(clone="1", extra="#define OPEN_TREE_TEST (1 << 10)"))
    git(flags_kernel, "add", "include/uapi/linux/mount.h")
    first = uapicheck(flags_kernel, tmp_path, "hook", "include/uapi/linux/mount.h", "--arch", "x86_64")
    assert (first.returncode, first.stdout) == (0, "")
    # other.h now takes OPEN_TREE_TEST's bit for an AT_* flag, in a commit of its own
    git(flags_kernel, "reset", "-q")
    (flags_kernel / "include/uapi/linux/other.h").write_text("#define AT_SYMLINK_TEST 0x400\n")
    git(flags_kernel, "commit", "-q", "--no-gpg-sign", "--no-verify", "-m", "at", "include/uapi/linux/other.h")
    git(flags_kernel, "add", "include/uapi/linux/mount.h")
    second = uapicheck(flags_kernel, tmp_path, "hook", "include/uapi/linux/mount.h", "--arch", "x86_64")
    assert second.returncode == 1, second.stdout + second.stderr
    assert "'OPEN_TREE_TEST' (0x400) shares bit 0x400 with 'AT_SYMLINK_TEST' (0x400)" in second.stdout
    # mount.h includes types.h: staged (only), it shrinks struct mount_attr
    (flags_kernel / "include/uapi/linux/types.h").write_text("typedef unsigned int __u64;\n")
    git(flags_kernel, "add", "include/uapi/linux/types.h")
    (flags_kernel / "include/uapi/linux/types.h").write_text("typedef unsigned long long __u64;\n")
    third = uapicheck(flags_kernel, tmp_path, "hook", "include/uapi/linux/mount.h", "--arch", "x86_64")
    assert "size of 'struct mount_attr' changed from 32 to 16 bytes (by -16)" in third.stdout
