"""Header trees written from {name: text}."""

from __future__ import annotations

from pathlib import Path

from uapicheck.sources import InstalledTree


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        p = root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)


def installed(root: Path, files: dict[str, str]) -> InstalledTree:
    """An installed tree (linux/, asm/) holding files."""
    write(root, files)
    (root / "asm").mkdir(parents=True, exist_ok=True)
    return InstalledTree(str(root))


def own_kernel(tmp: Path) -> Path:
    """This machine's kernel headers (Linux 6.1) as a tree of their own:
    /usr/include mixes glibc's headers (scsi/ among them) with the kernel's."""
    own = tmp / "linux-6.1"
    for d in ("linux", "asm-generic"):
        (own / d).parent.mkdir(parents=True, exist_ok=True)
        (own / d).symlink_to(f"/usr/include/{d}")
    (own / "x86_64-linux-gnu").mkdir()
    (own / "x86_64-linux-gnu" / "asm").symlink_to("/usr/include/x86_64-linux-gnu/asm")
    return own
