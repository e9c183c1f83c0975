"""The files that come with uapicheck (data/, ruledata/, the stand-in
headers of include/ and libc/), read from the package's folder: pip
installs it as files, and importlib.resources would cost every run the
25 ms of importing zipfile, tempfile and what they import. Its TOML files
are kept parsed in the cache folder."""

from __future__ import annotations

import hashlib
import json
import os

from . import jsonfile, tomlfile
from .errors import UapicheckError

FOLDER = os.path.dirname(os.path.abspath(__file__))
PARSED = "uapicheck-parsed/1"  # how a TOML file is kept: a new one leaves the old unread


def path(*parts: str) -> str:
    return os.path.join(FOLDER, *parts)


def text(*parts: str) -> str:
    with open(path(*parts), encoding="utf-8") as f:
        return f.read()


def cache_folder() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "uapicheck")


def toml(origin: str, *parts: str, error: type[UapicheckError] = UapicheckError) -> tomlfile.Table:
    """A TOML file of the package, parsed. tomllib takes 0.1 s for each of
    the large generated rule data files (libc-copies.toml, libc-names.toml)
    and 10 ms to import, JSON a tenth of that: the parse is kept as JSON in
    the cache folder, found by the text's digest."""
    source = text(*parts)
    key = hashlib.sha256(f"{PARSED}\0{source}".encode()).hexdigest()
    kept_at = os.path.join(cache_folder(), "data", key + ".json")
    try:
        with open(kept_at, encoding="utf-8") as f:
            kept = json.load(f)
        if isinstance(kept, dict):
            return kept
    except (OSError, ValueError):
        pass  # not kept yet, or damaged: parsed again
    data = tomlfile.loads(source, origin, error)
    try:
        jsonfile.write_atomic(kept_at, lambda f: json.dump(data, f, separators=(",", ":")))
    except (OSError, TypeError):  # TypeError: a TOML date, which JSON has not: parsed each time
        pass
    return data
