"""Output: findings as GCC-style text, JSON or SARIF; plain change lists;
pahole-style layouts."""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path
from typing import IO

from . import __version__
from .checks import Finding, Rule
from .compare import Change
from .diagnostics import Diagnostic, Location

ADDITIONS = ("macro-added", "type-added", "member-added", "enumerator-added", "header-added")
DIFF_SCHEMA = "uapicheck-diff/1"


def group(changes: dict[str, list[Change]]) -> list[tuple[Change, list[str]]]:
    """One entry per change, with every arch it happens on."""
    arches: dict[tuple[str, str, str, str], list[str]] = {}
    first: dict[tuple[str, str, str, str], Change] = {}
    for arch, items in changes.items():
        for c in items:
            key = (c.header, c.kind, c.name, c.message)
            arches.setdefault(key, []).append(arch)
            first.setdefault(key, c)
    return [(first[k], arches[k]) for k in first]


def as_diagnostic(c: Change, arches: list[str], all_arches: list[str]) -> Diagnostic:
    severity = "note" if c.kind in ADDITIONS else "warning"
    where = "" if arches == all_arches else ", ".join(arches)
    notes: tuple[tuple[Location, str], ...] = ()
    if c.old_line and c.old_path and c.kind not in ("macro-removed", "type-removed"):
        notes = ((Location(c.old_path, c.old_line), "the old definition was here"),)
    return Diagnostic(severity, Location(c.path or c.header, c.line), c.message, c.kind, notes, where)


def write_text(grouped: list[tuple[Change, list[str]]], all_arches: list[str], out: IO[str]) -> None:
    for c, arches in grouped:
        print(as_diagnostic(c, arches, all_arches).render(), file=out)
    print(summary(grouped, all_arches), file=out)


def summary(grouped: list[tuple[Change, list[str]]], all_arches: list[str]) -> str:
    if not grouped:
        return f"no changes on {', '.join(all_arches)}"
    kinds = Counter("added" if c.kind in ADDITIONS else "removed" if c.kind.endswith("removed") else "changed"
                    for c, _ in grouped)
    headers = len({c.header for c, _ in grouped})
    parts = ", ".join(f"{kinds[k]} {k}" for k in ("changed", "removed", "added") if kinds[k])
    return f"{len(grouped)} changes ({parts}) in {headers} headers on {', '.join(all_arches)}"


def diff_json(grouped: list[tuple[Change, list[str]]], all_arches: list[str]) -> dict[str, object]:
    return {
        "schema": DIFF_SCHEMA,
        "arches": all_arches,
        "changes": [
            {"kind": c.kind, "header": c.header, "name": c.name, "message": c.message, "arches": arches,
             "file": c.path, "line": c.line, "old_file": c.old_path, "old_line": c.old_line}
            for c, arches in grouped
        ],
        "summary": summary(grouped, all_arches),
    }


# ---------------------------------------------------------------- findings

REPORT_SCHEMA = "uapicheck-report/1"
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"


def fingerprint(f: Finding) -> str:
    """Stable across line moves and arch sets: rule, header and subject."""
    return hashlib.sha256(f"{f.code}|{f.header}|{f.subject}".encode()).hexdigest()[:16]


def render(f: Finding, all_arches: list[str]) -> str:
    arches = f.shown or f.arches
    where = "" if list(arches) == all_arches or not arches else f" (on {', '.join(arches)})"
    lines = [f"{f.location}: {f.severity}: {f.message}{where} [{f.code}]"]
    lines += [f"{loc}: note: {text}" for loc, text in f.notes]
    return "\n".join(lines)


def counts(findings: list[Finding]) -> Counter[str]:
    return Counter(f.severity for f in findings)


def finding_summary(findings: list[Finding], suppressed: int, all_arches: list[str]) -> str:
    c = counts(findings)
    parts = [f"{c[s]} {s}{'s' if c[s] != 1 else ''}" for s in ("error", "warning", "note")]
    headers = len({f.header for f in findings})
    return (f"{', '.join(parts)} in {headers} header{'s' if headers != 1 else ''} on {', '.join(all_arches)}"
            f" ({suppressed} suppressed)")


def findings_json(findings: list[Finding], suppressed: int, all_arches: list[str],
                  extra: dict[str, object] | None = None) -> dict[str, object]:
    c = counts(findings)
    return {
        "schema": REPORT_SCHEMA,
        "tool": f"uapicheck {__version__}",
        "arches": all_arches,
        **(extra or {}),
        "findings": [
            {"code": f.code, "rule": f.name, "severity": f.severity, "header": f.header, "subject": f.subject,
             "file": f.location.file, "line": f.location.line, "column": f.location.col, "message": f.message,
             "arches": list(f.arches), "fingerprint": fingerprint(f),
             "notes": [{"file": loc.file, "line": loc.line, "column": loc.col, "message": text}
                       for loc, text in f.notes]}
            for f in findings
        ],
        "summary": {"error": c["error"], "warning": c["warning"], "note": c["note"], "suppressed": suppressed},
    }


def _uri(path: str) -> str:
    p = Path(path)
    return p.as_uri() if p.is_absolute() else p.as_posix()


def _sarif_location(loc: Location) -> dict[str, object]:
    physical: dict[str, object] = {"artifactLocation": {"uri": _uri(loc.file)}}
    if loc.line > 0:
        region: dict[str, int] = {"startLine": loc.line}
        if loc.col > 0:
            region["startColumn"] = loc.col
        physical["region"] = region
    return {"physicalLocation": physical}


def findings_sarif(findings: list[Finding], rules: list[type[Rule]], suppressed: int) -> dict[str, object]:
    index = {r.code: i for i, r in enumerate(rules)}
    level = {"error": "error", "warning": "warning", "note": "note"}
    results = []
    for f in findings:
        related = []
        for i, (loc, text) in enumerate(f.notes):
            related.append({"id": i, **_sarif_location(loc), "message": {"text": text}})
        result: dict[str, object] = {
            "ruleId": f.code,
            "level": level[f.severity],
            "message": {"text": f.message},
            "locations": [_sarif_location(f.location)],
            "partialFingerprints": {"uapicheck/v1": fingerprint(f)},
            "properties": {"arches": list(f.arches), "header": f.header, "subject": f.subject},
        }
        if f.code in index:
            result["ruleIndex"] = index[f.code]
        if related:
            result["relatedLocations"] = related
        results.append(result)
    return {
        "$schema": SARIF_SCHEMA,
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
                    "defaultConfiguration": {"level": level[r.severity]},
                } for r in rules],
            }},
            "results": results,
            "properties": {"suppressed": suppressed},
        }],
    }


def catalogue_markdown(rules: list[type[Rule]]) -> str:
    lines = ["# uapicheck rules", "",
             "Generated by `uapicheck rules --markdown` from the rules themselves; a test keeps it in step.",
             "Severities: **error** certainly breaks existing binaries or builds; **warning** breaks some users "
             "or needs review; **note** is context.", "",
             "| Code | Name | Severity | What it detects |", "|---|---|---|---|"]
    lines += [f"| [{r.code}](#{r.code.lower()}-{r.name}) | {r.name} | {r.severity} | {r.summary()} |" for r in rules]
    for r in rules:
        lines += ["", f"## {r.code} {r.name}", "", f"Default severity: {r.severity}."]
        for block in r.doc().split("\n\n"):
            head, _, body = block.partition(":\n")
            lines += ["", f"**{head}.** {' '.join(body.split())}"]
    return "\n".join(lines) + "\n"


def write_diagnostics(diags: list[Diagnostic], out: IO[str]) -> None:
    for d in diags:
        print(d.render(), file=out)


# ---------------------------------------------------------------- layout

def layout_text(name: str, t: dict, arch: str) -> str:  # type: ignore[type-arg]
    """A type as pahole prints it: offsets and sizes in bytes, holes and
    padding spelled out."""
    lines = [f"{name} {{"]
    stats = {"holes": 0, "hole_bytes": 0, "members": 0}

    def show(members: list, base: int, depth: int, union: bool) -> int:  # type: ignore[type-arg]
        end = base
        indent = "\t" * depth
        for m in members:
            off = base + m["offset"]
            if not union and off // 8 > (end + 7) // 8 and not m.get("bitfield"):
                hole = off // 8 - (end + 7) // 8
                stats["holes"] += 1
                stats["hole_bytes"] += hole
                lines.append(f"{indent}/* XXX {hole} byte{'s' if hole > 1 else ''} hole, try to pack */")
            label = m["name"] or ""
            if "members" in m and m["name"] is None:
                lines.append(f"{indent}{m['type'].replace(' <anonymous>', '')} {{")
                show(m["members"], off, depth + 1, m["type"].startswith("union"))
                lines.append(f"{indent}}};{'':<{max(1, 40 - len(indent) * 8)}}/* {off // 8:5} {m['size'] // 8:5} */")
            elif m.get("bitfield"):
                decl = f"{m['type']:<24} {label}:{m['size']};"
                lines.append(f"{indent}{decl:<40} /* {off // 8:5}: {off % 8:2} {m['size']:3} bits */")
            else:
                decl = f"{m['type']:<24} {label};"
                lines.append(f"{indent}{decl:<40} /* {off // 8:5} {m['size'] // 8:5} */")
            stats["members"] += 1
            end = max(end, off + m["size"])
        return end

    end = show(t.get("members", []), 0, 1, t["kind"] == "union")
    used = (end + 7) // 8
    padding = t["size"] - used
    lines.append("")
    lines.append(f"\t/* size: {t['size']}, align: {t['align']}, members: {stats['members']} (on {arch}) */")
    if stats["holes"]:
        lines.append(f"\t/* holes: {stats['holes']}, sum holes: {stats['hole_bytes']} */")
    if padding > 0:
        lines.append(f"\t/* padding: {padding} */")
    lines.append("};")
    return "\n".join(lines)
