#!/usr/bin/env python3
"""uapicheck's benchmarks: wall time and peak memory, cold and warm cache,
beside the nearest alternative run on the same machine in the same run.

    bench/run.py [--data DIR] [--repo PATH] [--jobs N] [--only NAME ...]

1 snapshot of Debian's Linux 7.2 headers, one arch and eight
      against gcc -fsyntax-only and gcc -g -c on every header
2 diff of the 6.12 and 7.2 installed trees (x86_64, i386, aarch64, arm);
      the HTML report of it: size, and render time in headless Chromium
3 diff v7.2 v7.3 in a kernel git repository (--repo; x86_64)
      against scripts/check-uapi.sh -b v7.3 -p v7.2 (needs ABIDIFF >= 2.4)
4 the pre-commit hook on one changed header, warm

Data: shared/tools/fetch-debian-headers (--source for 3). A benchmark
whose data is missing is skipped with the reason. Nothing is written but
temporary directories, which are removed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UAPICHECK = [sys.executable, "-m", "uapicheck"]
EIGHT = "x86_64,i386,x32,aarch64,arm,riscv64,powerpc64le,s390x"


def measure(cmd: list[str], env: dict[str, str] | None = None, cwd: str | None = None) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MB (the command's own, through /usr/bin/time), exit status."""
    timer = shutil.which("time") or "/usr/bin/time"
    start = time.perf_counter()
    with tempfile.NamedTemporaryFile("r") as out:
        done = subprocess.run([timer, "-o", out.name, "-f", "%M", *cmd], env={**os.environ, **(env or {})},
                              cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wall = time.perf_counter() - start
        lines = [x for x in out.read().split() if x.isdigit()]
    return wall, (int(lines[-1]) / 1024 if lines else 0.0), done.returncode


def row(name: str, wall: float, mb: float, note: str = "") -> None:
    print(f"  {name:<46} {wall:8.2f} s {mb:8.0f} MB  {note}")


def headers_of(tree: Path) -> list[str]:
    out = []
    for d in ("linux", "asm-generic", "drm", "misc", "mtd", "rdma", "regulator", "scsi", "sound", "video", "xen"):
        out += [str(p.relative_to(tree)) for p in sorted((tree / d).rglob("*.h"))]
    return out


def gcc_all(tree: Path, flags: list[str], jobs: int) -> tuple[float, int]:
    """Compile every header alone with gcc, jobs at a time; wall time, failures."""
    names = headers_of(tree)
    tmp = tempfile.mkdtemp()

    def one(name: str) -> int:
        src = Path(tmp, name.replace("/", "_") + ".c")
        src.write_text(f"#include <{name}>\n")
        return subprocess.run(["gcc", *flags, "-I", str(tree / "x86_64-linux-gnu"), "-I", str(tree), str(src),
                               "-o", str(src) + ".o"], capture_output=True).returncode

    start = time.perf_counter()
    with ThreadPoolExecutor(jobs) as pool:
        failed = sum(1 for rc in pool.map(one, names) if rc)
    wall = time.perf_counter() - start
    shutil.rmtree(tmp)
    return wall, failed


def tree(data: Path, version: str) -> Path | None:
    roots = sorted(data.glob(f"headers/{version}*/usr/include"))
    return roots[-1] if roots else None


def bench_snapshot(data: Path, jobs: int) -> None:
    t = tree(data, "7.2")
    if t is None:
        print("1 snapshot: skipped (no Linux 7.2 headers; run shared/tools/fetch-debian-headers)")
        return
    print(f"1 snapshot of {t} ({len(headers_of(t))} headers besides asm/)")
    for label, arches in (("1 arch (x86_64)", "x86_64"), ("8 arches", EIGHT)):
        with tempfile.TemporaryDirectory() as cache:
            env = {"XDG_CACHE_HOME": cache}
            cmd = [*UAPICHECK, "snapshot", str(t), "--arch", arches, "-q", "-j", str(jobs), "-o", os.devnull]
            cold = measure(cmd, env)
            warm = measure(cmd, env)
        row(f"uapicheck snapshot, {label}, cold", cold[0], cold[1])
        row(f"uapicheck snapshot, {label}, warm", warm[0], warm[1], f"cold/warm {cold[0] / warm[0]:.1f}x")
        if label.startswith("1"):
            g1, failed = gcc_all(t, ["-fsyntax-only"], jobs)
            row("gcc -fsyntax-only, every header, x86_64", g1, 0, f"{failed} failed; ratio to uapicheck cold "
                f"{g1 / cold[0]:.2f}x, warm {g1 / warm[0]:.1f}x")
            g2, failed = gcc_all(t, ["-g", "-c"], jobs)
            row("gcc -g -c, every header, x86_64", g2, 0, f"{failed} failed; ratio to uapicheck cold "
                f"{g2 / cold[0]:.2f}x, warm {g2 / warm[0]:.1f}x")


def bench_diff(data: Path, jobs: int) -> None:
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
    row("uapicheck diff, cold", cold[0], cold[1])
    row("uapicheck diff, warm", warm[0], warm[1])
    row("uapicheck diff --format html, warm", html[0], html[1], f"{size:.1f} MB")
    if render is None:
        print("  chromium render: skipped (no chromium)")
    else:
        row("chromium --headless --screenshot of it", render, 0, "beyond a one-line page's")


def chromium_render(page: Path) -> float | None:
    """Seconds headless Chromium takes to load, lay out and screenshot page,
    less what it takes for a one-line page (its start-up), best of three."""
    chromium = shutil.which("chromium")
    if chromium is None:
        return None
    blank = page.with_name("blank.html")
    blank.write_text("<!DOCTYPE html><title>x</title><p>x")

    def shot(p: Path) -> float:
        with tempfile.TemporaryDirectory() as profile:
            return min(measure([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                                f"--user-data-dir={profile}", f"--screenshot={page.with_name('shot.png')}",
                                "--window-size=1400,1000", p.as_uri()])[0] for _ in range(3))
    return shot(page) - shot(blank)


def bench_git(repo: Path | None, jobs: int) -> None:
    if repo is None or not (repo / "scripts" / "check-uapi.sh").exists():
        print("3 git diff: skipped (give --repo, a kernel repository with tags v7.2 and v7.3)")
        return
    print(f"3 git diff v7.2 v7.3 in {repo}, x86_64")
    with tempfile.TemporaryDirectory() as cache:
        cmd = [*UAPICHECK, "diff", "v7.2", "v7.3", "--arch", "x86_64", "-q", "-j", str(jobs), "-o", os.devnull]
        cold = measure(cmd, {"XDG_CACHE_HOME": cache}, str(repo))
        warm = measure(cmd, {"XDG_CACHE_HOME": cache}, str(repo))
    row("uapicheck diff v7.2 v7.3, cold", cold[0], cold[1])
    row("uapicheck diff v7.2 v7.3, warm", warm[0], warm[1])
    abidiff = os.environ.get("ABIDIFF")
    if not abidiff:
        print("  check-uapi.sh: skipped (set ABIDIFF to an abidiff >= 2.4)")
        return
    with tempfile.TemporaryDirectory() as out:
        wall, mb, rc = measure(["bash", "scripts/check-uapi.sh", "-b", "v7.3", "-p", "v7.2", "-j", str(jobs),
                                "-l", os.path.join(out, "log")], {"ABIDIFF": abidiff, "ARCH": "x86"}, str(repo))
    row("scripts/check-uapi.sh -b v7.3 -p v7.2", wall, mb, f"exit {rc}; ratio to uapicheck cold "
        f"{wall / cold[0]:.1f}x, warm {wall / warm[0]:.1f}x")


def bench_hook(jobs: int) -> None:
    print("4 pre-commit hook, one changed header, warm")
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp, "linux")
        env = {"GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@example.invalid", "GIT_COMMITTER_NAME": "b",
               "GIT_COMMITTER_EMAIL": "b@example.invalid", "XDG_CACHE_HOME": str(Path(tmp, "cache"))}
        src = Path("/usr/include")
        for d in ("linux", "asm-generic"):
            shutil.copytree(src / d, repo / "include" / "uapi" / d)
        shutil.copytree(src / "x86_64-linux-gnu" / "asm", repo / "arch" / "x86" / "include" / "uapi" / "asm")
        git = ["git", "-C", str(repo)]
        subprocess.run([*git, "init", "-q"], check=True)
        subprocess.run([*git, "add", "-A"], check=True)
        subprocess.run([*git, "commit", "-q", "--no-verify", "--no-gpg-sign", "-m", "base"], check=True,
                       env={**os.environ, **env})
        mount = repo / "include" / "uapi" / "linux" / "mount.h"
        mount.write_text(mount.read_text().replace("#define OPEN_TREE_CLONE\t\t1", "#define OPEN_TREE_CLONE (1 << 0)"))
        subprocess.run([*git, "add", "-A"], check=True)
        cmd = [*UAPICHECK, "hook", "include/uapi/linux/mount.h", "--arch", "x86_64", "-j", "1"]
        cold = measure(cmd, env, str(repo))
        warm = measure(cmd, env, str(repo))
    row("uapicheck hook, cold", cold[0], cold[1])
    row("uapicheck hook, warm", warm[0], warm[1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=os.environ.get("UAPICHECK_DATA", os.path.expanduser("~/.cache/uapicheck-data")))
    ap.add_argument("--repo", help="a kernel git repository with tags v7.2 and v7.3")
    ap.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    ap.add_argument("--only", nargs="*", choices=["snapshot", "diff", "git", "hook"])
    args = ap.parse_args()
    data = Path(args.data)
    only = set(args.only or ["snapshot", "diff", "git", "hook"])
    print(f"uapicheck benchmarks: {args.jobs} jobs, {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    if "snapshot" in only:
        bench_snapshot(data, args.jobs)
    if "diff" in only:
        bench_diff(data, args.jobs)
    if "git" in only:
        bench_git(Path(args.repo) if args.repo else None, args.jobs)
    if "hook" in only:
        bench_hook(args.jobs)


if __name__ == "__main__":
    main()
