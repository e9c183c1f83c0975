"""Findings as GCC prints diagnostics: `file:line:col: severity: message
[CODE]`, then `note:` lines; a count per rule where there are several, and
a count line last. On a terminal, in GCC's colours."""

from __future__ import annotations

from collections import Counter
from typing import IO, TYPE_CHECKING

from ..rulebase import SEVERITY_RANK, Finding

if TYPE_CHECKING:
    from . import Report

# GCC's -fdiagnostics-color: bold locations, red errors, magenta warnings, cyan notes
BOLD, RESET = "\033[1m", "\033[0m"
COLOURS = {"error": "\033[1;31m", "warning": "\033[1;35m", "note": "\033[1;36m"}


def where(f: Finding, all_arches: list[str]) -> str:
    """The arches of f's message, "" when that is every arch of the run."""
    arches = f.shown or f.arches
    return "" if list(arches) == all_arches or not arches else ", ".join(arches)


def render(f: Finding, all_arches: list[str], color: bool = False) -> str:
    on = where(f, all_arches)

    def line(loc: object, severity: str, text: str) -> str:
        if not color:
            return f"{loc}: {severity}: {text}"
        return f"{BOLD}{loc}:{RESET} {COLOURS[severity]}{severity}:{RESET} {text}"

    lines = [line(f.location, f.severity, f"{f.message}{f' (on {on})' if on else ''} [{f.code}]")]
    lines += [line(loc, "note", text) for loc, text in f.notes]
    return "\n".join(lines)


def counts(findings: list[Finding]) -> Counter[str]:
    return Counter(f.severity for f in findings)


def by_rule(findings: list[Finding]) -> list[str]:
    """'   35 error    UA111 identifier-not-in-user-space', most severe and
    most frequent first; nothing where one rule found everything."""
    tally = Counter((f.severity, f.code, f.name) for f in findings)
    if len({code for _, code, _ in tally}) < 2:
        return []
    rows = sorted(tally.items(), key=lambda item: (-SEVERITY_RANK[item[0][0]], -item[1], item[0][1]))
    return [f"{n:5d} {severity:<8} {code} {name}" for (severity, code, name), n in rows]


def summary(findings: list[Finding], suppressed: int, all_arches: list[str]) -> str:
    c = counts(findings)
    parts = [f"{c[s]} {s}{'s' if c[s] != 1 else ''}" for s in ("error", "warning", "note")]
    headers = len({f.header for f in findings})
    return (f"{', '.join(parts)} in {headers} header{'s' if headers != 1 else ''} on {', '.join(all_arches)}"
            f" ({suppressed} suppressed)")


def write(report: Report, out: IO[str]) -> None:
    floor = SEVERITY_RANK[report.show]
    for f in report.findings:
        if SEVERITY_RANK[f.severity] >= floor:
            print(render(f, report.arches, report.color), file=out)
    for line in report.trailer:
        print(line, file=out)
    if report.summary:
        for line in by_rule(report.findings):
            print(line, file=out)
        hidden = counts([f for f in report.findings if SEVERITY_RANK[f.severity] < floor])
        if hidden:
            what = " and ".join(f"{n} {s}{'s' if n != 1 else ''}" for s, n in sorted(hidden.items(), reverse=True))
            print(f"({what} not shown; --show note shows them)", file=out)
        print(summary(report.findings, report.suppressed, report.arches), file=out)
