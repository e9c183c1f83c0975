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
