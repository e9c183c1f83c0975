"""Baselines: findings a project has accepted, by fingerprint (rule, header
and subject: a finding keeps its fingerprint when lines move or arches are
added). Format: docs/baseline-format.md."""

from __future__ import annotations

import json
from dataclasses import dataclass

from . import __version__, jsonfile
from .errors import UapicheckError
from .rulebase import Finding

SCHEMA = "uapicheck-baseline/1"


class BaselineError(UapicheckError):
    pass


@dataclass(frozen=True)
class Entry:
    fingerprint: str
    code: str
    header: str
    subject: str
    message: str


def load(path: str) -> list[Entry]:
    data = jsonfile.read(path, SCHEMA, BaselineError)
    try:
        return [Entry(e["fingerprint"], e["code"], e["header"], e["subject"], e["message"])
                for e in data["findings"]]
    except (KeyError, TypeError) as exc:
        raise BaselineError(f"{path}: malformed entry ({exc!r})") from None


def write(path: str, findings: list[Finding], snapshot: str | None = None) -> None:
    data: dict[str, object] = {
        "schema": SCHEMA,
        "tool": f"uapicheck {__version__}",
        "findings": [{"fingerprint": f.fingerprint, "code": f.code, "header": f.header, "subject": f.subject,
                      "message": f.message} for f in findings],
    }
    if snapshot:
        data["snapshot"] = snapshot
    try:
        jsonfile.write_atomic(path, lambda f: f.write(json.dumps(data, indent=1) + "\n"))
    except OSError as exc:
        raise BaselineError(f"{path}: {exc.strerror or exc}") from None


def apply(findings: list[Finding], entries: list[Entry]) -> tuple[list[Finding], int, list[Entry]]:
    """New findings, how many the baseline accepted, and its stale entries."""
    accepted = {e.fingerprint for e in entries}
    kept = [f for f in findings if f.fingerprint not in accepted]
    found = {f.fingerprint for f in findings}
    return kept, len(findings) - len(kept), [e for e in entries if e.fingerprint not in found]
