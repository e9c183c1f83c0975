"""One translation unit through the stages: preprocess, parse, lay out; and
the facts of one header drawn from it (snapshots), each macro evaluated in
C and in ``#if``. The libc gate runs its translation units through the
same entry.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .arches import Arch
from .diagnostics import Diagnostic, Location
from .errors import EvalError
from .expr import eval_if
from .facts import HeaderFacts, MacroFact, TypeFact
from .layout import Engine, LayoutError
from .parse import Declarations, parse
from .preprocess.cpp import ExpansionLimit, Macro, Preprocessor, Unit
from .tokens import Token


@dataclass
class Analysis:
    """What the stages made of one translation unit."""

    unit: Unit
    decls: Declarations | None = None  # None: preprocessing failed
    engine: Engine | None = None  # None: the declarations did not parse
    layouts: dict[str, TypeFact] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)  # preprocess, parse, layout


def analyse(pp: Preprocessor, path: str, arch: Arch) -> Analysis:
    """Preprocess path, parse what it gives and lay out every type it
    declares on arch; each stage runs only if the one before succeeded."""
    try:
        unit = pp.run(path)
    except RecursionError:
        unit = Unit(path, [], {}, [], [Diagnostic("error", Location(path), "nested too deeply to analyse",
                                                  "preprocess")], True)
    result = Analysis(unit, diagnostics=list(unit.diagnostics))
    if unit.fatal:
        return result
    result.decls = parse(unit.tokens, path)
    result.diagnostics += result.decls.diagnostics
    if result.decls.diagnostics:
        return result
    result.engine = Engine(result.decls, arch)
    result.layouts = result.engine.layouts()
    result.diagnostics += result.engine.diagnostics
    return result


def header_facts(pp: Preprocessor, path: str, arch: Arch) -> tuple[HeaderFacts, tuple[tuple[str, bool], ...]]:
    """The facts of the header at path (what it defines itself), and every
    path #include looked at."""
    a = analyse(pp, path, arch)
    facts = HeaderFacts(path, includes=[f for f in a.unit.files if f != path])
    facts.diagnostics = [d for d in a.diagnostics if d.code != "layout" or d.location.file == path]
    facts.types = {name: t for name, t in a.layouts.items() if t.file == path}
    facts.macros = {name: macro_fact(m, pp, a.engine) for name, m in a.unit.macros.items() if m.file == path}
    return facts, a.unit.probed


def macro_fact(m: Macro, pp: Preprocessor, engine: Engine | None) -> MacroFact:
    """What C (with the types engine knows) and #if make of macro m."""
    fact = MacroFact(m.name, m.line, m.col, m.params, m.replacement())
    if m.params is not None or not m.body:
        return fact
    site = Token("id", m.name, m.file, m.line, m.col, False)
    try:
        expanded = pp.expand([site])
    except ExpansionLimit as exc:
        return MacroFact(m.name, m.line, m.col, None, fact.replacement, value_error=str(exc), if_error=str(exc))
    value = ctype = value_error = None
    overflow = False
    if engine is not None:
        try:
            cv = engine.evaluator.evaluate(expanded)
            value, ctype, overflow = cv.value, cv.type.name, cv.overflow
        except (EvalError, LayoutError) as exc:
            value_error = exc.message
    if_value = if_error = None
    undefined: list[str] = []
    try:
        result = eval_if(pp.expand([site], in_if=True), pp.char_signed)
        if_value, undefined = result.value, result.undefined
    except EvalError as exc:
        if_error = exc.message
    except ExpansionLimit as exc:
        if_error = str(exc)
    return MacroFact(m.name, m.line, m.col, None, fact.replacement, value, ctype, value_error,
                     if_error is None and not undefined, if_value, if_error, undefined, overflow)
