"""What the analysis of a header establishes, per arch: typed facts about
each macro and each type, as the layout and snapshot stages produce them and
the compare, rules and report stages read them.

Each fact is a frozen dataclass with ``to_json``/``from_json`` for the
snapshot format (docs/snapshot-format.md); a fact read back from a snapshot
equals the one that was written. A diff holds every header of two trees on
each arch: the many small facts have slots, equal macro and member facts are
read as one object, and so are the strings facts repeat (types, replacement
lists, include paths).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from sys import intern
from typing import Any, Generic, Literal, TypeVar

from .diagnostics import Diagnostic, Location
from .jsonfile import compact

Json = dict[str, Any]
TypeKind = Literal["struct", "union", "enum", "typedef"]


def amount(bits: int, in_bits: bool = False) -> str:
    """A size or offset as pahole prints it: bytes, or bits for bit-fields
    and amounts that are no whole bytes."""
    if in_bits or bits % 8:
        return f"{bits} bit{'s' if bits != 1 else ''}"
    return f"{bits // 8} byte{'s' if bits != 8 else ''}"


@dataclass(frozen=True, slots=True)
class MemberFact:
    """A member of a struct or union; offset and size in bits, so that
    bit-fields are exact."""

    name: str | None  # None: an anonymous struct or union, or an unnamed bit-field
    offset: int  # from the start of the enclosing record
    size: int
    type: str  # as written
    canon: str = ""  # the type with typedefs resolved, where that reads differently
    bitfield: bool = False
    members: tuple[MemberFact, ...] = ()  # of an anonymous struct or union

    @property
    def end(self) -> int:
        return self.offset + self.size

    @property
    def canonical(self) -> str:
        """The type as the compiler sees it: uint32_t and __u32 are both 'unsigned int'."""
        return self.canon or self.type

    def to_json(self) -> Json:
        d: Json = {"name": self.name, "offset": self.offset, "size": self.size, "type": self.type}
        if self.canon:
            d["canon"] = self.canon
        if self.bitfield:
            d["bitfield"] = True
        if self.members:
            d["members"] = [m.to_json() for m in self.members]
        return d

    @classmethod
    def from_json(cls, d: Json) -> MemberFact:
        name, members = d["name"], d.get("members")
        key: tuple[Any, ...] = (name and intern(name), d["offset"], d["size"], intern(d["type"]),
                                intern(d.get("canon", "")), d.get("bitfield", False),
                                tuple(cls.from_json(m) for m in members) if members else ())
        return _one(_MEMBERS, key, lambda: cls(*key))


@dataclass(frozen=True)
class TypeFact:
    """A struct, union, enum or typedef laid out on one arch; size and
    alignment in bytes."""

    kind: TypeKind
    name: str  # "struct rseq", "enum x", a typedef name
    size: int
    align: int  # __alignof__
    line: int
    file: str = ""  # the header that defines it (a snapshot keeps it per header, not per type)
    col: int = 0  # not kept in snapshots
    member_align: int = 0  # as a struct member, where it differs from align (i386's long long: 4)
    members: tuple[MemberFact, ...] = ()  # struct, union; a typedef of an anonymous record
    enumerators: tuple[tuple[str, int], ...] = ()
    target: str = ""  # typedef: the type it names
    packed: bool = False

    @property
    def loc(self) -> Location:
        return Location(self.file, self.line, self.col)

    @property
    def record(self) -> bool:
        return self.kind in ("struct", "union")

    @cached_property
    def named_members(self) -> dict[str, MemberFact]:
        """The members by the names C code uses: the members of anonymous
        structs and unions lifted, offsets made absolute."""
        out: dict[str, MemberFact] = {}

        def walk(members: tuple[MemberFact, ...], base: int) -> None:
            for m in members:
                if m.name is None and m.members:
                    walk(m.members, base + m.offset)
                elif m.name is not None:
                    out[m.name] = replace(m, offset=base + m.offset) if base else m

        walk(self.members, 0)
        return out

    @cached_property
    def gaps(self) -> tuple[tuple[int, int], ...]:
        """The bits no named member covers, as [start, end) ranges: holes,
        unnamed bit-fields and the padding at the end (implicit padding)."""
        spans = sorted((m.offset, m.end) for m in self.named_members.values())
        out = []
        at = 0
        for start, end in spans:
            if start > at:
                out.append((at, start))
            at = max(at, end)
        if self.size * 8 > at:
            out.append((at, self.size * 8))
        return tuple(out)

    def to_json(self) -> Json:
        d: Json = {"kind": self.kind, "line": self.line, "size": self.size, "align": self.align}
        if self.member_align and self.member_align != self.align:
            d["member_align"] = self.member_align
        if self.record:
            d["members"] = [m.to_json() for m in self.members]
            if self.packed:
                d["packed"] = True
        elif self.kind == "enum":
            d["enumerators"] = [[n, v] for n, v in self.enumerators]
        else:
            d["target"] = self.target
            if self.members:
                d["members"] = [m.to_json() for m in self.members]
        return d

    @classmethod
    def from_json(cls, name: str, d: Json, file: str = "") -> TypeFact:
        kind = d["kind"]
        if kind not in ("struct", "union", "enum", "typedef"):
            raise ValueError(f"unknown type kind {kind!r}")
        return cls(kind, name, d["size"], d["align"], d["line"], file, 0, d.get("member_align", 0),
                   tuple(MemberFact.from_json(m) for m in d.get("members", ())),
                   tuple((str(n), int(v)) for n, v in d.get("enumerators", ())), d.get("target", ""),
                   d.get("packed", False))


@dataclass(frozen=True, slots=True)
class MacroFact:
    """A macro as the header leaves it: its exact tokens and, for an
    object-like macro, what C and #if make of it."""

    name: str
    line: int
    col: int
    params: tuple[str, ...] | None  # None: object-like
    replacement: str  # tokens with one space where white space was
    value: int | None = None  # C value, for integer constant expressions
    ctype: str | None = None  # its C type
    value_error: str | None = None
    if_ok: bool = False  # usable in #if under -Wundef -Werror
    if_value: int | None = None
    if_error: str | None = None
    undefined: list[str] = field(default_factory=list)  # taken as 0 by #if
    overflow: bool = False  # signed overflow while computing the C value
    # identifiers a use of the macro leaves that its own translation unit
    # does not define, with how they are used: "type" (in a cast), "call", "value"
    free: tuple[tuple[str, str], ...] = ()

    @property
    def signature(self) -> str:
        return self.name if self.params is None else f"{self.name}({', '.join(self.params)})"

    def to_json(self) -> Json:
        d: Json = {"line": self.line, "col": self.col, "replacement": self.replacement}
        if self.free:
            d["free"] = [list(f) for f in self.free]
        if self.params is not None:
            d["params"] = list(self.params)
            return d
        for key in ("value", "ctype", "value_error", "if_value", "if_error"):
            v = getattr(self, key)
            if v is not None:
                d[key] = v
        d["if_ok"] = self.if_ok
        if self.undefined:
            d["undefined"] = self.undefined
        if self.overflow:
            d["overflow"] = True
        return d

    @classmethod
    def from_json(cls, name: str, d: Json) -> MacroFact:
        get = d.get
        line, col, value, value_error, if_ok, if_value, if_error, overflow = (
            d["line"], d["col"], get("value"), get("value_error"), get("if_ok", False), get("if_value"),
            get("if_error"), get("overflow", False))
        params, replacement, ctype, undefined, free = (
            get("params"), intern(d["replacement"]), get("ctype"), get("undefined"), get("free"))
        params = tuple(params) if params is not None else None
        ctype = ctype and intern(ctype)
        undefined = tuple(undefined) if undefined else ()  # a list in the fact, a tuple in the key
        free = tuple((str(n), str(how)) for n, how in free) if free else ()
        return cls.one(name, line, col, params, replacement, value, ctype, value_error, if_ok, if_value, if_error,
                       undefined, overflow, free)

    @classmethod
    def one(cls, name: str, line: int, col: int, params: tuple[str, ...] | None, replacement: str,
            value: int | None = None, ctype: str | None = None, value_error: str | None = None, if_ok: bool = False,
            if_value: int | None = None, if_error: str | None = None, undefined: Sequence[str] = (),
            overflow: bool = False, free: tuple[tuple[str, str], ...] = ()) -> MacroFact:
        """The fact so made: the one made already, if one was (see _one)."""
        key = (name, line, col, params, replacement, value, ctype, value_error, if_ok, if_value, if_error,
               tuple(undefined), overflow, free)
        return _one(_MACROS, key, lambda: cls(name, line, col, params, replacement, value, ctype, value_error, if_ok,
                                              if_value, if_error, list(undefined), overflow, free))


# A macro or a member has the same facts on most arches and in both trees of
# a diff: one object for all (a fact is frozen), found by its fields, which is
# cheaper than making it. Kept while the process reads facts, up to a bound.
_MACROS: dict[tuple[Any, ...], MacroFact] = {}
_MEMBERS: dict[tuple[Any, ...], MemberFact] = {}
MAX_SHARED = 400_000
F = TypeVar("F")


def _one(store: dict[tuple[Any, ...], F], key: tuple[Any, ...], make: Callable[[], F]) -> F:
    fact = store.get(key)
    if fact is None:
        if len(store) >= MAX_SHARED:
            store.clear()
        fact = store[key] = make()
    return fact


def quoted(folder: str) -> str:
    """How a JSON string of a path in folder starts."""
    return json.dumps(folder)[:-1]


def only_paths_in(text: str, paths: list[str], folder: str) -> bool:
    """Whether folder starts no string of text (facts' JSON) but those of
    paths (HeaderFacts.paths()): then putting another folder in its place
    there moves those paths and nothing else."""
    return text.count(quoted(folder)) == sum(p.startswith(folder) for p in paths)


DIAGNOSTICS_FIRST = '{"diagnostics":'  # how to_text() starts
_DECODER = json.JSONDecoder()


@dataclass
class HeaderFacts:
    """One header on one arch: the macros and types it defines itself, and
    what went wrong analysing it."""

    path: str
    macros: dict[str, MacroFact] = field(default_factory=dict)
    types: dict[str, TypeFact] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    includes: list[str] = field(default_factory=list)  # files it includes, directly or not
    declares: list[str] = field(default_factory=list)  # functions and variables it declares
    # what it was read after, as a program includes it (program.py): C library
    # headers ('stddef.h') from libc, or the UAPI header that includes it
    prelude: list[str] = field(default_factory=list)
    libc: str = ""
    needs_prelude: list[str] = field(default_factory=list)  # macros and types read alone otherwise

    @property
    def broken(self) -> bool:
        return any(d.severity == "error" for d in self.diagnostics)

    def enumerators(self) -> dict[str, tuple[int, TypeFact]]:
        """Every enumerator of the header's enums by name, with its value and enum."""
        return {e: (v, t) for t in self.types.values() if t.kind == "enum" for e, v in t.enumerators}

    @classmethod
    def from_json(cls, h: Json) -> HeaderFacts:
        path = h["path"]
        return cls(path, {n: MacroFact.from_json(n, m) for n, m in h["macros"].items()},
                   {n: TypeFact.from_json(n, t, path) for n, t in h["types"].items()},
                   [Diagnostic.from_json(d) for d in h["diagnostics"]], [intern(p) for p in h.get("includes", [])],
                   list(h.get("declares", [])), list(h.get("prelude", [])), h.get("libc", ""),
                   list(h.get("needs_prelude", [])))

    @classmethod
    def from_text(cls, text: str) -> HeaderFacts:
        return cls.from_json(json.loads(text))

    @staticmethod
    def diagnostics_of(text: str) -> list[Diagnostic]:
        """The diagnostics of facts' text as to_text() writes it, read
        without the rest (a tenth of the parent's time in a -j snapshot)."""
        if not text.startswith(DIAGNOSTICS_FIRST):
            raise ValueError("facts not written by to_text()")
        found, _ = _DECODER.raw_decode(text, len(DIAGNOSTICS_FIRST))
        return [Diagnostic.from_json(d) for d in found]

    def moved(self, old: str, new: str) -> HeaderFacts:
        """These facts with each path in folder old put in folder new: the
        same header's in a tree there, where the text of both is the same
        but for those paths (the diff of two trees reads 71% of one's
        headers so). Facts are shared, not copied."""

        def at(path: str) -> str:
            return new + path[len(old):] if path.startswith(old) else path

        def located(loc: Location) -> Location:
            return Location(at(loc.file), loc.line, loc.col)

        path = at(self.path)
        return HeaderFacts(path, dict(self.macros), {n: replace(t, file=path) for n, t in self.types.items()},
                           [replace(d, location=located(d.location),
                                    notes=tuple((located(loc), text) for loc, text in d.notes))
                            for d in self.diagnostics],
                           [at(p) for p in self.includes], list(self.declares), list(self.prelude), self.libc,
                           list(self.needs_prelude))

    def to_text(self, written: Sections | None = None) -> str:
        """to_json() as compact JSON text; its macros and types as written
        already where written has them (the same header's on another arch)."""
        written = written if written is not None else Sections()
        head, tail = compact(self._head())[:-1], compact(self._tail())[1:]
        macros = written.macros.text(self.macros, lambda: compact(self._macros()))
        types = written.types.text(self.types, lambda: compact(self._types()))
        return f'{head},"macros":{macros},"types":{types}' + ("}" if tail == "}" else "," + tail)

    def paths(self) -> list[str]:
        """Every path its JSON holds (what a cache entry relocates)."""
        return [self.path, *self.includes, *(d.location.file for d in self.diagnostics),
                *(loc.file for d in self.diagnostics for loc, _ in d.notes)]

    def to_json(self) -> Json:
        return {**self._head(), "macros": self._macros(), "types": self._types(), **self._tail()}

    def _head(self) -> Json:
        return {
            # first: a reader that wants only them finds them at the start of the text (DIAGNOSTICS_FIRST)
            "diagnostics": [d.to_json() for d in self.diagnostics],
            "path": self.path,
            "includes": self.includes,
        }

    def _macros(self) -> Json:
        return {n: m.to_json() for n, m in sorted(self.macros.items())}

    def _types(self) -> Json:
        return {n: t.to_json() for n, t in sorted(self.types.items())}

    def _tail(self) -> Json:
        d: Json = {}
        if self.declares:
            d["declares"] = self.declares
        if self.prelude:
            d["prelude"] = self.prelude
        if self.libc:
            d["libc"] = self.libc
        if self.needs_prelude:
            d["needs_prelude"] = self.needs_prelude
        return d


V = TypeVar("V")


class _Written(Generic[V]):
    """Texts of one section of a header's facts, each with the facts it
    was made of, a text found again by facts equal to those."""

    def __init__(self) -> None:
        self.kept: list[tuple[V, str]] = []

    def text(self, facts: V, make: Callable[[], str]) -> str:
        for earlier, text in self.kept:
            if earlier == facts:
                return text
        text = make()
        self.kept.append((facts, text))
        return text


class Sections:
    """The texts of the macros and types of one header's facts, as
    HeaderFacts.to_text wrote them on each arch so far: most are the same
    on the next arch (72% of the text of the seven arches after x86_64 in
    a snapshot of Linux 7.2), and comparing facts costs less than writing
    them, the less where they are the same objects (MacroFact.one)."""

    def __init__(self) -> None:
        self.macros = _Written[dict[str, MacroFact]]()
        self.types = _Written[dict[str, TypeFact]]()
