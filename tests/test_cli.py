"""The command line, end to end, with exact output."""

from __future__ import annotations

import json
from pathlib import Path

from support.linux70 import MOUNT_NEW, MOUNT_OLD, TYPES
from support.trees import installed
from uapicheck.cli import run


def test_diff_findings_and_change_list(tmp_path: Path, capsys) -> None:
    installed(tmp_path / "old", {"linux/types.h": TYPES, "linux/mount.h": MOUNT_OLD})
    installed(tmp_path / "new", {"linux/types.h": TYPES, "linux/mount.h": MOUNT_NEW})
    args = ["diff", str(tmp_path / "old"), str(tmp_path / "new"), "--arch", "x86_64,i386", "-q"]
    assert run(args) == 1  # an error: glibc 2.36 copies the old spelling
    out = capsys.readouterr().out.replace(str(tmp_path), "T")
    assert out == (
        "T/new/linux/mount.h:3:9: error: macro 'OPEN_TREE_CLONE' changed token form from '1' to '(1 << 0)' "
        "(value 1 unchanged); glibc 2.36's <sys/mount.h> defines it as '1' too [UA103]\n"
        "T/old/linux/mount.h:3:9: note: the old definition was here\n"
        "T/new/linux/mount.h:3:9: note: who breaks: the build of glibc 2.36 and every program that includes "
        "<sys/mount.h> and <linux/mount.h>: GCC says \"'OPEN_TREE_CLONE' redefined\", an error under -Werror\n"
        "T/new/linux/mount.h:3:9: note: glibc 2.41 to 2.44's <sys/mount.h> is not affected: it includes "
        "<linux/mount.h>'s definition first and guards its copy\n"
        "T/new/linux/mount.h:3:9: note: fix: keep the old spelling: #define OPEN_TREE_CLONE 1\n"
        "1 error, 0 warnings, 0 notes in 1 header on x86_64, i386 (0 suppressed)\n"
    )
    assert run([*args, "--changes"]) == 1
    out = capsys.readouterr().out.replace(str(tmp_path), "T")
    assert out == (
        "T/new/linux/mount.h:4: note: macro 'OPEN_TREE_NAMESPACE' added as '(1 << 1)' [macro-added]\n"
        "T/new/linux/mount.h:3: warning: macro 'OPEN_TREE_CLONE' changed token form from '1' to '(1 << 0)' "
        "(value 1 unchanged) [macro-token-form-changed]\n"
        "T/old/linux/mount.h:3: note: the old definition was here\n"
        "2 changes (1 changed, 1 added) in 1 headers on x86_64, i386\n"
    )


def test_snapshot_roundtrip_diffs_clean(tmp_path: Path, capsys) -> None:
    installed(tmp_path / "t", {"linux/types.h": TYPES, "linux/mount.h": MOUNT_OLD})
    out = tmp_path / "s.json"
    assert run(["snapshot", str(tmp_path / "t"), "--arch", "x86_64", "-o", str(out), "-q"]) == 0
    data = json.loads(out.read_text())
    assert data["schema"] == "uapicheck-snapshot/2"
    assert data["arches"]["x86_64"]["linux/mount.h"]["macros"]["OPEN_TREE_CLONE"]["value"] == 1
    assert run(["diff", str(out), str(tmp_path / "t"), "--arch", "x86_64", "-q", "--changes"]) == 0
    assert capsys.readouterr().out == "no changes on x86_64\n"


def test_bad_header_is_a_diagnostic_and_the_others_are_still_checked(tmp_path: Path, capsys) -> None:
    installed(tmp_path / "t", {"linux/types.h": TYPES, "linux/mount.h": MOUNT_OLD,
                          "linux/bad.h": "struct x { int a }\n", "linux/worse.h": "#if 1\n"})
    out = tmp_path / "s.json"
    code = run(["snapshot", str(tmp_path / "t"), "--arch", "x86_64", "-o", str(out)])
    err = capsys.readouterr().err.replace(str(tmp_path), "T")
    assert code == 1
    assert "T/t/linux/bad.h:1:18: error: cannot parse:" in err
    assert "T/t/linux/worse.h:1:2: error: unterminated #if [preprocess]" in err
    data = json.loads(out.read_text())
    assert "OPEN_TREE_CLONE" in data["arches"]["x86_64"]["linux/mount.h"]["macros"]


def test_usage_errors_exit_2(tmp_path: Path, capsys) -> None:
    assert run(["diff", str(tmp_path / "nope"), str(tmp_path), "-q"]) == 2
    assert "no such file or directory" in capsys.readouterr().err
    assert run(["snapshot", str(tmp_path), "--arch", "vax"]) == 2


def test_layout_dump_shows_holes_and_padding(tmp_path: Path, capsys) -> None:
    installed(tmp_path / "t", {"linux/types.h": TYPES,
                          "linux/s.h": "#include <linux/types.h>\nstruct s { __u32 a; __u64 b; __u32 c; };\n"})
    assert run(["layout", "struct s", str(tmp_path / "t"), "--arch", "x86_64", "--arch", "i386"]) == 0
    out = capsys.readouterr().out
    assert out.split("/* linux/s.h:2 on i386 */")[0].count("XXX 4 bytes hole") == 1
    x86_64, i386 = out.split("/* linux/s.h:2 on i386 */")
    assert x86_64.startswith("/* linux/s.h:2 on x86_64 */")
    assert "/* size: 24, align: 8, members: 3 */" in x86_64 and "/* padding: 4 */" in x86_64
    assert "/* size: 16, align: 4, members: 3 */" in i386
