"""`diff --changes`: every change, unclassified, as text or JSON."""

from __future__ import annotations

import json
from collections import Counter
from typing import IO

from ..compare import Change, ChangeKind
from ..diagnostics import Diagnostic, Location

SCHEMA = "uapicheck-diff/1"
Grouped = list[tuple[Change, list[str]]]


def group(changes: dict[str, list[Change]]) -> Grouped:
    """One entry per change, with every arch it happens on."""
    arches: dict[tuple[str, ChangeKind, str, str], list[str]] = {}
    first: dict[tuple[str, ChangeKind, str, str], Change] = {}
    for arch, items in changes.items():
        for c in items:
            key = (c.header, c.kind, c.name, c.message)
            arches.setdefault(key, []).append(arch)
            first.setdefault(key, c)
    return [(first[k], arches[k]) for k in first]


def as_diagnostic(c: Change, arches: list[str], all_arches: list[str]) -> Diagnostic:
    severity = "note" if c.kind.addition else "warning"
    where = "" if arches == all_arches else ", ".join(arches)
    notes: tuple[tuple[Location, str], ...] = ()
    if c.old_line and c.old_path and c.kind not in (ChangeKind.MACRO_REMOVED, ChangeKind.TYPE_REMOVED):
        notes = ((Location(c.old_path, c.old_line), "the old definition was here"),)
    return Diagnostic(severity, Location(c.path or c.header, c.line), c.message, c.kind.value, notes, where)


def summary(grouped: Grouped, all_arches: list[str]) -> str:
    if not grouped:
        return f"no changes on {', '.join(all_arches)}"
    kinds = Counter("added" if c.kind.addition else "removed" if c.kind.removal else "changed" for c, _ in grouped)
    headers = len({c.header for c, _ in grouped})
    parts = ", ".join(f"{kinds[k]} {k}" for k in ("changed", "removed", "added") if kinds[k])
    return f"{len(grouped)} changes ({parts}) in {headers} headers on {', '.join(all_arches)}"


def write_text(grouped: Grouped, all_arches: list[str], out: IO[str]) -> None:
    for c, arches in grouped:
        print(as_diagnostic(c, arches, all_arches).render(), file=out)
    print(summary(grouped, all_arches), file=out)


def write_json(grouped: Grouped, all_arches: list[str], out: IO[str]) -> None:
    json.dump({
        "schema": SCHEMA,
        "arches": all_arches,
        "changes": [
            {"kind": c.kind.value, "header": c.header, "name": c.name, "message": c.message, "arches": arches,
             "file": c.path, "line": c.line, "old_file": c.old_path, "old_line": c.old_line}
            for c, arches in grouped
        ],
        "summary": summary(grouped, all_arches),
    }, out, indent=1)
    out.write("\n")
