"""JSON files uapicheck reads and writes: snapshots, baselines, cache
entries. Reading checks the schema; writing is atomic (a temporary file in
the same folder, then a rename), so a reader never sees half a file."""

from __future__ import annotations

import itertools
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
        found = f"schema {data.get('schema')!r}" if isinstance(data, dict) and "schema" in data else "no schema"
        raise error(f"{path}: not a {schema} file ({found})")
    return data


_names = itertools.count()  # of temporary files: with the pid, unique on the machine


def write_atomic(path: str, write: Callable[[IO[str]], object]) -> None:
    """Write path through write(), its folder created, with the permissions
    the umask gives a new file: a temporary file beside it, then a rename
    (a cold run writes a cache entry for each header: as few calls as can be)."""
    folder = os.path.dirname(os.path.abspath(path))
    for _ in range(100):
        tmp = os.path.join(folder, f".tmp-{os.getpid()}-{next(_names)}")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
            break
        except FileExistsError:
            continue  # left by an earlier process with the same pid
        except FileNotFoundError:
            os.makedirs(folder, exist_ok=True)
    else:
        raise FileExistsError(f"{folder}: no free name for a temporary file")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            write(f)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
