"""Old snapshot against new: a plain list of what changed, per arch.

Classification (who breaks, how badly) is the rules stage's job; this stage
only states facts, with units: offsets and sizes of members in bits, of
types in bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .snapshot import HeaderFacts, MacroFact, Snapshot, named_members


@dataclass(frozen=True)
class Change:
    kind: str  # e.g. macro-token-form-changed
    header: str
    name: str  # the macro or type, e.g. "OPEN_TREE_CLONE", "struct rseq"
    message: str
    line: int  # in the new header (old one for removals)
    old_line: int = 0
    path: str = ""  # the header's file in the new source (old one for removals)
    old_path: str = ""
    member: str = ""  # the member or enumerator, for member-* and enumerator-* changes
    col: int = 0
    old_col: int = 0


def _fmt(v: object) -> str:
    return str(v) if v is not None else "none"


def _macros(header: str, old: HeaderFacts, new: HeaderFacts) -> list[Change]:
    out: list[Change] = []
    for name in sorted(old.macros.keys() - new.macros.keys()):
        m = old.macros[name]
        out.append(Change("macro-removed", header, name, f"macro '{name}' removed (was '{m.replacement}')",
                          m.line, m.line, col=m.col, old_col=m.col))
    for name in sorted(new.macros.keys() - old.macros.keys()):
        m = new.macros[name]
        out.append(Change("macro-added", header, name, f"macro '{name}' added as '{m.replacement}'", m.line,
                          col=m.col))
    for name in sorted(old.macros.keys() & new.macros.keys()):
        out += _macro(header, old.macros[name], new.macros[name])
    return out


def _macro(header: str, a: MacroFact, b: MacroFact) -> list[Change]:
    out: list[Change] = []
    name = a.name

    def add(kind: str, message: str) -> None:
        out.append(Change(kind, header, name, message, b.line, a.line, col=b.col, old_col=a.col))

    def sig(m: MacroFact) -> str:
        return name if m.params is None else f"{name}({', '.join(m.params)})"

    renamed = a.params is not None and b.params is not None and len(a.params) == len(b.params)
    if a.params != b.params and renamed:
        # C11 6.10.3p2: a redefinition needs the same parameter spelling too
        add("macro-token-form-changed", f"macro '{name}' renamed its parameters from '{sig(a)}' to '{sig(b)}'")
    elif a.params != b.params:
        add("macro-params-changed", f"macro '{name}' changed from '{sig(a)}' to '{sig(b)}'")
    if a.value is not None and b.value is not None and (a.value != b.value or a.ctype != b.ctype):
        add("macro-value-changed",
            f"macro '{name}' changed value from {a.value} ({a.ctype}) to {b.value} ({b.ctype})")
    elif a.value is not None and b.value is None:
        add("macro-value-lost", f"macro '{name}' is no longer an integer constant "
            f"(was {a.value}; now '{b.replacement}': {b.value_error})")
    if a.replacement != b.replacement and a.params == b.params:
        kept = a.value is not None and a.value == b.value and a.ctype == b.ctype
        if kept or (a.value is None and b.value is None):
            what = f" (value {a.value} unchanged)" if kept else ""
            add("macro-token-form-changed",
                f"macro '{name}' changed token form from '{a.replacement}' to '{b.replacement}'{what}")
    if a.if_ok and not b.if_ok and b.params is None and a.params is None:
        why = b.if_error or ("uses undefined " + ", ".join(f"'{u}'" for u in b.undefined))
        add("macro-if-lost", f"macro '{name}' can no longer be used in #if ({why})")
    elif a.if_ok and b.if_ok and a.if_value != b.if_value and (a.value == b.value):
        add("macro-if-value-changed", f"macro '{name}' changed #if value from {a.if_value} to {b.if_value}")
    return out


def enum_label(name: str) -> str:
    return "an anonymous enum" if name.startswith("enum <anonymous") else f"'{name}'"


def _enumerators(header: str, old: HeaderFacts, new: HeaderFacts) -> list[Change]:
    """Enumerators are compared by name across the header, so anonymous
    enums, which have no name to match, are compared too."""
    def table(facts: HeaderFacts) -> dict[str, tuple[int, str, int]]:
        out = {}
        for tname, t in facts.types.items():
            if t["kind"] == "enum":
                for e, v in t["enumerators"]:  # type: ignore[union-attr]
                    out[e] = (v, tname, t["line"])
        return out

    ea, eb = table(old), table(new)
    out: list[Change] = []
    for e in sorted(ea.keys() - eb.keys()):
        v, t, line = ea[e]
        out.append(Change("enumerator-removed", header, t, f"enumerator '{e}' of {enum_label(t)} removed (was {v})",
                          line, line, member=e))
    for e in sorted(eb.keys() - ea.keys(), key=lambda k: eb[k][0]):
        v, t, line = eb[e]
        out.append(Change("enumerator-added", header, t, f"enumerator '{e}' = {v} added to {enum_label(t)}", line,
                          member=e))
    for e in sorted(ea.keys() & eb.keys(), key=lambda k: eb[k][0]):
        if ea[e][0] != eb[e][0]:
            t = eb[e][1]
            out.append(Change("enumerator-value-changed", header, t,
                              f"enumerator '{e}' of {enum_label(t)} changed from {ea[e][0]} to {eb[e][0]}",
                              eb[e][2], ea[e][2], member=e))
    return out


def _named(types: dict[str, dict]) -> set[str]:  # type: ignore[type-arg]
    return {n for n in types if not n.startswith("enum <anonymous")}


def _types(header: str, old: HeaderFacts, new: HeaderFacts) -> list[Change]:
    out: list[Change] = []
    for name in sorted(_named(old.types) - _named(new.types)):
        t = old.types[name]
        out.append(Change("type-removed", header, name, f"'{name}' removed", t["line"], t["line"]))
    for name in sorted(_named(new.types) - _named(old.types)):
        t = new.types[name]
        out.append(Change("type-added", header, name, f"'{name}' added ({t['size']} bytes, align {t['align']})",
                          t["line"]))
    for name in sorted(_named(old.types) & _named(new.types)):
        a, b = old.types[name], new.types[name]

        def add(kind: str, message: str, member: str = "", a: dict = a, b: dict = b,  # type: ignore[type-arg]
                name: str = name) -> None:
            out.append(Change(kind, header, name, message, b["line"], a["line"], member=member))

        if a["size"] != b["size"]:
            d = b["size"] - a["size"]
            add("type-size-changed", f"size of '{name}' changed from {a['size']} to {b['size']} bytes (by {d:+d})")
        if a["align"] != b["align"]:
            add("type-align-changed", f"alignment of '{name}' changed from {a['align']} to {b['align']} bytes")
        if a["kind"] == "typedef" and a.get("target") != b.get("target"):
            add("typedef-changed", f"typedef '{name}' changed from '{a.get('target')}' to '{b.get('target')}'")
        if a["kind"] == "enum":
            continue
        ma, mb = named_members(a), named_members(b)
        for m in sorted(ma.keys() - mb.keys(), key=lambda k: ma[k]["offset"]):
            add("member-removed", f"member '{m}' of '{name}' removed (was at offset {ma[m]['offset']} bits)", m)
        for m in sorted(mb.keys() - ma.keys(), key=lambda k: mb[k]["offset"]):
            add("member-added", f"member '{mb[m]['type']} {m}' added to '{name}' at offset {mb[m]['offset']} bits", m)
        for m in sorted(ma.keys() & mb.keys(), key=lambda k: mb[k]["offset"]):
            x, y = ma[m], mb[m]
            if x["offset"] != y["offset"]:
                d = y["offset"] - x["offset"]
                add("member-offset-changed", f"offset of '{name}.{m}' changed from {x['offset']} to "
                    f"{y['offset']} bits (by {d:+d} bits)", m)
            # uint32_t to __u32 is no change: both are unsigned int
            same = (x.get("canon") or x["type"]) == (y.get("canon") or y["type"])
            if not same or x["size"] != y["size"]:
                add("member-type-changed", f"type of '{name}.{m}' changed from '{x['type']}' ({x['size']} bits) "
                    f"to '{y['type']}' ({y['size']} bits)", m)
    return out


def compare(old: Snapshot, new: Snapshot) -> dict[str, list[Change]]:
    """Changes per arch, for the arches both snapshots have."""
    result: dict[str, list[Change]] = {}
    for arch in [a for a in new.arches if a in old.arches]:
        oh, nh = old.arches[arch], new.arches[arch]
        changes: list[Change] = []
        for h in sorted(oh.keys() - nh.keys()):
            changes.append(Change("header-removed", h, h, f"header '{h}' removed", 0, path=oh[h].path))
        for h in sorted(nh.keys() - oh.keys()):
            changes.append(Change("header-added", h, h, f"header '{h}' added", 0, path=nh[h].path))
        for h in sorted(oh.keys() & nh.keys()):
            found = _macros(h, oh[h], nh[h]) + _types(h, oh[h], nh[h]) + _enumerators(h, oh[h], nh[h])
            changes += [replace(c, path=oh[h].path if c.kind.endswith("removed") and c.kind != "member-removed"
                                else nh[h].path, old_path=oh[h].path) for c in found]
        result[arch] = changes
    return result
