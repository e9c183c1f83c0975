"""What the HTML report draws, as plain data: a struct or union as boxes
on a grid of bytes (rows of 8, 16 or 32 bytes, like a hex dump), and a
macro's replacement list as tokens with the differences to the other side
marked. The templates turn these into SVG and HTML; no markup here.

Geometry is in whole pixels so that the same input gives the same bytes.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, replace

from ..arches import Arch
from ..checks.implicit_padding import holes
from ..checks.reserved_member_used import is_reserved
from ..facts import MacroFact, MemberFact, TypeFact
from ..preprocess.lexer import lex_text

WIDTH = 512  # pixels for one row of bytes
MARGIN = 44  # room for the row offsets on the left
LANE = 32  # height of one lane of members; a union's members overlap, one lane each
BAND = 16  # height of an elided run of rows


@dataclass(frozen=True)
class Shape:
    """A rectangle with CSS classes, an optional label and offset drawn in
    it, and a tooltip."""

    cls: str
    x: int
    y: int
    w: int
    h: int
    title: str
    label: str = ""
    sub: str = ""


@dataclass(frozen=True)
class Picture:
    """One side of one type on one group of arches."""

    width: int
    height: int
    shapes: tuple[Shape, ...]
    rows: tuple[tuple[int, str], ...]  # y and text of each row's byte offset
    bands: tuple[tuple[int, str], ...]  # y and text of each elided run of rows
    size: int
    align: int
    holes: tuple[str, ...]  # as the implicit-padding rule words them
    differs: bool  # size or alignment differ from the other side


def per_row(sizes: Iterable[int]) -> int:
    """Bytes per row, one scale for every picture of a type: 8 for small
    types, so that a __u64 fills a row, more for big ones."""
    biggest = max(sizes, default=0)
    return 8 if biggest <= 64 else 16 if biggest <= 512 else 32


def leaves(members: tuple[MemberFact, ...], base: int = 0) -> list[MemberFact]:
    """The members that hold bytes, anonymous structs and unions opened,
    offsets made absolute; unnamed bit-fields kept (they take bits too)."""
    out: list[MemberFact] = []
    for m in members:
        if m.name is None and m.members:
            out += leaves(m.members, base + m.offset)
        else:
            out.append(replace(m, offset=base + m.offset))
    return out


def unit_bits(m: MemberFact, arch: Arch) -> int:
    """The storage unit of a bit-field: its declared type's size."""
    words = [w for w in m.canonical.split() if w not in ("const", "volatile", "signed", "unsigned")]
    key = {"short int": "short", "long int": "long", "long long int": "long long"}.get(" ".join(words),
                                                                                     " ".join(words))
    return arch.types.get(key, arch.types["int"])[0] * 8  # an enum, or a type we cannot name: int


def amount(bits: int, bitfield: bool = False) -> str:
    """Bytes for whole members, bits for bit-fields, as pahole prints them."""
    if bitfield or bits % 8:
        return f"{bits} bit{'s' if bits != 1 else ''}"
    return f"{bits // 8} byte{'s' if bits != 8 else ''}"


def place(bits: int) -> str:
    return f"{bits // 8}" if bits % 8 == 0 else f"{bits // 8}:{bits % 8}"


def marks(this: TypeFact, other: TypeFact | None, side: str) -> dict[str, tuple[str, str]]:
    """Per named member: the change classes (add, del, mov, grow, retype) and
    what they mean, against the other side; nothing where there is none."""
    if other is None:
        return {}
    out: dict[str, tuple[str, str]] = {}
    theirs = other.named_members
    for name, m in this.named_members.items():
        o = theirs.get(name)
        if o is None:
            out[name] = ("add", "added") if side == "new" else ("del", "removed in NEW")
            continue
        old, new = (o, m) if side == "new" else (m, o)
        cls: list[str] = []
        notes: list[str] = []
        if old.offset != new.offset:
            cls.append("mov")
            notes.append(f"moved from offset {place(old.offset)} to {place(new.offset)} "
                         f"(by {'+' if new.offset > old.offset else '-'}{amount(abs(new.offset - old.offset))})")
        if old.size != new.size:
            cls.append("grow")
            notes.append(f"{'grew' if new.size > old.size else 'shrank'} from {amount(old.size, old.bitfield)} "
                         f"to {amount(new.size, new.bitfield)}")
        elif old.canonical != new.canonical:
            cls.append("retype")
            notes.append(f"type changed from '{old.type}' to '{new.type}'")
        if cls:
            out[name] = (" ".join(cls), "; ".join(notes))
    return out


def picture(t: TypeFact, other: TypeFact | None, side: str, arch: Arch, row_bytes: int) -> Picture:
    """t drawn on rows of row_bytes bytes: members as boxes (bit-fields in
    their storage unit), holes and padding shaded, reserved members marked,
    members changed against other (the other side) highlighted."""
    scale = WIDTH // row_bytes  # pixels per byte
    row_bits = row_bytes * 8
    items = sorted(leaves(t.members), key=lambda m: (m.offset, -m.size))
    lane_of = lanes(items)
    end = max([t.size * 8] + [m.end for m in items])
    count = max(1, -(-end // row_bits))

    # a row inside a long member (or a long hole) that the rows before and after share is left out
    holders: list[list[int]] = [[] for _ in range(count)]
    for i, m in enumerate(items):
        for r in range(m.offset // row_bits, min(count, -(-m.end // row_bits))):
            holders[r].append(i)

    def plain(r: int) -> tuple[int, ...] | None:
        """The one member filling row r, () for an empty row, None otherwise."""
        h = holders[r]
        if not h:
            return ()
        if len(h) == 1 and items[h[0]].offset <= r * row_bits and items[h[0]].end >= (r + 1) * row_bits:
            return (h[0],)
        return None

    kinds = [plain(r) for r in range(count)]
    height = [(max((lane_of[i] for i in h), default=0) + 1) * LANE for h in holders]  # a union's rows are taller
    elided = [0 < r < count - 1 and kinds[r] is not None and kinds[r - 1] == kinds[r] == kinds[r + 1]
              for r in range(count)]
    top: dict[int, int] = {}
    rows: list[tuple[int, str]] = []
    bands: list[tuple[int, str]] = []
    bottom = 0
    r = 0
    while r < count:
        if elided[r]:
            first = r
            while r < count and elided[r]:
                r += 1
            bands.append((bottom, f"⋮ {(r - first) * row_bytes} bytes"))
            bottom += BAND
            continue
        top[r] = bottom
        rows.append((bottom, str(r * row_bytes)))
        bottom += height[r] + 4
        r += 1

    def spans(lo: int, hi: int) -> list[tuple[int, int, int, int]]:
        """[lo, hi) in bits cut into drawn rows: (row, x, y, width) each; an
        empty span (a flexible array) at the end of the row before it."""
        if hi == lo:
            row = min(lo // row_bits, count - 1)
            return [(row, MARGIN + (lo - row * row_bits) * scale // 8, top[row], 0)] if row in top else []
        out = []
        for row in range(lo // row_bits, min(count, -(-hi // row_bits))):
            if row in top:
                a, b = max(lo, row * row_bits) - row * row_bits, min(hi, (row + 1) * row_bits) - row * row_bits
                out.append((row, MARGIN + a * scale // 8, top[row], (b - a) * scale // 8))
        return out

    shapes: list[Shape] = []
    for lo, hi, what in gaps(items, t.size * 8):
        title = (f"{amount(hi - lo)} {what} at offset {place(lo)}" if (hi - lo) % 8 == 0 and lo % 8 == 0
                 else f"{amount(hi - lo, True)} unused at offset {place(lo)}")
        shapes += [Shape("gap " + ("pad" if what == "padding" else "hole"), x, y, w, height[row], title)
                   for row, x, y, w in spans(lo, hi)]
    # bit-fields' storage units, behind their fields
    units: dict[tuple[int, int, int], str] = {}
    for m, lane in zip(items, lane_of):
        if m.bitfield:
            size = unit_bits(m, arch)
            lo = m.offset // size * size
            hi = lo + size if m.end <= lo + size else -(-m.end // 8) * 8  # packed: it straddles units
            units.setdefault((lo, hi, lane), m.canonical)
    for (lo, hi, lane), ctype in units.items():
        shapes += [Shape("unit", x, y + lane * LANE, w, LANE - 2, f"storage unit '{ctype}' at offset {place(lo)}, "
                         f"{amount(hi - lo)}") for _, x, y, w in spans(lo, hi)]
    changes = marks(t, other, side)
    for m, lane in zip(items, lane_of):
        cls = ["m"]
        if m.bitfield:
            cls.append("bf")
        if m.size == 0:
            cls.append("flex")
        if m.name and is_reserved(m.name):
            cls.append("res")
        change = changes.get(m.name or "")
        if change:
            cls.append(change[0])
        name = m.name or ("(unnamed bit-field)" if m.bitfield else "(unnamed)")
        title = "".join((f"{m.type} {name}", f":{m.size}" if m.bitfield else "",
                         f": offset {place(m.offset)}, {amount(m.size, m.bitfield)}",
                         "; reserved" if "res" in cls else "", f"; {change[1]}" if change else ""))
        cut = spans(m.offset, m.end)
        widest = max(range(len(cut)), key=lambda i: cut[i][3], default=-1)
        for i, (_, x, y, w) in enumerate(cut):
            # a bit-field sits inside its unit's frame, too low for its offset: that is in the tooltip
            sub = "" if m.bitfield or i != widest else fit("@" + place(m.offset), w)
            shapes.append(Shape(" ".join(cls), x, y + lane * LANE + (4 if m.bitfield else 0),
                                max(w, 2 if m.bitfield else 3), LANE - 2 - (8 if m.bitfield else 0), title,
                                (name if m.size == 0 else fit(name, w)) if i == widest else "", sub))
    differs = other is not None and (other.size, other.align) != (t.size, t.align)
    return Picture(MARGIN + WIDTH + 4, bottom, tuple(shapes), tuple(rows), tuple(bands), t.size, t.align,
                   tuple(holes(t)) if t.kind == "struct" else (), differs)


def lanes(items: list[MemberFact]) -> list[int]:
    """A lane for each member (in offset order), the first whose members
    all end before it starts: a struct's members share lane 0, a union's
    overlap and take one lane each."""
    ends: list[int] = []  # in bits, where what each lane holds so far ends
    out = []
    for m in items:
        lane = next((i for i, end in enumerate(ends) if end <= m.offset), len(ends))
        if lane == len(ends):
            ends.append(0)
        ends[lane] = max(ends[lane], m.end)
        out.append(lane)
    return out


def gaps(items: list[MemberFact], size: int) -> list[tuple[int, int, str]]:
    """The bits of [0, size) no member covers, as (start, end, "hole") or,
    after the last member, (start, end, "padding")."""
    covered: list[tuple[int, int]] = []
    for m in items:
        if covered and m.offset <= covered[-1][1]:
            covered[-1] = (covered[-1][0], max(covered[-1][1], m.end))
        else:
            covered.append((m.offset, m.end))
    last = covered[-1][1] if covered else 0
    return [(a, b, "padding" if a >= last else "hole")
            for (_, a), (b, _) in zip([(0, 0)] + covered, covered + [(size, size)]) if b > a]


def fit(text: str, width: int) -> str:
    """text cut to what fits width pixels at the drawing's font (about 6.6
    pixels a character), with an ellipsis; "" where that leaves less than
    two characters."""
    room = (width - 6) * 10 // 66
    if len(text) <= room:
        return text
    return text[:room - 1] + "…" if room >= 3 else ""


# ---------------------------------------------------------------- macros

@dataclass(frozen=True)
class Token:
    text: str
    space: bool  # white space before it
    mark: str = ""  # "chg": differs from the other side; "ws": only the white space before it does


def tokens(m: MacroFact, other: MacroFact | None) -> list[Token]:
    """m's replacement list as tokens, those that differ from other's marked.
    A redefinition must match token for token and in the presence of white
    space between tokens (C11 6.10.3p2), so a white-space change is marked too."""
    mine = [(t.text, t.space and i > 0) for i, t in enumerate(lex_text(m.replacement))]
    if other is None:
        return [Token(text, space) for text, space in mine]
    theirs = [(t.text, t.space and i > 0) for i, t in enumerate(lex_text(other.replacement))]
    out: list[Token] = []
    matcher = difflib.SequenceMatcher(None, [t for t, _ in mine], [t for t, _ in theirs], autojunk=False)
    for op, i1, i2, j1, _ in matcher.get_opcodes():
        for k in range(i1, i2):
            text, space = mine[k]
            mark = "chg" if op != "equal" else "ws" if space != theirs[j1 + k - i1][1] and k > 0 else ""
            out.append(Token(text, space, mark))
    return out


def values(m: MacroFact) -> list[str]:
    """What C and #if make of an object-like macro."""
    if m.params is not None:
        return [f"function-like: {m.signature}"]
    out = [f"C value {m.value} ({m.ctype})" if m.value is not None
           else f"no C value: {m.value_error or 'not an integer constant'}"]
    if m.if_ok:
        out.append(f"#if value {m.if_value}")
    else:
        why = m.if_error or ("uses undefined " + ", ".join(f"'{u}'" for u in m.undefined) if m.undefined else "")
        out.append(f"not usable in #if{': ' + why if why else ''}")
    return out
