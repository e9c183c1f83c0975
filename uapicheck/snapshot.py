"""The snapshot: per arch and header, every macro and type as a compiler
would see them, in a versioned JSON format (docs/snapshot-format.md).

Building one runs the earlier stages per header: preprocess, parse, lay
out, then evaluate each macro the header defines, in C and in ``#if``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from functools import cache, cached_property, partial
from typing import IO, TYPE_CHECKING, Generic, TypeVar

from . import __version__, jsonfile
from .arches import ARCHES, Arch, Defines
from .cache import Cache, release as release_cache
from .collector import quiet
from .diagnostics import Diagnostic
from .facts import HeaderFacts, Json, Sections, only_paths_in, quoted
from .sources import IncludeNames, Includers, InstalledTree, KernelTree, SourceError

if TYPE_CHECKING:
    from multiprocessing.context import ForkContext

    from .preprocess.cpp import LexCache, Macro, Preprocessor, Shared
    from .program import Providers

# /2: a member's canon tells char, signed char and unsigned char apart, and short from
# unsigned short (/1 named them all char or short): the two cannot be compared
SCHEMA = "uapicheck-snapshot/2"


@dataclass
class Snapshot:
    source: str
    arches: dict[str, dict[str, HeaderFacts]]  # arch -> header name -> facts
    revision: str = ""  # the git revision the headers were read from (not kept in the JSON)
    unmatched: set[str] = field(default_factory=set)  # --header globs no header of the tree matched
    defines: Defines = ()  # the -D and -U of the run, beside each arch's own

    def to_json(self) -> Json:
        d = _head(self.source, self.defines)
        d["arches"] = {a: {h: f.to_json() for h, f in sorted(hs.items())} for a, hs in self.arches.items()}
        return d

    def diagnostics(self) -> list[Diagnostic]:
        return _unique(self.arches)


@dataclass
class Written:
    """A header's facts as a snapshot file holds them, their JSON text, and
    their diagnostics: all the snapshot command reads of them (the parent of
    a -j run decoding every facts its workers sent took a tenth of its time)."""

    text: str
    diagnostics: list[Diagnostic]

    @classmethod
    def of(cls, facts: HeaderFacts, text: Callable[[], str]) -> Written:
        return cls(text(), facts.diagnostics)

    @classmethod
    def from_text(cls, text: str) -> Written:
        """From a cache entry's text: all of it read, as JSON, where it could be damaged."""
        return cls(text, [Diagnostic.from_json(d) for d in json.loads(text)["diagnostics"]])

    @classmethod
    def from_answer(cls, text: str) -> Written:
        """From the text a -j worker made of facts just now: only the diagnostics read."""
        return cls(text, HeaderFacts.diagnostics_of(text))

    def to_text(self) -> str:
        return self.text


@dataclass
class WrittenSnapshot:
    """A snapshot as the snapshot command writes it: per arch and header,
    the facts' text (write() puts it out as is)."""

    source: str
    arches: dict[str, dict[str, Written]]
    unmatched: set[str]
    defines: Defines

    def diagnostics(self) -> list[Diagnostic]:
        return _unique(self.arches)


def _head(source: str, defines: Defines) -> Json:
    d: Json = {"schema": SCHEMA, "tool": f"uapicheck {__version__}", "source": source}
    if defines:
        d["defines"] = [[n, v] for n, v in defines]
    return d


def _unique(arches: Mapping[str, Mapping[str, HeaderFacts | Written]]) -> list[Diagnostic]:
    """Every diagnostic of every header on every arch, each once, in order."""
    seen: set[tuple[str, str, str]] = set()
    out: list[Diagnostic] = []
    for headers in arches.values():
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


F = TypeVar("F")


@dataclass(frozen=True)
class Reading(Generic[F]):
    """What a build keeps of each header's facts, made from the facts just
    analysed (with what makes their JSON text, where it wants that), from
    the JSON text of a cache entry (from_text: it raises KeyError,
    TypeError, ValueError or AttributeError where the text is damaged), or
    from the text a -j worker made of them (from_answer: read only for what
    it needs)."""

    from_facts: Callable[[HeaderFacts, Callable[[], str]], F]  # the facts, and what makes their text
    from_text: Callable[[str], F]
    from_answer: Callable[[str], F]
    # what was kept of a text, as another text would give it, made without reading
    # that text where it is the first but for the tree's folder: (kept, text,
    # other, old folder, new folder), None where it is not (see _moved)
    moved: Callable[[F, str, str, str, str], F | None] | None = None


def _checked(text: str) -> str:
    """A cache entry's text a worker sends on: read whole first, so that a
    damaged one is analysed again (see _from_cache)."""
    HeaderFacts.from_text(text)
    return text


def _moved(facts: HeaderFacts, text: str, other: str, old: str, new: str) -> HeaderFacts | None:
    """facts, read from text, as other reads: other is the same header's in
    a tree at folder new, text's at folder old; None unless other is text
    with each path in old put in new, and old starts nothing else of text."""
    if other != text.replace(quoted(old), quoted(new)) or not only_paths_in(text, facts.paths(), old):
        return None
    return facts.moved(old, new)


FACTS = Reading[HeaderFacts](lambda facts, _: facts, HeaderFacts.from_text, HeaderFacts.from_text, _moved)
WRITTEN = Reading[Written](Written.of, Written.from_text, Written.from_answer)
# what a -j worker sends: JSON text, as json's C code writes it here, in parallel,
# and reads it in the parent faster than pickle would the same dicts (no worker
# is sent answers: from_answer is the text itself)
TEXT = Reading[str](lambda _, text: text(), _checked, str)


class _Job:
    """One arch's analysis state; in -j runs, forked workers inherit it."""

    def __init__(self, source: InstalledTree | KernelTree, arch: Arch, dirs: list[str],
                 cache_dir: str | None, lexed: Callable[[], LexCache], include_names: IncludeNames,
                 mark: str | None) -> None:
        self.source = source
        self.arch = arch
        self.dirs = dirs
        self.macros = {**arch.predefined(), **source.predefined}
        self.libc = source.libc.name(arch) if source.libc else f"the C library in {source.root}"
        self.store = Cache(cache_dir, source, arch.name, self.macros, SCHEMA, dirs, self.libc) if cache_dir else None
        self.lexed = lexed
        self.include_names = include_names
        # the name of a file both trees have (Shared), and the tree's folder that replaces it in facts
        self.mark = mark
        self.inside = os.path.join(source.root, "")

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

    @cached_property
    def _includers(self) -> Includers:
        return Includers(self.source, self.arch, list(ARCHES.values()), self.include_names)

    def includers(self, path: str) -> list[str]:
        return [name for name, _ in self._includers(path)]

    def analyse(self, path: str, reading: Reading[F], written: Sections) -> F:
        """What reading keeps of path's facts: those the cache has, or
        analysed (their text made with what written has of the header's
        on the arches before)."""
        kept = _from_cache(self.store, path, reading)
        if kept is not None:
            return kept
        from .program import program_facts
        facts, probed = program_facts(self.preprocessor, path, self.arch, self.providers, self.includers, self.libc)
        if not self.store and self.mark is None:
            return reading.from_facts(facts, partial(facts.to_text, written))
        text, paths, mark, moved = facts.to_text(written), facts.paths(), self.mark, False
        if mark is not None and mark in text:
            # the tree's own folder for the mark (plain ASCII: in JSON, the same characters)
            text, moved = text.replace(mark, json.dumps(self.inside)[1:-1]), True
            paths = [self.inside + p[len(mark):] if p.startswith(mark) else p for p in paths]
        if self.store:
            self.store.put(path, probed, paths, text)
        return reading.from_answer(text) if moved else reading.from_facts(facts, lambda: text)


# one header on each of its arches: (index in the build's plan of jobs, path) pairs
Task = tuple[str, list[tuple[int, str]]]


@quiet()  # no cycle collection while a build runs (see collector.py)
def build(source: InstalledTree | KernelTree, arch_names: Iterable[str], only: list[str] | None = None,
          progress: Progress | None = None, names: dict[str, set[str]] | None = None,
          cache_dir: str | None = None, jobs: int = 1, defines: Defines = ()) -> Snapshot:
    """Analyse every header of source on each arch (with the -D and -U of
    defines); only those matching a glob of `only`, or, per arch, only those
    in `names`. With cache_dir, reuse what an earlier run computed from the
    same inputs; with jobs > 1, analyse in that many forked processes."""
    [(arches, unmatched)] = _build(FACTS, [source], list(arch_names), only, progress, names, cache_dir, jobs, defines)
    return _snapshot(source, arches, unmatched, defines)


@quiet()
def build_both(old: InstalledTree | KernelTree, new: InstalledTree | KernelTree, arch_names: Iterable[str],
               only: list[str] | None = None, progress: Progress | None = None, cache_dir: str | None = None,
               jobs: int = 1, defines: Defines = ()) -> tuple[Snapshot, Snapshot]:
    """build() of two trees on disk (a diff's), together: a header's
    versions in the same process, where what a file that is the same bytes
    in both gave (its tokens, their chunks' macros, its declarations) is
    reused by the other tree (see preprocess.cpp's Shared)."""
    (a, a_unmatched), (b, b_unmatched) = _build(FACTS, [old, new], list(arch_names), only, progress, None,
                                                cache_dir, jobs, defines)
    return _snapshot(old, a, a_unmatched, defines), _snapshot(new, b, b_unmatched, defines)


def _snapshot(source: InstalledTree | KernelTree, arches: dict[str, dict[str, HeaderFacts]], unmatched: set[str],
              defines: Defines) -> Snapshot:
    return Snapshot(source.root, arches, source.revision if isinstance(source, KernelTree) else "", unmatched,
                    defines)


@quiet()
def build_written(source: InstalledTree | KernelTree, arch_names: Iterable[str], only: list[str] | None = None,
                  progress: Progress | None = None, cache_dir: str | None = None, jobs: int = 1,
                  defines: Defines = ()) -> WrittenSnapshot:
    """build(), for writing: each header's facts kept as their JSON text."""
    [(arches, unmatched)] = _build(WRITTEN, [source], list(arch_names), only, progress, None, cache_dir, jobs,
                                   defines)
    return WrittenSnapshot(source.root, arches, unmatched, defines)


# how the files that two trees of one run share are named (Shared): no path
# of a tree on disk starts so
SHARED_MARK = "<uapicheck-both-trees>/"


def _build(reading: Reading[F], sources: list[InstalledTree | KernelTree], arch_names: list[str],
           only: list[str] | None, progress: Progress | None, names: dict[str, set[str]] | None,
           cache_dir: str | None, jobs: int, defines: Defines) -> list[tuple[dict[str, dict[str, F]], set[str]]]:
    """Per source, what reading keeps of each header's facts per arch (see
    build), and the globs of only no header matched.

    A header is one task on all its arches (and sources), so that they run
    in one process one after the other and share what they can (the chunks
    of preprocess.cpp, the declarations of parse); the largest headers go
    first, so that no process is left with a long one at the end."""
    arches = [ARCHES[a].configured(defines) for a in arch_names]
    mark = SHARED_MARK if len(sources) > 1 else None

    @cache
    def shared() -> Shared:  # made for the first header the cache lacks: a warm run needs none
        from .preprocess.cpp import Shared
        return Shared(mark)

    def lexer(source: InstalledTree | KernelTree) -> Callable[[], LexCache]:
        @cache
        def lexed() -> LexCache:  # files are lexed once, for every arch
            from .preprocess.cpp import LexCache
            return LexCache(source.fs, shared(), source.root)
        return lexed

    plan: list[_Job] = []
    by_name: dict[str, list[tuple[int, str]]] = {}
    found: list[tuple[list[int], set[str]]] = []  # per source: its jobs, and the globs nothing matched
    for source in sources:
        lexed = lexer(source)
        include_names = IncludeNames(source.fs)  # what each file's #include lines name, read once for every arch
        jobs_of: list[int] = []
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
            jobs_of.append(len(plan))
            plan.append(_Job(source, arch, dirs, cache_dir, lexed, include_names, mark))
        found.append((jobs_of, unmatched))
    tasks = list(by_name.items())
    total = sum(len(where) for _, where in tasks)
    result: list[dict[str, F]] = [{} for _ in plan]
    done = 0

    def record(task: Task, kept: list[F]) -> None:
        nonlocal done
        name, where = task
        for (i, _), f in zip(where, kept):
            result[i][name] = f
            done += 1
            if progress:
                progress(done, total, f"{plan[i].arch.name} {name}")

    twins: dict[int, int] = {}  # a header's job in the new tree -> its job in the old tree, on the same arch
    if len(found) == 2 and reading.moved is not None:
        (olds, _), (news, _) = found
        twins = dict(zip(news, olds))

    def read(where: list[tuple[int, str]], texts: Sequence[str], decode: Callable[[str], F | None]) -> list[F]:
        """What reading keeps of each text (those decode gives None for left
        out), the new tree's moved from the old tree's where the two differ
        only by the tree's folder (the parent of a diff read each whole)."""
        out: list[F] = []
        seen: dict[int, tuple[str, F]] = {}
        for (i, _), text in zip(where, texts):
            twin = twins.get(i)
            old = seen.get(twin) if twin is not None else None
            kept = None
            if twin is not None and old is not None and reading.moved is not None:
                kept = reading.moved(old[1], old[0], text, plan[twin].inside, plan[i].inside)
            if kept is None:
                kept = decode(text)
            if kept is not None:
                seen[i] = (text, kept)
                out.append(kept)
        return out

    if jobs > 1:
        # what the cache has is read here: a worker costs more to start, and to
        # send facts back, than reading them (a warm pre-commit hook forks none)
        left = []
        for task in tasks:
            entries: list[str] = []
            for i, path in task[1]:  # up to the first the cache lacks (in a cold run, the first)
                store = plan[i].store
                entry = store.get(path) if store else None
                if entry is None:
                    break
                entries.append(entry)
            cached = read(task[1], entries, partial(_decoded, reading)) if len(entries) == len(task[1]) else []
            if len(cached) == len(task[1]):
                record(task, cached)
            else:
                left.append(task)
        tasks = left
    forks = _fork_context() if jobs > 1 and len(tasks) >= 8 else None
    if forks is not None:
        from .forked import answers

        tasks.sort(key=lambda task: -_size(plan[task[1][0][0]].source, task[1][0][1]))  # read to be sized: only here
        release_cache()  # before the fork: each worker opens its own

        def work(n: int) -> list[str]:
            written = Sections()
            return [plan[i].analyse(path, TEXT, written) for i, path in tasks[n][1]]

        # one task at a time, in order of size, to whichever worker is free
        for n, texts in answers(forks, jobs, len(tasks), work):
            record(tasks[n], read(tasks[n][1], texts, reading.from_answer))
    else:
        for task in tasks:
            written = Sections()
            record(task, [plan[i].analyse(path, reading, written) for i, path in task[1]])
    return [({plan[i].arch.name: dict(sorted(result[i].items())) for i in jobs_of}, unmatched)
            for jobs_of, unmatched in found]


def _fork_context() -> ForkContext | None:
    import multiprocessing  # here: 10 ms that runs which do not fork do without

    return multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None


def _size(source: InstalledTree | KernelTree, path: str) -> int:
    try:
        return len(source.fs.read(path))
    except OSError:
        return 0


def _from_cache(store: Cache | None, path: str, reading: Reading[F]) -> F | None:
    text = store.get(path) if store else None
    return _decoded(reading, text) if text is not None else None


def _decoded(reading: Reading[F], text: str) -> F | None:
    """What reading keeps of a cache entry's text; None where it is damaged."""
    try:
        return reading.from_text(text)
    except (KeyError, TypeError, ValueError, AttributeError):
        return None  # a damaged entry: analyse again, and overwrite it


def _matches(name: str, pattern: str) -> bool:
    return fnmatchcase(name, pattern) or name == pattern


def write(snapshot: Snapshot | WrittenSnapshot, out: IO[str]) -> None:
    """The snapshot's JSON, one header at a time: all arches of a tree held
    as JSON at once would double what the snapshot takes."""
    head = jsonfile.compact(_head(snapshot.source, snapshot.defines))  # a whole tree is 10 MB an arch
    out.write(head[:-1] + ',"arches":{')
    arches: Mapping[str, Mapping[str, HeaderFacts | Written]] = snapshot.arches
    for i, (arch, headers) in enumerate(arches.items()):
        out.write(("," if i else "") + json.dumps(arch) + ":{")
        for j, (name, facts) in enumerate(sorted(headers.items())):
            out.write(("," if j else "") + json.dumps(name) + ":" + facts.to_text())
        out.write("}")
    out.write("}}\n")
