"""rules/libc-copies.toml is what scripts/libc-copies reads from real C
library headers: checked against this machine's glibc on a few headers,
and, with UAPICHECK_REAL_TREES=1 and the fetched trees, regenerated whole."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from uapicheck import tomlfile
from uapicheck.checks.copies import libc_copies

from support.trees import own_kernel

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "libc-copies"
SHIPPED = ROOT / "uapicheck" / "ruledata" / "libc-copies.toml"
NAMES = ROOT / "uapicheck" / "ruledata" / "libc-names.toml"
DATA = Path(os.environ.get("UAPICHECK_DATA", os.path.expanduser("~/.cache/uapicheck-data")))


def glibc_version(root: Path) -> str | None:
    features = root / "features.h"
    if not features.is_file():
        return None
    text = features.read_text(errors="replace")
    major = re.search(r"#define\s+__GLIBC__\s+(\d+)", text)
    minor = re.search(r"#define\s+__GLIBC_MINOR__\s+(\d+)", text)
    return f"{major.group(1)}.{minor.group(1)}" if major and minor else None


@pytest.mark.skipif(glibc_version(Path("/usr/include")) not in ("2.36", "2.41", "2.43", "2.44"),
                    reason="this machine's glibc is not one the shipped data was generated from")
def test_this_machines_glibc_copies_are_shipped(tmp_path: Path) -> None:
    version = glibc_version(Path("/usr/include"))
    kernel = own_kernel(tmp_path)
    out = tmp_path / "copies.toml"
    headers = ["sys/mount.h", "fcntl.h", "netinet/in.h", "elf.h", "sys/prctl.h", "net/if.h"]
    subprocess.run([sys.executable, str(SCRIPT), "--libc", f"glibc={version}=/usr/include", "--kernel",
                    str(kernel), *[a for h in headers for a in ("--header", h)], "-o", str(out), "--names-output",
                    str(tmp_path / "names.toml")], check=True, capture_output=True)
    found = tomlfile.load(out)["copies"]
    assert sum(len(g["macros"]) for g in found) > 200, "too few copies found to be a check"
    missing = []
    for g in found:
        for name, spelling in g["macros"].items():
            if not any(c.library == "glibc" and version in c.versions and c.spelling == spelling
                       and c.guarded == g["guarded"] and c.kernel_first == g["kernel-first"]
                       for c in libc_copies(name)):
                missing.append(f"{name} = {spelling!r} ({g['header']}, guarded {g['guarded']})")
    assert not missing, f"{len(missing)} copies of glibc {version} not in {SHIPPED.name}:\n" + "\n".join(missing)


@pytest.mark.skipif(not os.environ.get("UAPICHECK_REAL_TREES"), reason="set UAPICHECK_REAL_TREES=1 (minutes)")
def test_regenerated_from_the_fetched_trees(tmp_path: Path) -> None:
    if not list(DATA.glob("glibc/*/usr/include")) or not list(DATA.glob("headers/*/usr/include")):
        pytest.skip("no fetched glibc or kernel trees (shared/tools/fetch-debian-headers --glibc)")
    out, names = tmp_path / "copies.toml", tmp_path / "names.toml"
    subprocess.run([sys.executable, str(SCRIPT), "--data", str(DATA), "-o", str(out), "--names-output", str(names)],
                   check=True, capture_output=True)
    assert out.read_text() == SHIPPED.read_text(), "regenerate: scripts/libc-copies"
    assert names.read_text() == NAMES.read_text(), "regenerate: scripts/libc-copies"
