"""Integer constant expressions, evaluated without Python's eval.

One parser serves two evaluators:

* ``#if`` (C11 6.10.1p4): every value is intmax_t or uintmax_t (64 bits on
  every Linux ABI); identifiers that remain after macro expansion are 0, and
  keywords are identifiers too, so a cast or ``sizeof`` is a syntax error.
* C (C11 6.6): values carry their C type (int, long, ...), literal typing
  follows 6.4.4.1, conversions follow 6.3.1.8; casts, ``sizeof`` and
  ``_Alignof`` ask the layout engine through a callback.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Protocol, Sequence

from .preprocess.lexer import Token


class EvalError(Exception):
    def __init__(self, message: str, token: Token | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.token = token


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
        bits = {"int": self.int_bits, "long": self.long_bits, "long long": 64}
        base = name.replace("unsigned ", "")
        rank = {"int": 1, "long": 2, "long long": 3}[base]
        return IntType(name, bits[base], not name.startswith("unsigned"), rank)


# ---------------------------------------------------------------- parsing

@dataclass(frozen=True)
class TypeName:
    """A type name as written in a cast or sizeof: specifiers, pointers, arrays."""

    words: tuple[str, ...]  # e.g. ("unsigned", "long") or ("struct", "rseq")
    pointers: int = 0
    dims: tuple[object, ...] = ()  # expression nodes

    def __str__(self) -> str:
        text = " ".join(self.words) + " *" * self.pointers
        return text + "[]" * len(self.dims)


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
MAX_DEPTH = 200


class Parser:
    """Recursive descent over tokens into tuples: ('num', text), ('chr', text),
    ('id', name, tok), ('un', op, x), ('bin', op, a, b), ('cond', c, a, b),
    ('cast', TypeName, x), ('sizeof', TypeName | node), ('alignof', TypeName),
    ('comma', a, b)."""

    def __init__(self, tokens: Sequence[Token], is_type: Callable[[str], bool] | None) -> None:
        self.toks = tokens
        self.pos = 0
        self.is_type = is_type  # None: #if mode, where there are no types
        self.depth = 0

    def peek(self, k: int = 0) -> Token | None:
        i = self.pos + k
        return self.toks[i] if i < len(self.toks) else None

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

    def parse(self) -> object:
        if not self.toks:
            raise EvalError("expression is empty")
        node = self.comma()
        tok = self.peek()
        if tok is not None:
            raise EvalError(f"missing binary operator before token \"{tok.text}\"", tok)
        return node

    def comma(self) -> object:
        node = self.cond()
        while self.peek() is not None and self.peek().text == ",":  # type: ignore[union-attr]
            self.pos += 1
            node = ("comma", node, self.cond())
        return node

    def cond(self) -> object:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise EvalError("expression nested too deeply", self.peek())
        node = self.binary(1)
        tok = self.peek()
        if tok is not None and tok.text == "?":
            self.pos += 1
            a = self.comma()
            self.expect(":")
            b = self.cond()
            node = ("cond", node, a, b)
        self.depth -= 1
        return node

    def binary(self, min_prec: int) -> object:
        left = self.unary()
        while True:
            tok = self.peek()
            if tok is None or tok.kind != "punct":
                return left
            prec = BINARY_PREC.get(tok.text)
            if prec is None or prec < min_prec:
                return left
            self.pos += 1
            right = self.binary(prec + 1)
            left = ("bin", tok.text, left, right)

    def starts_type(self, tok: Token | None) -> bool:
        if tok is None or self.is_type is None or tok.kind != "id":
            return False
        return tok.text in TYPE_WORDS or self.is_type(tok.text)

    def unary(self) -> object:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise EvalError("expression nested too deeply", self.peek())
        tok = self.take()
        node: object
        if tok.kind == "punct" and tok.text in ("-", "+", "~", "!"):
            node = ("un", tok.text, self.unary())
        elif tok.kind == "punct" and tok.text == "(":
            if self.starts_type(self.peek()):
                tname = self.type_name()
                self.expect(")")
                node = ("cast", tname, self.unary())
            else:
                node = self.comma()
                self.expect(")")
        elif tok.kind == "num":
            node = ("num", tok.text, tok)
        elif tok.kind == "chr":
            node = ("chr", tok.text, tok)
        elif (tok.kind == "id" and self.is_type is not None and tok.text == "__builtin_offsetof"
              and self.peek() is not None and self.peek().text == "("):  # type: ignore[union-attr]
            self.pos += 1
            tname = self.type_name()
            self.expect(",")
            path: list[object] = [self.member_name()]
            while self.peek() is not None and self.peek().text in (".", "["):  # type: ignore[union-attr]
                if self.take().text == ".":
                    path.append(self.member_name())
                else:
                    path.append(self.comma())
                    self.expect("]")
            self.expect(")")
            node = ("offsetof", tname, path, tok)
        elif tok.kind == "id" and self.is_type is not None and tok.text in ("sizeof", "_Alignof", "__alignof__", "__alignof"):
            nxt = self.peek()
            if nxt is not None and nxt.text == "(" and self.starts_type(self.peek(1)):
                self.pos += 1
                tname = self.type_name()
                self.expect(")")
                node = ("sizeof" if tok.text == "sizeof" else "alignof", tname, tok)
            elif tok.text == "sizeof":
                node = ("sizeof", self.unary(), tok)
            else:
                node = ("alignof", self.unary(), tok)
        elif tok.kind == "id":
            nxt = self.peek()
            if self.is_type is not None and nxt is not None and nxt.text == "(":
                self.pos += 1
                args: list[object] = []
                if self.peek() is not None and self.peek().text != ")":  # type: ignore[union-attr]
                    args.append(self.cond())
                    while self.peek() is not None and self.peek().text == ",":  # type: ignore[union-attr]
                        self.pos += 1
                        args.append(self.cond())
                self.expect(")")
                node = ("call", tok.text, args, tok)
            else:
                node = ("id", tok.text, tok)
        elif tok.kind == "str":
            parts = [tok.text]
            while self.peek() is not None and self.peek().kind == "str":  # type: ignore[union-attr]
                parts.append(self.take().text)  # adjacent literals are joined (6.4.5p5)
            node = ("str", string_size(parts), tok)
        else:
            raise EvalError(f"token \"{tok.text}\" is not valid in an integer constant expression", tok)
        self.depth -= 1
        return node

    def member_name(self) -> str:
        tok = self.take()
        if tok.kind != "id":
            raise EvalError(f"expected a member name, not \"{tok.text}\"", tok)
        return tok.text

    def type_name(self) -> TypeName:
        words: list[str] = []
        while True:
            tok = self.peek()
            if tok is None or tok.kind != "id":
                break
            if tok.text in ("const", "volatile", "restrict", "__restrict", "__const", "__volatile__"):
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
        while self.peek() is not None and self.peek().text == "*":  # type: ignore[union-attr]
            pointers += 1
            self.pos += 1
        dims: list[object] = []
        while self.peek() is not None and self.peek().text == "[":  # type: ignore[union-attr]
            self.pos += 1
            dims.append(self.comma())
            self.expect("]")
        return TypeName(tuple(words), pointers, tuple(dims))


def parse(tokens: Sequence[Token], is_type: Callable[[str], bool] | None = None) -> object:
    return Parser(tokens, is_type).parse()


# ---------------------------------------------------------------- literals

_ESCAPES = {"n": 10, "t": 9, "r": 13, "a": 7, "b": 8, "f": 12, "v": 11, "e": 27, "E": 27,
            "\\": 92, "'": 39, '"': 34, "?": 63}


def integer_literal(text: str) -> tuple[int, str, bool]:
    """Value, suffix (lower case, e.g. 'ul') and whether the base is decimal."""
    body = text.replace("'", "")
    low = body.lower()
    end = len(low)
    while end and low[end - 1] in "ul":
        end -= 1
    digits, suffix = low[:end], low[end:]
    if suffix not in ("", "u", "l", "ul", "lu", "ll", "ull", "llu"):
        raise EvalError(f"invalid suffix \"{text[end:]}\" on integer constant")
    try:
        if digits.startswith("0x"):
            return int(digits[2:], 16), suffix, False
        if digits.startswith("0b"):
            return int(digits[2:], 2), suffix, False
        if len(digits) > 1 and digits[0] == "0":
            return int(digits, 8), suffix, False
        if not digits.isdigit():
            raise ValueError
        return int(digits, 10), suffix, True
    except ValueError:
        if any(c in digits for c in ".ep") and not digits.startswith("0x"):
            raise EvalError("floating constant in integer constant expression") from None
        raise EvalError(f"invalid integer constant \"{text}\"") from None


def char_literal(text: str, char_signed: bool) -> int:
    prefix, _, rest = text.partition("'")
    body = rest[:-1]
    chars: list[int] = []
    i = 0
    while i < len(body):
        c = body[i]
        if c != "\\":
            chars.extend(c.encode("utf-8")) if not prefix else chars.append(ord(c))
            i += 1
            continue
        i += 1
        c = body[i] if i < len(body) else ""
        if c in _ESCAPES:
            chars.append(_ESCAPES[c])
            i += 1
        elif c in "01234567":
            j = i
            while j < len(body) and j - i < 3 and body[j] in "01234567":
                j += 1
            chars.append(int(body[i:j], 8))
            i = j
        elif c == "x":
            j = i + 1
            while j < len(body) and body[j] in "0123456789abcdefABCDEF":
                j += 1
            if j == i + 1:
                raise EvalError("\\x used with no following hex digits")
            chars.append(int(body[i + 1:j], 16))
            i = j
        else:
            raise EvalError(f"unknown escape sequence '\\{c}'")
    if not chars:
        raise EvalError("empty character constant")
    if prefix:
        return chars[-1]
    if len(chars) == 1:
        v = chars[0] & 0xFF
        return v - 256 if char_signed and v >= 128 else v
    value = 0
    for ch in chars[-4:]:
        value = ((value << 8) | (ch & 0xFF)) & 0xFFFFFFFF
    return value - (1 << 32) if value >> 31 else value


# ---------------------------------------------------------------- #if

@dataclass
class IfResult:
    value: int
    unsigned: bool
    undefined: list[str]  # identifiers taken as 0 (-Wundef)


def eval_if(tokens: Sequence[Token], char_signed: bool = True) -> IfResult:
    """Evaluate a fully macro-expanded #if expression (``defined`` already
    replaced). Raises EvalError where GCC's #if fails."""
    node = parse(tokens)
    undefined: list[str] = []
    value, unsigned = _if(node, undefined, char_signed)
    return IfResult(value, unsigned, undefined)


def _if(node: object, undefined: list[str], char_signed: bool, live: bool = True) -> tuple[int, bool]:
    kind = node[0]  # type: ignore[index]
    if kind == "num":
        value, suffix, _ = integer_literal(node[1])  # type: ignore[index]
        unsigned = "u" in suffix or value > (1 << 63) - 1
        return UINTMAX.wrap(value) if unsigned else value, unsigned
    if kind == "chr":
        return char_literal(node[1], char_signed), False  # type: ignore[index]
    if kind == "id":
        # GCC's -Wundef is quiet in operands that are not evaluated (skip_eval)
        if live and node[1] not in undefined:  # type: ignore[index]
            undefined.append(node[1])  # type: ignore[index]
        return 0, False
    if kind == "un":
        v, u = _if(node[2], undefined, char_signed, live)  # type: ignore[index]
        op = node[1]  # type: ignore[index]
        t = UINTMAX if u else INTMAX
        if op == "-":
            return t.wrap(-v), u
        if op == "+":
            return v, u
        if op == "~":
            return t.wrap(~v), u
        return int(not v), False
    if kind == "bin":
        op = node[1]  # type: ignore[index]
        a, ua = _if(node[2], undefined, char_signed, live)  # type: ignore[index]
        if op in ("&&", "||"):
            short = (op == "&&" and not a) or (op == "||" and a)
            b, _ = _if(node[3], undefined, char_signed, live and not short)  # type: ignore[index]
            return (int(bool(a) and bool(b)) if op == "&&" else int(bool(a) or bool(b))), False
        b, ub = _if(node[3], undefined, char_signed, live)  # type: ignore[index]
        if op in ("<<", ">>"):
            t = UINTMAX if ua else INTMAX
            return _shift(op, a, b, t), ua
        u = ua or ub
        t = UINTMAX if u else INTMAX
        a, b = t.wrap(a), t.wrap(b)
        return _arith(op, a, b, t, live)
    if kind == "cond":
        c, _ = _if(node[1], undefined, char_signed, live)  # type: ignore[index]
        a, ua = _if(node[2], undefined, char_signed, live and bool(c))  # type: ignore[index]
        b, ub = _if(node[3], undefined, char_signed, live and not c)  # type: ignore[index]
        u = ua or ub
        t = UINTMAX if u else INTMAX
        return t.wrap(a if c else b), u
    if kind == "comma":
        _if(node[1], undefined, char_signed, live)  # type: ignore[index]
        return _if(node[2], undefined, char_signed, live)  # type: ignore[index]
    raise EvalError("invalid expression in #if")


def _shift(op: str, a: int, b: int, t: IntType) -> int:
    if b < 0:
        op, b = ("<<" if op == ">>" else ">>"), -b
    if op == "<<":
        return t.wrap(a << b) if b < t.bits else 0
    if b >= t.bits:
        return -1 if a < 0 else 0
    return a >> b


def _arith(op: str, a: int, b: int, t: IntType, live: bool) -> tuple[int, bool]:
    u = not t.signed
    if op in ("/", "%"):
        if b == 0:
            if live:
                raise EvalError("division by zero")
            return 0, u
        q = abs(a) // abs(b)
        q = q if (a >= 0) == (b >= 0) else -q
        return (t.wrap(q), u) if op == "/" else (t.wrap(a - q * b), u)
    if op == "*":
        return t.wrap(a * b), u
    if op == "+":
        return t.wrap(a + b), u
    if op == "-":
        return t.wrap(a - b), u
    if op == "&":
        return t.wrap(a & b), u
    if op == "|":
        return t.wrap(a | b), u
    if op == "^":
        return t.wrap(a ^ b), u
    cmp = {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b, "==": a == b, "!=": a != b}[op]
    return int(cmp), False


# ---------------------------------------------------------------- C values

def string_size(parts: list[str]) -> int:
    """The array size of adjacent string literals joined (6.4.5p5): their
    characters, escapes counted once, plus the terminating zero, in units of
    the widest prefix."""
    count, unit = 0, 1
    for text in parts:
        prefix = text[:text.index('"')]
        unit = max(unit, {"L": 4, "u": 2, "U": 4}.get(prefix, 1))
        body = text[len(prefix) + 1:-1]
        i = 0
        while i < len(body):
            if body[i] == "\\" and i + 1 < len(body):
                i += 2
                if body[i - 1] == "x":
                    while i < len(body) and body[i] in "0123456789abcdefABCDEF":
                        i += 1
                elif body[i - 1] in "01234567":
                    j = 0
                    while i < len(body) and body[i] in "01234567" and j < 2:
                        i += 1
                        j += 1
            else:
                i += 1
            count += 1
    return (count + 1) * unit


class TypeOracle(Protocol):
    """What the C evaluator asks of the layout engine."""

    def is_type(self, name: str) -> bool: ...
    def size_align(self, tname: TypeName) -> tuple[int, int]: ...
    def integer_type(self, tname: TypeName) -> IntType | None: ...
    def constant(self, name: str) -> int | None: ...
    def offset_of(self, tname: TypeName, path: list[str | int]) -> int: ...


@dataclass
class CValue:
    value: int
    type: IntType
    overflow: bool = False  # a signed operation overflowed (e.g. 1 << 31)


class CEvaluator:
    def __init__(self, model: IntModel, oracle: TypeOracle) -> None:
        self.model = model
        self.oracle = oracle
        self.t_int = model.type("int")
        self.size_t = model.type("unsigned long")

    def evaluate(self, tokens: Sequence[Token]) -> CValue:
        node = parse(tokens, self.oracle.is_type)
        return self.eval(node)

    def literal_type(self, value: int, suffix: str, decimal: bool) -> IntType:
        m = self.model
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

    def convert(self, a: IntType, b: IntType) -> IntType:
        """Usual arithmetic conversions, C11 6.3.1.8, for promoted types."""
        if a == b:
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

    def eval(self, node: object) -> CValue:
        kind = node[0]  # type: ignore[index]
        if kind == "num":
            value, suffix, decimal = integer_literal(node[1])  # type: ignore[index]
            if value >= 1 << 64:
                raise EvalError("integer constant is too large for its type", node[2])  # type: ignore[index]
            return CValue(value, self.literal_type(value, suffix, decimal))
        if kind == "chr":
            return CValue(char_literal(node[1], self.model.char_signed), self.t_int)  # type: ignore[index]
        if kind == "id":
            known = self.oracle.constant(node[1])  # type: ignore[index]
            if known is None:
                raise EvalError(f"'{node[1]}' is not a constant", node[2])  # type: ignore[index]
            return CValue(known, self.t_int if self.t_int.fits(known) else self.model.type("long long"))
        if kind == "un":
            x = self.eval(node[2])  # type: ignore[index]
            op = node[1]  # type: ignore[index]
            if op == "!":
                return CValue(int(not x.value), self.t_int, x.overflow)
            t = self.promote(x.type)
            raw = {"-": -x.value, "+": x.value, "~": ~x.value}[op]
            v = t.wrap(raw)
            return CValue(v, t, x.overflow or (t.signed and v != raw))
        if kind == "bin":
            return self.binary(node)
        if kind == "cond":
            # GCC folds a constant condition even when the branch not taken
            # is not constant (the __builtin_constant_p idiom of swab.h)
            c = self.eval(node[1])  # type: ignore[index]
            pick = self.eval(node[2] if c.value else node[3])  # type: ignore[index]
            try:
                other = self.eval(node[3] if c.value else node[2])  # type: ignore[index]
                t = self.convert(self.promote(pick.type), self.promote(other.type))
            except EvalError:
                t = self.promote(pick.type)
            return CValue(t.wrap(pick.value), t, c.overflow or pick.overflow)
        if kind == "call":
            return self.call(node)
        if kind == "comma":
            self.eval(node[1])  # type: ignore[index]
            return self.eval(node[2])  # type: ignore[index]
        if kind == "cast":
            tname = node[1]  # type: ignore[index]
            target = self.oracle.integer_type(tname)
            if target is None:
                raise EvalError(f"cast to '{tname}' is not an integer constant")
            x = self.eval(node[2])  # type: ignore[index]
            return CValue(target.wrap(x.value), self.promote(target), x.overflow)
        if kind == "str":
            raise EvalError("string literal is not an integer constant", node[2])  # type: ignore[index]
        if kind == "offsetof":
            path = [p if isinstance(p, str) else self.eval(p).value for p in node[2]]  # type: ignore[index]
            return CValue(self.oracle.offset_of(node[1], path), self.size_t)  # type: ignore[index]
        if kind in ("sizeof", "alignof"):
            operand = node[1]  # type: ignore[index]
            if kind == "sizeof" and isinstance(operand, tuple) and operand[0] == "str":
                return CValue(operand[1], self.size_t)  # sizeof of a string literal: its array size
            if not isinstance(operand, TypeName):
                operand = self.type_of(operand)
            size, align = self.oracle.size_align(operand)
            return CValue(size if kind == "sizeof" else align, self.size_t)
        raise EvalError("invalid constant expression")

    def call(self, node: object) -> CValue:
        """The GCC built-ins that fold to constants and UAPI headers use."""
        name, args, tok = node[1], node[2], node[3]  # type: ignore[index]
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
        raise EvalError(f"call to '{name}' is not a constant expression", tok)

    def type_of(self, node: object) -> TypeName:
        """sizeof applied to an expression: only integer expressions are known."""
        t = self.eval(node).type
        return TypeName(tuple(t.name.split()))

    def binary(self, node: object) -> CValue:
        op = node[1]  # type: ignore[index]
        a = self.eval(node[2])  # type: ignore[index]
        if op in ("&&", "||"):
            if (op == "&&" and not a.value) or (op == "||" and a.value):
                return CValue(int(op == "||"), self.t_int, a.overflow)
            b = self.eval(node[3])  # type: ignore[index]
            return CValue(int(bool(b.value)), self.t_int, a.overflow or b.overflow)
        b = self.eval(node[3])  # type: ignore[index]
        flag = a.overflow or b.overflow
        if op in ("<<", ">>"):
            t = self.promote(a.type)
            if b.value < 0:
                raise EvalError(f"shift count {b.value} is negative")
            if b.value >= t.bits:
                # undefined (C11 6.5.7p3); GCC folds it as the bits running out: 0, or -1 for a negative >>
                v = -1 if op == ">>" and a.value < 0 else 0
                return CValue(v, t, flag or t.signed)
            raw = a.value << b.value if op == "<<" else a.value >> b.value
            v = t.wrap(raw)
            return CValue(v, t, flag or (t.signed and (v != raw or a.value < 0 and op == "<<")))
        t = self.convert(self.promote(a.type), self.promote(b.type))
        x, y = t.wrap(a.value), t.wrap(b.value)
        if op in ("/", "%"):
            if y == 0:
                raise EvalError("division by zero")
            q = abs(x) // abs(y)
            q = q if (x >= 0) == (y >= 0) else -q
            raw = q if op == "/" else x - q * y
        elif op in ("<", "<=", ">", ">=", "==", "!="):
            cmp = {"<": x < y, "<=": x <= y, ">": x > y, ">=": x >= y, "==": x == y, "!=": x != y}[op]
            return CValue(int(cmp), self.t_int, flag)
        else:
            raw = {"*": x * y, "+": x + y, "-": x - y, "&": x & y, "|": x | y, "^": x ^ y}[op]
        v = t.wrap(raw)
        return CValue(v, t, flag or (t.signed and v != raw))
