"""Declarations from preprocessed tokens, through pycparser.

pycparser does not know GNU ``__attribute__``, but since 3.x it parses C23
attributes and keeps them on the nodes they belong to. GNU attributes sit in
the same places as C23 ones for everything UAPI headers write (after
``struct``, after the closing brace, after a declarator, before a
declaration), so ``__attribute__((aligned(8), packed))`` is rewritten to
``[[gnu::aligned(8), gnu::packed]]`` at the token level and parsed in C23
mode. Function bodies (``static __inline__`` helpers full of ``asm``) are
emptied first: only declarations matter here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import chain
from operator import attrgetter
from dataclasses import dataclass, field
from functools import cached_property

from pycparser import c_ast, c_generator
from pycparser.c_parser import Coord, ParseError

from .diagnostics import Diagnostic, Location
from .feed import parse_c
from .preprocess.lexer import lex_text
from .tokens import Token

# GCC's built-in type names, declared to pycparser as typedefs and sized by
# the layout engine.
BUILTIN_TYPEDEFS = {
    "__uc_int128": "__int128",
    "__uc_uint128": "unsigned __int128",
    "__int128_t": "__int128",
    "__uint128_t": "unsigned __int128",
    "__builtin_va_list": "pointer",
    "__uc_float128": "__float128",
}
# how the rewritten names read in messages and facts
BUILTIN_SPELLING = {n: t for n, t in BUILTIN_TYPEDEFS.items() if n.startswith("__uc_")}
_RENAMES = {
    "__inline__": "inline", "__inline": "inline", "__signed__": "signed", "__signed": "signed",
    "__volatile__": "volatile", "__volatile": "volatile", "__const": "const", "__const__": "const",
    "__restrict": "restrict", "__restrict__": "restrict", "__typeof__": "typeof", "__typeof": "typeof",
    "__alignof__": "_Alignof", "__alignof": "_Alignof", "_Float128": "__uc_float128",
    "__float128": "__uc_float128", "__builtin_offsetof": "offsetof",
}
_DROP = frozenset(["__extension__", "__thread"])
LAYOUT_ATTRIBUTES = frozenset(["aligned", "packed"])


@dataclass
class Attrs:
    aligned: list[list[Token] | None] = field(default_factory=list)  # None: bare aligned
    packed: bool = False
    pack: int = 0  # #pragma pack(N) in force where a struct was defined

    def merge(self, other: Attrs) -> None:
        self.aligned += other.aligned
        self.packed = self.packed or other.packed
        self.pack = self.pack or other.pack


@dataclass
class TypeRef:
    kind: str  # base, name, ptr, array, record, enum, func
    names: tuple[str, ...] = ()  # base: specifier words; name: the typedef name
    target: TypeRef | None = None  # ptr, array
    dim: list[Token] | None = None  # array; None for []
    record: Record | None = None
    enum: EnumDecl | None = None
    tag: str | None = None  # record/enum referenced by tag only
    # made once: the layout asks for it per member and arch (a TypeRef is not changed once built)
    _spelled: str = field(default="", init=False, repr=False, compare=False)

    def spelling(self) -> str:
        if not self._spelled:
            self._spelled = self._spelling()
        return self._spelled

    def _spelling(self) -> str:
        if self.kind == "base":
            return " ".join(self.names)
        if self.kind == "name":
            return BUILTIN_SPELLING.get(self.names[0], self.names[0])
        if self.kind == "ptr":
            assert self.target is not None
            return self.target.spelling() + " *"
        if self.kind == "array":
            assert self.target is not None
            dim = "".join(t.text if not t.space or i == 0 else " " + t.text for i, t in enumerate(self.dim or []))
            return f"{self.target.spelling()}[{dim}]"
        if self.kind == "record":
            kind = self.record.kind if self.record else self.names[0]
            tag = self.record.tag if self.record else self.tag
            return f"{kind} {tag}" if tag else f"{kind} <anonymous>"
        if self.kind == "enum":
            tag = self.enum.tag if self.enum else self.tag
            return f"enum {tag}" if tag else "enum <anonymous>"
        return "function"


@dataclass
class Field:
    name: str | None
    type: TypeRef
    bits: list[Token] | None
    attrs: Attrs
    loc: Location


@dataclass
class Record:
    kind: str  # struct or union
    tag: str | None
    fields: list[Field]
    attrs: Attrs
    loc: Location


@dataclass
class Enumerator:
    name: str
    value: list[Token] | None
    loc: Location


@dataclass
class EnumDecl:
    tag: str | None
    enumerators: list[Enumerator]
    attrs: Attrs
    loc: Location

    @cached_property
    def reads_chars(self) -> bool:
        """Whether a value holds a character constant: only then does it read the sign of char."""
        return any(t.kind == "chr" for e in self.enumerators if e.value for t in e.value)


@dataclass
class Typedef:
    name: str
    type: TypeRef
    attrs: Attrs
    loc: Location


@dataclass
class Declarations:
    records: list[Record] = field(default_factory=list)  # definitions, in order
    enums: list[EnumDecl] = field(default_factory=list)
    typedefs: list[Typedef] = field(default_factory=list)
    objects: list[tuple[str, Location]] = field(default_factory=list)  # functions and variables declared
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # what function bodies use that a declaration must provide, with their parameters (see body_uses)
    uses: list[tuple[Token, frozenset[str]]] = field(default_factory=list)


def declared_names(decls: Declarations) -> tuple[set[str], set[str]]:
    """The identifiers the declarations define: tags, enumerators, typedefs,
    functions and variables; and, apart, the names of members."""
    out = {name for name, _ in decls.objects}
    members: set[str] = set()
    out.update(t.name for t in decls.typedefs)
    for r in decls.records:
        if r.tag:
            out.add(r.tag)
        members.update(f.name for f in r.fields if f.name)
    for e in decls.enums:
        if e.tag:
            out.add(e.tag)
        out.update(x.name for x in e.enumerators)
    return out, members


# ---------------------------------------------------------------- tokens

def _balanced(tokens: list[Token], i: int) -> int:
    """Index after the parenthesis group that starts at tokens[i] == '('."""
    depth = 0
    for j in range(i, len(tokens)):
        if tokens[j].text == "(":
            depth += 1
        elif tokens[j].text == ")":
            depth -= 1
            if depth == 0:
                return j + 1
    return len(tokens)


def _tok(text: str, like: Token, space: bool = True) -> Token:
    kind = "id" if re.match(r"[A-Za-z_]", text) else "punct"
    return Token(kind, text, like.file, like.line, like.col, space)


def _attribute(tokens: list[Token], i: int) -> tuple[list[Token], int]:
    """Rewrite __attribute__((a, b(x))) starting at tokens[i]; returns the
    C23 tokens and the index after the attribute."""
    at = tokens[i]
    end = _balanced(tokens, i + 1) if i + 1 < len(tokens) and tokens[i + 1].text == "(" else i + 1
    inner = tokens[i + 3:end - 2] if end - i >= 5 else []
    items: list[list[Token]] = [[]]
    depth = 0
    for t in inner:
        if t.text == "(":
            depth += 1
        elif t.text == ")":
            depth -= 1
        if t.text == "," and depth == 0:
            items.append([])
        else:
            items[-1].append(t)
    out: list[Token] = []
    for item in items:
        if not item or item[0].kind != "id":
            continue
        name = item[0].text
        if name.startswith("__") and name.endswith("__") and len(name) > 4:
            name = name[2:-2]
        if name not in LAYOUT_ATTRIBUTES:
            continue  # C23 allows attributes in fewer places than GNU C: keep only what layout needs
        if out:
            out.append(_tok(",", at, False))
        out += [_tok("gnu", at), _tok("::", at, False), _tok(name, at, False)] + item[1:]
    if not out:
        return [], end
    return [_tok("[", at), _tok("[", at, False)] + out + [_tok("]", at, False), _tok("]", at, False)], end


def _pragma_pack(text: str, stack: list[int], current: int) -> int:
    """The packing after `#pragma pack(...)`: (N), (), (push[, N]), (pop)."""
    args = [a.strip() for a in text[text.find("(") + 1:text.rfind(")")].split(",")] if "(" in text else []
    args = [a for a in args if a]
    if not args:
        return 0
    if args[0] == "push":
        stack.append(current)
        return int(args[-1], 0) if len(args) > 1 and args[-1].isdigit() else current
    if args[0] == "pop":
        return stack.pop() if stack else 0
    return int(args[0], 0) if args[0].isdigit() else current


def _defines_body(tokens: list[Token], i: int) -> bool:
    """Whether the struct/union keyword at tokens[i] starts a definition:
    `struct [attributes] [tag] [attributes] {`."""
    j = i + 1
    tag_seen = False
    while j < len(tokens):
        t = tokens[j]
        if t.text in ("__attribute__", "__attribute"):
            j = _balanced(tokens, j + 1)
        elif t.kind == "id" and not tag_seen:
            tag_seen = True
            j += 1
        else:
            return t.text == "{"
    return False


def rewrite_gnu(tokens: list[Token]) -> list[Token]:
    out: list[Token] = []
    last = ""  # last significant token written, attributes not counted
    depth = 0
    pack = 0
    pack_stack: list[int] = []
    i = 0
    n = len(tokens)
    while i < n:
        t = tokens[i]
        text = t.text
        if t.kind == "pragma":
            pack = _pragma_pack(text, pack_stack, pack)
            i += 1
            continue
        if pack and t.kind == "id" and text in ("struct", "union") and _defines_body(tokens, i):
            out.append(t)
            out += [_tok("[", t), _tok("[", t, False), _tok("gnu", t, False), _tok("::", t, False),
                    _tok("uc_pack", t, False), _tok("(", t, False), Token("num", str(pack), t.file, t.line, t.col, False),
                    _tok(")", t, False), _tok("]", t, False), _tok("]", t, False)]
            last = text
            i += 1
            continue
        if t.kind == "id":
            if text in ("__attribute__", "__attribute"):
                attr, i = _attribute(tokens, i)
                out += attr
                continue
            if text in _DROP:
                i += 1
                continue
            if text in ("__asm__", "__asm", "asm"):
                i = _balanced(tokens, i + 1) if i + 1 < n and tokens[i + 1].text == "(" else i + 1
                continue
            if text == "__int128":
                prev = out[-1].text if out else ""
                if prev in ("signed", "unsigned", "__signed__"):
                    out.pop()
                out.append(_tok("__uc_uint128" if prev == "unsigned" else "__uc_int128", t, t.space))
                last = "__int128"
                i += 1
                continue
            if text in _RENAMES:
                t = t.copy()
                t.text = _RENAMES[text]
        elif text == "{":
            if depth == 0 and last == ")":
                # a function body: keep an empty one
                close = i
                d = 0
                while close < n:
                    if tokens[close].text == "{":
                        d += 1
                    elif tokens[close].text == "}":
                        d -= 1
                        if d == 0:
                            break
                    close += 1
                out.append(t)
                out.append(_tok("}", t))
                i = close + 1
                last = "}"
                continue
            depth += 1
        elif text == "}":
            depth -= 1
        out.append(t)
        last = t.text
        i += 1
    return out


# ---------------------------------------------------------------- AST

_GEN = c_generator.CGenerator()
_COORD = re.compile(r"^(.*?):(\d+):(\d+): (.*)$", re.S)


def _loc(coord: Coord | None) -> Location:
    if coord is None:
        return Location("<unknown>")
    return Location(str(coord.file), int(coord.line or 0), int(coord.column or 0))


def _expr_tokens(node: c_ast.Node, where: Location) -> list[Token]:
    if isinstance(node, c_ast.Constant):
        return lex_text(node.value, where.file)
    if isinstance(node, c_ast.ID):
        return lex_text(node.name, where.file)
    return lex_text(_GEN.visit(node), where.file)


class _Builder:
    def __init__(self) -> None:
        self.decls = Declarations()

    def attrs(self, specs: list[c_ast.AttributeSpecifier] | None, where: Location) -> Attrs:
        result = Attrs()
        for spec in specs or []:
            for a in spec.attributes:
                if a.namespace != "gnu":
                    continue
                if a.name == "aligned":
                    if a.arguments is None or str(a.arguments).strip() == "":
                        result.aligned.append(None)
                    else:
                        result.aligned.append(lex_text(str(a.arguments), where.file))
                elif a.name == "packed":
                    result.packed = True
                elif a.name == "uc_pack" and a.arguments:
                    result.pack = int(str(a.arguments))
        return result

    def type(self, node: c_ast.Node, attrs: Attrs) -> TypeRef:
        """Convert a type node; attributes met on the way go to attrs (the
        declaration's), except those that belong to a struct or enum."""
        if isinstance(node, c_ast.TypeDecl):
            attrs.merge(self.attrs(node.attributes, _loc(node.coord)))
            return self.type(node.type, attrs)
        if isinstance(node, c_ast.AttributedType):
            inner = node.type
            extra = self.attrs(node.attributes, _loc(node.coord))
            defines = (isinstance(inner, c_ast.Enum) and inner.values is not None) or (
                isinstance(inner, (c_ast.Struct, c_ast.Union)) and inner.decls is not None)
            if defines:
                return self.tagged(inner, extra)
            attrs.merge(extra)
            return self.type(inner, attrs)
        if isinstance(node, c_ast.IdentifierType):
            names = tuple(node.names)
            if len(names) == 1 and not _is_base_word(names[0]):
                return TypeRef("name", names)
            return TypeRef("base", names)
        if isinstance(node, (c_ast.Struct, c_ast.Union, c_ast.Enum)):
            return self.tagged(node, Attrs())
        if isinstance(node, c_ast.PtrDecl):
            attrs.merge(self.attrs(node.attributes, _loc(node.coord)))
            # the declarator's name sits innermost: attributes after it are the declaration's
            return TypeRef("ptr", target=self.type(node.type, attrs))
        if isinstance(node, c_ast.ArrayDecl):
            attrs.merge(self.attrs(node.attributes, _loc(node.coord)))
            dim = _expr_tokens(node.dim, _loc(node.coord)) if node.dim is not None else None
            return TypeRef("array", target=self.type(node.type, attrs), dim=dim)
        if isinstance(node, c_ast.FuncDecl):
            attrs.merge(self.attrs(node.attributes, _loc(node.coord)))
            return TypeRef("func")
        if isinstance(node, c_ast.Typename):
            return self.type(node.type, attrs)
        return TypeRef("func")  # typeof and friends: not laid out

    def tagged(self, node: c_ast.Struct | c_ast.Union | c_ast.Enum, extra: Attrs) -> TypeRef:
        where = _loc(node.coord)
        attrs = self.attrs(node.attributes, where)
        attrs.merge(extra)
        if isinstance(node, c_ast.Enum):
            if node.values is None:
                return TypeRef("enum", tag=node.name)
            items = [
                Enumerator(e.name, _expr_tokens(e.value, _loc(e.coord)) if e.value is not None else None, _loc(e.coord))
                for e in node.values.enumerators
            ]
            decl = EnumDecl(node.name, items, attrs, where)
            self.decls.enums.append(decl)
            return TypeRef("enum", enum=decl, tag=node.name)
        kind = "struct" if isinstance(node, c_ast.Struct) else "union"
        if node.decls is None:
            return TypeRef("record", names=(kind,), tag=node.name)
        record = Record(kind, node.name, [], attrs, where)
        for d in node.decls:
            if not isinstance(d, c_ast.Decl):
                continue
            fattrs = self.attrs(d.attributes, _loc(d.coord))
            ftype = self.type(d.type, fattrs)
            bits = _expr_tokens(d.bitsize, _loc(d.coord)) if d.bitsize is not None else None
            record.fields.append(Field(d.name, ftype, bits, fattrs, _loc(d.coord)))
        self.decls.records.append(record)
        return TypeRef("record", names=(kind,), record=record, tag=node.name)

    def external(self, node: c_ast.Node) -> None:
        if isinstance(node, c_ast.Typedef):
            if node.coord is not None and node.coord.file == "":  # the prelude's stand-ins
                return
            attrs = self.attrs(node.attributes, _loc(node.coord))
            t = self.type(node.type, attrs)
            self.decls.typedefs.append(Typedef(node.name, t, attrs, _loc(node.coord)))
        elif isinstance(node, c_ast.Decl):
            self.type(node.type, Attrs())
            if node.name:
                self.decls.objects.append((node.name, _loc(node.coord)))
        elif isinstance(node, c_ast.FuncDef):
            self.type(node.decl.type, Attrs())
            if node.decl.name:
                self.decls.objects.append((node.decl.name, _loc(node.decl.coord)))


_BASE_WORDS = frozenset(
    "void char short int long float double signed unsigned _Bool _Complex".split()
)


def _is_base_word(name: str) -> bool:
    return name in _BASE_WORDS


MAX_NESTING = 256  # brackets and braces; C11 5.2.4.1 asks for 63 levels of nested declarators


# Parsed file segments, shared by every header of a run: the declarations of
# linux/types.h and friends are parsed once, not once per header that
# includes them. Key: the segment's tokens with their origins, and the
# typedef names it uses that earlier segments declared (they decide how it
# parses). A segment whose very tokens were seen (the preprocessor replays
# a chunk's tokens on every arch it fits) is found by them, without the
# origins spelt out.
MAX_SEGMENT_TOKENS = 600_000  # in the keys kept: past it, they start again (memory)
_ORIGIN = attrgetter("text", "file", "line", "col")


class _Parsed:
    def __init__(self) -> None:
        self.by_text: dict[tuple[object, ...], Declarations] = {}
        self.by_tokens: dict[tuple[object, ...], Declarations] = {}
        self.ids: dict[tuple[Token, ...], frozenset[str]] = {}  # the identifiers of a segment's tokens
        self.held = 0

    def keep(self, by_tokens: tuple[object, ...], by_text: tuple[object, ...], decls: Declarations,
             tokens: int) -> None:
        self.held += tokens
        if self.held > MAX_SEGMENT_TOKENS:
            self.by_text.clear()
            self.by_tokens.clear()
            self.ids.clear()
            self.held = tokens
        self.by_text[by_text] = self.by_tokens[by_tokens] = decls


_PARSED = _Parsed()


def _segments(tokens: list[Token]) -> tuple[list[list[Token]], Token | None, bool]:
    """Runs of tokens from one file, cut only between top-level
    declarations; the first bracket nested past MAX_NESTING, if any; and
    whether a #pragma is among them. Only brackets and ';' are looked at
    closely: this runs over every token of every unit."""
    cuts = [0]
    depth = 0
    pragma = False
    params_end = -1  # where a parenthesis group at file scope that is not an attribute's closed
    body = False  # in a function's body: its closing brace ends a declaration, as ';' does
    attribute = False  # the group open at file scope is an attribute's
    last = len(tokens) - 1
    for i, t in enumerate(tokens):
        text = t.text
        if text not in _SEGMENT_PUNCT or t.kind != "punct":
            if t.kind == "pragma":
                pragma = True
            continue
        if text == ";":
            ended = depth == 0
        elif text in ("(", "[", "{"):
            if depth == 0:
                body = text == "{" and params_end == i - 1
                attribute = text == "(" and i > 0 and tokens[i - 1].text in ("__attribute__", "__attribute")
            depth += 1
            if depth > MAX_NESTING:
                return [tokens[a:b] for a, b in zip(cuts, cuts[1:])], t, pragma
            continue
        else:
            depth -= 1
            if depth == 0 and text == ")" and not attribute:
                params_end = i
            ended = depth == 0 and text == "}" and body
        if ended and i < last and tokens[i + 1].file != t.file:
            cuts.append(i + 1)
    cuts.append(len(tokens))
    return [tokens[a:b] for a, b in zip(cuts, cuts[1:]) if b > a], None, pragma


_SEGMENT_PUNCT = frozenset(["(", "[", "{", ")", "]", "}", ";"])


def parse(tokens: list[Token], path: str) -> Declarations:
    segments, deep, pragma = _segments(tokens)
    if deep is not None:
        result = Declarations()
        result.diagnostics.append(Diagnostic(
            "error", Location(deep.file, deep.line, deep.col),
            f"declarations nested more than {MAX_NESTING} levels deep; not analysed", "parse"))
        return result
    if pragma:
        return _parse(tokens, path, ())  # #pragma pack state runs across files
    result = Declarations()
    typedefs: set[str] = set()
    for seg in segments:
        tokens_of = tuple(seg)
        context: tuple[str, ...] = ()
        if typedefs:
            ids = _PARSED.ids.get(tokens_of)
            if ids is None:
                ids = _PARSED.ids[tokens_of] = frozenset(t.text for t in seg if t.kind == "id")
            context = tuple(sorted(ids & typedefs))
        same = (tokens_of, context)
        decls = _PARSED.by_tokens.get(same)
        if decls is None:
            key = (tuple(chain.from_iterable(map(_ORIGIN, seg))), context)  # flat: a tuple a token would double it
            decls = _PARSED.by_text.get(key)
            if decls is None:
                decls = _parse(seg, path, context)
                decls.uses = body_uses(seg)
            _PARSED.keep(same, key, decls, len(seg))
        result.records += decls.records
        result.enums += decls.enums
        result.typedefs += decls.typedefs
        result.objects += decls.objects
        result.diagnostics += decls.diagnostics
        result.uses += decls.uses
        typedefs.update(td.name for td in decls.typedefs)
    if not result.diagnostics:
        culprit = undeclared(result)
        if culprit is not None:
            result.diagnostics.append(Diagnostic("error", Location(culprit.file, culprit.line, culprit.col),
                                                 f"'{culprit.text}' undeclared (first use in this function)",
                                                 "parse", lacks=culprit.text))
    return result


# words a function body uses that are not identifiers it must declare: a
# name after the first kind may be a local's declaration, after the second not
_TYPE_WORDS = frozenset("""auto char const double enum extern float int long register restrict short signed static
struct union unsigned void volatile _Bool _Complex __inline__ __inline inline __signed__ __const __restrict
__int128 __label__ __extension__ __typeof__ typeof""".split())
_STATEMENT_WORDS = frozenset("""if else while for do switch case default return break continue goto sizeof
_Alignof __alignof__ __alignof __func__ __FUNCTION__ __PRETTY_FUNCTION__ asm __asm__ __volatile__ __real__
__imag__""".split())


def undeclared(decls: Declarations) -> Token | None:
    """The first identifier a function body uses that nothing declares
    ('NULL' without <stddef.h>): what GCC calls "'NULL' undeclared"."""
    known = ({td.name for td in decls.typedefs} | {name for name, _ in decls.objects}
             | {e.name for en in decls.enums for e in en.enumerators} | set(BUILTIN_TYPEDEFS))
    return next((t for t, params in decls.uses if t.text not in known and t.text not in params), None)


def body_uses(tokens: list[Token]) -> list[tuple[Token, frozenset[str]]]:
    """The identifiers the function bodies among tokens use that some
    declaration must provide, each with the names its function's parameter
    list holds. Calls are left out (an implicit declaration is a warning in
    C before GCC 14), and so is any name that might be a local or a label.
    A run of whole declarations gives the same as the unit it is cut from."""
    out: list[tuple[Token, frozenset[str]]] = []
    depth = 0
    opened: list[int] = []  # where each open parenthesis is
    params: tuple[int, int] | None = None  # the parenthesis group that ended last at file scope
    i = 0
    while i < len(tokens):
        text = tokens[i].text
        if text in ("__attribute__", "__attribute") and i + 1 < len(tokens) and tokens[i + 1].text == "(":
            i = _balanced(tokens, i + 1)
            continue
        if text == "{" and depth == 0 and params is not None:
            end = _body_end(tokens, i)
            scope = frozenset(t.text for t in tokens[params[0]:params[1]] if t.kind == "id")
            out += ((t, scope) for t in _uses(tokens[i + 1:end]))
            i, params = end + 1, None
            continue
        if text == "(":
            opened.append(i)
        elif text == ")" and opened:
            start = opened.pop()
            if not opened and depth == 1:
                params = (start, i)
                depth -= 1
                i += 1
                continue
        if text in ("(", "[", "{"):
            depth += 1
        elif text in (")", "]", "}"):
            depth -= 1
        params = None
        i += 1
    return out


def _body_end(tokens: list[Token], i: int) -> int:
    """Index of the brace that closes the one at tokens[i]."""
    depth = 0
    for j in range(i, len(tokens)):
        depth += {"{": 1, "}": -1}.get(tokens[j].text, 0)
        if depth == 0:
            return j
    return len(tokens) - 1


def _uses(body: list[Token]) -> list[Token]:
    # a name after a type-like token (`__u32 x`, `*p`, `, y`, `) z`, `} s`
    # after a local struct) may be a local's declaration: never reported
    maybe_local = {t.text for prev, t in zip(body, body[1:]) if t.kind == "id" and (
        (prev.kind == "id" and prev.text not in _STATEMENT_WORDS) or prev.text in ("*", ",", ")", "}"))}
    out = []
    for k, t in enumerate(body):
        if (t.kind != "id" or t.text in _TYPE_WORDS or t.text in _STATEMENT_WORDS or t.text in maybe_local):
            continue
        before = body[k - 1].text if k else ""
        after = body[k + 1].text if k + 1 < len(body) else ""
        if after in ("(", ":") or before in (".", "->", "struct", "union", "enum", "goto"):
            continue
        if t.text.startswith(("__builtin_", "__atomic_", "__sync_")):
            continue
        out.append(t)
    return out


# what a type name can be preceded by where a declaration starts
_DECL_START = frozenset([";", "{", "}", ",", "(", "const", "volatile", "static", "extern", "inline", "register",
                         "__inline__", "__inline", "typedef", "__extension__"])
_NOT_TYPES = frozenset("""auto break case char const continue default do double else enum extern float for goto if
inline int long register restrict return short signed sizeof static struct switch typedef union unsigned void
volatile while _Bool _Complex _Alignas _Alignof _Atomic _Static_assert _Thread_local __attribute__ __attribute
__extension__ __inline__ __inline __signed__ __const __volatile__ __restrict __asm__ asm __typeof__ typeof
__int128""".split())


def unknown_type(tokens: list[Token], known: Iterable[str]) -> Token | None:
    """The first identifier used as a type name that no typedef declares
    (`size_t len;` without <stddef.h>): what GCC calls an unknown type name."""
    declared = set(known) | set(BUILTIN_TYPEDEFS)
    typedef = False
    depth = 0
    for i, t in enumerate(tokens):
        if t.text in ("(", "[", "{"):
            depth += 1
        elif t.text in (")", "]", "}"):
            depth -= 1
        elif t.text == "typedef":
            typedef = True
        elif t.text == ";" and typedef and depth == 0:
            if tokens[i - 1].kind == "id":
                declared.add(tokens[i - 1].text)
            typedef = False
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if (t.kind == "id" and nxt is not None and (nxt.kind == "id" or nxt.text == "*")
                and t.text not in _NOT_TYPES and t.text not in declared
                and (i == 0 or tokens[i - 1].text in _DECL_START)):
            return t
    return None


def _parse(tokens: list[Token], path: str, typedef_names: tuple[str, ...]) -> Declarations:
    builder = _Builder()
    rewritten = rewrite_gnu(tokens)
    # an error without a coordinate is placed at the segment, not at the unit's path: parse() caches
    # segments for every unit that has them, and a path would send later units to the first one's file
    here = Location(tokens[0].file, tokens[0].line, tokens[0].col) if tokens else Location(path)
    try:
        ast = parse_c(rewritten, (*BUILTIN_TYPEDEFS, *typedef_names))
    except ParseError as exc:
        # pycparser says "before: X" or "Invalid specifier list"; say what GCC would
        m = _COORD.match(str(exc))
        culprit = unknown_type(tokens, typedef_names)
        if culprit is not None:
            loc = Location(culprit.file, culprit.line, culprit.col)
            message = f"unknown type name '{culprit.text}'"
        elif m:
            loc = Location(m.group(1), int(m.group(2)), int(m.group(3))) if m.group(1) else here
            message = m.group(4)
            message = f"unexpected '{message[len('before: '):]}'" if message.startswith("before: ") else message
        else:
            loc, message = here, str(exc).split(": ", 1)[-1]
        builder.decls.diagnostics.append(Diagnostic("error", loc, f"cannot parse: {message}", "parse",
                                                    lacks=culprit.text if culprit is not None else ""))
        return builder.decls
    except RecursionError:
        builder.decls.diagnostics.append(Diagnostic("error", here, "declarations nested too deeply to parse",
                                                    "parse"))
        return builder.decls
    for ext in ast.ext:
        try:
            builder.external(ext)
        except RecursionError:
            builder.decls.diagnostics.append(
                Diagnostic("error", _loc(ext.coord), "declaration nested too deeply", "parse"))
    return builder.decls
