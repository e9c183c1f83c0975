"""The files that come with uapicheck (data/, ruledata/, the stand-in
headers of include/ and libc/), read from the package's folder: pip
installs it as files, and importlib.resources would cost every run the
25 ms of importing zipfile, tempfile and what they import."""

from __future__ import annotations

import os

FOLDER = os.path.dirname(os.path.abspath(__file__))


def path(*parts: str) -> str:
    return os.path.join(FOLDER, *parts)


def text(*parts: str) -> str:
    with open(path(*parts), encoding="utf-8") as f:
        return f.read()
