"""Hostile headers: every case ends in bounded time with a diagnostic that
names file and line, no traceback, the documented exit status, the other
headers still analysed, and nothing written but the requested output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

GOOD = "#define GOOD 1\nstruct good { int a; };\n"
TIMEOUT = 120


def exponential() -> str:
    lines = ["#define A0 x"] + [f"#define A{i} A{i - 1} A{i - 1}" for i in range(1, 40)]
    return "\n".join(lines) + "\n#define BOOM A39\nint v = BOOM;\n"


CASES: dict[str, tuple[dict[str, str | bytes], str]] = {
    # name: (files under linux/, a substring the diagnostics must contain)
    "exponential-expansion": ({"bad.h": exponential()}, "bad.h:"),
    "recursive-macros": ({"bad.h": "#define A A\n#define B C\n#define C B\nint a = A + B;\n"}, "bad.h:4"),
    "deep-include-chain": ({**{f"d{i}.h": f"#include <linux/d{i + 1}.h>\n" for i in range(300)},
                            "d300.h": "int deep;\n", "bad.h": "#include <linux/d0.h>\n"}, "exceeds maximum"),
    "include-cycle": ({"bad.h": "#include <linux/cyc.h>\n", "cyc.h": "#include <linux/bad.h>\n"}, "exceeds maximum"),
    "unterminated-comment": ({"bad.h": "int a; /* never closed\nint b;\n"}, "bad.h:1"),
    "unterminated-string": ({"bad.h": "int a;\nconst char *s = \"no end;\n"}, "bad.h:2"),
    "unterminated-if": ({"bad.h": "#if 1\nint a;\n"}, "bad.h:1"),
    "error-directive": ({"bad.h": "#error this header is not for you\n"}, "bad.h:1"),
    "not-utf8": ({"bad.h": b"#define X 1\n/* \xff\xfe */\nint a;\n"}, "bad.h:2"),
    "nul-bytes": ({"bad.h": b"int a;\x00\x00\nint b;\n"}, "bad.h:1"),
    "binary-file": ({"bad.h": bytes(range(256)) * 64}, "bad.h:"),
    "fifty-megabytes": ({"bad.h": b"/*" + b"x" * 50_000_000 + b"*/\nint a;\n"}, "too large"),
    "one-megabyte-line": ({"bad.h": "#define LONG " + "1+" * 500_000 + "1\nint a[LONG];\n"}, "bad.h:"),
    "bitfield-wider-than-type": ({"bad.h": "struct b { int x : 40; };\n"}, "bad.h:1"),
    "negative-array-size": ({"bad.h": "struct b { char a[-1]; };\n"}, "bad.h:1"),
    "aligned-3": ({"bad.h": "struct b { int a; } __attribute__((aligned(3)));\n"}, "bad.h:1"),
    "division-by-zero-in-if": ({"bad.h": "#if 1 / 0\nint a;\n#endif\n"}, "bad.h:1"),
    "division-by-zero-in-array": ({"bad.h": "struct b { char a[1 / 0]; };\n"}, "bad.h:1"),
    "enum-100000": ({"bad.h": "enum big {\n" + "".join(f"E{i},\n" for i in range(100_000)) + "};\n"}, ""),
    "nested-10000": ({"bad.h": "struct s0 {" + "".join(f" struct s{i} {{" for i in range(1, 10_000))
                      + " int x;" + " } m;" * 9_999 + " };\n"}, "bad.h:1"),
}


def run_case(tmp_path: Path, files: dict[str, str | bytes]) -> tuple[subprocess.CompletedProcess[str], dict]:
    root = tmp_path / "tree"
    (root / "linux").mkdir(parents=True)
    (root / "asm").mkdir()
    (root / "linux" / "good.h").write_text(GOOD)
    for name, data in files.items():
        p = root / "linux" / name
        p.write_bytes(data if isinstance(data, bytes) else data.encode())
    work = tmp_path / "work"
    work.mkdir()
    out = work / "snap.json"
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, "-m", "uapicheck", "snapshot", str(root), "--arch", "x86_64", "-o",
                           str(out), "-j", "1"], cwd=work, capture_output=True, text=True, timeout=TIMEOUT, env=env)
    assert sorted(p.name for p in work.iterdir()) == (["snap.json"] if out.exists() else []), "wrote elsewhere"
    snap = json.loads(out.read_text()) if out.exists() else {}
    return done, snap


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_hostile_header(tmp_path: Path, case: str) -> None:
    files, where = CASES[case]
    done, snap = run_case(tmp_path, files)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode in (0, 1), done.stderr
    headers = snap["arches"]["x86_64"]
    assert headers["linux/good.h"]["macros"]["GOOD"]["value"] == 1, "the good header was not analysed"
    bad = headers["linux/bad.h"]
    errors = [d for d in bad["diagnostics"] if d["severity"] == "error"]
    if case in ("recursive-macros", "enum-100000"):
        assert done.returncode == 0 and not errors, done.stderr  # valid C, just unusual
        return
    if case in ("not-utf8", "nul-bytes"):
        # GCC warns about both and goes on; so do we
        warnings = [d for d in bad["diagnostics"] if d["severity"] == "warning"]
        assert done.returncode == 0 and not errors and warnings, done.stderr
        assert any(where in f"{d['file']}:{d['line']}" for d in warnings), warnings
        return
    assert done.returncode == 1 and errors, done.stderr
    assert any(where in f"{d['file']}:{d['line']}" or where in d["message"] for d in errors), errors


def test_symlink_loop_fifo_and_directory_named_h(tmp_path: Path) -> None:
    root = tmp_path / "tree"
    (root / "linux" / "dir.h").mkdir(parents=True)
    (root / "asm").mkdir()
    (root / "linux" / "good.h").write_text(GOOD)
    (root / "linux" / "loop.h").symlink_to("loop.h")
    os.mkfifo(root / "linux" / "fifo.h")
    (root / "linux" / "uses.h").write_text("#include <linux/fifo.h>\n#include <linux/loop.h>\nint x;\n")
    done = subprocess.run([sys.executable, "-m", "uapicheck", "snapshot", str(root), "--arch", "x86_64", "-q",
                           "--no-cache"], capture_output=True, text=True, timeout=TIMEOUT)
    assert "Traceback" not in done.stderr and done.returncode == 1, done.stderr
    headers = json.loads(done.stdout)["arches"]["x86_64"]
    assert headers["linux/good.h"]["macros"]["GOOD"]["value"] == 1
    messages = [d["message"] for d in headers["linux/uses.h"]["diagnostics"]]
    assert any("fifo.h" in m and "not a regular file" in m for m in messages), messages
    assert any("loop.h" in m for m in messages), messages


def test_empty_tree(tmp_path: Path) -> None:
    (tmp_path / "linux").mkdir()
    (tmp_path / "asm").mkdir()
    done = subprocess.run([sys.executable, "-m", "uapicheck", "snapshot", str(tmp_path), "--arch", "x86_64",
                           "--no-cache"], capture_output=True, text=True, timeout=TIMEOUT)
    assert done.returncode == 0 and json.loads(done.stdout)["arches"] == {"x86_64": {}}
    assert done.stderr.endswith("0 headers on x86_64: 0 errors\n")
