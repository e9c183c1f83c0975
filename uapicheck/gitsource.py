"""Kernel trees straight from git objects: a revision, the index, or the
working tree, with no checkout and no make.

Every git command gets its arguments as a list (no shell), revisions are
checked before use (`--end-of-options`, nothing that starts with '-'), and
only `include/uapi` and `arch/*/include/uapi` are read.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass

from .arches import ARCHES
from .sources import (DirFS, GitFS, IncludeNames, KernelTree, Libc, SeenDirFS, SourceError, affected_headers, arches_of,
                      hook_headers)

UAPI_PATH = re.compile(r"^(include/uapi/|arch/[^/]+/include/uapi/)")
# git's own environment must not redirect us to another repository
_ENV_DROP = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_NAMESPACE")


def _uapi_blobs(out: bytes, pick: Callable[[bytes, bytes, bytes], tuple[bool, bytes]]) -> dict[str, str]:
    """Path -> blob of the UAPI files in git's -z listing; pick says, from an
    entry's three fields, whether it is a regular file and what its blob is
    (links are left out: headers_install copies files)."""
    files = {}
    for entry in out.split(b"\0"):
        if not entry:
            continue
        meta, _, path = entry.partition(b"\t")
        keep, blob = pick(*meta.split())
        name = path.decode("utf-8", "surrogateescape")
        if keep and UAPI_PATH.match(name):
            files[name] = blob.decode()
    return files


class NotARepository(SourceError):
    pass


class UnknownRevision(SourceError):
    def __init__(self, message: str, revision: str) -> None:
        super().__init__(message)
        self.revision = revision


class Repo:
    def __init__(self, path: str, libc: Libc = Libc()) -> None:
        self.libc = libc  # what the trees read from it take C library headers from
        if not os.path.isdir(path):
            raise SourceError(f"{path}: not a directory")
        self.env = {k: v for k, v in os.environ.items() if k not in _ENV_DROP}
        self.env["GIT_OPTIONAL_LOCKS"] = "0"
        try:
            top = subprocess.run(["git", "-C", path, "rev-parse", "--show-toplevel"], capture_output=True,
                                 env=self.env, check=False)
        except OSError as exc:
            raise SourceError(f"cannot run git: {exc}") from None
        if top.returncode != 0:
            raise NotARepository(f"{path}: not inside a git repository")
        self.top = top.stdout.decode().rstrip("\n")
        self._cat: subprocess.Popen[bytes] | None = None
        self._cat_pid = 0  # the process that started _cat: a forked worker starts its own
        self._blobs: dict[str, bytes] = {}
        self.disk = SeenDirFS()  # shared by the trees read from here

    def git(self, *args: str) -> bytes:
        done = subprocess.run(["git", "-C", self.top, *args], capture_output=True, env=self.env, check=False)
        if done.returncode != 0:
            raise SourceError(f"git {args[0]} failed: {done.stderr.decode(errors='replace').strip()}")
        return done.stdout

    def resolve(self, rev: str) -> str:
        """The commit a revision names; anything else is an error."""
        if not rev or rev.startswith("-") or any(c in rev for c in "\0\n\r"):
            raise SourceError(f"'{rev}' is not a revision (a revision cannot start with '-')")
        done = subprocess.run(["git", "-C", self.top, "rev-parse", "--verify", "--quiet", "--end-of-options",
                               rev + "^{commit}"], capture_output=True, env=self.env, check=False)
        if done.returncode != 0:
            raise UnknownRevision(f"'{rev}' is not a commit in {self.top}", rev)
        return done.stdout.decode().strip()

    def commit_files(self, commit: str) -> dict[str, str]:
        # ls-tree -z: "<mode> <type> <blob>\t<path>"; it takes no wildcards, so the
        # arch directories are listed first: arch/ has 20 times the files of its uapi/
        arches = [entry.partition(b"\t")[2].decode("utf-8", "surrogateescape")
                  for entry in self.git("ls-tree", "-z", "--full-tree", commit, "--", "arch/").split(b"\0")
                  if entry.split(b" ")[1:2] == [b"tree"]]
        out = self.git("ls-tree", "-r", "-z", "--full-tree", commit, "--", "include/uapi",
                       *(f"{a}/include/uapi" for a in arches))
        return _uapi_blobs(out, lambda mode, kind, blob: (kind == b"blob" and mode != b"120000", blob))

    def index_files(self) -> dict[str, str]:
        # ls-files -s -z: "<mode> <blob> <stage>\t<path>"; stage 0 is what is staged
        out = self.git("ls-files", "-s", "-z", "--", "include/uapi", ":(glob)arch/*/include/uapi/**")
        return _uapi_blobs(out, lambda mode, blob, stage: (stage == b"0" and mode != b"120000", blob))

    def index_arch_dirs(self) -> set[str]:
        """The kernel arches the index has arch/<arch>/include/uapi for."""
        return {p.split("/")[1] for p in self.index_files() if p.startswith("arch/")}

    def read_blob(self, blob: str) -> bytes:
        if blob in self._blobs:
            return self._blobs[blob]
        if self._cat is None or self._cat_pid != os.getpid():
            self._cat = subprocess.Popen(["git", "-C", self.top, "cat-file", "--batch"], stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, env=self.env)
            self._cat_pid = os.getpid()
        assert self._cat.stdin is not None and self._cat.stdout is not None
        self._cat.stdin.write(blob.encode() + b"\n")
        self._cat.stdin.flush()
        header = self._cat.stdout.readline().split()
        if len(header) != 3 or header[1] != b"blob":
            raise OSError(f"git object {blob} is missing")
        data = self._cat.stdout.read(int(header[2]))
        self._cat.stdout.read(1)
        self._blobs[blob] = data
        return data

    def preload(self, blobs: list[str]) -> None:
        """Read every blob with one git process, so that later reads (and
        forked workers) need no pipe to git."""
        wanted = [b for b in dict.fromkeys(blobs) if b not in self._blobs]
        if not wanted:
            return
        done = subprocess.run(["git", "-C", self.top, "cat-file", "--batch"], input="\n".join(wanted).encode() + b"\n",
                              capture_output=True, env=self.env, check=False)
        out, pos = done.stdout, 0
        for blob in wanted:
            end = out.index(b"\n", pos)
            header = out[pos:end].split()
            pos = end + 1
            if len(header) != 3 or header[1] != b"blob":
                continue
            size = int(header[2])
            self._blobs[blob] = out[pos:pos + size]
            pos += size + 1

    def close(self) -> None:
        if self._cat is not None and self._cat_pid == os.getpid():
            assert self._cat.stdin is not None
            self._cat.stdin.close()
            self._cat.wait()
            self._cat = None

    def label(self) -> str:
        """The repository's top, as a path relative to the working directory."""
        return os.path.relpath(self.top)

    def empty_tree(self, label: str) -> KernelTree:
        """What a repository with no commit yet has: nothing."""
        return KernelTree(self.label(), GitFS(self.label(), {}, self.read_blob), libc=self.libc, revision=label,
                          disk=self.disk)

    def tree_at(self, rev: str, preload: bool = True) -> KernelTree:
        """The tree of a revision; preload: read all its files now, with one
        git process (a whole-tree run reads them all), else as they are needed."""
        files = self.commit_files(self.resolve(rev))
        if preload:
            self.preload(list(files.values()))
        # paths name the files of the working tree, which is where a user can open them
        return KernelTree(self.label(), GitFS(self.label(), files, self.read_blob), libc=self.libc, revision=rev,
                          disk=self.disk)

    def staged_tree(self, preload: bool = True) -> KernelTree:
        files = self.index_files()
        if preload:
            self.preload(list(files.values()))
        return KernelTree(self.label(), GitFS(self.label(), files, self.read_blob), libc=self.libc,
                          revision="the index", disk=self.disk)

    def work_tree(self) -> KernelTree:
        if not os.path.isdir(os.path.join(self.top, "include", "uapi")):
            raise SourceError(f"{self.top}: no include/uapi; not a kernel tree")
        return KernelTree(self.label(), DirFS(), libc=self.libc, disk=self.disk)


@dataclass
class Plan:
    """What a git-mode run analyses: two trees, the arches both have, and
    per arch the headers whose content or include closure changed (with
    the headers those include, for rules that look across headers)."""

    old: KernelTree
    new: KernelTree
    arches: list[str]
    skipped: list[str]  # asked for, but not in both trees
    headers: dict[str, set[str]]
    total: int  # headers of those arches, changed or not


def revisions(repo: Repo, old: str | None, new: str | None, staged: bool, arches: list[str]) -> Plan:
    """OLD (default HEAD) against NEW, or the working tree, or the index."""
    a = repo.tree_at(old or "HEAD")
    b = repo.tree_at(new) if new else repo.staged_tree() if staged else repo.work_tree()
    present = [n for n in arches if arches_of(a, [n]) and arches_of(b, [n])]
    if not present:
        raise SourceError(f"neither side has arch/*/include/uapi for {', '.join(arches)}")
    known = list(ARCHES.values())
    headers: dict[str, set[str]] = {}
    total = 0
    names = (IncludeNames(a.fs), IncludeNames(b.fs))  # what each tree's files name, for every arch
    for name in present:
        headers[name], count = affected_headers(a, b, ARCHES[name], known, names)
        total += count
    return Plan(a, b, present, [n for n in arches if n not in present], headers, total)


def staged(repo: Repo, files: list[str], arches: list[str]) -> Plan:
    """The pre-commit hook's view: HEAD against the index, for the UAPI
    headers among files (paths as given on the command line)."""
    wanted = [os.path.relpath(os.path.abspath(f), repo.top) for f in files]
    # a warm hook reads few files (the cache and reach.py's marks know the others)
    try:
        a = repo.tree_at("HEAD", preload=False)
    except UnknownRevision:  # no commit yet
        a = repo.empty_tree("HEAD")
    b = repo.staged_tree(preload=False)
    present = [n for n in arches if arches_of(b, [n])]
    headers = {n: hook_headers(a, b, ARCHES[n], wanted) for n in present}
    return Plan(a, b, present, [n for n in arches if n not in present], headers, sum(map(len, headers.values())))
