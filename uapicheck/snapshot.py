"""The snapshot: per arch and header, every macro and type as a compiler
would see them, in a versioned JSON format (docs/snapshot-format.md).

Building one runs the earlier stages per header: preprocess, parse, lay
out, then evaluate each macro the header defines, in C and in ``#if``.
"""

from __future__ import annotations

import json
import signal
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from functools import cache, cached_property, partial
from typing import IO, TYPE_CHECKING

from . import __version__, jsonfile
from .arches import ARCHES, Arch, Defines
from .cache import Cache, release as release_cache
from .collector import quiet
from .diagnostics import Diagnostic
from .facts import HeaderFacts, Json
from .sources import InstalledTree, KernelTree, SourceError, includers

if TYPE_CHECKING:
    from multiprocessing.context import ForkContext

    from .preprocess.cpp import LexCache, Macro, Preprocessor
    from .program import Providers

SCHEMA = "uapicheck-snapshot/1"


@dataclass
class Snapshot:
    source: str
    arches: dict[str, dict[str, HeaderFacts]]  # arch -> header name -> facts
    revision: str = ""  # the git revision the headers were read from (not kept in the JSON)
    unmatched: set[str] = field(default_factory=set)  # --header globs no header of the tree matched
    defines: Defines = ()  # the -D and -U of the run, beside each arch's own

    def to_json(self, with_arches: bool = True) -> Json:
        d: Json = {"schema": SCHEMA, "tool": f"uapicheck {__version__}", "source": self.source}
        if self.defines:
            d["defines"] = [[n, v] for n, v in self.defines]
        if with_arches:
            d["arches"] = {a: {h: f.to_json() for h, f in sorted(hs.items())} for a, hs in self.arches.items()}
        return d

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


def load(path: str) -> Snapshot:
    data = jsonfile.read(path, SCHEMA, SourceError)
    arches: dict[str, dict[str, HeaderFacts]] = {}
    where = "arches"
    try:
        for arch, headers in data["arches"].items():
            arches[arch] = {}
            for name, h in headers.items():
                where = f"arches.{arch}.{name}"
                arches[arch][name] = HeaderFacts.from_json(h)
    except KeyError as exc:
        raise SourceError(f"{path}: malformed snapshot: {where} has no {exc}; record it again with "
                          "'uapicheck snapshot'") from None
    except (TypeError, AttributeError, ValueError) as exc:
        raise SourceError(f"{path}: malformed snapshot: {where}: {exc}; record it again with "
                          "'uapicheck snapshot'") from None
    defines = tuple((str(n), None if v is None else str(v)) for n, v in data.get("defines", ()))
    return Snapshot(data.get("source", path), arches, defines=defines)


# ---------------------------------------------------------------- building

Progress = Callable[[int, int, str], None]


class _Job:
    """One arch's analysis state; in -j runs, forked workers inherit it."""

    def __init__(self, source: InstalledTree | KernelTree, arch: Arch, dirs: list[str],
                 cache_dir: str | None, lexed: Callable[[], LexCache]) -> None:
        self.source = source
        self.arch = arch
        self.dirs = dirs
        self.macros = {**arch.predefined(), **source.predefined}
        self.libc = source.libc.name(arch) if source.libc else f"the C library in {source.root}"
        self.store = Cache(cache_dir, source, arch.name, self.macros, SCHEMA, dirs, self.libc) if cache_dir else None
        self.lexed = lexed
        self._includers: dict[str, list[tuple[str, str]]] | None = None

    # made for the first header the cache does not have: a warm run needs
    # neither these nor the modules that analyse (program.py and below)
    @cached_property
    def predefined(self) -> dict[str, Macro]:
        from .preprocess.cpp import builtin_macros
        return builtin_macros(self.macros)

    @cached_property
    def providers(self) -> Providers:
        from .program import Providers
        return Providers(self.preprocessor, self.store)

    @cached_property
    def preprocessor(self) -> Callable[[], Preprocessor]:
        """Makes a preprocessor for this arch: a function apart from the job
        (a method would make the job and its providers a reference cycle)."""
        from .preprocess.cpp import Preprocessor
        return partial(Preprocessor, self.lexed(), self.dirs, self.predefined, self.arch.char_signed,
                       self.source.explain_missing)

    def includers(self, path: str) -> list[str]:
        if self._includers is None:
            self._includers = includers(self.source, self.arch, list(ARCHES.values()))
        return [name for name, _ in self._includers.get(path, [])]

    def analyse(self, path: str, keep: bool = False) -> HeaderFacts:
        """path's facts; with keep, with the JSON text the cache had or was given
        (the snapshot writer, and a -j worker's answer, use it)."""
        facts = _from_cache(self.store, path, keep)
        if facts is not None:
            return facts
        from .program import program_facts
        facts, probed = program_facts(self.preprocessor, path, self.arch, self.providers, self.includers, self.libc)
        if self.store:
            text = facts.to_text()
            self.store.put(path, probed, facts, text)
            if keep:
                facts.text = text
        return facts

    def answer(self, path: str) -> str:
        """analyse(path) as a -j worker sends it, JSON text (see _work)."""
        return self.analyse(path, keep=True).to_text()


_JOBS: list[_Job] = []  # what forked workers analyse

# one header on each of its arches: (index in _JOBS, path) pairs
Task = tuple[str, list[tuple[int, str]]]


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _work(numbered: tuple[int, Task]) -> tuple[int, list[str]]:
    # as JSON text: json's C code writes it here, in parallel, and reads it in the
    # parent faster than pickle would the same dicts; the parent writes it out as is
    n, (_, where) = numbered
    return n, [_JOBS[i].answer(path) for i, path in where]


@quiet()  # no cycle collection while a build runs (see collector.py)
def build(source: InstalledTree | KernelTree, arch_names: Iterable[str], only: list[str] | None = None,
          progress: Progress | None = None, names: dict[str, set[str]] | None = None,
          cache_dir: str | None = None, jobs: int = 1, defines: Defines = (), to_write: bool = False) -> Snapshot:
    """Analyse every header of source on each arch (with the -D and -U of
    defines); only those matching a glob of `only`, or, per arch, only those
    in `names`. With cache_dir, reuse what an earlier run computed from the
    same inputs; with jobs > 1, analyse in that many forked processes
    (to_write: the snapshot will be written, so keep the JSON text they send).

    A header is one task on all its arches, so that its arches run in one
    process one after the other and share what they can (the chunks of
    preprocess.cpp, the declarations of parse); the largest headers go
    first, so that no process is left with a long one at the end."""
    arches = [ARCHES[a].configured(defines) for a in arch_names]

    @cache
    def lexed() -> LexCache:  # files are lexed once, for every arch (made for the first the cache lacks)
        from .preprocess.cpp import LexCache
        return LexCache(source.fs)

    plan: list[_Job] = []
    by_name: dict[str, list[tuple[int, str]]] = {}
    unmatched = set(only or ())
    for arch in arches:
        dirs = source.include_dirs(arch, list(ARCHES.values()))
        headers = source.headers(arch, list(ARCHES.values()))
        if only:
            unmatched -= {pat for pat in only if any(_matches(n, pat) for n, _ in headers)}
            headers = [(n, p) for n, p in headers if any(_matches(n, pat) for pat in only)]
        if names is not None:
            headers = [(n, p) for n, p in headers if n in names.get(arch.name, ())]
        for name, path in headers:
            by_name.setdefault(name, []).append((len(plan), path))
        plan.append(_Job(source, arch, dirs, cache_dir, lexed))
    tasks = list(by_name.items())
    total = sum(len(where) for _, where in tasks)
    result: dict[str, dict[str, HeaderFacts]] = {job.arch.name: {} for job in plan}
    done = 0

    def record(task: Task, facts: list[HeaderFacts]) -> None:
        nonlocal done
        name, where = task
        for (i, _), f in zip(where, facts):
            result[plan[i].arch.name][name] = f
            done += 1
            if progress:
                progress(done, total, f"{plan[i].arch.name} {name}")

    if jobs > 1:
        # what the cache has is read here: a worker costs more to start, and to
        # send facts back, than reading them (a warm pre-commit hook forks none)
        left = []
        for task in tasks:
            cached = [f for f in (_from_cache(plan[i].store, path, to_write) for i, path in task[1]) if f is not None]
            if len(cached) == len(task[1]):
                record(task, cached)
            else:
                left.append(task)
        tasks = left
    forks = _fork_context() if jobs > 1 and len(tasks) >= 8 else None
    if forks is not None:
        tasks.sort(key=lambda task: -_size(source, task[1][0][1]))  # read to be sized: only here
        _JOBS[:] = plan
        release_cache()  # before the fork: each worker opens its own
        # workers leave Ctrl-C to the parent, which stops them: one message, not
        # one traceback each; forked with SIGINT blocked, so that a Ctrl-C
        # before a worker ignores it waits for the parent
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            pool = forks.Pool(jobs, initializer=_ignore_sigint)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        try:
            with pool:
                # one task at a time, in order of size, to whichever worker is free
                for n, facts in pool.imap_unordered(_work, list(enumerate(tasks))):
                    record(tasks[n], [HeaderFacts.from_text(f, to_write) for f in facts])
        finally:
            _JOBS.clear()
    else:
        for task in tasks:
            record(task, [plan[i].analyse(path, to_write) for i, path in task[1]])
    return Snapshot(source.root, {a: dict(sorted(h.items())) for a, h in result.items()},
                    source.revision if isinstance(source, KernelTree) else "", unmatched, defines)


def _fork_context() -> ForkContext | None:
    import multiprocessing  # here: 10 ms that runs which do not fork do without

    return multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None


def _size(source: InstalledTree | KernelTree, path: str) -> int:
    try:
        return len(source.fs.read(path))
    except OSError:
        return 0


def _from_cache(store: Cache | None, path: str, keep: bool) -> HeaderFacts | None:
    text = store.get(path) if store else None
    if text is None:
        return None
    try:
        return HeaderFacts.from_text(text, keep)
    except (KeyError, TypeError, ValueError, AttributeError):
        return None  # a damaged entry: analyse again, and overwrite it


def _matches(name: str, pattern: str) -> bool:
    return fnmatchcase(name, pattern) or name == pattern


def write(snapshot: Snapshot, out: IO[str]) -> None:
    """json.dumps(snapshot.to_json()), one header at a time: all arches of a
    tree held as JSON at once would double what the snapshot takes."""
    # compact: json's C encoder runs only without indent, and a whole tree is 10 MB an arch
    head = json.dumps(snapshot.to_json(with_arches=False), separators=(",", ":"))
    out.write(head[:-1] + ',"arches":{')
    for i, (arch, headers) in enumerate(snapshot.arches.items()):
        out.write(("," if i else "") + json.dumps(arch) + ":{")
        for j, (name, facts) in enumerate(sorted(headers.items())):
            out.write(("," if j else "") + json.dumps(name) + ":" + facts.to_text())
        out.write("}")
    out.write("}}\n")

