"""Scratch git repositories, committed with pinned authors and dates."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from .trees import write

ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid", "GIT_COMMITTER_NAME": "t",
       "GIT_COMMITTER_EMAIL": "t@example.invalid", "GIT_AUTHOR_DATE": "2026-01-01T00:00:00Z",
       "GIT_COMMITTER_DATE": "2026-01-01T00:00:00Z", "HOME": "/nonexistent", "GIT_CONFIG_NOSYSTEM": "1"}


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env={**os.environ, **ENV})


def new_repo(repo: Path, files: dict[str, str], message: str) -> Path:
    """A git repository holding files, committed once."""
    repo.mkdir()
    git(repo, "init", "-q", "-b", "master")
    write(repo, files)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--no-gpg-sign", "--no-verify", "-m", message)
    return repo
