"""Sizes, alignments and offsets of declared types on one architecture.

The rules are GCC's for the System V family of ABIs that every Linux arch
follows (gcc/stor-layout.cc): a member is placed at the next multiple of its
alignment; a bit-field (PCC_BITFIELD_TYPE_MATTERS) is moved to the next
boundary of its type's alignment only when it would otherwise span more
alignment units than its type has (excess_unit_span), and a named bit-field
raises the struct's alignment to its type's; ``packed`` drops a member's
alignment to 1 byte (and a bit-field's to 1 bit) unless the member itself
says ``aligned``; ``aligned(N)`` raises (on a typedef: sets) the alignment;
the size is rounded up to the alignment.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, TypeVar, cast

from .arches import Arch
from .diagnostics import Diagnostic, Location
from .facts import MemberFact, TypeFact
from .kept import Kept
from .errors import EvalError
from .expr import CEvaluator, IntType, TypeName, int_bits_needed
from .parse import BUILTIN_TYPEDEFS, Attrs, Declarations, EnumDecl, Record, Typedef, TypeRef
from .preprocess.lexer import lex_text
from .tokens import Token, closed, spell

T = TypeVar("T")
A = TypeVar("A")
R = TypeVar("R")
MAX_ALIGN = 1 << 28
MAX_SIZE = 1 << 62


class LayoutError(Exception):
    def __init__(self, message: str, loc: Location | None = None, lacks: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.loc = loc
        self.lacks = lacks  # the type or identifier nothing defines

    def again(self) -> LayoutError:
        """The same error, without the traceback of its first raise: kept in
        the engine's caches, an error raised through it would hold the
        engine's frames, and so the engine itself, in a reference cycle."""
        return type(self)(self.message, self.loc, self.lacks)


class IncompleteType(LayoutError):
    """A struct, union or enum declared but not defined: legal to name (in
    a typedef, behind a pointer), not to lay out."""


@dataclass(frozen=True)
class Info:
    size: int  # bytes
    align: int  # __alignof__
    member_align: int  # alignment as a struct member
    int_type: IntType | None = None  # for integer and enum types


# base types by arch (kept with it: no other takes its id) and their words: a few dozen an arch,
# unless a header spells them in many orders (qualifiers are among the words)
_BASES: dict[tuple[int, tuple[str, ...]], tuple[Arch, Info]] = {}
MAX_BASES = 10_000

# enums whose values read nothing but numbers and their own enumerators, laid out, by
# declaration (the same object in every unit that includes it) and what of the arch a layout
# reads: most enums of a unit are its includes', laid out again in each
_ENUMS: Kept[tuple[int, tuple[object, ...], bool | None], tuple[EnumDecl, Info, list[tuple[str, int]]]] = \
    Kept(200_000, 1)

# What a layout read of its unit and arch, each question with its answer (see Engine.ask):
# a record laid out again where each is answered alike is laid out alike
Reads = dict[tuple[object, ...], object]
# questions answered by a declaration: compared by identity, as the same object
BY_IDENTITY = frozenset(["typedef", "record", "enum"])
FAILED: tuple[object, ...] = ("failed",)  # a layout that met an error, even one caught: not kept
# records laid out, by declaration (the same object in each unit and arch that parses its
# segment alike) with what their layout read: each unit lays out again the records of its
# includes it needs, and each arch every record, most of them reading the same (up to eight
# layouts a record: eight arches may each read differently)
_RECORDS: Kept[int, tuple[Record, Reads, tuple[Info, tuple[MemberFact, ...]]]] = Kept(500_000, 8)


def _round(value: int, align: int) -> int:
    return (value + align - 1) // align * align


def _find_member(members: tuple[MemberFact, ...], name: str) -> tuple[int, MemberFact] | None:
    """A member by name, looking into anonymous structs and unions; its
    offset in bits from the start of members' record."""
    for m in members:
        if m.name == name:
            return m.offset, m
        if m.name is None and m.members:
            inner = _find_member(m.members, name)
            if inner is not None:
                return m.offset + inner[0], inner[1]
    return None


def _self_contained(decl: EnumDecl) -> bool:
    """Whether the enum's values read nothing but numbers and its own
    enumerators before them (`B = A << 1`): the same in every unit."""
    before: set[str] = set()
    for e in decl.enumerators:
        if e.value is not None and not all(t.kind != "id" or t.text in before for t in e.value):
            return False
        before.add(e.name)
    return True


class Engine:
    """Lays out the declarations of one preprocessed header for one arch, and
    answers the C evaluator's questions about types (expr.TypeOracle)."""

    def __init__(self, decls: Declarations, arch: Arch) -> None:
        self.arch = arch
        self.ints = arch.ints
        self.records: dict[tuple[str, str], Record] = {}
        self.enums: dict[str, EnumDecl] = {}
        self.typedefs = {t.name: t for t in decls.typedefs}
        self.diagnostics: list[Diagnostic] = []
        # C11 6.7.2.3: a tag is defined once in its scope (the file scope, for
        # a struct defined inside another); GCC rejects even the same body
        # again. Between two files, the fault of whoever includes both.
        self.redefinitions: list[Diagnostic] = []
        # keyed by tuples, the same object compared first: an engine is made per unit and arch
        defined: dict[tuple[str, str], Location] = {}
        for kind, tag, loc in [(r.kind, r.tag, r.loc) for r in decls.records] + [("enum", e.tag, e.loc)
                                                                               for e in decls.enums]:
            if not tag:
                continue
            first = defined.setdefault((kind, tag), loc)
            if first is not loc and first != loc:
                self.redefinitions.append(Diagnostic("error", loc, f"redefinition of '{kind} {tag}'", "layout",
                                                     ((first, "originally defined here"),)))
        for r in decls.records:
            if r.tag:
                self.records.setdefault((r.kind, r.tag), r)
        for e in decls.enums:
            if e.tag:
                self.enums.setdefault(e.tag, e)
        self.decls = decls
        # by a weak reference: a cycle would leave the engine, and the unit it
        # holds, to Python's cycle collector
        self.evaluator = CEvaluator(self.ints, weakref.proxy(self))
        self.constants: dict[str, int] = {}
        self.enum_info: dict[int, Info] = {}
        self.enum_values: dict[int, list[tuple[str, int]]] = {}
        self.record_cache: dict[int, tuple[Info, tuple[MemberFact, ...]] | LayoutError] = {}
        self.typedef_cache: dict[str, Info | LayoutError] = {}
        # what each record and typedef laid out read (see Reads), and what the
        # one being laid out reads so far: None outside a layout
        self.record_reads: dict[int, Reads] = {}
        self.typedef_reads: dict[str, Reads] = {}
        self.reading: Reads | None = None
        self.busy: set[int] = set()
        self.busy_names: set[str] = set()
        # a record or typedef failed (what fails, and how, can depend on the
        # order types are laid out in), or layouts(only) skipped a type that
        # takes a name of only's: only laying out everything, in order, is sure
        self.unsure = False
        # all an enum's layout reads of the arch, but for the sign of char (see lay_enum)
        self.enum_abi = (self.ints.int_bits, self.ints.long_bits,
                         tuple(arch.types[k] for k in ("char", "short", "int", "long long")))
        for e in decls.enums:
            self.lay_enum(e)

    # ------------------------------------------------------------ oracle

    def is_type(self, name: str) -> bool:
        return self.typedef(name) is not None or name in BUILTIN_TYPEDEFS

    def constant(self, name: str) -> int | None:
        return self.note(("constant", name), self.constants.get(name))

    # ------------------------------------------------------------ reads

    def note(self, question: tuple[object, ...], answer: T) -> T:
        """answer, noted as what the layout being made read."""
        if self.reading is not None:
            self.reading[question] = answer
        return answer

    def ask(self, question: tuple[object, ...]) -> object:
        """What this unit and arch answer a question a layout read."""
        what = question[0]
        if what == "typedef":
            return self.typedefs.get(cast(str, question[1]))
        if what == "record":
            return self.records.get(cast(tuple[str, str], question[1]))
        if what == "enum":
            return self.enums.get(cast(str, question[1]))
        if what == "enum info":
            return self.enum_info.get(cast(int, question[1]))
        if what == "constant":
            return self.constants.get(cast(str, question[1]))
        if what == "base":
            return self._kept_base(cast(tuple[str, ...], question[1]))
        if what == "type":
            return self.arch.types.get(cast(str, question[1]))
        if what == "ints":  # with whether the width of long, and the sign of char, are read
            ints = self.ints
            return ints.int_bits, ints.long_bits if question[1] else None, ints.char_signed if question[2] else None
        return getattr(self.arch, cast(str, question[1]))  # ("arch", biggest_alignment or bitfield_anon_align)

    def answers_same(self, reads: Reads) -> bool:
        for question, answer in reads.items():
            now = self.ask(question)
            if now is not answer and (question[0] in BY_IDENTITY or now != answer):
                return False
        return True

    def typedef(self, name: str) -> Typedef | None:
        return self.note(("typedef", name), self.typedefs.get(name))

    def tagged(self, kind: str, tag: str) -> Record | None:
        return self.note(("record", (kind, tag)), self.records.get((kind, tag)))

    def arch_flag(self, name: Literal["biggest_alignment", "bitfield_anon_align"]) -> int:
        value: int = getattr(self.arch, name)
        return self.note(("arch", name), value)

    def arch_type(self, name: str) -> tuple[int, int, int] | None:
        return self.note(("type", name), self.arch.types.get(name))

    def noting(self, reads: Reads, lay: Callable[[A], R], arg: A) -> R:
        """lay(arg), noting in reads what it reads, and then in the layout
        around it: a layout reads what those it takes read."""
        outer, self.reading = self.reading, reads
        try:
            return lay(arg)
        except (LayoutError, RecursionError):
            reads[FAILED] = True
            raise
        finally:
            self.reading = outer
            if outer is not None:
                outer.update(reads)

    def evaluating(self, tokens: list[Token] | None = None) -> CEvaluator:
        """The C evaluator, noted as reading the integer types; of them, for
        tokens without an identifier (most array sizes: a number), only what
        their constants read (see analysis._fact_key)."""
        if self.reading is not None:
            if tokens is not None and closed(tokens):
                long = int_bits_needed(tokens) > self.ints.int_bits
                question: tuple[object, ...] = ("ints", long, any(t.kind == "chr" for t in tokens))
            else:
                question = ("ints", True, True)
            self.reading[question] = self.ask(question)
        return self.evaluator

    def size_align(self, tname: TypeName) -> tuple[int, int]:
        info = self.info(self.typename_ref(tname))
        return info.size, info.align

    def offset_of(self, tname: TypeName, path: list[str | int]) -> int:
        """offsetof(type, a.b[2].c) in bytes."""
        ref = self.typename_ref(tname)
        if ref.kind != "record":
            raise EvalError(f"offsetof needs a struct or union, not '{' '.join(tname.words)}'")
        record = ref.record or self.tagged(ref.names[0], ref.tag or "")
        if record is None:
            raise EvalError(f"offsetof of incomplete type '{' '.join(tname.words)}'")
        members = self.record(record)[1]
        bits = 0
        current: MemberFact | None = None
        for step in path:
            if isinstance(step, int):
                if current is None or not current.type.endswith("]"):
                    raise EvalError("offsetof: subscript of something that is not an array")
                count = self.evaluating().evaluate(lex_text(current.type[current.type.rindex("[") + 1:-1])).value
                bits += step * (current.size // count if count else 0)
                continue
            found = _find_member(members, step)
            if found is None:
                raise EvalError(f"offsetof: no member named '{step}'")
            offset, current = found
            bits += offset
            members = current.members or self._members_of(current.type)
        if current is not None and current.bitfield:
            raise EvalError(f"offsetof of bit-field '{current.name}'")
        return bits // 8

    def _members_of(self, type_text: str) -> tuple[MemberFact, ...]:
        """The members of a named struct or union type, arrays of it too."""
        words = tuple(type_text.split("[")[0].split())
        if not words:
            return ()
        try:
            ref = self.typename_ref(TypeName(words))
            while ref.kind == "name":
                td = self.typedef(ref.names[0])
                if td is None:
                    return ()
                ref = td.type
            if ref.kind != "record":
                return ()
            record = ref.record or self.tagged(ref.names[0], ref.tag or "")
            return self.record(record)[1] if record is not None else ()
        except (LayoutError, KeyError, EvalError):
            return ()

    def canon(self, ref: TypeRef) -> str:
        """The type as the compiler sees it: typedefs resolved, integer types
        by their one name ('unsigned int' for __u32 and uint32_t); "" where
        that is the spelling already."""
        canon = self._canon(ref, 0)
        return "" if canon == ref.spelling() else canon

    def _canon(self, r: TypeRef, depth: int) -> str:
        if depth > 64:
            return r.spelling()
        td = self.typedef(r.names[0]) if r.kind == "name" else None
        if td is not None:
            return self._canon(td.type, depth + 1)
        if r.kind == "name" and BUILTIN_TYPEDEFS.get(r.names[0], "pointer") != "pointer":
            return BUILTIN_TYPEDEFS[r.names[0]]  # __uint128_t is unsigned __int128
        if r.kind == "base":
            try:
                t = self.base(r.names).int_type
            except LayoutError:
                t = None
            return t.name if t is not None else r.spelling()
        if r.kind == "ptr" and r.target is not None:
            return self._canon(r.target, depth + 1) + " *"
        if r.kind == "array" and r.target is not None:
            return self._canon(r.target, depth + 1) + r.spelling()[len(r.target.spelling()):]
        return r.spelling()

    def integer_type(self, tname: TypeName) -> IntType | None:
        if tname.pointers or tname.dims:
            return None
        try:
            return self.info(self.typename_ref(tname)).int_type
        except LayoutError:
            return None

    def typename_ref(self, tname: TypeName) -> TypeRef:
        words = tname.words
        if words[0] in ("struct", "union"):
            ref = TypeRef("record", names=(words[0],), tag=words[1])
        elif words[0] == "enum":
            ref = TypeRef("enum", tag=words[1])
        elif len(words) == 1 and self.is_type(words[0]):
            ref = TypeRef("name", words)
        else:
            ref = TypeRef("base", words)
        for _ in range(tname.pointers):
            ref = TypeRef("ptr", target=ref)
        for dim in reversed(tname.dims):
            n = self.evaluating().eval(dim).value
            ref = TypeRef("array", target=ref, dim=[Token("num", str(n), "", 0, 0, False)])
        return ref

    # ------------------------------------------------------------ values

    def value(self, tokens: list[Token], what: str, loc: Location | None) -> int:
        try:
            return self.evaluating(tokens).evaluate(tokens).value
        except EvalError as exc:
            raise LayoutError(f"{what} '{spell(tokens)}' is not an integer constant: {exc.message}", loc,
                              exc.lacks) from None
        except RecursionError:
            raise LayoutError(f"{what} is nested too deeply", loc) from None

    def alignment(self, attrs: Attrs, loc: Location | None) -> int:
        """The largest alignment the attributes ask for, 0 if none."""
        best = 0
        for arg in attrs.aligned:
            n = self.arch_flag("biggest_alignment") if arg is None else self.value(arg, "requested alignment", loc)
            if n <= 0 or n & (n - 1):
                raise LayoutError(f"requested alignment '{n}' is not a positive power of 2", loc)
            if n > MAX_ALIGN:
                raise LayoutError(f"requested alignment '{n}' exceeds maximum {MAX_ALIGN}", loc)
            best = max(best, n)
        return best

    # ------------------------------------------------------------ types

    def base(self, words: tuple[str, ...]) -> Info:
        """The type base type words name ('unsigned int')."""
        return self.note(("base", words), self._kept_base(words))

    def _kept_base(self, words: tuple[str, ...]) -> Info:
        """base(words), made once an arch (asked for 290,000 times on eight arches)."""
        kept = _BASES.get((id(self.arch), words))
        if kept is None or kept[0] is not self.arch:
            if len(_BASES) >= MAX_BASES:
                _BASES.clear()
            kept = _BASES[(id(self.arch), words)] = (self.arch, self._base(words))
        return kept[1]

    def _base(self, words: tuple[str, ...]) -> Info:
        ws = [w for w in words if w not in ("const", "volatile", "restrict")]
        unsigned = "unsigned" in ws
        longs = ws.count("long")
        t = self.arch.types
        name = ""  # below int, its C name: char, signed char and unsigned char are three types (C11 6.2.5p15)
        if "char" in ws:
            key, signed = "char", ("signed" in ws) or (not unsigned and self.arch.char_signed)
            name = "unsigned char" if unsigned else "signed char" if "signed" in ws else "char"
        elif "short" in ws:
            key, signed = "short", not unsigned
            name = "unsigned short" if unsigned else "short"
        elif "double" in ws:
            key, signed = ("long double" if longs else "double"), True
        elif "float" in ws:
            key, signed = "float", True
        elif "_Bool" in ws:
            key, signed = "_Bool", False
        elif "void" in ws:
            return Info(1, 1, 1)
        elif longs >= 2:
            key, signed = "long long", not unsigned
        elif longs == 1:
            key, signed = "long", not unsigned
        else:
            key, signed = "int", not unsigned
        size, align, member = t[key]
        integer = key in ("char", "short", "int", "long", "long long", "_Bool")
        return Info(size, align, member, self.int_type(key, size, signed, name) if integer else None)

    def int_type(self, key: str, size: int, signed: bool, name: str = "") -> IntType:
        if key in ("int", "long", "long long"):
            return self.ints.type(("" if signed else "unsigned ") + key)
        return IntType(name or key, size * 8, signed, 0)  # promoted to int before arithmetic

    def info(self, ref: TypeRef) -> Info:
        kind = ref.kind
        if kind == "base":
            return self.base(ref.names)
        if kind == "name":
            return self.typedef_info(ref.names[0])
        if kind == "ptr" or kind == "func":
            size, align, member = cast(tuple[int, int, int], self.arch_type("pointer" if kind == "ptr" else "function"))
            return Info(size, align, member)
        if kind == "array":
            assert ref.target is not None
            elem = self.info(ref.target)
            if ref.dim is None:
                return Info(0, elem.align, elem.member_align)
            n = self.value(ref.dim, "array size", None)
            if n < 0:
                raise LayoutError(f"size of array is negative ({n})")
            if elem.size * n > MAX_SIZE:
                raise LayoutError("size of array is too large")
            return Info(elem.size * n, elem.align, elem.member_align)
        if kind == "record":
            record = ref.record or self.tagged(ref.names[0], ref.tag or "")
            if record is None:
                raise IncompleteType(f"'{ref.spelling()}' is an incomplete type", lacks=ref.spelling())
            return self.record(record)[0]
        if kind == "enum":
            decl = ref.enum or self.note(("enum", ref.tag or ""), self.enums.get(ref.tag or ""))
            if decl is None:
                raise IncompleteType(f"'{ref.spelling()}' is an incomplete type", lacks=ref.spelling())
            info = self.note(("enum info", id(decl)), self.enum_info.get(id(decl)))
            if info is None:  # asked while the enums are laid out, before this one
                raise KeyError(id(decl))
            return info
        raise LayoutError(f"cannot lay out '{ref.spelling()}'")

    def typedef_info(self, name: str) -> Info:
        if name in BUILTIN_TYPEDEFS:
            spec = BUILTIN_TYPEDEFS[name]
            if spec == "pointer":
                return Info(*cast(tuple[int, int, int], self.arch_type("pointer")))
            if spec == "__float128":
                return Info(16, 16, 16)
            int128 = self.arch_type("__int128")
            if int128 is None:
                raise LayoutError(f"'{spec}' is not supported on {self.arch.name}")
            size, align, member = int128
            return Info(size, align, member, IntType(spec, 128, not spec.startswith("unsigned"), 4))
        hit = self.typedef_cache.get(name)
        if hit is not None:
            if self.reading is not None:
                self.reading.update(self.typedef_reads[name])
            if isinstance(hit, LayoutError):
                raise hit.again()
            return hit
        td = self.typedef(name)
        if td is None:
            raise LayoutError(f"unknown type name '{name}'", lacks=name)
        if name in self.busy_names:
            self.note(FAILED, True)
            raise LayoutError(f"typedef '{name}' refers to itself", td.loc)
        self.busy_names.add(name)
        reads = self.typedef_reads[name] = {("typedef", name): td}
        try:
            info = self.noting(reads, self.lay_typedef, td)
        except LayoutError as exc:
            self.typedef_cache[name] = exc.again()
            self.unsure = True
            raise
        except RecursionError:
            self.unsure = True
            raise
        finally:
            self.busy_names.discard(name)
        self.typedef_cache[name] = info
        return info

    def lay_typedef(self, td: Typedef) -> Info:
        info = self.info(td.type)
        want = self.alignment(td.attrs, td.loc)
        if want:  # on a typedef, aligned may lower the alignment too
            info = Info(info.size, want, want, info.int_type)
        return info

    def lay_enum(self, decl: EnumDecl) -> None:
        # an entry keeps its decl alive: no other object has that id
        key = (id(decl), self.enum_abi, self.ints.char_signed if decl.reads_chars else None)
        kept = _ENUMS.get(key)
        if kept:
            _, info, values = kept[0]
            self.constants.update(values)
        else:
            errors = len(self.diagnostics)
            info, values = self.enum_layout(decl)
            if len(self.diagnostics) == errors and _self_contained(decl):
                _ENUMS.add(key, (decl, info, values), len(values))
        self.enum_info[id(decl)] = info
        self.enum_values[id(decl)] = values

    def enum_layout(self, decl: EnumDecl) -> tuple[Info, list[tuple[str, int]]]:
        values: list[tuple[str, int]] = []
        nxt = 0
        for e in decl.enumerators:
            if e.value is not None:
                try:
                    nxt = self.value(e.value, f"enumerator value for '{e.name}'", e.loc)
                except LayoutError as exc:
                    self.diagnostics.append(Diagnostic("error", exc.loc or e.loc, exc.message, "layout",
                                                       lacks=exc.lacks))
            values.append((e.name, nxt))
            self.constants[e.name] = nxt
            nxt += 1
        lo = min((v for _, v in values), default=0)
        hi = max((v for _, v in values), default=0)
        if decl.attrs.packed:
            size = next((s for s in (1, 2, 4, 8) if (lo >= 0 and hi < 1 << (8 * s)) or
                         (-(1 << (8 * s - 1)) <= lo and hi < 1 << (8 * s - 1))), 8)
        elif -(1 << 31) <= lo and hi < (1 << 32) and (lo >= 0 or hi < 1 << 31):
            size = 4
        else:
            size = 8
        signed = lo < 0
        key = {1: "char", 2: "short", 4: "int", 8: "long long"}[size]
        _, align, member = self.arch.types[key]
        return Info(size, align, member, self.int_type(key, size, signed)), values

    def record(self, rec: Record) -> tuple[Info, tuple[MemberFact, ...]]:
        key = id(rec)
        hit = self.record_cache.get(key)
        if hit is not None:
            if self.reading is not None:
                self.reading.update(self.record_reads[key])
            if isinstance(hit, LayoutError):
                raise hit.again()
            return hit
        if key in self.busy:
            self.note(FAILED, True)
            raise LayoutError(f"'{rec.kind} {rec.tag}' contains itself", rec.loc)
        for kept, reads, result in _RECORDS.get(key):
            if kept is rec and self.answers_same(reads):
                self.record_cache[key], self.record_reads[key] = result, reads
                if self.reading is not None:
                    self.reading.update(reads)
                return result
        self.busy.add(key)
        reads = self.record_reads[key] = {}
        try:
            result = self.noting(reads, self.lay_record, rec)
        except LayoutError as exc:
            if exc.loc is None:
                exc.loc = rec.loc
            self.record_cache[key] = exc.again()
            self.unsure = True
            raise
        except RecursionError:
            self.unsure = True
            raise
        finally:
            self.busy.discard(key)
        self.record_cache[key] = result
        if FAILED not in reads:  # an entry keeps its record alive: no other takes its id
            _RECORDS.add(key, (rec, reads, result), len(reads) + len(result[1]))
        return result

    def lay_record(self, rec: Record) -> tuple[Info, tuple[MemberFact, ...]]:
        union = rec.kind == "union"
        packed = rec.attrs.packed
        cap = rec.attrs.pack * 8  # #pragma pack: the largest member alignment, in bits (0: none)
        offset = 0  # bits
        size = 0  # bits, for unions
        align = 1
        members: list[MemberFact] = []
        for f in rec.fields:
            info = self.info(f.type)
            own = self.alignment(f.attrs, f.loc)
            fpacked = packed or f.attrs.packed
            where = 0 if union else offset
            if f.bits is not None:
                width = self.value(f.bits, f"width of bit-field '{f.name or '<anonymous>'}'", f.loc)
                if info.int_type is None:
                    raise LayoutError(f"bit-field '{f.name}' has invalid type", f.loc)
                if width < 0:
                    raise LayoutError(f"negative width in bit-field '{f.name or '<anonymous>'}'", f.loc)
                if width > info.size * 8:
                    raise LayoutError(f"width of '{f.name or '<anonymous>'}' exceeds its type", f.loc)
                talign = info.member_align * 8
                if cap:
                    talign = min(talign, cap)
                if width == 0:
                    if not fpacked and not union:
                        offset = _round(offset, talign)
                    if self.arch_flag("bitfield_anon_align") and not fpacked:
                        align = max(align, talign // 8)
                    continue
                if not fpacked and not union:
                    start = where % talign
                    if (start + width + talign - 1) // talign > info.size * 8 // talign:
                        where = _round(where, talign)
                if own:
                    where = _round(where, own * 8)
                    align = max(align, own)
                if f.name is not None or self.arch_flag("bitfield_anon_align"):
                    align = max(align, 1 if fpacked else talign // 8)
                members.append(MemberFact(f.name, where, width, f.type.spelling(), self.canon(f.type), True))
                end = where + width
            else:
                falign = (own or 1) if fpacked else max(info.member_align, own)
                if cap:
                    falign = min(falign, cap // 8)
                where = _round(where, falign * 8)
                align = max(align, falign)
                children: tuple[MemberFact, ...] = ()
                if f.name is None and f.type.kind == "record" and f.type.record is not None:
                    children = self.record(f.type.record)[1]
                members.append(MemberFact(f.name, where, info.size * 8, f.type.spelling(), self.canon(f.type), False,
                                          children))
                end = where + info.size * 8
            if union:
                size = max(size, end)
            else:
                offset = end
        align = max(align, self.alignment(rec.attrs, rec.loc))
        total = size if union else offset
        nbytes = _round(_round(total, 8) // 8, align)
        if nbytes > MAX_SIZE:
            raise LayoutError("type is too large", rec.loc)
        return Info(nbytes, align, align), tuple(members)

    # ------------------------------------------------------------ all

    def layouts(self, only: str | None = None) -> dict[str, TypeFact]:
        """Every tagged record, enum and typedef that can be laid out; the
        others get a diagnostic. With only, those the file only declares,
        the same unless self.unsure."""
        out: dict[str, TypeFact] = {}

        def skip(name: str, file: str) -> bool:
            if only is None or file == only:
                return False
            # a full run keeps the later of two types of one name: this one, unless it fails
            self.unsure = self.unsure or name in out
            return True

        for rec in self.decls.records:
            if not rec.tag:
                continue
            name = f"{rec.kind} {rec.tag}"
            if skip(name, rec.loc.file):
                continue
            try:
                info, members = self.record(rec)
            except LayoutError as exc:
                self.diagnostics.append(Diagnostic("error", exc.loc or rec.loc, f"{name}: {exc.message}", "layout",
                                                   lacks=exc.lacks))
                continue
            except RecursionError:
                self.diagnostics.append(Diagnostic("error", rec.loc, f"{name}: nested too deeply", "layout"))
                continue
            kind: Literal["struct", "union"] = "union" if rec.kind == "union" else "struct"
            out[name] = TypeFact(kind, name, info.size, info.align, rec.loc.line, rec.loc.file, rec.loc.col,
                                 members=members, packed=rec.attrs.packed)
        for e in self.decls.enums:
            info = self.enum_info[id(e)]
            # an anonymous enum is known by its place in its header, so that paths do not leak into names
            name = f"enum {e.tag}" if e.tag else f"enum <anonymous at {e.loc.line}:{e.loc.col}>"
            if skip(name, e.loc.file):
                continue
            out[name] = TypeFact("enum", name, info.size, info.align, e.loc.line, e.loc.file, e.loc.col,
                                 info.member_align, enumerators=tuple(self.enum_values[id(e)]))
        for td in self.decls.typedefs:
            if skip(td.name, td.loc.file):
                continue
            try:
                info = self.typedef_info(td.name)
                anonymous: tuple[MemberFact, ...] = ()
                if td.type.kind == "record" and td.type.record is not None and td.type.record.tag is None:
                    anonymous = self.record(td.type.record)[1]
            except IncompleteType:
                continue  # typedef struct pt_regs bpf_user_pt_regs_t: fine until someone takes its size
            except LayoutError as exc:
                self.diagnostics.append(Diagnostic("error", exc.loc or td.loc, f"typedef {td.name}: {exc.message}",
                                                   "layout", lacks=exc.lacks))
                continue
            except RecursionError:
                self.diagnostics.append(Diagnostic("error", td.loc, f"typedef {td.name}: nested too deeply", "layout"))
                continue
            out[td.name] = TypeFact("typedef", td.name, info.size, info.align, td.loc.line, td.loc.file, td.loc.col,
                                    info.member_align, anonymous, target=td.type.spelling())
        return out
