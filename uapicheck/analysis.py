"""One translation unit through the stages: preprocess, parse, lay out; and
the facts of one header drawn from it (snapshots), each macro evaluated in
C and in ``#if``. The libc gate runs its translation units through the
same entry.
"""

from __future__ import annotations

from collections.abc import Sequence, Set
from dataclasses import dataclass, field
from functools import partial
from weakref import WeakKeyDictionary

from .arches import Arch
from .diagnostics import Diagnostic, Location
from .errors import EvalError
from .expr import CEvaluator, CValue, IfResult, IntType, Trees, TypeName, eval_if, int_bits_needed
from .facts import HeaderFacts, MacroFact, TypeFact
from .layout import Engine, LayoutError
from .parse import Declarations, declared_names, parse
from .kept import Kept
from .preprocess.cpp import ExpansionLimit, Expansion, Macro, Preprocessor, Unit
from .tokens import Token, closed

# C keywords and GNU spellings, which a macro's expansion may leave
KEYWORDS = frozenset("""
auto break case char const continue default do double else enum extern float for goto if inline int long
register restrict return short signed sizeof static struct switch typedef union unsigned void volatile while
_Alignas _Alignof _Atomic _Bool _Complex _Generic _Imaginary _Noreturn _Static_assert _Thread_local
__alignof __alignof__ __asm __asm__ asm __attribute __attribute__ __const __const__ __extension__ __inline
__inline__ __int128 __label__ __restrict __restrict__ __signed __signed__ __thread __typeof __typeof__ typeof
__volatile __volatile__ __auto_type __real__ __imag__ __float128 _Float128 __builtin_va_list __int128_t
__uint128_t __func__ __FUNCTION__ __PRETTY_FUNCTION__ defined
""".split())
BUILTIN_PREFIXES = ("__builtin_", "__atomic_", "__sync_")
PARAM = "__uapicheck_param"  # what a function-like macro's parameters are replaced with
# what #if expands other than C: where a use reads none of them, its #if expansion is its C one
IF_ONLY = frozenset(["defined", "__has_include", "__has_include_next", "__has_attribute", "__has_builtin",
                     "__has_feature", "__has_extension", "__has_c_attribute", "__has_cpp_attribute"])


@dataclass
class Analysis:
    """What the stages made of one translation unit."""

    unit: Unit
    decls: Declarations | None = None  # None: preprocessing failed
    engine: Engine | None = None  # None: the declarations did not parse
    layouts: dict[str, TypeFact] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)  # preprocess, parse, layout


def analyse(pp: Preprocessor, path: str, arch: Arch, first: Sequence[str] = (), only: bool = False) -> Analysis:
    """Preprocess path (after the files of first), parse what it gives and
    lay out every type it declares on arch (with only, the types that file
    declares: see Engine.layouts); each stage runs only if the one before
    succeeded. What comes out names path as its tokens do (unit.path)."""
    try:
        unit = pp.run(path, first)
    except RecursionError:
        unit = Unit(path, [], {}, [], [Diagnostic("error", Location(path), "nested too deeply to analyse",
                                                  "preprocess")], True)
    result = Analysis(unit, diagnostics=list(unit.diagnostics))
    if unit.fatal:
        return result
    result.decls = parse(unit.tokens, unit.path)
    result.diagnostics += result.decls.diagnostics
    if result.decls.diagnostics:
        return result
    result.engine = Engine(result.decls, arch)
    result.layouts = result.engine.layouts(unit.path if only else None)
    result.diagnostics += result.engine.redefinitions + result.engine.diagnostics
    return result


def header_facts(pp: Preprocessor, path: str, arch: Arch,
                 first: Sequence[str] = ()) -> tuple[HeaderFacts, tuple[tuple[str, bool], ...]]:
    """The facts of the header at path (what it defines itself; read after
    the files of first), and every path #include looked at."""
    a = analyse(pp, path, arch, first, only=True)
    defined = pp.cache.defined(path)
    facts = _facts(a, pp, defined)
    if a.engine is not None and a.engine.unsure:
        # lay out every type, in order, as GCC reads them: what fails, and where it is reported, may differ
        front = a.diagnostics[:len(a.diagnostics) - len(a.engine.diagnostics)]
        a.engine = Engine(a.engine.decls, arch)
        a.layouts = a.engine.layouts()
        a.diagnostics = front + a.engine.diagnostics
        facts = _facts(a, pp, defined)
    return facts, a.unit.probed


def _facts(a: Analysis, pp: Preprocessor, defined: tuple[str, ...]) -> HeaderFacts:
    """The facts of a's header, whose file has a #define line for the names of defined."""
    path = a.unit.path
    facts = HeaderFacts(path, includes=[f for f in a.unit.files if f != path])
    redefinitions = a.engine.redefinitions if a.engine else []
    facts.diagnostics = [d for d in a.diagnostics if d.code != "layout" or d.location.file == path
                         or d in redefinitions]
    facts.types = {name: t for name, t in a.layouts.items() if t.file == path}
    names, members = declared_names(a.decls) if a.decls is not None else (set(), set())
    names.update(a.unit.macros)
    table = a.unit.macros
    facts.macros = {name: macro_fact(m, pp, a.engine, names, members) for name in defined
                    if (m := table.get(name)) is not None and m.file == path}
    if a.decls is not None:
        facts.declares = sorted({name for name, loc in a.decls.objects if loc.file == path})
    return facts


def _locals(tokens: list[Token]) -> set[str]:
    """Names an expansion declares itself: the locals of a statement
    expression (`int __i, __n;`, `type *__entry;`)."""
    out = set()
    for i in range(1, len(tokens) - 1):
        t, before, after = tokens[i], tokens[i - 1], tokens[i + 1].text
        if t.kind == "id" and after in (";", "=", ",", "[") and (
                before.kind == "id" or before.text in ("*", ")") or (before.text == "," and after in (";", "="))):
            out.add(t.text)
    return out


def _skipped(tokens: list[Token]) -> set[int]:
    """Positions of tokens that are not expressions: the arguments of
    __attribute__((...)) and of a call to a parameter (an X-macro's FN)."""
    out: set[int] = set()
    i = 0
    while i < len(tokens):
        t = tokens[i]
        if (t.text in ("__attribute__", "__attribute") or PARAM in t.text) and i + 1 < len(tokens) \
                and tokens[i + 1].text == "(":
            depth, j = 0, i + 1
            while j < len(tokens):
                depth += {"(": 1, ")": -1}.get(tokens[j].text, 0)
                out.add(j)
                if depth == 0:
                    break
                j += 1
            i = j
        i += 1
    return out


def use_of(tokens: list[Token], i: int) -> str:
    """How the identifier at tokens[i] is used: "type" (cast, sizeof),
    "call", or "value"."""
    before = tokens[i - 1].text if i else ""
    after = tokens[i + 1].text if i + 1 < len(tokens) else ""
    nxt = tokens[i + 2] if i + 2 < len(tokens) else None
    if before == "(" and after == ")":
        if i >= 2 and tokens[i - 2].text in ("sizeof", "_Alignof", "__alignof__", "__alignof"):
            return "type"
        if nxt is not None and (nxt.kind in ("id", "num") or nxt.text == "("):
            return "type"
    return "call" if after == "(" else "value"


def free_identifiers(tokens: list[Token], names: set[str], members: set[str]) -> tuple[tuple[str, str], ...]:
    """The identifiers of an expansion that the translation unit does not
    define (member names count for values only), nor C, GCC, or the
    expansion itself (a statement expression's locals, a member after '.'),
    with how each is used."""
    return _undefined(_identifiers(tokens), names, members)


def _identifiers(tokens: list[Token]) -> tuple[tuple[str, str], ...]:
    """What free_identifiers looks at whatever the unit: every identifier
    of the expansion that is not C's, GCC's or its own, with how it is used
    there, in order."""
    local = _locals(tokens)
    skipped = _skipped(tokens)
    out = []
    for i, t in enumerate(tokens):
        name = t.text
        if (t.kind != "id" or name in KEYWORDS or name.startswith(BUILTIN_PREFIXES) or PARAM in name
                or name in local or i in skipped):
            continue
        if i and tokens[i - 1].text in (".", "->", "struct", "union", "enum"):
            continue  # a member, or a tag (declared or not: only its size would need it)
        out.append((name, use_of(tokens, i)))
    return tuple(out)


def _undefined(identifiers: tuple[tuple[str, str], ...], names: set[str],
               members: set[str]) -> tuple[tuple[str, str], ...]:
    out: dict[str, str] = {}
    for name, how in identifiers:
        if name not in names and name not in out and (how != "value" or name not in members):
            out[name] = how
    return tuple(sorted(out.items()))


def _call_site(m: Macro) -> list[Token]:
    """A use of m: its name, and for a function-like macro an argument per
    parameter that no header can define."""
    site = [Token("id", m.name, m.file, m.line, m.col, False)]
    if m.params is not None:
        site.append(Token("punct", "(", m.file, m.line, m.col, False))
        for i in range(len(m.params)):
            if i:
                site.append(Token("punct", ",", m.file, m.line, m.col, False))
            site.append(Token("id", f"{PARAM}{i}", m.file, m.line, m.col, False))
        site.append(Token("punct", ")", m.file, m.line, m.col, False))
    return site


def macro_fact(m: Macro, pp: Preprocessor, engine: Engine | None, names: set[str], members: set[str]) -> MacroFact:
    """What C (with the types engine knows) and #if make of macro m, and what
    a use of it leaves undefined."""
    known = _CLOSED_MACROS.get(id(m))
    if known is not None and known[0] is m and engine is not None:
        kept = known[1].facts.get(_fact_key(m, known[1], engine, pp))
        if kept is not None:
            return kept[1]
    fact = partial(MacroFact.one, m.name, m.line, m.col)  # one object where equal: Sections compares them
    replacement = m.replacement()
    if not m.body:
        return fact(m.params, replacement)
    if m.params is None and closed(m.body) and all(t.text != "##" for t in m.body):
        # it expands to itself: what C and #if make of it is the same for every macro spelled so
        tokens, reads = list(m.body), frozenset[str]()
        derived = _CLOSED.first(tuple(t.text for t in m.body), lambda: _derived(tokens), len(m.body))
        if len(_CLOSED_MACROS) >= MAX_CLOSED_MACROS:
            _CLOSED_MACROS.clear()
        _CLOSED_MACROS[id(m)] = (m, derived)
    else:
        use = pp.expand_use(m, _call_site)
        if use.tokens is None:
            if m.params is not None:
                return fact(m.params, replacement)
            return fact(None, replacement, value_error=use.limit, if_error=use.limit)
        tokens, reads = use.tokens, use.read.names
        found = _DERIVED.get(use)
        derived = found if found is not None else _DERIVED.setdefault(use, _derived(use.tokens))
    free = _undefined(derived.identifiers, names, members)
    if m.params is not None:
        return fact(m.params, replacement, free=free)
    key = None
    if derived.closed and engine is not None and IF_ONLY.isdisjoint(reads):
        # nothing below reads the unit: one fact for the arches whose integer types agree
        key = _fact_key(m, derived, engine, pp)
        kept = derived.facts.get(key)
        if kept is not None:
            return kept[1]
    value = ctype = value_error = None
    overflow = False
    if engine is not None:
        try:
            cv = _c_value(tokens, derived, engine)
            value, ctype, overflow = cv.value, cv.type.name, cv.overflow
        except EvalError as exc:
            value_error = exc.message
    if_value = if_error = None
    undefined: list[str] = []
    try:
        result = _if_result(m, tokens, reads, derived, pp)
        if_value, undefined = result.value, result.undefined
    except EvalError as exc:
        if_error = exc.message
    except ExpansionLimit as exc:
        if_error = str(exc)
    made = fact(None, replacement, value, ctype, value_error, if_error is None and not undefined, if_value, if_error,
                undefined, overflow, free)
    if key is not None:
        derived.facts[key] = (m, made)  # m kept alive with it: no other macro takes its id
    return made


FactKey = tuple[int, int, int | None, tuple[bool, bool] | None]


def _fact_key(m: Macro, derived: _Derived, engine: Engine, pp: Preprocessor) -> FactKey:
    """What a closed expansion's fact depends on beside its tokens: the
    macro, and the integer types: the width of long only where an integer
    constant may be one (on i386 and x86_64 alike, most are int); char's
    sign where a character constant is read, in C and in #if."""
    ints = engine.ints
    long_bits = ints.long_bits if derived.int_bits_needed > ints.int_bits else None
    return id(m), ints.int_bits, long_bits, (ints.char_signed, pp.char_signed) if derived.chars else None


@dataclass
class _Derived:
    """What a use's expansion gives whatever the unit, or on every arch
    that answers the same. Errors are kept as their messages: an exception
    kept would keep the frames it went through, and every unit with them."""

    identifiers: tuple[tuple[str, str], ...]  # see _identifiers
    closed: bool  # no identifier at all, not even C's (sizeof): its C tree is its #if tree
    # a character constant among its tokens: only then does the sign of char matter ('\xff' is -1 or 255)
    chars: bool
    # the width int needs for each integer constant among its tokens to be an int or an unsigned int
    # (C11 6.4.4.1): in one at least that wide, what a closed expansion computes is the same whatever
    # the width of long, as it has no identifier (no cast, no sizeof) to bring a long in
    int_bits_needed: int
    if_results: dict[bool | None, IfResult | str] = field(default_factory=dict)  # by char signedness, or None
    c_trees: Trees = field(default_factory=Trees)  # its C expression
    if_trees: Trees = field(default_factory=Trees)  # its #if expression, where that is not its C one
    # by the arch's integer types (int and long bits, char signedness or None): what evaluating
    # it asked the layout engine (nothing, where it is closed), with the value (see _Asking)
    asked: dict[tuple[int, int, bool | None], list[tuple[list[Question], CValue | str]]] = \
        field(default_factory=dict)
    # closed: the fact of each macro that expands so (see _fact_key)
    facts: dict[FactKey, tuple[Macro, MacroFact]] = field(default_factory=dict)


def _derived(tokens: list[Token]) -> _Derived:
    return _Derived(_identifiers(tokens), closed(tokens), any(t.kind == "chr" for t in tokens),
                    int_bits_needed(tokens))


# kept as long as the run keeps the use (the preprocessor's Shared.uses)
_DERIVED: WeakKeyDictionary[Expansion, _Derived] = WeakKeyDictionary()
# those of replacement lists with nothing to expand, by their tokens: most are one number
_CLOSED: Kept[tuple[str, ...], _Derived] = Kept(200_000, 1)
# and by each macro so defined (kept with it: no other takes its id), whose facts are then found
# on the next arch without looking at its tokens: a third of a run's macro facts on eight arches
_CLOSED_MACROS: dict[int, tuple[Macro, _Derived]] = {}
MAX_CLOSED_MACROS = 200_000


def _c_value(tokens: list[Token], derived: _Derived, engine: Engine) -> CValue:
    """engine.evaluator.evaluate(tokens), with the expression tree kept for
    the arches on which the same identifiers are type names, and the value
    for those with the same integer types whose engine answers what its
    evaluation asked alike: a closed expansion asks nothing, and a struct's
    size is the same on most arches."""
    ints = engine.ints
    model = (ints.int_bits, ints.long_bits, ints.char_signed if derived.chars else None)
    value = next((v for asked, v in derived.asked.get(model, ()) if _answers_same(engine, asked)), None)
    if value is None:
        asking = _Asking(engine)
        try:
            value = CEvaluator(ints, asking).eval(derived.c_trees.parse(tokens, asking.is_type))
        except (EvalError, LayoutError) as exc:
            value = exc.message
        except RecursionError:
            raise EvalError("expression nested too deeply") from None  # not kept: it depends on the stack
        variants = derived.asked.setdefault(model, [])
        if len(variants) < MAX_ASKED_VARIANTS:
            variants.append((asking.asked, value))
    if isinstance(value, str):
        raise EvalError(value)
    return value


# a question to the layout engine (its method and arguments) and its answer:
# ("=", what it returned) or ("!", the class and message of what it raised)
Question = tuple[str, tuple[object, ...], tuple[object, ...]]
MAX_ASKED_VARIANTS = 4  # per expansion and integer types: past them, it is evaluated each time


class _Asking:
    """The engine as the C evaluator's TypeOracle, noting each question
    and its answer: the evaluation is the same wherever they are."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.asked: list[Question] = []

    def _ask(self, question: str, *args: object) -> object:
        try:
            answer = getattr(self.engine, question)(*args)
        except (EvalError, LayoutError) as exc:
            self.asked.append((question, args, ("!", type(exc), exc.message)))
            raise
        self.asked.append((question, args, ("=", answer)))
        return answer

    def is_type(self, name: str) -> bool:
        return bool(self._ask("is_type", name))

    def size_align(self, tname: TypeName) -> tuple[int, int]:
        return self._ask("size_align", tname)  # type: ignore[return-value]

    def integer_type(self, tname: TypeName) -> IntType | None:
        return self._ask("integer_type", tname)  # type: ignore[return-value]

    def constant(self, name: str) -> int | None:
        return self._ask("constant", name)  # type: ignore[return-value]

    def offset_of(self, tname: TypeName, path: list[str | int]) -> int:
        return self._ask("offset_of", tname, path)  # type: ignore[return-value]


def _answers_same(engine: Engine, asked: list[Question]) -> bool:
    """Whether engine answers each question as it was answered before."""
    for question, args, answer in asked:
        try:
            now: tuple[object, ...] = ("=", getattr(engine, question)(*args))
        except (EvalError, LayoutError) as exc:
            now = ("!", type(exc), exc.message)
        if now != answer:
            return False
    return True


def _if_result(m: Macro, tokens: list[Token], reads: Set[str], derived: _Derived, pp: Preprocessor) -> IfResult:
    """What #if makes of object-like m, whose C use expanded to tokens
    reading the macros of reads: the same tokens unless it read an operator
    only #if has, and the same value on every arch of one char signedness."""
    if not IF_ONLY.isdisjoint(reads):
        return eval_if(pp.expand([_call_site(m)[0]], in_if=True), pp.char_signed)
    signed = pp.char_signed if derived.chars else None
    result = derived.if_results.get(signed)
    if result is None:
        try:
            result = eval_if(tokens, pp.char_signed, derived.c_trees if derived.closed else derived.if_trees)
        except EvalError as exc:
            result = exc.message
        derived.if_results[signed] = result
    if isinstance(result, str):
        raise EvalError(result)
    return result
