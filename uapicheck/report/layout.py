"""A type as pahole prints it: offsets and sizes in bytes, holes and
padding spelled out."""

from __future__ import annotations

from ..facts import MemberFact, TypeFact


def declarator(type_: str, name: str) -> tuple[str, str]:
    """(specifiers, declarator) as C writes them: ('char', 'end[]') for a
    member of type 'char[]', ('__u64', '*p') for '__u64 *'."""
    if "[" in type_:
        base, dims = type_.split("[", 1)
        return base.rstrip(), f"{name}[{dims}"
    stars = len(type_) - len(type_.rstrip(" *"))
    if stars and "*" in type_[len(type_) - stars:]:
        base = type_.rstrip(" *")
        return base, "*" * type_.count("*", len(base)) + name
    return type_, name


def text(name: str, t: TypeFact) -> str:
    lines = [f"{name} {{"]
    stats = {"holes": 0, "hole_bytes": 0, "members": 0}

    def show(members: tuple[MemberFact, ...], base: int, depth: int, union: bool) -> int:
        end = base
        indent = "\t" * depth
        for m in members:
            off = base + m.offset
            if not union and off // 8 > (end + 7) // 8 and not m.bitfield:
                hole = off // 8 - (end + 7) // 8
                stats["holes"] += 1
                stats["hole_bytes"] += hole
                lines.append(f"{indent}/* XXX {hole} byte{'s' if hole > 1 else ''} hole, try to pack */")
            label = m.name or ""
            if m.members and m.name is None:
                lines.append(f"{indent}{m.type.replace(' <anonymous>', '')} {{")
                show(m.members, off, depth + 1, m.type.startswith("union"))
                lines.append(f"{indent}}};{'':<{max(1, 40 - len(indent) * 8)}}/* {off // 8:5} {m.size // 8:5} */")
            elif m.bitfield:
                decl = f"{m.type:<24} {label}:{m.size};"
                lines.append(f"{indent}{decl:<40} /* {off // 8:5}: {off % 8:2} {m.size:3} bits */")
            else:
                specifiers, declared = declarator(m.type, label)
                decl = f"{specifiers:<24} {declared};"
                lines.append(f"{indent}{decl:<40} /* {off // 8:5} {m.size // 8:5} */")
            stats["members"] += 1
            end = max(end, off + m.size)
        return end

    end = show(t.members, 0, 1, t.kind == "union")
    used = (end + 7) // 8
    padding = t.size - used
    lines.append("")
    lines.append(f"\t/* size: {t.size}, align: {t.align}, members: {stats['members']} */")
    if stats["holes"]:
        lines.append(f"\t/* holes: {stats['holes']}, sum holes: {stats['hole_bytes']} */")
    if padding > 0:
        lines.append(f"\t/* padding: {padding} */")
    lines.append("};")
    return "\n".join(lines)
