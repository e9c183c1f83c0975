"""TOML files uapicheck reads (configuration, rule data, arch tables, libc
pairs), with one check for keys it does not know: a misspelt key is an
error that names it, never a setting silently ignored."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .errors import UapicheckError

Table = dict[str, Any]


def loads(text: str, origin: str, error: type[UapicheckError] = UapicheckError) -> Table:
    # imported here: a run whose TOML files are all kept parsed (packaged.py) does without it
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{origin}: {exc}") from None


def load(path: Path | str, error: type[UapicheckError] = UapicheckError) -> Table:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"{path}: {exc}") from None
    return loads(text, str(path), error)


def table(value: object, known: Iterable[str], where: str, error: type[UapicheckError] = UapicheckError) -> Table:
    """value as a table whose keys are all known."""
    if not isinstance(value, dict):
        raise error(f"{where}: expected a table")
    names = sorted(known)
    for key in value:
        if key not in names:
            raise error(f"{where}: unknown key '{key}' (known: {', '.join(names)})")
    return value
