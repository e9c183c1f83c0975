"""Findings as JSON, schema uapicheck-report/1 (docs/report-format.md)."""

from __future__ import annotations

import json
from typing import IO, TYPE_CHECKING

from .. import __version__
from .text import counts

if TYPE_CHECKING:
    from . import Report

SCHEMA = "uapicheck-report/1"


def document(report: Report) -> dict[str, object]:
    c = counts(report.findings)
    return {
        "schema": SCHEMA,
        "tool": f"uapicheck {__version__}",
        "arches": report.arches,
        **report.extra,
        "findings": [
            {"code": f.code, "rule": f.name, "severity": f.severity, "header": f.header, "subject": f.subject,
             "file": f.location.file, "line": f.location.line, "column": f.location.col, "message": f.message,
             "arches": list(f.arches), "fingerprint": f.fingerprint,
             "notes": [{"file": loc.file, "line": loc.line, "column": loc.col, "message": text}
                       for loc, text in f.notes]}
            for f in report.findings
        ],
        "summary": {"error": c["error"], "warning": c["warning"], "note": c["note"], "suppressed": report.suppressed},
    }


def write(report: Report, out: IO[str]) -> None:
    json.dump(document(report), out, indent=1)
    out.write("\n")
