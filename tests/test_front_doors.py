"""The command line as its users run it: mistakes are one clear line and
exit status 2, files are written where and as asked, plain asm/ trees say
which arch they are, Ctrl-C is one line, the same input gives the same
bytes, and the text report can be scanned."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from support.linux70 import MOUNT_NEW, MOUNT_OLD, TYPES
from support.trees import installed, write
from uapicheck.cli import run

ROOT = Path(__file__).resolve().parent.parent


def uapicheck(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None
              ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "uapicheck", *args], capture_output=True, text=True, cwd=cwd,
                          env={**os.environ, **(env or {})})


@pytest.fixture
def trees(tmp_path: Path) -> tuple[Path, Path]:
    old = tmp_path / "old"
    new = tmp_path / "new"
    installed(old, {"linux/types.h": TYPES, "linux/mount.h": MOUNT_OLD})
    installed(new, {"linux/types.h": TYPES, "linux/mount.h": MOUNT_NEW})
    return old, new


# ---------------------------------------------------------------- mistakes: exit 2, one line naming the argument

def test_output_is_checked_before_any_work(trees: tuple[Path, Path], tmp_path: Path, capsys) -> None:
    old, new = trees
    (tmp_path / "a-file").write_text("")
    assert run(["diff", str(old), str(new), "-q", "-o", str(tmp_path / "a-file" / "out.txt")]) == 2
    assert capsys.readouterr().err.startswith(f"uapicheck: error: -o {tmp_path}/a-file/out.txt: cannot write in")
    assert run(["diff", str(old), str(new), "-q", "-o", str(tmp_path)]) == 2
    assert "is a directory" in capsys.readouterr().err


def test_output_folders_are_made_and_the_umask_is_honoured(trees: tuple[Path, Path], tmp_path: Path) -> None:
    old, new = trees
    mask = os.umask(0o022)
    try:
        assert run(["diff", str(old), str(new), "-q", "--arch", "x86_64", "-o", str(tmp_path / "no" / "dir" / "r.txt")]
                   ) == 1
        assert run(["snapshot", str(old), "--arch", "x86_64", "-q", "-o", str(tmp_path / "s" / "snap.json")]) == 0
        assert run(["baseline", "record", str(old), str(new), "--arch", "x86_64", "-q", "-o",
                    str(tmp_path / "b" / "base.json")]) == 0
    finally:
        os.umask(mask)
    for made in ("no/dir/r.txt", "s/snap.json", "b/base.json"):
        assert (tmp_path / made).stat().st_mode & 0o777 == 0o644, made


def test_sides_that_are_not_what_they_seem(trees: tuple[Path, Path], tmp_path: Path, capsys) -> None:
    old, _ = trees
    (tmp_path / "passwd").write_text("root:x:0:0:root:/root:/bin/bash\n")
    assert run(["diff", str(tmp_path / "passwd"), str(old), "-q"]) == 2
    assert "not a uapicheck-snapshot/2 file (not JSON: Expecting value at line 1)" in capsys.readouterr().err
    snap = tmp_path / "snap.json"
    assert run(["snapshot", str(old), "--arch", "x86_64", "-q", "-o", str(snap)]) == 0
    data = json.loads(snap.read_text())
    del data["arches"]["x86_64"]["linux/mount.h"]["path"]
    snap.write_text(json.dumps(data))
    assert run(["diff", str(snap), str(old), "-q", "--arch", "x86_64"]) == 2
    assert ("malformed snapshot: arches.x86_64.linux/mount.h has no 'path'; record it again"
            in capsys.readouterr().err)
    data["schema"] = "uapicheck-snapshot/1"  # written before canon told char from unsigned char
    snap.write_text(json.dumps(data))
    assert run(["diff", str(snap), str(old), "-q", "--arch", "x86_64"]) == 2
    assert (f"{snap}: a uapicheck-snapshot/1 file, from another version of uapicheck; this one reads "
            "uapicheck-snapshot/2: make it again with this one" in capsys.readouterr().err)


def test_a_header_glob_that_matches_nothing(trees: tuple[Path, Path], capsys) -> None:
    old, new = trees
    assert run(["diff", str(old), str(new), "-q", "--header", "linux/nosuch*"]) == 2
    assert "--header 'linux/nosuch*': matches no header of either side" in capsys.readouterr().err
    assert run(["snapshot", str(old), "-q", "--header", "nosuch.h", "-o", os.devnull]) == 2


def test_a_parse_failure_has_its_line_and_gccs_words(tmp_path: Path, capsys) -> None:
    # a name no C library defines either (size_t would be read after <stddef.h>)
    installed(tmp_path / "t", {"linux/sysctl.h": "struct args {\n\tint *name;\n\tkernel_size_t *oldlenp;\n};\n"})
    assert run(["snapshot", str(tmp_path / "t"), "--arch", "x86_64", "-o", os.devnull]) == 1
    assert (f"{tmp_path}/t/linux/sysctl.h:3:2: error: cannot parse: unknown type name 'kernel_size_t' [parse]"
            in capsys.readouterr().err)


def test_arch_names_as_toolchains_spell_them(trees: tuple[Path, Path], capsys) -> None:
    old, new = trees
    assert run(["diff", str(old), str(new), "-q", "--arch", "AMD64,arm64", "--arch", "armhf", "--arch", "ppc64el",
                "--fail-on", "never"]) == 0
    assert capsys.readouterr().out.splitlines()[-1].endswith("on x86_64, aarch64, arm, powerpc64le (0 suppressed)")
    assert run(["diff", str(old), str(new), "-q", "--arch", "ALL", "--fail-on", "never"]) == 0
    assert "on x86_64, i386, x32, aarch64, arm, riscv64, powerpc64le, s390x, mips" in capsys.readouterr().out
    assert run(["diff", str(old), str(new), "-q", "--arch", "vax"]) == 2
    assert "unknown architecture 'vax'" in capsys.readouterr().err


def test_rules_by_code_prefix_and_name_in_any_case(capsys) -> None:
    assert run(["rules", "ua103"]) == 0
    assert capsys.readouterr().out.startswith("UA103 macro-token-form-changed (default severity: warning)")
    assert run(["rules", "UA1"]) == 0
    codes = [line.split()[0] for line in capsys.readouterr().out.splitlines()]
    assert codes and all(c.startswith("UA1") for c in codes) and "UA103" in codes
    assert run(["rules", "Macro-Token-Form-Changed"]) == 0
    assert run(["rules", "UA9"]) == 2


# ---------------------------------------------------------------- a plain asm/ tree is one arch

def test_a_plain_asm_tree_is_one_arch(tmp_path: Path, capsys) -> None:
    tree = tmp_path / "x86"
    installed(tree, {"linux/types.h": TYPES})
    for name in ("stat.h", "bootparam.h", "types.h"):
        shutil.copy(f"/usr/include/x86_64-linux-gnu/asm/{name}", tree / "asm" / name)
    assert run(["layout", "struct stat", str(tree), "--header", "asm/stat.h", "--arch", "arm64"]) == 2
    assert ("its asm/ headers are the x86 kernel arch's (asm/bootparam.h), not aarch64's: use --arch x86_64, "
            "i386, x32" in capsys.readouterr().err)
    assert run(["diff", str(tree), str(tree), "--fail-on", "never"]) == 0  # default arches: the x86 ones only
    captured = capsys.readouterr()
    assert f"{tree}: no asm/ headers for aarch64, arm; checking x86_64, i386" in captured.err
    assert captured.out.splitlines()[-1].endswith("on x86_64, i386 (0 suppressed)")


def test_a_plain_asm_tree_no_marker_places_needs_one_arch(tmp_path: Path, capsys) -> None:
    tree = tmp_path / "unknown"
    installed(tree, {"linux/types.h": TYPES, "asm/only.h": "#define ONLY 1\n"})
    assert run(["snapshot", str(tree), "-o", os.devnull, "-q"]) == 2
    assert "its asm/ headers say no arch of theirs; give --arch" in capsys.readouterr().err
    assert run(["snapshot", str(tree), "-o", os.devnull, "-q", "--arch", "riscv64"]) == 0


# ---------------------------------------------------------------- Ctrl-C

@pytest.mark.skipif(not Path("/usr/include/linux/mount.h").exists(), reason="needs the machine's kernel headers")
def test_ctrl_c_is_one_line_and_130_with_workers(tmp_path: Path) -> None:
    proc = subprocess.Popen([sys.executable, "-m", "uapicheck", "snapshot", "/usr/include", "--arch", "x86_64,i386",
                             "-j", "2", "--no-cache", "-q", "-o", str(tmp_path / "s.json")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
                            # as a terminal's foreground job: a shell's background job ignores SIGINT
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    time.sleep(3)  # the workers are busy by now
    os.killpg(proc.pid, signal.SIGINT)  # as a terminal does: the whole process group
    out, err = proc.communicate(timeout=60)
    assert (proc.returncode, err) == (130, "uapicheck: interrupted\n")
    assert not (tmp_path / "s.json").exists()


# ---------------------------------------------------------------- the same input, the same bytes

def test_the_same_bytes_whatever_the_seed_jobs_and_cache(tmp_path: Path) -> None:
    many = "".join(f"#define FLAG_{i} (1 << {i % 30})\n" for i in range(40))
    enum = "enum e { A, B, C, NUM_E, __E_AFTER = NUM_E, };\n"
    old = {"linux/types.h": TYPES, "linux/a.h": many + enum + "struct s { int a; union { int b; int c; }; };\n"}
    new = {"linux/types.h": TYPES, "linux/a.h": many.replace("1 <<", "1U <<") + enum.replace("C,", "C, D,")
           + "struct s { int a; union { int b; int c; int d; int e; }; };\n"}
    for side, files in (("old", old), ("new", new)):
        write(tmp_path / side, files)
        (tmp_path / side / "asm").mkdir()
    outputs = set()
    for seed, jobs, cache in (("0", "1", "c1"), ("1", "2", "c1"), ("2", "2", "c2"), ("3", "1", "c1")):
        env = {"PYTHONHASHSEED": seed, "XDG_CACHE_HOME": str(tmp_path / cache)}
        texts = []
        for fmt in ("text", "json", "sarif", "html"):
            done = uapicheck("diff", "old", "new", "--format", fmt, "-j", jobs, "-q", "--arch", "x86_64,i386",
                             cwd=tmp_path, env=env)
            assert done.returncode in (0, 1), done.stderr
            texts.append(done.stdout)
        outputs.add(tuple(texts))
    assert len(outputs) == 1


# ---------------------------------------------------------------- output people scan

def test_show_hides_lower_severities_and_rules_are_counted(tmp_path: Path, capsys) -> None:
    installed(tmp_path / "old", {"linux/a.h": "#define OPEN_TREE_CLONE 1\n#define TEST_A 1\n"})
    installed(tmp_path / "new", {"linux/a.h": "#define OPEN_TREE_CLONE (1 << 0)\n#define TEST_A (1 << 0)\n"
                                              "struct added { int a; };\n"})
    assert run(["diff", str(tmp_path / "old"), str(tmp_path / "new"), "-q", "--arch", "x86_64", "--show", "error",
                "--fail-on", "never"]) == 0
    out = capsys.readouterr().out
    assert "error: macro 'OPEN_TREE_CLONE' changed token form" in out and ": warning: " not in out
    assert ": note: 'struct added' added" not in out
    assert out.splitlines()[-5:] == [
        "    1 error    UA103 macro-token-form-changed",
        "    1 warning  UA103 macro-token-form-changed",
        "    1 note     UA216 type-added",
        "(1 warning and 1 note not shown; --show note shows them)",
        "1 error, 1 warning, 1 note in 1 header on x86_64 (0 suppressed)"]


def test_colour_as_gcc_on_request_and_never_in_a_pipe(trees: tuple[Path, Path]) -> None:
    old, new = trees
    coloured = uapicheck("diff", str(old), str(new), "-q", "--arch", "x86_64", "--color", "always")
    assert "\033[1;31merror:\033[0m" in coloured.stdout and "\033[1;36mnote:\033[0m" in coloured.stdout
    plain = uapicheck("diff", str(old), str(new), "-q", "--arch", "x86_64")
    assert "\033[" not in plain.stdout
    assert "\033[" not in uapicheck("diff", str(old), str(new), "-q", "--arch", "x86_64", "--color", "auto",
                                    env={"NO_COLOR": "1"}).stdout


def test_layout_writes_c_and_groups_identical_arches(tmp_path: Path, capsys) -> None:
    installed(tmp_path / "t", {"linux/types.h": TYPES,
                               "linux/f.h": "#include <linux/types.h>\nstruct f { __u32 n; __u8 *p; char end[]; };\n"})
    assert run(["layout", "struct f", str(tmp_path / "t"), "--arch", "x86_64,aarch64,riscv64,i386"]) == 0
    out = capsys.readouterr().out
    assert "/* linux/f.h:2 on x86_64, aarch64, riscv64 */" in out and "/* linux/f.h:2 on i386 */" in out
    assert "\tchar                     end[];" in out and "\t__u8                     *p;" in out
    assert out.count("struct f {") == 2


def test_progress_bar_with_rate_and_time_left(monkeypatch: pytest.MonkeyPatch) -> None:
    from io import StringIO

    from uapicheck.commands import Meter

    class Terminal(StringIO):
        def isatty(self) -> bool:
            return True

    err = Terminal()
    monkeypatch.setattr(sys, "stderr", err)
    meter = Meter(True)
    for i in range(1, 4):
        meter(i, 3, f"x86_64 linux/h{i}.h")
    text = err.getvalue()
    assert "3/3" in text and "headers/s" in text and "linux/h3.h" in text


def test_output_through_a_pipe_is_whole_and_a_reader_that_left_is_no_error(trees: tuple[Path, Path],
                                                                             tmp_path: Path) -> None:
    """The process ends without freeing what it made (os._exit): what it
    printed is flushed first, and a reader that closed the pipe before the
    last flush (| head) gets no traceback and no 'Exception ignored' line."""
    old, new = trees
    buffered = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # as a user's shell has it

    def run_piped(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "uapicheck", *args], capture_output=True, text=True,
                              env=buffered)

    whole = run_piped("snapshot", str(new), "--arch", "x86_64", "-q", "--no-cache")
    assert whole.returncode == 0 and json.loads(whole.stdout)["arches"]["x86_64"]
    written = tmp_path / "snap.json"
    assert run_piped("snapshot", str(new), "--arch", "x86_64", "-q", "--no-cache", "-o", str(written)).returncode == 0
    assert written.read_text() == whole.stdout
    report = run_piped("diff", str(old), str(new), "--no-cache")
    assert report.returncode == 1 and "OPEN_TREE_CLONE" in report.stdout
    cmd = [sys.executable, "-m", "uapicheck", "diff", str(old), str(new), "--no-cache"]
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=buffered) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.close()  # the reader leaves before the report (less than a buffer) is flushed
        errors = proc.stderr.read().decode()
        assert proc.wait(timeout=120) == 1  # findings, as if it had been read
    assert "Traceback" not in errors and "Exception ignored" not in errors and "BrokenPipe" not in errors, errors
