"""Findings as GCC prints diagnostics: `file:line:col: severity: message
[CODE]`, then `note:` lines, then a count line."""

from __future__ import annotations

from collections import Counter
from typing import IO, TYPE_CHECKING

from ..rulebase import Finding

if TYPE_CHECKING:
    from . import Report


def where(f: Finding, all_arches: list[str]) -> str:
    """The arches of f's message, "" when that is every arch of the run."""
    arches = f.shown or f.arches
    return "" if list(arches) == all_arches or not arches else ", ".join(arches)


def render(f: Finding, all_arches: list[str]) -> str:
    on = where(f, all_arches)
    lines = [f"{f.location}: {f.severity}: {f.message}{f' (on {on})' if on else ''} [{f.code}]"]
    lines += [f"{loc}: note: {text}" for loc, text in f.notes]
    return "\n".join(lines)


def counts(findings: list[Finding]) -> Counter[str]:
    return Counter(f.severity for f in findings)


def summary(findings: list[Finding], suppressed: int, all_arches: list[str]) -> str:
    c = counts(findings)
    parts = [f"{c[s]} {s}{'s' if c[s] != 1 else ''}" for s in ("error", "warning", "note")]
    headers = len({f.header for f in findings})
    return (f"{', '.join(parts)} in {headers} header{'s' if headers != 1 else ''} on {', '.join(all_arches)}"
            f" ({suppressed} suppressed)")


def write(report: Report, out: IO[str]) -> None:
    for f in report.findings:
        print(render(f, report.arches), file=out)
    for line in report.trailer:
        print(line, file=out)
    if report.summary:
        print(summary(report.findings, report.suppressed, report.arches), file=out)
