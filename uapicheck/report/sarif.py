"""Findings as SARIF 2.1.0, for code scanning and editors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO, TYPE_CHECKING

from .. import __version__
from ..diagnostics import Location

if TYPE_CHECKING:
    from . import Report

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"


BASE = "SRCROOT"  # relative paths (git mode) are relative to where uapicheck ran


def _artifact(path: str) -> dict[str, str]:
    p = Path(path)
    return {"uri": p.as_uri()} if p.is_absolute() else {"uri": p.as_posix(), "uriBaseId": BASE}


def _location(loc: Location) -> dict[str, object]:
    physical: dict[str, object] = {"artifactLocation": _artifact(loc.file)}
    if loc.line > 0:
        region: dict[str, int] = {"startLine": loc.line}
        if loc.col > 0:
            region["startColumn"] = loc.col
        physical["region"] = region
    return {"physicalLocation": physical}


def document(report: Report) -> dict[str, object]:
    rules = list(report.rules)
    index = {r.code: i for i, r in enumerate(rules)}
    results = []
    for f in report.findings:
        related = [{"id": i, **_location(loc), "message": {"text": text}} for i, (loc, text) in enumerate(f.notes)]
        result: dict[str, object] = {
            "ruleId": f.code,
            "level": f.severity,
            "message": {"text": f.message},
            "locations": [_location(f.location)],
            "partialFingerprints": {"uapicheck/v1": f.fingerprint},
            "properties": {"arches": list(f.arches), "header": f.header, "subject": f.subject},
        }
        if f.code in index:
            result["ruleIndex"] = index[f.code]
        if related:
            result["relatedLocations"] = related
        results.append(result)
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "uapicheck",
                "version": __version__,
                "rules": [{
                    "id": r.code,
                    "name": r.name,
                    "shortDescription": {"text": r.summary()},
                    "fullDescription": {"text": r.doc()},
                    "defaultConfiguration": {"level": r.severity},
                } for r in rules],
            }},
            "originalUriBaseIds": {BASE: {"uri": Path.cwd().as_uri() + "/"}},
            "results": results,
            "properties": {"suppressed": report.suppressed},
        }],
    }


def write(report: Report, out: IO[str]) -> None:
    json.dump(document(report), out, indent=1)
    out.write("\n")
