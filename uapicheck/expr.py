"""Integer constant expressions, evaluated without Python's eval.

One parser serves two evaluators:

* ``#if`` (C11 6.10.1p4): every value is intmax_t or uintmax_t (64 bits on
  every Linux ABI); identifiers that remain after macro expansion are 0, and
  keywords are identifiers too, so a cast or ``sizeof`` is a syntax error.
* C (C11 6.6): values carry their C type (int, long, ...), literal typing
  follows 6.4.4.1, conversions follow 6.3.1.8; casts, ``sizeof`` and
  ``_Alignof`` ask the layout engine through a callback.

Both do their arithmetic in one core (``arith``, ``shift``, ``negate``),
which wraps to the operand type and says whether a signed result
overflowed; ``#if`` ignores that flag, C keeps it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple, Protocol, Union

from .errors import EvalError
from .kept import Kept
from .literals import char_literal, integer_literal, string_size
from .tokens import Token


@dataclass(frozen=True)
class IntType:
    name: str
    bits: int
    signed: bool
    rank: int

    def wrap(self, value: int) -> int:
        mask = (1 << self.bits) - 1
        value &= mask
        if self.signed and value >> (self.bits - 1):
            value -= 1 << self.bits
        return value

    def fits(self, value: int) -> bool:
        if self.signed:
            return -(1 << (self.bits - 1)) <= value < (1 << (self.bits - 1))
        return 0 <= value < (1 << self.bits)


INTMAX = IntType("intmax_t", 64, True, 9)
UINTMAX = IntType("uintmax_t", 64, False, 9)


@dataclass(frozen=True)
class IntModel:
    """The integer types of one ABI."""

    int_bits: int = 32
    long_bits: int = 64
    char_signed: bool = True

    def type(self, name: str) -> IntType:
        return _int_type(self.int_bits, self.long_bits, name)


@lru_cache(maxsize=None)  # a few names on a few ABIs; asked for every constant
def _int_type(int_bits: int, long_bits: int, name: str) -> IntType:
    bits = {"int": int_bits, "long": long_bits, "long long": 64}
    base = name.replace("unsigned ", "")
    rank = {"int": 1, "long": 2, "long long": 3}[base]
    return IntType(name, bits[base], not name.startswith("unsigned"), rank)


# ---------------------------------------------------------------- arithmetic

def arith(op: str, x: int, y: int, t: IntType) -> tuple[int, bool]:
    """x op y for a binary operator other than shifts and && ||, both
    operands already converted to t: the result wrapped to t (0 or 1 for a
    comparison), and whether a signed result did not fit. Division
    truncates toward zero (C11 6.5.5p6)."""
    if op in ("<", "<=", ">", ">=", "==", "!="):
        cmp = {"<": x < y, "<=": x <= y, ">": x > y, ">=": x >= y, "==": x == y, "!=": x != y}[op]
        return int(cmp), False
    if op in ("/", "%"):
        if y == 0:
            raise EvalError("division by zero")
        q = abs(x) // abs(y)
        q = q if (x >= 0) == (y >= 0) else -q
        raw = q if op == "/" else x - q * y
    else:
        raw = {"*": x * y, "+": x + y, "-": x - y, "&": x & y, "|": x | y, "^": x ^ y}[op]
    v = t.wrap(raw)
    return v, t.signed and v != raw


def shift(op: str, a: int, count: int, t: IntType) -> tuple[int, bool]:
    """a << count or a >> count in a's promoted type t, count >= 0. Past
    the width the behaviour is undefined (C11 6.5.7p3); GCC folds it as the
    bits running out: 0, or -1 for a negative >>. Overflowed: a signed <<
    that loses bits or shifts a negative value, or any signed shift past the
    width."""
    if count >= t.bits:
        return (-1 if op == ">>" and a < 0 else 0), t.signed
    raw = a << count if op == "<<" else a >> count
    v = t.wrap(raw)
    return v, t.signed and (v != raw or (a < 0 and op == "<<"))


def negate(op: str, v: int, t: IntType) -> tuple[int, bool]:
    """Unary -, + or ~ in t."""
    raw = {"-": -v, "+": v, "~": ~v}[op]
    w = t.wrap(raw)
    return w, t.signed and w != raw


# ---------------------------------------------------------------- syntax


@dataclass(frozen=True)
class TypeName:
    """A type name as written in a cast or sizeof: specifiers, pointers, arrays."""

    words: tuple[str, ...]  # e.g. ("unsigned", "long") or ("struct", "rseq")
    pointers: int = 0
    dims: tuple[Node, ...] = ()

    def __str__(self) -> str:
        text = " ".join(self.words) + " *" * self.pointers
        return text + "[]" * len(self.dims)


@dataclass(frozen=True)
class Num:
    text: str
    tok: Token


@dataclass(frozen=True)
class Chr:
    text: str
    tok: Token


@dataclass(frozen=True)
class Str:
    size: int  # of the array the adjacent literals make, in bytes
    tok: Token


@dataclass(frozen=True)
class Ident:
    name: str
    tok: Token


@dataclass(frozen=True)
class Unary:
    op: str
    operand: Node


@dataclass(frozen=True)
class Binary:
    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Cond:
    test: Node
    then: Node
    other: Node


@dataclass(frozen=True)
class Comma:
    left: Node
    right: Node


@dataclass(frozen=True)
class Cast:
    type: TypeName
    operand: Node


@dataclass(frozen=True)
class SizeOf:
    operand: TypeName | Node
    tok: Token
    align: bool = False  # _Alignof / __alignof__


@dataclass(frozen=True)
class OffsetOf:
    type: TypeName
    path: tuple[str | Node, ...]  # member names, and subscripts
    tok: Token


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple[Node, ...]
    tok: Token


Node = Union[Num, Chr, Str, Ident, Unary, Binary, Cond, Comma, Cast, SizeOf, OffsetOf, Call]

BINARY_PREC = {
    "*": 10, "/": 10, "%": 10,
    "+": 9, "-": 9,
    "<<": 8, ">>": 8,
    "<": 7, "<=": 7, ">": 7, ">=": 7,
    "==": 6, "!=": 6,
    "&": 5, "^": 4, "|": 3, "&&": 2, "||": 1,
}

TYPE_WORDS = frozenset(
    "void char short int long float double signed unsigned _Bool const volatile "
    "struct union enum __signed__ __int128 restrict __restrict".split()
)
QUALIFIERS = frozenset(("const", "volatile", "restrict", "__restrict", "__const", "__volatile__"))
MAX_DEPTH = 200


class Parser:
    """Recursive descent over tokens. is_type is None in #if mode, where
    there are no types, casts, sizeof or calls."""

    def __init__(self, tokens: Sequence[Token], is_type: Callable[[str], bool] | None) -> None:
        self.toks = tokens
        self.pos = 0
        self.is_type = is_type
        self.depth = 0

    def peek(self, k: int = 0) -> Token | None:
        i = self.pos + k
        return self.toks[i] if i < len(self.toks) else None

    def at(self, text: str, k: int = 0) -> bool:
        tok = self.peek(k)
        return tok is not None and tok.text == text

    def take(self) -> Token:
        tok = self.peek()
        if tok is None:
            last = self.toks[-1] if self.toks else None
            raise EvalError("expected value in expression", last)
        self.pos += 1
        return tok

    def expect(self, text: str) -> Token:
        tok = self.peek()
        if tok is None or tok.text != text:
            got = f"'{tok.text}'" if tok else "end of expression"
            raise EvalError(f"expected '{text}' before {got}", tok or (self.toks[-1] if self.toks else None))
        self.pos += 1
        return tok

    def nest(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise EvalError("expression nested too deeply", self.peek())

    def parse(self) -> Node:
        """expression: comma, and nothing after it"""
        if not self.toks:
            raise EvalError("expression is empty")
        node = self.comma()
        tok = self.peek()
        if tok is not None:
            raise EvalError(f"missing binary operator before token \"{tok.text}\"", tok)
        return node

    def comma(self) -> Node:
        """comma: cond (',' cond)*"""
        node = self.cond()
        while self.at(","):
            self.pos += 1
            node = Comma(node, self.cond())
        return node

    def cond(self) -> Node:
        """cond: binary ['?' comma ':' cond]"""
        self.nest()
        node = self.binary(1)
        if self.at("?"):
            self.pos += 1
            then = self.comma()
            self.expect(":")
            node = Cond(node, then, self.cond())
        self.depth -= 1
        return node

    def binary(self, min_prec: int) -> Node:
        """binary: unary (op binary)*, by precedence climbing"""
        left = self.unary()
        while True:
            tok = self.peek()
            if tok is None or tok.kind != "punct":
                return left
            prec = BINARY_PREC.get(tok.text)
            if prec is None or prec < min_prec:
                return left
            self.pos += 1
            left = Binary(tok.text, left, self.binary(prec + 1))

    def starts_type(self, tok: Token | None) -> bool:
        if tok is None or self.is_type is None or tok.kind != "id":
            return False
        return tok.text in TYPE_WORDS or self.is_type(tok.text)

    def unary(self) -> Node:
        """unary: ('-'|'+'|'~'|'!') unary | '(' type ')' unary | '(' comma ')' | literal | identifier
        | sizeof/_Alignof (type or unary) | __builtin_offsetof(type, member) | name(args)"""
        self.nest()
        tok = self.take()
        c_mode = self.is_type is not None
        node: Node
        if tok.kind == "punct" and tok.text in ("-", "+", "~", "!"):
            node = Unary(tok.text, self.unary())
        elif tok.kind == "punct" and tok.text == "(":
            if self.starts_type(self.peek()):
                tname = self.type_name()
                self.expect(")")
                node = Cast(tname, self.unary())
            else:
                node = self.comma()
                self.expect(")")
        elif tok.kind == "num":
            node = Num(tok.text, tok)
        elif tok.kind == "chr":
            node = Chr(tok.text, tok)
        elif tok.kind == "id" and c_mode and tok.text == "__builtin_offsetof" and self.at("("):
            node = self.offsetof(tok)
        elif tok.kind == "id" and c_mode and tok.text in ("sizeof", "_Alignof", "__alignof__", "__alignof"):
            align = tok.text != "sizeof"
            if self.at("(") and self.starts_type(self.peek(1)):
                self.pos += 1
                tname = self.type_name()
                self.expect(")")
                node = SizeOf(tname, tok, align)
            else:
                node = SizeOf(self.unary(), tok, align)
        elif tok.kind == "id" and c_mode and self.at("("):
            node = self.call(tok)
        elif tok.kind == "id":
            node = Ident(tok.text, tok)
        elif tok.kind == "str":
            parts = [tok.text]
            while (nxt := self.peek()) is not None and nxt.kind == "str":
                parts.append(self.take().text)  # adjacent literals are joined (6.4.5p5)
            node = Str(string_size(parts), tok)
        else:
            raise EvalError(f"token \"{tok.text}\" is not valid in an integer constant expression", tok)
        self.depth -= 1
        return node

    def offsetof(self, tok: Token) -> OffsetOf:
        """'(' type ',' member ('.' member | '[' comma ']')* ')'"""
        self.pos += 1
        tname = self.type_name()
        self.expect(",")
        path: list[str | Node] = [self.member_name()]
        while self.at(".") or self.at("["):
            if self.take().text == ".":
                path.append(self.member_name())
            else:
                path.append(self.comma())
                self.expect("]")
        self.expect(")")
        return OffsetOf(tname, tuple(path), tok)

    def call(self, tok: Token) -> Call:
        """'(' [cond (',' cond)*] ')'"""
        self.pos += 1
        args: list[Node] = []
        if not self.at(")"):
            args.append(self.cond())
            while self.at(","):
                self.pos += 1
                args.append(self.cond())
        self.expect(")")
        return Call(tok.text, tuple(args), tok)

    def member_name(self) -> str:
        tok = self.take()
        if tok.kind != "id":
            raise EvalError(f"expected a member name, not \"{tok.text}\"", tok)
        return tok.text

    def type_name(self) -> TypeName:
        """type: (qualifier | struct/union/enum tag | type word | typedef name)+ '*'* ('[' comma ']')*"""
        words: list[str] = []
        while (tok := self.peek()) is not None and tok.kind == "id":
            if tok.text in QUALIFIERS:
                self.pos += 1
                continue
            if tok.text in ("struct", "union", "enum"):
                self.pos += 1
                tag = self.take()
                words += [tok.text, tag.text]
                continue
            if tok.text in TYPE_WORDS or (not words and self.is_type and self.is_type(tok.text)):
                words.append("signed" if tok.text == "__signed__" else tok.text)
                self.pos += 1
                continue
            break
        if not words:
            raise EvalError("expected a type name", self.peek())
        pointers = 0
        while self.at("*"):
            pointers += 1
            self.pos += 1
        dims: list[Node] = []
        while self.at("["):
            self.pos += 1
            dims.append(self.comma())
            self.expect("]")
        return TypeName(tuple(words), pointers, tuple(dims))


def parse(tokens: Sequence[Token], is_type: Callable[[str], bool] | None = None) -> Node:
    return Parser(tokens, is_type).parse()


class Trees:
    """The expression trees of one token sequence, each with the
    identifiers the parser asked were type names and the answers: what
    differs between arches. A parse error is kept as its parts (an
    exception kept would keep the frames it went through)."""

    def __init__(self) -> None:
        self.variants: list[tuple[tuple[tuple[str, bool], ...], Node | tuple[str, Token | None, str]]] = []

    def parse(self, tokens: Sequence[Token], is_type: Callable[[str], bool] | None) -> Node:
        """parse(tokens, is_type), kept for the next caller whose is_type
        answers the same (None: #if, which asks nothing)."""
        for asked, tree in self.variants:
            if is_type is None or all(is_type(name) == answer for name, answer in asked):
                break
        else:
            answers: dict[str, bool] = {}

            def ask(name: str) -> bool:
                assert is_type is not None
                answers[name] = answer = is_type(name)
                return answer
            try:
                tree = parse(tokens, ask if is_type is not None else None)
            except EvalError as exc:
                tree = (exc.message, exc.token, exc.lacks)
            self.variants.append((tuple(answers.items()), tree))
        if isinstance(tree, tuple):
            raise EvalError(*tree)
        return tree


# the trees of the expressions in declarations, which are the same tokens on every arch
_TREES: Kept[tuple[Token, ...], Trees] = Kept(500_000, 1)


# ---------------------------------------------------------------- #if

@dataclass
class IfResult:
    value: int
    unsigned: bool
    undefined: list[str]  # identifiers taken as 0 (-Wundef)


def eval_if(tokens: Sequence[Token], char_signed: bool = True, trees: Trees | None = None) -> IfResult:
    """Evaluate a fully macro-expanded #if expression (``defined`` already
    replaced). Raises EvalError where GCC's #if fails. trees, if given,
    keeps the tokens' #if tree (which, where they have no identifier, is
    their C tree too)."""
    undefined: list[str] = []
    try:
        tree = parse(tokens) if trees is None else trees.parse(tokens, None)
        value, unsigned = _if(tree, undefined, char_signed, True)
    except RecursionError:
        raise EvalError("expression nested too deeply") from None
    return IfResult(value, unsigned, undefined)


def _if(node: Node, undefined: list[str], char_signed: bool, live: bool) -> tuple[int, bool]:
    """(value, unsigned) of node in intmax arithmetic; live is False in an
    operand that is not evaluated, where GCC's -Wundef and division by zero
    are quiet (skip_eval)."""
    match node:
        case Num(text=text):
            value, suffix, _ = integer_literal(text)
            unsigned = "u" in suffix or value > (1 << 63) - 1
            return (UINTMAX.wrap(value) if unsigned else value), unsigned
        case Chr(text=text):
            return char_literal(text, char_signed), False
        case Ident(name=name):
            if live and name not in undefined:
                undefined.append(name)
            return 0, False
        case Unary(op="!", operand=operand):
            v, _ = _if(operand, undefined, char_signed, live)
            return int(not v), False
        case Unary(op=op, operand=operand):
            v, u = _if(operand, undefined, char_signed, live)
            return negate(op, v, UINTMAX if u else INTMAX)[0], u
        case Binary(op="&&" | "||" as op, left=left, right=right):
            a, _ = _if(left, undefined, char_signed, live)
            short = (op == "&&" and not a) or (op == "||" and a)
            b, _ = _if(right, undefined, char_signed, live and not short)
            return (int(bool(a) and bool(b)) if op == "&&" else int(bool(a) or bool(b))), False
        case Binary(op="<<" | ">>" as op, left=left, right=right):
            a, ua = _if(left, undefined, char_signed, live)
            b, _ = _if(right, undefined, char_signed, live)
            if b < 0:  # cpp shifts the other way by a negative count
                op, b = ("<<" if op == ">>" else ">>"), -b
            return shift(op, a, b, UINTMAX if ua else INTMAX)[0], ua
        case Binary(op=op, left=left, right=right):
            a, ua = _if(left, undefined, char_signed, live)
            b, ub = _if(right, undefined, char_signed, live)
            t = UINTMAX if ua or ub else INTMAX
            if op in ("/", "%") and b == 0 and not live:
                return 0, not t.signed
            value, _ = arith(op, t.wrap(a), t.wrap(b), t)
            return value, not t.signed and op not in ("<", "<=", ">", ">=", "==", "!=")
        case Cond(test=test, then=then, other=other):
            c, _ = _if(test, undefined, char_signed, live)
            a, ua = _if(then, undefined, char_signed, live and bool(c))
            b, ub = _if(other, undefined, char_signed, live and not c)
            t = UINTMAX if ua or ub else INTMAX
            return t.wrap(a if c else b), ua or ub
        case Comma(left=left, right=right):
            _if(left, undefined, char_signed, live)
            return _if(right, undefined, char_signed, live)
    raise EvalError("invalid expression in #if")


# ---------------------------------------------------------------- C values

class TypeOracle(Protocol):
    """What the C evaluator asks of the layout engine."""

    def is_type(self, name: str) -> bool: ...
    def size_align(self, tname: TypeName) -> tuple[int, int]: ...
    def integer_type(self, tname: TypeName) -> IntType | None: ...
    def constant(self, name: str) -> int | None: ...
    def offset_of(self, tname: TypeName, path: list[str | int]) -> int: ...


class CValue(NamedTuple):
    """A C value and its type (a tuple: a dataclass takes three times as
    long to make, and every operator of every expression makes one)."""

    value: int
    type: IntType
    overflow: bool = False  # a signed operation overflowed (e.g. 1 << 31)


ANY_WIDTH = 1 << 16  # what int_bits_needed says of a constant no int is wide enough for


def int_bits_needed(tokens: Sequence[Token]) -> int:
    """The width int needs for each integer constant among tokens to be an
    int or an unsigned int (0 if there is none): past it, what an
    expression without identifiers computes may depend on long."""
    return max((_bits_needed(t.text) for t in tokens if t.kind == "num"), default=0)


def _bits_needed(number: str) -> int:
    """int_bits_needed of one constant, by _literal_type's list: one bit
    more than its value for a decimal one without u, which is never
    unsigned int; ANY_WIDTH for a long (an l suffix), a floating or a
    malformed one."""
    try:
        value, suffix, decimal = integer_literal(number)
    except EvalError:
        return ANY_WIDTH
    if "l" in suffix:
        return ANY_WIDTH
    return value.bit_length() + (decimal and "u" not in suffix)


@lru_cache(maxsize=65536)  # most constants of a tree are a few spellings
def _literal_type(m: IntModel, value: int, suffix: str, decimal: bool) -> IntType:
    """C11 6.4.4.1: the first type of its list that the value fits."""
    longs = "ll" if "ll" in suffix else "l" if "l" in suffix else ""
    names = {"": ["int", "long", "long long"], "l": ["long", "long long"], "ll": ["long long"]}[longs]
    candidates: list[str] = []
    for n in names:
        if "u" in suffix:
            candidates.append("unsigned " + n)
        elif decimal:
            candidates.append(n)
        else:
            candidates += [n, "unsigned " + n]
    for n in candidates:
        t = m.type(n)
        if t.fits(value):
            return t
    return m.type("unsigned long long")


# each integer constant's value and type, by its spelling, per width of int and long
_LITERALS: dict[tuple[int, int], dict[str, CValue]] = {}
MAX_LITERALS = 100_000


class CEvaluator:
    def __init__(self, model: IntModel, oracle: TypeOracle) -> None:
        self.model = model
        self.oracle = oracle
        self.t_int = model.type("int")
        self.size_t = model.type("unsigned long")
        self.literals = _LITERALS.setdefault((model.int_bits, model.long_bits), {})

    def evaluate(self, tokens: Sequence[Token]) -> CValue:
        try:
            key = tuple(tokens)
            return self.eval(_TREES.first(key, Trees, len(key)).parse(tokens, self.oracle.is_type))
        except RecursionError:
            raise EvalError("expression nested too deeply") from None

    def convert(self, a: IntType, b: IntType) -> IntType:
        """Usual arithmetic conversions, C11 6.3.1.8, for promoted types."""
        if a is b:  # one object per type and ABI (_int_type)
            return a
        if a.signed == b.signed:
            return a if a.rank >= b.rank else b
        uns, sig = (a, b) if not a.signed else (b, a)
        if uns.rank >= sig.rank:
            return uns
        if sig.bits > uns.bits:
            return sig
        return self.model.type("unsigned " + sig.name)

    def promote(self, t: IntType) -> IntType:
        return self.t_int if t.rank < 1 or t.bits < self.t_int.bits else t

    def eval(self, node: Node) -> CValue:
        match node:
            case Num(text=text, tok=tok):
                literal = self.literals.get(text)
                if literal is None:
                    value, suffix, decimal = integer_literal(text)
                    if value >= 1 << 64:
                        raise EvalError("integer constant is too large for its type", tok)
                    if len(self.literals) >= MAX_LITERALS:
                        self.literals.clear()
                    literal = self.literals[text] = CValue(value, _literal_type(self.model, value, suffix, decimal))
                return literal
            case Chr(text=text):
                return CValue(char_literal(text, self.model.char_signed), self.t_int)
            case Ident(name=name, tok=tok):
                known = self.oracle.constant(name)
                if known is None:
                    raise EvalError(f"'{name}' is not a constant", tok, lacks=name)
                return CValue(known, self.t_int if self.t_int.fits(known) else self.model.type("long long"))
            case Unary(op="!", operand=operand):
                x = self.eval(operand)
                return CValue(int(not x.value), self.t_int, x.overflow)
            case Unary(op=op, operand=operand):
                x = self.eval(operand)
                t = self.promote(x.type)
                v, overflow = negate(op, x.value, t)
                return CValue(v, t, x.overflow or overflow)
            case Binary():
                return self.binary(node)
            case Cond(test=test, then=then, other=other):
                # GCC folds a constant condition even when the branch not taken
                # is not constant (the __builtin_constant_p idiom of swab.h)
                c = self.eval(test)
                pick = self.eval(then if c.value else other)
                try:
                    rest = self.eval(other if c.value else then)
                    t = self.convert(self.promote(pick.type), self.promote(rest.type))
                except EvalError:
                    t = self.promote(pick.type)
                return CValue(t.wrap(pick.value), t, c.overflow or pick.overflow)
            case Call():
                return self.call(node)
            case Comma(left=left, right=right):
                self.eval(left)
                return self.eval(right)
            case Cast(type=tname, operand=operand):
                target = self.oracle.integer_type(tname)
                if target is None:
                    raise EvalError(f"cast to '{tname}' is not an integer constant")
                x = self.eval(operand)
                return CValue(target.wrap(x.value), self.promote(target), x.overflow)
            case Str(tok=tok):
                raise EvalError("string literal is not an integer constant", tok)
            case OffsetOf(type=tname, path=path):
                steps = [p if isinstance(p, str) else self.eval(p).value for p in path]
                return CValue(self.oracle.offset_of(tname, steps), self.size_t)
            case SizeOf(operand=Str(size=size), align=False):
                return CValue(size, self.size_t)  # sizeof of a string literal: its array size
            case SizeOf(operand=operand, align=align):
                tname = operand if isinstance(operand, TypeName) else self.type_of(operand)
                size, alignment = self.oracle.size_align(tname)
                return CValue(alignment if align else size, self.size_t)
        raise EvalError("invalid constant expression")

    def call(self, node: Call) -> CValue:
        """The GCC built-ins that fold to constants and UAPI headers use."""
        name, args = node.name, node.args
        if name == "__builtin_constant_p" and len(args) == 1:
            try:
                self.eval(args[0])
                return CValue(1, self.t_int)
            except EvalError:
                return CValue(0, self.t_int)
        width = {"__builtin_bswap16": 16, "__builtin_bswap32": 32, "__builtin_bswap64": 64}.get(name)
        if width and len(args) == 1:
            x = self.eval(args[0])
            value = int.from_bytes((x.value % (1 << width)).to_bytes(width // 8, "little"), "big")
            # GCC types them uint16_t (promoted to int), uint32_t, uint64_t
            result = {16: self.t_int, 32: self.model.type("unsigned int"),
                      64: self.model.type("unsigned long long")}[width]
            return CValue(value, result, x.overflow)
        raise EvalError(f"call to '{name}' is not a constant expression", node.tok)

    def type_of(self, node: Node) -> TypeName:
        """sizeof applied to an expression: only integer expressions are known."""
        t = self.eval(node).type
        return TypeName(tuple(t.name.split()))

    def binary(self, node: Binary) -> CValue:
        op = node.op
        a = self.eval(node.left)
        if op in ("&&", "||"):
            if (op == "&&" and not a.value) or (op == "||" and a.value):
                return CValue(int(op == "||"), self.t_int, a.overflow)
            b = self.eval(node.right)
            return CValue(int(bool(b.value)), self.t_int, a.overflow or b.overflow)
        b = self.eval(node.right)
        flag = a.overflow or b.overflow
        if op in ("<<", ">>"):
            t = self.promote(a.type)
            if b.value < 0:
                raise EvalError(f"shift count {b.value} is negative")
            v, overflow = shift(op, a.value, b.value, t)
            return CValue(v, t, flag or overflow)
        t = self.convert(self.promote(a.type), self.promote(b.type))
        v, overflow = arith(op, t.wrap(a.value), t.wrap(b.value), t)
        if op in ("<", "<=", ">", ">=", "==", "!="):
            return CValue(v, self.t_int, flag)
        return CValue(v, t, flag or overflow)
