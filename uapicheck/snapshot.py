"""The snapshot: per arch and header, every macro and type as a compiler
would see them, in a versioned JSON format (docs/snapshot-format.md).

Building one runs the earlier stages per header: preprocess, parse, lay
out, then evaluate each macro the header defines, in C and in ``#if``.
"""

from __future__ import annotations

import json
import multiprocessing
from fnmatch import fnmatchcase
from dataclasses import dataclass, field
from typing import Callable, Iterable

from . import __version__, jsonfile
from .arches import ARCHES, Arch
from .cache import Cache
from .diagnostics import Diagnostic, Location
from .expr import EvalError, eval_if
from .layout import Engine, LayoutError, MemberLayout, TypeLayout
from .parse import parse
from .preprocess.cpp import ExpansionLimit, LexCache, Macro, Preprocessor, builtin_macros
from .preprocess.lexer import Token
from .sources import InstalledTree, KernelTree, SourceError

SCHEMA = "uapicheck-snapshot/1"


@dataclass
class MacroFact:
    name: str
    line: int
    col: int
    params: list[str] | None
    replacement: str  # tokens with one space where white space was
    value: int | None = None  # C value, for integer constant expressions
    ctype: str | None = None  # its C type
    value_error: str | None = None
    if_ok: bool = False  # usable in #if under -Wundef -Werror
    if_value: int | None = None
    if_error: str | None = None
    undefined: list[str] = field(default_factory=list)  # taken as 0 by #if
    overflow: bool = False  # signed overflow while computing the C value

    def to_json(self) -> dict[str, object]:
        d: dict[str, object] = {"line": self.line, "col": self.col, "replacement": self.replacement}
        if self.params is not None:
            d["params"] = self.params
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
    def from_json(cls, name: str, d: dict) -> MacroFact:  # type: ignore[type-arg]
        return cls(name, d["line"], d["col"], d.get("params"), d["replacement"], d.get("value"), d.get("ctype"),
                   d.get("value_error"), d.get("if_ok", False), d.get("if_value"), d.get("if_error"),
                   d.get("undefined", []), d.get("overflow", False))


def member_json(m: MemberLayout) -> dict[str, object]:
    d: dict[str, object] = {"name": m.name, "offset": m.offset, "size": m.size, "type": m.type}
    if m.canon:
        d["canon"] = m.canon
    if m.bitfield:
        d["bitfield"] = True
    if m.children:
        d["members"] = [member_json(c) for c in m.children]
    return d


def type_json(t: TypeLayout) -> dict[str, object]:
    d: dict[str, object] = {"kind": t.kind, "line": t.loc.line, "size": t.size, "align": t.align}
    if t.member_align and t.member_align != t.align:
        d["member_align"] = t.member_align
    if t.kind in ("struct", "union"):
        d["members"] = [member_json(m) for m in t.members]
        if t.packed:
            d["packed"] = True
    elif t.kind == "enum":
        d["enumerators"] = [[n, v] for n, v in t.enumerators]
    else:
        d["target"] = t.target
        if t.members:
            d["members"] = [member_json(m) for m in t.members]
    return d


def named_members(t: dict) -> dict[str, dict]:  # type: ignore[type-arg]
    """The members of a snapshot type by the names C code uses: the members
    of anonymous structs and unions lifted, offsets made absolute."""
    out: dict[str, dict] = {}  # type: ignore[type-arg]

    def walk(members: list, base: int) -> None:  # type: ignore[type-arg]
        for m in members:
            if m["name"] is None and "members" in m:
                walk(m["members"], base + m["offset"])
            elif m["name"] is not None:
                out[m["name"]] = {**m, "offset": base + m["offset"]}

    walk(t.get("members", []), 0)
    return out


@dataclass
class HeaderFacts:
    path: str
    macros: dict[str, MacroFact] = field(default_factory=dict)
    types: dict[str, dict[str, object]] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    includes: list[str] = field(default_factory=list)  # files it includes, directly or not

    @classmethod
    def from_json(cls, h: dict) -> HeaderFacts:  # type: ignore[type-arg]
        facts = cls(h["path"], includes=h.get("includes", []))
        facts.macros = {n: MacroFact.from_json(n, m) for n, m in h["macros"].items()}
        facts.types = h["types"]
        facts.diagnostics = [_diag_from_json(d) for d in h["diagnostics"]]
        return facts

    def to_json(self) -> dict[str, object]:
        return {
            "path": self.path,
            "includes": self.includes,
            "macros": {n: m.to_json() for n, m in sorted(self.macros.items())},
            "types": dict(sorted(self.types.items())),
            "diagnostics": [d.to_json() for d in self.diagnostics],
        }


@dataclass
class Snapshot:
    source: str
    arches: dict[str, dict[str, HeaderFacts]]  # arch -> header name -> facts

    def to_json(self) -> dict[str, object]:
        return {
            "schema": SCHEMA,
            "tool": f"uapicheck {__version__}",
            "source": self.source,
            "arches": {a: {h: f.to_json() for h, f in sorted(hs.items())} for a, hs in self.arches.items()},
        }

    def diagnostics(self) -> list[Diagnostic]:
        seen: set[tuple[str, str, str]] = set()
        out: list[Diagnostic] = []
        for headers in self.arches.values():
            for facts in headers.values():
                for d in facts.diagnostics:
                    key = (str(d.location), d.message, d.severity)
                    if key not in seen:
                        seen.add(key)
                        out.append(d)
        return out


def _diag_from_json(d: dict) -> Diagnostic:  # type: ignore[type-arg]
    notes = tuple((Location(n["file"], n["line"], n["column"]), n["message"]) for n in d.get("notes", []))
    return Diagnostic(d["severity"], Location(d["file"], d["line"], d["column"]), d["message"], d.get("code", ""),
                      notes, d.get("arch", ""))


def load(path: str) -> Snapshot:
    data = jsonfile.read(path, SCHEMA, SourceError)
    arches: dict[str, dict[str, HeaderFacts]] = {}
    try:
        for arch, headers in data["arches"].items():
            arches[arch] = {}
            for name, h in headers.items():
                arches[arch][name] = HeaderFacts.from_json(h)
    except (KeyError, TypeError, AttributeError) as exc:
        raise SourceError(f"{path}: malformed snapshot ({exc!r})") from None
    return Snapshot(data.get("source", path), arches)


# ---------------------------------------------------------------- building

def _macro_fact(m: Macro, pp: Preprocessor, engine: Engine | None) -> MacroFact:
    fact = MacroFact(m.name, m.line, m.col, list(m.params) if m.params is not None else None, m.replacement())
    if m.params is not None or not m.body:
        return fact
    site = Token("id", m.name, m.file, m.line, m.col, False)
    try:
        expanded = pp.expand([site])
    except ExpansionLimit as exc:
        fact.value_error = fact.if_error = str(exc)
        return fact
    if engine is not None:
        try:
            cv = engine.evaluator.evaluate(expanded)
            fact.value, fact.ctype, fact.overflow = cv.value, cv.type.name, cv.overflow
        except (EvalError, LayoutError) as exc:
            fact.value_error = exc.message
        except RecursionError:
            fact.value_error = "expression nested too deeply"
    try:
        if_tokens = pp.expand([site], in_if=True)
        result = eval_if(if_tokens, pp.char_signed)
        fact.if_value = result.value
        fact.undefined = result.undefined
        fact.if_ok = not result.undefined
    except (EvalError, ExpansionLimit) as exc:
        fact.if_error = exc.message if isinstance(exc, EvalError) else str(exc)
    except RecursionError:
        fact.if_error = "expression nested too deeply"
    return fact


def analyse_header(pp: Preprocessor, path: str, arch: Arch) -> tuple[HeaderFacts, tuple[tuple[str, bool], ...]]:
    """The header's facts, and every path #include looked at."""
    facts = HeaderFacts(path)
    unit = pp.run(path)
    facts.includes = [f for f in unit.files if f != path]
    facts.diagnostics += unit.diagnostics
    engine: Engine | None = None
    if not unit.fatal:
        decls = parse(unit.tokens, path)
        facts.diagnostics += decls.diagnostics
        if not decls.diagnostics:
            engine = Engine(decls, arch)
            for name, t in engine.layouts().items():
                if t.loc.file == path:
                    facts.types[name] = type_json(t)
            facts.diagnostics += [d for d in engine.diagnostics if d.location.file == path]
    for name, m in unit.macros.items():
        if m.file == path:
            facts.macros[name] = _macro_fact(m, pp, engine)
    return facts, unit.probed


Progress = Callable[[int, int, str], None]


class _Job:
    """One arch's analysis state; in -j runs, forked workers inherit it."""

    def __init__(self, source: InstalledTree | KernelTree, arch: Arch, dirs: list[str],
                 cache_dir: str | None, lexed: LexCache) -> None:
        self.source = source
        self.arch = arch
        self.dirs = dirs
        macros = {**arch.predefined(), **source.predefined}
        self.predefined = builtin_macros(macros)
        self.store = Cache(cache_dir, source, arch.name, macros, SCHEMA) if cache_dir else None
        self.lexed = lexed

    def analyse(self, path: str) -> HeaderFacts:
        facts = _from_cache(self.store, path)
        if facts is not None:
            return facts
        pp = Preprocessor(self.lexed, self.dirs, self.predefined, self.arch.char_signed, self.source.explain_missing)
        try:
            facts, probed = analyse_header(pp, path, self.arch)
        except RecursionError:
            return HeaderFacts(path, diagnostics=[Diagnostic("error", Location(path), "nested too deeply to analyse",
                                                             "preprocess")])
        if self.store:
            self.store.put(path, probed, facts.to_json())
        return facts


_JOBS: list[_Job] = []  # what forked workers analyse


def _work(task: tuple[int, str]) -> dict[str, object]:
    return _JOBS[task[0]].analyse(task[1]).to_json()


def build(source: InstalledTree | KernelTree, arch_names: Iterable[str], only: list[str] | None = None,
          progress: Progress | None = None, names: dict[str, set[str]] | None = None,
          cache_dir: str | None = None, jobs: int = 1) -> Snapshot:
    """Analyse every header of source on each arch; only those matching a
    glob of `only`, or, per arch, only those in `names`. With cache_dir,
    reuse what an earlier run computed from the same inputs; with jobs > 1,
    analyse in that many forked processes."""
    arches = [ARCHES[a] for a in arch_names]
    lexed = LexCache(source.fs)  # files are lexed once, for every arch
    plan: list[tuple[_Job, list[tuple[str, str]]]] = []
    for arch in arches:
        dirs = source.include_dirs(arch, list(ARCHES.values()))
        headers = source.headers(arch, list(ARCHES.values()))
        if only:
            headers = [(n, p) for n, p in headers if any(_matches(n, pat) for pat in only)]
        if names is not None:
            headers = [(n, p) for n, p in headers if n in names.get(arch.name, ())]
        plan.append((_Job(source, arch, dirs, cache_dir, lexed), headers))
    tasks = [(i, name, path) for i, (_, headers) in enumerate(plan) for name, path in headers]
    result: dict[str, dict[str, HeaderFacts]] = {job.arch.name: {} for job, _ in plan}
    done = 0

    def record(i: int, name: str, facts: HeaderFacts) -> None:
        nonlocal done
        result[plan[i][0].arch.name][name] = facts
        done += 1
        if progress:
            progress(done, len(tasks), f"{plan[i][0].arch.name} {name}")

    if jobs > 1 and len(tasks) >= 8 and "fork" in multiprocessing.get_all_start_methods():
        _JOBS[:] = [job for job, _ in plan]
        try:
            with multiprocessing.get_context("fork").Pool(jobs) as pool:
                for (i, name, _), facts in zip(tasks, pool.imap(_work, [(i, p) for i, _, p in tasks], chunksize=4)):
                    record(i, name, HeaderFacts.from_json(facts))
        finally:
            _JOBS.clear()
    else:
        for i, name, path in tasks:
            record(i, name, plan[i][0].analyse(path))
    return Snapshot(source.root, {a: dict(sorted(h.items())) for a, h in result.items()})


def _from_cache(store: Cache | None, path: str) -> HeaderFacts | None:
    stored = store.get(path) if store else None
    if stored is None:
        return None
    try:
        return HeaderFacts.from_json(stored)
    except (KeyError, TypeError, ValueError, AttributeError):
        return None  # a damaged entry: analyse again, and overwrite it


def _matches(name: str, pattern: str) -> bool:
    return fnmatchcase(name, pattern) or name == pattern


def write(snapshot: Snapshot, out: object) -> None:
    # compact: json's C encoder runs only without indent, and a whole tree is 10 MB
    out.write(json.dumps(snapshot.to_json(), separators=(",", ":")))  # type: ignore[attr-defined]
    out.write("\n")  # type: ignore[attr-defined]

