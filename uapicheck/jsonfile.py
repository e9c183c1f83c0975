"""JSON files uapicheck reads and writes: snapshots, baselines, cache
entries. Reading checks the schema; writing is atomic (a temporary file in
the same folder, then a rename), so a reader never sees half a file."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from typing import IO, Any


def read(path: str, schema: str, error: type[Exception]) -> dict[str, Any]:
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except OSError as exc:
        raise error(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise error(f"{path}: not a {schema} file (not text)") from None
    except json.JSONDecodeError as exc:
        raise error(f"{path}: not a {schema} file (not JSON: {exc.msg} at line {exc.lineno})") from None
    if not isinstance(data, dict) or data.get("schema") != schema:
        found = data.get("schema") if isinstance(data, dict) else None
        if isinstance(found, str) and found.split("/")[0] == schema.split("/")[0]:
            raise error(f"{path}: a {found} file, from another version of uapicheck; this one reads {schema}: "
                        "make it again with this one")
        raise error(f"{path}: not a {schema} file ({f'schema {found!r}' if found is not None else 'no schema'})")
    return data


def compact(value: object) -> str:
    """value as JSON text without white space (json's C encoder runs only without indent)."""
    return json.dumps(value, separators=(",", ":"))


def write_atomic(path: str, write: Callable[[IO[str]], object]) -> None:
    """Write path through write(), its folder created, with the permissions
    the umask gives a new file (mkstemp's own are 0600)."""
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    import tempfile  # here only: most runs write nothing

    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
    try:
        mask = os.umask(0)
        os.umask(mask)
        os.fchmod(fd, 0o666 & ~mask)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            write(f)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
