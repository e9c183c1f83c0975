"""Output: change lists as GCC-style text or JSON, and pahole-style layouts."""

from __future__ import annotations

from collections import Counter
from typing import IO

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
