"""Old snapshot against new: a plain list of what changed, per arch.

Classification (who breaks, how badly) is the rules stage's job; this stage
only states facts, with units: offsets and sizes of members in bits, of
types in bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import Enum

from .facts import HeaderFacts, MacroFact, MemberFact, TypeFact, amount
from .snapshot import Snapshot


class ChangeKind(Enum):
    MACRO_REMOVED = "macro-removed"
    MACRO_ADDED = "macro-added"
    MACRO_TOKEN_FORM_CHANGED = "macro-token-form-changed"
    MACRO_PARAMS_CHANGED = "macro-params-changed"
    MACRO_VALUE_CHANGED = "macro-value-changed"
    MACRO_VALUE_LOST = "macro-value-lost"
    MACRO_IF_LOST = "macro-if-lost"
    MACRO_IF_VALUE_CHANGED = "macro-if-value-changed"
    ENUMERATOR_REMOVED = "enumerator-removed"
    ENUMERATOR_ADDED = "enumerator-added"
    ENUMERATOR_VALUE_CHANGED = "enumerator-value-changed"
    TYPE_REMOVED = "type-removed"
    TYPE_ADDED = "type-added"
    TYPE_SIZE_CHANGED = "type-size-changed"
    TYPE_ALIGN_CHANGED = "type-align-changed"
    TYPEDEF_CHANGED = "typedef-changed"
    MEMBER_REMOVED = "member-removed"
    MEMBER_ADDED = "member-added"
    MEMBER_OFFSET_CHANGED = "member-offset-changed"
    MEMBER_TYPE_CHANGED = "member-type-changed"
    HEADER_REMOVED = "header-removed"
    HEADER_ADDED = "header-added"

    @property
    def removal(self) -> bool:
        return self.value.endswith("-removed")

    @property
    def addition(self) -> bool:
        return self.value.endswith("-added")

    @property
    def of_member(self) -> bool:
        return self.value.startswith("member-")


K = ChangeKind


@dataclass(frozen=True)
class Change:
    kind: ChangeKind
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
    old_revision: str = ""  # where old_path was read in git mode: the file may say otherwise now


def _macros(header: str, old: HeaderFacts, new: HeaderFacts) -> list[Change]:
    out: list[Change] = []
    for name in sorted(old.macros.keys() - new.macros.keys()):
        m = old.macros[name]
        out.append(Change(K.MACRO_REMOVED, header, name, f"macro '{name}' removed (was '{m.replacement}')",
                          m.line, m.line, col=m.col, old_col=m.col))
    for name in sorted(new.macros.keys() - old.macros.keys()):
        m = new.macros[name]
        out.append(Change(K.MACRO_ADDED, header, name, f"macro '{name}' added as '{m.replacement}'", m.line,
                          col=m.col))
    for name in sorted(old.macros.keys() & new.macros.keys()):
        a, b = old.macros[name], new.macros[name]
        if a is not b:  # equal facts are one object (facts.py), and most are unchanged
            out += _macro(header, a, b)
    return out


def _macro(header: str, a: MacroFact, b: MacroFact) -> list[Change]:
    out: list[Change] = []
    name = a.name

    def add(kind: ChangeKind, message: str) -> None:
        out.append(Change(kind, header, name, message, b.line, a.line, col=b.col, old_col=a.col))

    renamed = a.params is not None and b.params is not None and len(a.params) == len(b.params)
    if a.params != b.params and renamed:
        # C11 6.10.3p2: a redefinition needs the same parameter spelling too
        add(K.MACRO_TOKEN_FORM_CHANGED,
            f"macro '{name}' renamed its parameters from '{a.signature}' to '{b.signature}'")
    elif a.params != b.params:
        add(K.MACRO_PARAMS_CHANGED, f"macro '{name}' changed from '{a.signature}' to '{b.signature}'")
    if a.value is not None and b.value is not None and (a.value != b.value or a.ctype != b.ctype):
        add(K.MACRO_VALUE_CHANGED,
            f"macro '{name}' changed value from {a.value} ({a.ctype}) to {b.value} ({b.ctype})")
    elif a.value is not None and b.value is None:
        add(K.MACRO_VALUE_LOST, f"macro '{name}' is no longer an integer constant "
            f"(was {a.value}; now '{b.replacement}': {b.value_error})")
    if a.replacement != b.replacement and a.params == b.params:
        kept = a.value is not None and a.value == b.value and a.ctype == b.ctype
        if kept or (a.value is None and b.value is None):
            what = f" (value {a.value} unchanged)" if kept else ""
            add(K.MACRO_TOKEN_FORM_CHANGED,
                f"macro '{name}' changed token form from '{a.replacement}' to '{b.replacement}'{what}")
    if a.if_ok and not b.if_ok and b.params is None and a.params is None:
        why = b.if_error or ("uses undefined " + ", ".join(f"'{u}'" for u in b.undefined))
        add(K.MACRO_IF_LOST, f"macro '{name}' can no longer be used in #if ({why})")
    elif a.if_ok and b.if_ok and a.if_value != b.if_value and (a.value == b.value):
        add(K.MACRO_IF_VALUE_CHANGED, f"macro '{name}' changed #if value from {a.if_value} to {b.if_value}")
    return out


def enum_label(name: str) -> str:
    return "an anonymous enum" if name.startswith("enum <anonymous") else f"'{name}'"


def _enumerators(header: str, old: HeaderFacts, new: HeaderFacts) -> list[Change]:
    """Enumerators are compared by name across the header, so anonymous
    enums, which have no name to match, are compared too."""
    ea, eb = old.enumerators(), new.enumerators()
    out: list[Change] = []
    for e in sorted(ea.keys() - eb.keys()):
        v, t = ea[e]
        out.append(Change(K.ENUMERATOR_REMOVED, header, t.name,
                          f"enumerator '{e}' of {enum_label(t.name)} removed (was {v})", t.line, t.line, member=e))
    for e in sorted(eb.keys() - ea.keys(), key=lambda k: (eb[k][0], k)):
        v, t = eb[e]
        out.append(Change(K.ENUMERATOR_ADDED, header, t.name, f"enumerator '{e}' = {v} added to {enum_label(t.name)}",
                          t.line, member=e))
    for e in sorted(ea.keys() & eb.keys(), key=lambda k: (eb[k][0], k)):
        (va, ta), (vb, tb) = ea[e], eb[e]
        if va != vb:
            out.append(Change(K.ENUMERATOR_VALUE_CHANGED, header, tb.name,
                              f"enumerator '{e}' of {enum_label(tb.name)} changed from {va} to {vb}",
                              tb.line, ta.line, member=e))
    return out


def _named(types: dict[str, TypeFact]) -> set[str]:
    return {n for n in types if not n.startswith("enum <anonymous")}


TAG = re.compile(r"\b(struct|union|enum) (\w+)")


def renamed_tags(old: dict[str, HeaderFacts], new: dict[str, HeaderFacts]) -> dict[str, str]:
    """Tags renamed with the old name kept as a macro (`#define
    v4l2_isp_params_block_header v4l2_isp_block_header`): old tag -> new tag,
    where the old type is gone and the new one exists."""
    old_types = {n for facts in old.values() for n in facts.types}
    new_types = {n for facts in new.values() for n in facts.types}
    out = {}
    for facts in new.values():
        for name, m in facts.macros.items():
            target = m.replacement
            if m.params is None and target.isidentifier() and target != name:
                kinds = [k for k in ("struct", "union", "enum") if f"{k} {name}" in old_types
                         and f"{k} {target}" in new_types and f"{k} {name}" not in new_types]
                if kinds:
                    out[name] = target
    return out


def _same_type(x: MemberFact, y: MemberFact, renamed: dict[str, str]) -> bool:
    """uint32_t and __u32 are both unsigned int; a tag renamed through a
    macro names the same type."""
    if x.size != y.size:
        return False
    a, b = x.canonical, y.canonical
    return a == b or TAG.sub(lambda m: f"{m.group(1)} {renamed.get(m.group(2), m.group(2))}", a) == b


def _type(header: str, name: str, a: TypeFact, b: TypeFact, renamed: dict[str, str]) -> list[Change]:
    out: list[Change] = []
    if (a.size, a.align, a.target, a.members) == (b.size, b.align, b.target, b.members):
        return out  # the members' facts are shared objects: most types are this quick to tell unchanged

    def add(kind: ChangeKind, message: str, member: str = "") -> None:
        out.append(Change(kind, header, name, message, b.line, a.line, member=member))

    if a.size != b.size:
        add(K.TYPE_SIZE_CHANGED, f"size of '{name}' changed from {a.size} to {b.size} bytes (by {b.size - a.size:+d})")
    if a.align != b.align:
        add(K.TYPE_ALIGN_CHANGED, f"alignment of '{name}' changed from {a.align} to {b.align} bytes")
    if a.kind == "typedef" and a.target != b.target:
        add(K.TYPEDEF_CHANGED, f"typedef '{name}' changed from '{a.target}' to '{b.target}'")
    if a.kind == "enum":
        return out
    ma, mb = a.named_members, b.named_members
    for m in sorted(ma.keys() - mb.keys(), key=lambda k: (ma[k].offset, k)):
        add(K.MEMBER_REMOVED, f"member '{m}' of '{name}' removed (was at offset {amount(ma[m].offset, ma[m].bitfield)})",
            m)
    for m in sorted(mb.keys() - ma.keys(), key=lambda k: (mb[k].offset, k)):
        add(K.MEMBER_ADDED, f"member '{mb[m].type} {m}' added to '{name}' at offset "
            f"{amount(mb[m].offset, mb[m].bitfield)}", m)
    for m in sorted(ma.keys() & mb.keys(), key=lambda k: (mb[k].offset, k)):
        x, y = ma[m], mb[m]
        if x.offset != y.offset:
            bits = x.bitfield or y.bitfield or (x.offset | y.offset) % 8 != 0
            add(K.MEMBER_OFFSET_CHANGED, f"offset of '{name}.{m}' changed from {amount(x.offset, bits)} to "
                f"{amount(y.offset, bits)} (by {'+' if y.offset > x.offset else '-'}"
                f"{amount(abs(y.offset - x.offset), bits)})", m)
        if not _same_type(x, y, renamed):
            add(K.MEMBER_TYPE_CHANGED, f"type of '{name}.{m}' changed from '{x.type}' ({amount(x.size, x.bitfield)}) "
                f"to '{y.type}' ({amount(y.size, y.bitfield)})", m)
    return out


def _types(header: str, old: HeaderFacts, new: HeaderFacts, renamed: dict[str, str]) -> list[Change]:
    out: list[Change] = []
    for name in sorted(_named(old.types) - _named(new.types)):
        t = old.types[name]
        out.append(Change(K.TYPE_REMOVED, header, name, f"'{name}' removed", t.line, t.line))
    for name in sorted(_named(new.types) - _named(old.types)):
        t = new.types[name]
        out.append(Change(K.TYPE_ADDED, header, name, f"'{name}' added ({t.size} bytes, align {t.align})", t.line))
    for name in sorted(_named(old.types) & _named(new.types)):
        out += _type(header, name, old.types[name], new.types[name], renamed)
    return out


def compare(old: Snapshot, new: Snapshot) -> dict[str, list[Change]]:
    """Changes per arch, for the arches both snapshots have."""
    result: dict[str, list[Change]] = {}
    for arch in [a for a in new.arches if a in old.arches]:
        oh, nh = old.arches[arch], new.arches[arch]
        renamed = renamed_tags(oh, nh)
        changes: list[Change] = []
        for h in sorted(oh.keys() - nh.keys()):
            changes.append(Change(K.HEADER_REMOVED, h, h, f"header '{h}' removed", 0, path=oh[h].path))
        for h in sorted(nh.keys() - oh.keys()):
            changes.append(Change(K.HEADER_ADDED, h, h, f"header '{h}' added", 0, path=nh[h].path))
        for h in sorted(oh.keys() & nh.keys()):
            found = _macros(h, oh[h], nh[h]) + _types(h, oh[h], nh[h], renamed) + _enumerators(h, oh[h], nh[h])
            changes += [replace(c, path=oh[h].path if c.kind.removal and c.kind is not K.MEMBER_REMOVED
                                else nh[h].path, old_path=oh[h].path, old_revision=old.revision) for c in found]
        result[arch] = changes
    return result
