#!/usr/bin/env python3
"""uapicheck's benchmarks: wall time and peak memory, cold and warm cache,
beside the nearest alternative run on the same machine in the same run.

    bench/run.py [--data DIR] [--repo PATH] [--jobs N] [--rounds N] [--only NAME ...]

1 snapshot of Debian's Linux 7.2 headers, one arch and eight
      against gcc -fsyntax-only and gcc -g -c on every header; the cold
      runs of the first three in turns, --rounds times, each its median
2 diff of the 6.12 and 7.2 installed trees (x86_64, i386, aarch64, arm);
      the HTML report of it: size, and render time in headless Chromium
3 diff v7.2 v7.3 in a kernel git repository (--repo; x86_64)
      against scripts/check-uapi.sh -b v7.3 -p v7.2 (needs ABIDIFF >= 2.4)
4 the pre-commit hook on one changed header, cold and warm (bytecode
      too): in a clone of --repo at v7.3 (default arches), else in a small
      repository of this machine's headers (x86_64)

"Cold" is uapicheck's cache, not Python's: its bytecode is made first, as
pip makes it for an installed uapicheck.

Beside each figure: the load average when it was taken, and its ratio to
the cold snapshot of one arch and to gcc -fsyntax-only on every header
with as many jobs. The table is written at the top of bench/RESULTS.md
with the date, the machine and the commit (--no-record: not).

Data: shared/tools/fetch-debian-headers (--source for 3). A benchmark
whose data is missing is skipped with the reason. Nothing else is written
but temporary directories, which are removed.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UAPICHECK = [sys.executable, "-m", "uapicheck"]
EIGHT = "x86_64,i386,x32,aarch64,arm,riscv64,powerpc64le,s390x"


@dataclass
class Row:
    name: str
    wall: float
    mb: float  # peak RSS of the largest process; 0: not measured
    load: float  # 1-minute load average when it started
    note: str = ""


@dataclass
class Table:
    """Every figure of a run, and the two it is measured against."""

    rows: list[Row] = field(default_factory=list)
    one_arch: float | None = None  # uapicheck snapshot, 1 arch, cold
    gcc: float | None = None  # gcc -fsyntax-only, every header

    def ratios(self, wall: float) -> tuple[str, str]:
        return (f"{wall / self.one_arch:.2f}" if self.one_arch else "",
                f"{wall / self.gcc:.2f}" if self.gcc else "")

    def add(self, name: str, wall: float, mb: float, load: float, note: str = "") -> None:
        self.rows.append(Row(name, wall, mb, load, note))
        one, gcc = self.ratios(wall)
        print(f"  {name:<46} {wall:8.2f} s {mb:6.0f} MB  x1 arch {one:>5}  xgcc {gcc:>5}  load {load:4.2f}  {note}",
              flush=True)

    def markdown(self, jobs: int) -> str:
        lines = [f"## {datetime.date.today()}, commit {commit()}", "",
                 f"{machine()}; {jobs} jobs; Python {sys.version.split()[0]}", "",
                 "| benchmark | wall s | peak MB | x 1 arch | x gcc | load | note |",
                 "|---|---:|---:|---:|---:|---:|---|"]
        for r in self.rows:
            one, gcc = self.ratios(r.wall)
            lines.append(f"| {r.name} | {r.wall:.2f} | {r.mb:.0f} | {one} | {gcc} | {r.load:.2f} | {r.note} |")
        return "\n".join(lines) + "\n"


def commit() -> str:
    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True).stdout.strip()
    # the table's own file does not count: it changes with every recorded run
    dirty = git("status", "--porcelain", "--", ".", ":(exclude)bench/RESULTS.md")
    return git("rev-parse", "--short", "HEAD") + (" (with uncommitted changes)" if dirty else "")


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown CPU")
    mem = next((int(line.split()[1]) // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), 0)
    return f"{os.cpu_count()} cores (nproc {len(os.sched_getaffinity(0))}), {cpu}, {mem / 1024:.0f} GB RAM"


def record(table: Table, jobs: int) -> None:
    """The run's table at the top of bench/RESULTS.md, earlier runs below it."""
    path = ROOT / "bench" / "RESULTS.md"
    title = "# Benchmark results (bench/run.py), newest first\n\n"
    old = path.read_text() if path.exists() else title
    path.write_text(title + table.markdown(jobs) + "\n" + old.removeprefix(title))


def measure(cmd: list[str], env: dict[str, str] | None = None,
            cwd: str | None = None) -> tuple[float, float, int, float]:
    """Wall seconds, peak RSS in MB (of the command or the largest of its
    processes, through /usr/bin/time), exit status, and the load average
    when it started."""
    load = os.getloadavg()[0]
    timer = shutil.which("time") or "/usr/bin/time"
    start = time.perf_counter()
    with tempfile.NamedTemporaryFile("r") as out:
        done = subprocess.run([timer, "-o", out.name, "-f", "%M", *cmd], env={**os.environ, **(env or {})},
                              cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wall = time.perf_counter() - start
        lines = [x for x in out.read().split() if x.isdigit()]
    return wall, (int(lines[-1]) / 1024 if lines else 0.0), done.returncode, load


def headers_of(tree: Path) -> list[str]:
    out = []
    for d in ("linux", "asm-generic", "drm", "misc", "mtd", "rdma", "regulator", "scsi", "sound", "video", "xen"):
        out += [str(p.relative_to(tree)) for p in sorted((tree / d).rglob("*.h"))]
    return out


def gcc_all(tree: Path, flags: list[str], jobs: int) -> tuple[float, int, float]:
    """Compile every header alone with gcc, jobs at a time; wall time,
    failures, load average at the start."""
    names = headers_of(tree)
    tmp = tempfile.mkdtemp()

    def one(name: str) -> int:
        src = Path(tmp, name.replace("/", "_") + ".c")
        src.write_text(f"#include <{name}>\n")
        return subprocess.run(["gcc", *flags, "-I", str(tree / "x86_64-linux-gnu"), "-I", str(tree), str(src),
                               "-o", str(src) + ".o"], capture_output=True).returncode

    load = os.getloadavg()[0]
    start = time.perf_counter()
    with ThreadPoolExecutor(jobs) as pool:
        failed = sum(1 for rc in pool.map(one, names) if rc)
    wall = time.perf_counter() - start
    shutil.rmtree(tmp)
    return wall, failed, load


def tree(data: Path, version: str) -> Path | None:
    roots = sorted(data.glob(f"headers/{version}*/usr/include"))
    return roots[-1] if roots else None


def bench_snapshot(data: Path, jobs: int, rounds: int, table: Table) -> None:
    t = tree(data, "7.2")
    if t is None:
        print("1 snapshot: skipped (no Linux 7.2 headers; run shared/tools/fetch-debian-headers)")
        return
    print(f"1 snapshot of {t} ({len(headers_of(t))} headers besides asm/), {rounds} rounds")
    # the figures the ratios compare are taken in turns, each its median: a
    # virtual machine's speed drifts by a third within minutes
    colds: dict[str, list[tuple[float, float, int, float]]] = {"1": [], "8": []}
    warms: dict[str, tuple[float, float, int, float]] = {}
    syntax: list[tuple[float, int, float]] = []
    for n in range(rounds):
        for key, arches in (("1", "x86_64"), ("8", EIGHT)):
            with tempfile.TemporaryDirectory() as cache:
                env = {"XDG_CACHE_HOME": cache}
                cmd = [*UAPICHECK, "snapshot", str(t), "--arch", arches, "-q", "-j", str(jobs), "-o", os.devnull]
                colds[key].append(measure(cmd, env))
                if n == 0:
                    warms[key] = measure(cmd, env)
        syntax.append(gcc_all(t, ["-fsyntax-only"], jobs))
    one, eight = _median(colds["1"]), _median(colds["8"])
    g1 = sorted(syntax)[len(syntax) // 2]
    table.one_arch, table.gcc = one[0], g1[0]
    for key, label, cold in (("1", "1 arch (x86_64)", one), ("8", "8 arches", eight)):
        walls = sorted(c[0] for c in colds[key])
        spread = f"median of {rounds}, {walls[0]:.2f}-{walls[-1]:.2f} s" if rounds > 1 else ""
        # peak memory: the most of any round
        table.add(f"uapicheck snapshot, {label}, cold", cold[0], max(c[1] for c in colds[key]), cold[3], spread)
        warm = warms[key]
        table.add(f"uapicheck snapshot, {label}, warm", warm[0], warm[1], warm[3],
                  f"cold/warm {cold[0] / warm[0]:.1f}x")
        if key == "1":
            walls = sorted(g[0] for g in syntax)
            spread = f"median of {rounds}, {walls[0]:.2f}-{walls[-1]:.2f} s; " if rounds > 1 else ""
            table.add("gcc -fsyntax-only, every header, x86_64", g1[0], 0, g1[2], f"{spread}{g1[1]} failed")
            g2, failed, load = gcc_all(t, ["-g", "-c"], jobs)
            table.add("gcc -g -c, every header, x86_64", g2, 0, load, f"{failed} failed")


def _median(runs: list[tuple[float, float, int, float]]) -> tuple[float, float, int, float]:
    return sorted(runs)[len(runs) // 2]


def bench_diff(data: Path, jobs: int, table: Table) -> None:
    a, b = tree(data, "6.12"), tree(data, "7.2")
    if a is None or b is None:
        print("2 diff: skipped (needs Linux 6.12 and 7.2 headers)")
        return
    print("2 diff 6.12 -> 7.2, installed trees, x86_64 i386 aarch64 arm")
    with tempfile.TemporaryDirectory() as cache:
        cmd = [*UAPICHECK, "diff", str(a), str(b), "-q", "-j", str(jobs), "-o", os.devnull]
        cold = measure(cmd, {"XDG_CACHE_HOME": cache})
        warm = measure(cmd, {"XDG_CACHE_HOME": cache})
        page = Path(cache, "report.html")
        html = measure([*cmd[:-1], str(page), "--format", "html"], {"XDG_CACHE_HOME": cache})
        size = page.stat().st_size / 1e6
        render = chromium_render(page)
    table.add("uapicheck diff, cold", cold[0], cold[1], cold[3])
    table.add("uapicheck diff, warm", warm[0], warm[1], warm[3])
    table.add("uapicheck diff --format html, warm", html[0], html[1], html[3], f"{size:.1f} MB")
    if render is None:
        print("  chromium render: skipped (no chromium)")
    else:
        table.add("chromium --headless --screenshot of it", render[0], 0, render[1], "beyond a one-line page's")


def chromium_render(page: Path) -> tuple[float, float] | None:
    """Seconds headless Chromium takes to load, lay out and screenshot page,
    less what it takes for a one-line page (its start-up), best of three;
    and the load average before."""
    chromium = shutil.which("chromium")
    if chromium is None:
        return None
    load = os.getloadavg()[0]
    blank = page.with_name("blank.html")
    blank.write_text("<!DOCTYPE html><title>x</title><p>x")

    def shot(p: Path) -> float:
        with tempfile.TemporaryDirectory() as profile:
            return min(measure([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                                f"--user-data-dir={profile}", f"--screenshot={page.with_name('shot.png')}",
                                "--window-size=1400,1000", p.as_uri()])[0] for _ in range(3))
    return shot(page) - shot(blank), load


def bench_git(repo: Path | None, jobs: int, table: Table) -> None:
    if repo is None or not (repo / "scripts" / "check-uapi.sh").exists():
        print("3 git diff: skipped (give --repo, a kernel repository with tags v7.2 and v7.3)")
        return
    print(f"3 git diff v7.2 v7.3 in {repo}, x86_64")
    with tempfile.TemporaryDirectory() as cache:
        cmd = [*UAPICHECK, "diff", "v7.2", "v7.3", "--arch", "x86_64", "-q", "-j", str(jobs), "-o", os.devnull]
        cold = measure(cmd, {"XDG_CACHE_HOME": cache}, str(repo))
        warm = measure(cmd, {"XDG_CACHE_HOME": cache}, str(repo))
    table.add("uapicheck diff v7.2 v7.3, cold", cold[0], cold[1], cold[3])
    table.add("uapicheck diff v7.2 v7.3, warm", warm[0], warm[1], warm[3])
    abidiff = os.environ.get("ABIDIFF")
    if not abidiff:
        print("  check-uapi.sh: skipped (set ABIDIFF to an abidiff >= 2.4)")
        return
    with tempfile.TemporaryDirectory() as out:
        wall, mb, rc, load = measure(["bash", "scripts/check-uapi.sh", "-b", "v7.3", "-p", "v7.2", "-j", str(jobs),
                                      "-l", os.path.join(out, "log")], {"ABIDIFF": abidiff, "ARCH": "x86"}, str(repo))
    if rc in (0, 1):  # no ABI difference, or some
        note = f"exit {rc}; ratio to uapicheck cold {wall / cold[0]:.1f}x, warm {wall / warm[0]:.1f}x"
    else:  # 2: a prerequisite is missing (rsync, for headers_install): the time is not its work's
        note = f"exit {rc}: FAILED before comparing; not a figure (its log says why)"
    table.add("scripts/check-uapi.sh -b v7.3 -p v7.2", wall, mb, load, note)


GIT_ENV = {"GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@example.invalid", "GIT_COMMITTER_NAME": "b",
           "GIT_COMMITTER_EMAIL": "b@example.invalid"}
MOUNT = "include/uapi/linux/mount.h"


def respell(text: str) -> str:
    """mount.h with OPEN_TREE_CLONE spelt the other way (1, (1 << 0)): one changed line."""
    one, shift = "#define OPEN_TREE_CLONE\t\t1", "#define OPEN_TREE_CLONE\t\t(1 << 0)"
    return text.replace(one, shift) if one in text else text.replace(shift, one)


def small_repo(tmp: Path) -> tuple[Path, list[str]]:
    """A repository of this machine's headers as a kernel tree, mount.h changed and staged."""
    repo = Path(tmp, "linux")
    src = Path("/usr/include")
    for d in ("linux", "asm-generic"):
        shutil.copytree(src / d, repo / "include" / "uapi" / d)
    shutil.copytree(src / "x86_64-linux-gnu" / "asm", repo / "arch" / "x86" / "include" / "uapi" / "asm")
    git = ["git", "-C", str(repo)]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-q", "--no-verify", "--no-gpg-sign", "-m", "base"], check=True,
                   env={**os.environ, **GIT_ENV})
    mount = repo / MOUNT
    mount.write_text(respell(mount.read_text()))
    subprocess.run([*git, "add", "-A"], check=True)
    return repo, ["--arch", "x86_64"]


def kernel_clone(repo: Path, tmp: Path) -> tuple[Path, list[str]]:
    """A clone of repo sharing its objects, HEAD at v7.3 with nothing checked
    out, and mount.h changed in the index: all a pre-commit hook reads."""
    clone = Path(tmp, "linux")
    subprocess.run(["git", "clone", "-q", "--shared", "--no-checkout", str(repo), str(clone)], check=True)
    git = ["git", "-C", str(clone)]
    subprocess.run([*git, "update-ref", "--no-deref", "HEAD", "v7.3^{commit}"], check=True)
    subprocess.run([*git, "read-tree", "HEAD"], check=True)
    text = subprocess.run([*git, "show", f"HEAD:{MOUNT}"], check=True, capture_output=True, text=True).stdout
    blob = subprocess.run([*git, "hash-object", "-w", "--stdin"], input=respell(text), check=True,
                          capture_output=True, text=True).stdout.strip()
    subprocess.run([*git, "update-index", "--cacheinfo", f"100644,{blob},{MOUNT}"], check=True)
    return clone, []


def bench_hook(repo: Path | None, table: Table) -> None:
    where = f"a clone of {repo} at v7.3, default arches" if repo else "a small repository, x86_64"
    print(f"4 pre-commit hook, one changed header, in {where}")
    with tempfile.TemporaryDirectory() as tmp:
        work, arch = kernel_clone(repo, Path(tmp)) if repo else small_repo(Path(tmp))
        # warm as an installed hook is, its bytecode too (pip compiles it): the cold run
        # writes it, whatever PYTHONDONTWRITEBYTECODE or the tree's __pycache__ say
        env = {**GIT_ENV, "XDG_CACHE_HOME": str(Path(tmp, "cache")), "PYTHONPYCACHEPREFIX": str(Path(tmp, "pyc")),
               "PYTHONDONTWRITEBYTECODE": ""}
        cmd = [*UAPICHECK, "hook", MOUNT, *arch, "-j", "1"]
        cold = measure(cmd, env, str(work))
        warm = min((measure(cmd, env, str(work)) for _ in range(3)), key=lambda m: m[0])
    label = "kernel repository" if repo else "small repository"
    table.add(f"uapicheck hook, {label}, cold", cold[0], cold[1], cold[3])
    table.add(f"uapicheck hook, {label}, warm", warm[0], warm[1], warm[3], "best of 3")


@contextmanager
def compiled() -> Iterator[None]:
    """Runs of uapicheck, cold for its cache but not for Python: they read
    its bytecode, made first, as an installed uapicheck does (pip compiles
    it), whatever PYTHONDONTWRITEBYTECODE or the checkout's __pycache__ say
    (where stale, each process compiled a module again, each -j worker too)."""
    before = {k: os.environ.get(k) for k in ("PYTHONPYCACHEPREFIX", "PYTHONDONTWRITEBYTECODE")}
    with tempfile.TemporaryDirectory() as pyc:
        os.environ.update(PYTHONPYCACHEPREFIX=pyc, PYTHONDONTWRITEBYTECODE="")
        try:
            subprocess.run([sys.executable, "-c", "import compileall, os, uapicheck; "
                            "compileall.compile_dir(os.path.dirname(uapicheck.__file__), quiet=1)"], check=True)
            yield
        finally:
            for k, v in before.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=os.environ.get("UAPICHECK_DATA", os.path.expanduser("~/.cache/uapicheck-data")))
    ap.add_argument("--repo", help="a kernel git repository with tags v7.2 and v7.3")
    ap.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    ap.add_argument("--only", nargs="*", choices=["snapshot", "diff", "git", "hook"])
    ap.add_argument("--rounds", type=int, default=3,
                    help="cold snapshots of 1 and 8 arches and gcc -fsyntax-only, taken in turns (median)")
    ap.add_argument("--no-record", action="store_true", help="do not write bench/RESULTS.md")
    args = ap.parse_args()
    data = Path(args.data)
    repo = Path(args.repo) if args.repo else None
    only = set(args.only or ["snapshot", "diff", "git", "hook"])
    print(f"uapicheck benchmarks: {args.jobs} jobs, {machine()}, Python {sys.version.split()[0]}")
    table = Table()
    with compiled():
        if "snapshot" in only:
            bench_snapshot(data, args.jobs, args.rounds, table)
        if "diff" in only:
            bench_diff(data, args.jobs, table)
        if "git" in only:
            bench_git(repo, args.jobs, table)
    if "hook" in only:
        bench_hook(repo, table)
    if table.rows and not args.no_record:
        record(table, args.jobs)


if __name__ == "__main__":
    main()
