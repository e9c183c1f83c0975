"""Translation phase 4 (C11 6.10): directives, includes and macro expansion.

Expansion follows Prosser's algorithm (the one behind C11 6.10.3.4): every
token carries a hide set, the names of the macros whose expansion produced
it, so a macro is never expanded inside itself. Header content is untrusted:
the tokens one expansion may produce, the include depth and the argument
nesting are bounded, and going past a bound is a diagnostic, not a hang.

A file is processed in chunks, each a run of lines up to the next active
``#include``. What a chunk did (tokens out, macros defined, diagnostics) is
kept with what it read: every macro it looked up before defining it (the
predefined ones, ``-D``, those of earlier files, absent ones too) and every
``__has_include`` answer. Another unit, on any arch (and in the other tree
of a diff, where the file is the same bytes: see Shared), that reaches the same
chunk in the same ``#if`` state replays it where each of those reads gives
the same answer (and the char signedness is the same, if an ``#if`` of the
chunk had a character constant); ``#include`` itself is
always resolved afresh, so a different include path or file is never
reused.

A whole inclusion (a file with every file it includes in turn) is kept the
same way, for units with the same include path and char signedness (one
arch's): what it read first (the guards of the files it skipped, the
``#pragma once`` marks it asked about among them) and did. A header's usual
prelude, ``<linux/types.h>`` and the dozen files below it, is then one step
for every later header instead of one per chunk and ``#include``.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from collections.abc import Sequence
from functools import cached_property
from itertools import count
from typing import Callable, Protocol

from ..diagnostics import Diagnostic, Location
from ..errors import EvalError
from ..expr import eval_if
from ..kept import Kept
from ..tokens import Token, spell
from .lexer import MAX_FILE_BYTES, LexedFile, lex

MAX_INCLUDE_DEPTH = 200
MAX_EXPANSION_TOKENS = 100_000
MAX_ARG_DEPTH = 200
MAX_INCLUSIONS = 20_000
MAX_CHUNK_VARIANTS = 8  # kept per chunk start (or inclusion): more would mostly cost lookups
KEPT_SIZE = 1_000_000  # tokens and names a run keeps in chunks and uses


class FileSystem(Protocol):
    """Where headers come from: a directory, a git tree, a snapshot of files."""

    def read(self, path: str) -> bytes: ...  # raises OSError
    def is_file(self, path: str) -> bool: ...


class ExpansionLimit(Exception):
    pass


# the number of each form of macro (Macro.form) met: a number hashes and
# compares in one step, a form's tokens one by one, and each arch after the
# first finds most of its macros' uses by their forms
_FORMS: dict[tuple[object, ...], int] = {}
_FORM_NUMBERS = count()
MAX_FORMS = 500_000


@dataclass(frozen=True)
class Macro:
    name: str
    params: tuple[str, ...] | None  # None: object-like
    variadic: bool
    body: tuple[Token, ...]
    file: str
    line: int
    col: int

    def same_definition(self, other: Macro) -> bool:
        """C11 6.10.3p2: identical parameters and replacement lists, where
        white space separations count by presence, not amount."""
        if self.params != other.params or self.variadic != other.variadic:
            return False
        if len(self.body) != len(other.body):
            return False
        for i, (a, b) in enumerate(zip(self.body, other.body)):
            if a.text != b.text or (i and a.space != b.space):
                return False
        return True

    def replacement(self) -> str:
        return self._spelled

    @cached_property
    def _spelled(self) -> str:  # asked for on every arch a chunk's macros are read on
        return spell(self.body)

    @cached_property
    def form(self) -> int:
        """All that an expansion reads of the macro, by a number that
        macros of the same form share: how many parameters it has, its
        tokens with their spacing (a parameter by its place, not its name:
        _IOW(type,nr,size) and _IOW(type,nr,argtype) expand alike), and
        whether the compiler defined it (__LINE__), not where it was
        written. Expansions are kept and found by it (see expand_use)."""
        places = {name: i for i, name in enumerate(self.params or ())}
        spelled = (None if self.params is None else len(self.params), self.variadic, self.file == "<built-in>",
                   tuple((t.kind, places.get(t.text, t.text) if t.kind == "id" else t.text, t.space)
                         for t in self.body))
        number = _FORMS.get(spelled)
        if number is None:
            if len(_FORMS) >= MAX_FORMS:
                _FORMS.clear()  # a form met again gets a new number: only a miss
            number = _FORMS[spelled] = next(_FORM_NUMBERS)
        return number

    def signature(self) -> str:
        if self.params is None:
            return self.name
        params = list(self.params)
        if self.variadic:
            if params and params[-1] == "__VA_ARGS__":
                params[-1] = "..."
            else:
                params[-1] += "..."
        return f"{self.name}({', '.join(params)})"


@dataclass
class Redefinition:
    old: Macro
    new: Macro


@dataclass
class Inclusion:
    """What including a file read and did, with the files it included in
    turn (see the module's doc)."""

    read: Reads  # guards of the files it skipped among them
    # files it asked whether #pragma once had marked them, before it marked
    # any: those that were not, and those that were
    unmarked: frozenset[str]
    premarked: frozenset[str]
    chunks: tuple[Chunk, ...]  # its files' (processed or replayed), in order: their tokens out and macros set
    diagnostics: list[Diagnostic]
    undefined_in_if: list[tuple[Token, str]]
    marked: frozenset[str]  # by #pragma once
    files: tuple[str, ...]  # read, in order, the file itself first
    probed: tuple[tuple[str, bool], ...]  # paths looked for, in order, found or not
    inclusions: int
    depth: int  # more files open at once below it than at it; -1: it tried to include none

    def size(self) -> int:
        """What it holds, its chunks' tokens counted as if they were its own
        (they are shared: what the store holds is at most that)."""
        return self.read.size() + sum(len(c.out) + len(c.ops) for c in self.chunks) + len(self.files) + len(self.probed)


class _Recording:
    """An Inclusion being made: what its steps so far read first (a
    written name marked _WRITTEN), and where its part of the
    preprocessor's lists starts."""

    def __init__(self, pp: Preprocessor, base: int) -> None:
        self.read: dict[str, Macro | None] = {}
        self.asked: dict[str, bool] = {}  # whether #pragma once had marked a file
        self.marked = set(pp.once)
        self.starts = (len(pp.chunks_done), len(pp.diagnostics), len(pp.undefined_in_if),
                       len(pp.files_read), len(pp.looked_for), pp.inclusions)
        self.base = base  # files open when it started
        self.deepest = -1  # most files open at an #include inside it

    def note(self, read: Reads, chunks: Sequence[Chunk] = ()) -> None:
        """A step read `read` first, then set the macros of chunks."""
        for name in read.absent:
            self.read.setdefault(name, None)
        for name, macro in read.defined:
            self.read.setdefault(name, macro)
        for chunk in chunks:
            for name, _ in chunk.ops:
                self.read.setdefault(name, _WRITTEN)

    def note_inclusion(self, inc: Inclusion, deepest: int) -> None:
        self.note(inc.read, inc.chunks)
        self.deepest = max(self.deepest, deepest)
        for path in inc.unmarked:
            self.asked.setdefault(path, False)
        for path in inc.premarked:
            self.asked.setdefault(path, True)

    def inclusion(self, pp: Preprocessor) -> Inclusion:
        chunks, diags, undefined, files, looked, inclusions = self.starts
        return Inclusion(Reads.of(self.read), frozenset(p for p, was in self.asked.items() if not was),
                         frozenset(p for p, was in self.asked.items() if was),
                         tuple(pp.chunks_done[chunks:]),
                         pp.diagnostics[diags:], pp.undefined_in_if[undefined:],
                         frozenset(pp.once - self.marked), tuple(dict.fromkeys(pp.files_read[files:])),
                         tuple((p, pp.probed[p]) for p in dict.fromkeys(pp.looked_for[looked:])),
                         pp.inclusions - inclusions, self.deepest - self.base if self.deepest >= 0 else -1)


@dataclass
class Unit:
    """What preprocessing one header gives."""

    path: str
    tokens: list[Token]
    macros: dict[str, Macro]  # the final macro table
    redefinitions: list[Redefinition]
    diagnostics: list[Diagnostic]
    fatal: bool = False  # a missing include or #error: GCC stops or fails here
    files: tuple[str, ...] = ()  # every file read, the header first
    probed: tuple[tuple[str, bool], ...] = ()  # every path looked for, found or not
    undefined_in_if: tuple[tuple[Token, str], ...] = ()  # #if directive, identifier taken as 0 (-Wundef)
    defines: tuple[Macro, ...] = ()  # every #define processed, in order


@dataclass
class _Cond:
    active: bool  # this group is being processed
    taken: bool  # some group of this #if chain was taken
    parent_active: bool
    seen_else: bool
    tok: Token


@dataclass
class _FileCtx:
    path: str  # as its tokens name it (Shared)
    dir_index: int  # index in the include path where it was found, -1 for quoted/main
    folder: str  # where it is: #include "name" looks beside it


# where a chunk starts: file, line index, whether lines are processed, and
# the open #if groups (active, taken, parent_active, seen_else, directive)
ChunkStart = tuple[str, int, bool, tuple[tuple[bool, bool, bool, bool, Token], ...]]


@dataclass(frozen=True)
class Reads:
    """The macros a chunk or a use looked up before it set them: the names
    that were not defined, and the others with their definition."""

    absent: tuple[str, ...]
    defined: tuple[tuple[str, Macro], ...]

    @classmethod
    def of(cls, read: dict[str, Macro | None]) -> Reads:
        return cls(tuple(n for n, m in read.items() if m is None),
                   tuple((n, m) for n, m in read.items() if m is not None and m is not _WRITTEN))

    @cached_property
    def names(self) -> frozenset[str]:
        return frozenset([*self.absent, *(n for n, _ in self.defined)])

    def size(self) -> int:
        return len(self.absent) + len(self.defined)


@dataclass
class Chunk:
    """What processing a file from one start to its next active #include
    (or its end) read and did."""

    read: Reads
    probes: tuple[tuple[str, bool, bool, bool], ...]  # __has_include: name, angle, next, found
    out: list[Token]
    ops: list[tuple[str, Macro | None]]  # #define (the macro) and #undef (None), in order
    diagnostics: list[Diagnostic]
    undefined_in_if: list[tuple[Token, str]]
    once: bool  # #pragma once
    end: ChunkStart
    char_signed: bool | None  # what an #if's character constant was read with; None: no #if had one


def _state(conds: list[_Cond]) -> tuple[tuple[bool, bool, bool, bool, Token], ...]:
    return tuple((c.active, c.taken, c.parent_active, c.seen_else, c.tok) for c in conds)


_WRITTEN = Macro("", None, False, (), "<written>", 0, 0)  # looked up only after the chunk set it

@dataclass(eq=False)  # one object per expansion, by identity
class Expansion:
    """A use of a macro expanded, with the macros that read (see Chunk)."""

    macro: Macro
    read: Reads
    tokens: list[Token] | None  # None: the expansion went past a bound
    limit: str = ""  # which one


def _directive(line: list[Token]) -> str:
    """The name of the directive a logical line is ('define'), "" if none."""
    return line[1].text if len(line) > 1 and line[0].text == "#" and line[0].kind == "punct" else ""


def _guard(lexed: LexedFile) -> str | None:
    """The controlling macro of a file wrapped in #ifndef X ... #endif."""
    lines = lexed.lines
    if len(lines) < 2:
        return None
    first, last = lines[0], lines[-1]
    if _directive(first) != "ifndef" or len(first) < 3 or first[2].kind != "id" or _directive(last) != "endif":
        return None
    depth = 0
    for line in lines:
        d = _directive(line)
        if d in ("if", "ifdef", "ifndef"):
            depth += 1
        elif d == "endif":
            depth -= 1
            if depth == 0 and line is not last:
                return None
        elif d in ("else", "elif", "elifdef", "elifndef") and depth == 1:
            return None
    return first[2].text


class Shared:
    """What processing files gave, kept for every unit and arch of a run,
    and, where a run reads two trees, for both: files lexed, by their path
    in their tree and their content, and the chunks, inclusions and uses
    (see the module's doc).

    With a mark, the first content seen at a path in a tree is named by
    the mark and that path: a file that is the same bytes in both trees is
    then one file, whose chunks each tree replays (their tokens say where
    they come from by that name; the tree's facts put its own folder in
    place of the mark). Without one, a file is named by its path."""

    def __init__(self, mark: str | None = None) -> None:
        self.mark = mark
        self.lexed: dict[tuple[str, bytes], LexedFile] = {}
        self.marked: set[str] = set()  # paths in their tree whose name is the mark's
        self.guards: dict[str, str | None] = {}
        self.defined: dict[str, tuple[str, ...]] = {}  # by file: the names it has a #define for
        self.chunks: Kept[ChunkStart, Chunk] = Kept(KEPT_SIZE, MAX_CHUNK_VARIANTS)
        # by file, its place in the include path, and the arch's include path and char signedness
        self.inclusions: Kept[tuple[str, int, int], Inclusion] = Kept(KEPT_SIZE, MAX_CHUNK_VARIANTS)
        self.contexts: dict[tuple[tuple[str, ...], bool], int] = {}
        # by the macro's name and form (see expand_use)
        self.uses: Kept[tuple[str, int], Expansion] = Kept(KEPT_SIZE // 10, MAX_CHUNK_VARIANTS)


class LexCache:
    """One tree's files lexed, and what processing them gave (Shared)."""

    def __init__(self, fs: FileSystem, shared: Shared | None = None, root: str | None = None) -> None:
        self.fs = fs
        self.shared = shared if shared is not None else Shared()
        self.inside = os.path.join(root, "") if root is not None else None
        self.files: dict[str, LexedFile | OSError | str] = {}
        self.found: dict[str, bool] = {}  # paths #include looked for (the files do not change during a run)

    def get(self, path: str) -> LexedFile | OSError | str:
        """The file at path lexed, its tokens naming it as Shared says."""
        hit = self.files.get(path)
        if hit is None:
            try:
                data = self.fs.read(path)
            except OSError as exc:
                hit = exc
            else:
                hit = "file is too large" if len(data) > MAX_FILE_BYTES else self._lexed(path, data)
            self.files[path] = hit
        return hit

    def _lexed(self, path: str, data: bytes) -> LexedFile:
        shared, inside, mark, rel = self.shared, self.inside, None, path
        if inside is not None and shared.mark is not None and path.startswith(inside):
            mark, rel = shared.mark, path[len(inside):]
        key = (rel, hashlib.sha1(data).digest())
        hit = shared.lexed.get(key)
        if hit is None:
            name = path
            if mark is not None and rel not in shared.marked:
                shared.marked.add(rel)
                name = mark + rel
            hit = shared.lexed[key] = lex(name, data)
        return hit

    def name(self, path: str) -> str:
        """What the tokens of the file at path say it is."""
        lexed = self.get(path)
        return lexed.path if isinstance(lexed, LexedFile) else path

    def is_file(self, path: str) -> bool:
        found = self.found.get(path)
        if found is None:
            found = self.found[path] = self.fs.is_file(path)
        return found

    def guard(self, path: str, lexed: LexedFile) -> str | None:
        guards = self.shared.guards
        if path not in guards:
            guards[path] = _guard(lexed)
        return guards[path]

    def defined(self, path: str) -> tuple[str, ...]:
        """The names the file at path has a #define line for, each once,
        whatever #if is around it: where its own macros are to be found
        in a unit's table of thousands."""
        names = self.shared.defined.get(path)
        if names is None:
            lexed = self.get(path)
            lines = lexed.lines if isinstance(lexed, LexedFile) else []
            names = self.shared.defined[path] = tuple(dict.fromkeys(
                line[2].text for line in lines
                if _directive(line) == "define" and len(line) > 2 and line[2].kind == "id"))
        return names


class Preprocessor:
    def __init__(
        self,
        cache: LexCache,
        include_dirs: list[str],
        predefined: dict[str, Macro],
        char_signed: bool = True,
        explain_missing: Callable[[str], str | None] | None = None,
    ) -> None:
        self.explain_missing = explain_missing
        self.cache = cache
        self.shared = cache.shared
        self.fs = cache.fs
        self.include_dirs = include_dirs
        self.char_signed = char_signed
        self.macros: dict[str, Macro] = dict(predefined)
        for name in DYNAMIC:
            self.macros.setdefault(name, Macro(name, None, False, (), "<built-in>", 0, 0))
        self.redefinitions: list[Redefinition] = []
        self.diagnostics: list[Diagnostic] = []
        self.once: set[str] = set()
        self.out: list[Token] = []
        self.stack: list[_FileCtx] = []
        self.fatal = False
        self.abort = False  # a bound was hit: stop reading files
        self.inclusions = 0
        self.budget = MAX_EXPANSION_TOKENS
        self.files: dict[str, None] = {}
        self.probed: dict[str, bool] = {}  # every path #include looked at, and whether it was there
        self.undefined_in_if: list[tuple[Token, str]] = []
        self.defines: list[Macro] = []
        # what the chunk being processed read and did (see Chunk)
        self.read: dict[str, Macro | None] = {}
        self.probes: list[tuple[str, bool, bool, bool]] = []
        self.ops: list[tuple[str, Macro | None]] = []
        self.chars = False  # an #if had a character constant
        # for the inclusions being made (see Inclusion): the open ones, and
        # what every step did, in order
        contexts = cache.shared.contexts
        self.context = contexts.setdefault((tuple(include_dirs), char_signed), len(contexts))
        self.recording: list[_Recording] = []
        self.chunks_done: list[Chunk] = []
        self.files_read: list[str] = []
        self.looked_for: list[str] = []

    # ------------------------------------------------------------ reporting

    def diag(self, severity: str, tok: Token | None, message: str) -> None:
        if tok is None:
            loc = Location(self.stack[-1].path if self.stack else "<unknown>")
        else:
            loc = Location(tok.file, tok.line, tok.col)
        self.diagnostics.append(Diagnostic(severity, loc, message, "preprocess"))
        if severity == "error":
            self.fatal = True

    # ------------------------------------------------------------ driver

    def run(self, path: str, first: Sequence[str] = ()) -> Unit:
        """Preprocess the file at path, after the headers named in first
        (found as <name> is, read as GCC's -include reads them). A file
        those headers read already is not read again: a header that only
        its includer may include is analysed as that includer reads it."""
        for name in first:
            found = self.find(name, True, False)
            if found is None:
                self.diag("error", None, f"{name}: No such file or directory")
                break
            self.include(found[0], None, found[1])
        name = self.cache.name(path)
        if name not in self.files:
            self.include(path, None, -1)
        return Unit(
            name,
            self.out,
            self.macros,
            self.redefinitions,
            self.diagnostics,
            self.fatal,
            tuple(self.files),
            tuple(self.probed.items()),
            tuple(self.undefined_in_if),
            tuple(self.defines),
        )

    def run_header(self, name: str) -> Unit | None:
        """Preprocess <name> as `#include <name>` finds it (its place in the
        include path matters to its #include_next); None where none is."""
        found = self.find(name, True, False)
        return None if found is None else self.run(found[0], [name])

    def include(self, path: str, tok: Token | None, dir_index: int) -> None:
        if self.abort:
            return
        self.inclusions += 1
        if len(self.stack) >= MAX_INCLUDE_DEPTH or self.inclusions > MAX_INCLUSIONS:
            what = (f"#include nested depth {len(self.stack)} exceeds maximum of {MAX_INCLUDE_DEPTH}"
                    if len(self.stack) >= MAX_INCLUDE_DEPTH else f"more than {MAX_INCLUSIONS} inclusions")
            self.diag("error", tok, what)
            self.abort = True
            return
        recording = self.recording[-1] if self.recording else None
        lexed = self.cache.get(path)
        name = lexed.path if isinstance(lexed, LexedFile) else path  # what the tokens, and so the keys, say
        if recording is not None:
            recording.deepest = max(recording.deepest, len(self.stack))
            recording.asked.setdefault(name, name in self.once)
        if name in self.once:
            return
        if isinstance(lexed, OSError):
            reason = lexed.strerror or str(lexed)
            self.diag("error", tok, f"cannot read '{path}': {reason}")
            return
        if isinstance(lexed, str):
            self.diag("error", tok, f"'{path}': {lexed} (limit {MAX_FILE_BYTES} bytes)")
            return
        guard = self.cache.guard(name, lexed)
        if guard is not None:
            if recording is not None:
                recording.read.setdefault(guard, self.macros.get(guard))
            if guard in self.macros:
                return
        key = (name, dir_index, self.context)
        made = None
        if self.stack:  # a unit's own file is read once an arch
            kept = self.replayable_inclusion(key)
            if kept is not None:
                self.replay_inclusion(kept, recording)
                return
            made = _Recording(self, len(self.stack) + 1)
            self.recording.append(made)
        # inline, not a helper: each level of #include already takes four of
        # Python's 1000 frames (include, process, directive, do_include)
        try:
            self.add_diagnostics([Diagnostic(p.severity, Location(name, p.line, p.col), p.message, "preprocess")
                                  for p in lexed.problems], [])
            self.files[name] = None
            self.files_read.append(name)
            self.stack.append(_FileCtx(name, dir_index, os.path.dirname(path)))
            try:
                self.process(lexed)
            finally:
                self.stack.pop()
        finally:
            if made is not None:
                self.recording.pop()
        if made is None or self.abort:
            return
        inclusion = made.inclusion(self)
        self.shared.inclusions.add(key, inclusion, inclusion.size())
        if recording is not None:
            recording.note_inclusion(inclusion, made.deepest)

    def process(self, lexed: LexedFile) -> None:
        path = self.stack[-1].path
        start: ChunkStart = (path, 0, True, ())
        while True:
            chunk = self.replayable(start)
            if chunk is None:
                chunk = self.chunk(lexed, start)
            else:
                self.replay(chunk, path)
            if self.recording:
                self.recording[-1].note(chunk.read, (chunk,))
            self.chunks_done.append(chunk)
            start = chunk.end
            _, i, active, state = start
            conds = [_Cond(*c) for c in state]
            if i == len(lexed.lines):
                break
            active = self.directive(lexed.lines[i], conds, active)  # the #include that ended it
            if self.abort:
                return
            start = (path, i + 1, active, _state(conds))
        for c in conds:
            self.diag("error", c.tok, f"unterminated #{c.tok.text}")

    def chunk(self, lexed: LexedFile, start: ChunkStart) -> Chunk:
        """Process lines from start up to the next active #include, and
        keep what that read and did."""
        path, i, active, state = start
        conds = [_Cond(*c) for c in state]
        self.read, self.probes, self.ops, self.chars = {}, [], [], False
        out, diags, undefined, once = len(self.out), len(self.diagnostics), len(self.undefined_in_if), path in self.once
        text: list[Token] = []
        lines = lexed.lines
        while i < len(lines):
            line = lines[i]
            if line[0].text == "#" and line[0].kind == "punct":
                if text:
                    self.emit(text)
                    text = []
                if active and len(line) > 1 and line[1].text in ("include", "include_next"):
                    break
                active = self.directive(line, conds, active)
            elif active:
                text.extend(line)
            i += 1
        if text:
            self.emit(text)
        end: ChunkStart = (path, i, active, _state(conds))
        chunk = Chunk(Reads.of(self.read), tuple(self.probes),
                      self.out[out:], self.ops, self.diagnostics[diags:], self.undefined_in_if[undefined:],
                      not once and path in self.once, end, self.char_signed if self.chars else None)
        self.shared.chunks.add(start, chunk, chunk.read.size() + len(chunk.out) + len(chunk.ops))
        return chunk

    def replayable(self, start: ChunkStart) -> Chunk | None:
        """A chunk kept for start whose reads give the same answers now."""
        for chunk in self.shared.chunks.get(start):
            if chunk.char_signed in (None, self.char_signed) and self.reads_same(chunk.read) and all(
                    (self.find(name, angle, next_) is not None) == found for name, angle, next_, found in chunk.probes):
                return chunk
        return None

    def replayable_inclusion(self, key: tuple[str, int, int]) -> Inclusion | None:
        """An inclusion kept for key whose reads give the same answers now,
        and that would stay within the bounds from here."""
        for inc in self.shared.inclusions.get(key):
            if (len(self.stack) + 1 + inc.depth < MAX_INCLUDE_DEPTH
                    and self.inclusions + inc.inclusions <= MAX_INCLUSIONS
                    and self.once.isdisjoint(inc.unmarked) and self.once.issuperset(inc.premarked)
                    and self.reads_same(inc.read)):
                return inc
        return None

    def replay_inclusion(self, inc: Inclusion, recording: _Recording | None) -> None:
        self.inclusions += inc.inclusions
        for chunk in inc.chunks:
            self.out += chunk.out
            self.set_macros(chunk.ops)
        self.chunks_done += inc.chunks
        self.add_diagnostics(inc.diagnostics, inc.undefined_in_if)
        self.once.update(inc.marked)
        for path in inc.files:
            self.files[path] = None
        self.files_read += inc.files
        for path, found in inc.probed:
            self.probed.setdefault(path, found)
            self.looked_for.append(path)
        if recording is not None:
            recording.note_inclusion(inc, len(self.stack) + 1 + inc.depth if inc.depth >= 0 else -1)

    def reads_same(self, read: Reads) -> bool:
        macros = self.macros
        if not macros.keys().isdisjoint(read.absent):
            return False
        for name, then in read.defined:
            now = macros.get(name)
            if now is not then and (now is None or now.form != then.form):
                return False
        return True

    def expand_use(self, macro: Macro, site: Callable[[Macro], list[Token]]) -> Expansion:
        """site(macro), a use of macro, expanded; kept for the run's other
        units (arches) that define it and what it read the same: by its
        form, for a macro defined again alike (its file read again on an
        arch where an #if around it differs) expands alike. Its tokens then
        say where the first was written; what uses them reads their text."""
        key = (macro.name, macro.form)
        for e in self.shared.uses.get(key):
            if self.reads_same(e.read):
                return e
        self.read = {}
        try:
            tokens: list[Token] | None = self.expand(site(macro))
            limit = ""
        except ExpansionLimit as exc:
            tokens, limit = None, str(exc)
        e = Expansion(macro, Reads.of(self.read), tokens, limit)
        self.shared.uses.add(key, e, e.read.size() + len(tokens or ()))
        return e

    def replay(self, chunk: Chunk, path: str) -> None:
        self.out += chunk.out
        self.set_macros(chunk.ops)
        self.add_diagnostics(chunk.diagnostics, chunk.undefined_in_if)
        if chunk.once:
            self.once.add(path)

    def add_diagnostics(self, diagnostics: list[Diagnostic], undefined: list[tuple[Token, str]]) -> None:
        self.diagnostics += diagnostics
        if any(d.severity == "error" for d in diagnostics):
            self.fatal = True
        self.undefined_in_if += undefined

    def set_macros(self, ops: list[tuple[str, Macro | None]]) -> None:
        """#define (a macro) and #undef (None) each name, as met or as a
        chunk replays them: a redefinition is judged against what is
        defined now. Every unit replays the #defines of every file it
        includes: 1.5 million on eight arches, hence the loop written out."""
        macros, defines, read = self.macros, self.defines, self.read
        for name, macro in ops:
            if macro is None:
                macros.pop(name, None)
            else:
                old = macros.get(name)
                defines.append(macro)
                if old is not None and old is not macro and not old.same_definition(macro):
                    self.redefinitions.append(Redefinition(old, macro))
                macros[name] = macro
            if name not in read:
                read[name] = _WRITTEN

    def emit(self, tokens: list[Token]) -> None:
        try:
            self.out.extend(self.expand(tokens))
        except ExpansionLimit as exc:
            self.diag("error", tokens[0], str(exc))

    # ------------------------------------------------------------ directives

    def directive(self, line: list[Token], conds: list[_Cond], active: bool) -> bool:
        if len(line) == 1:
            return active  # the null directive
        name_tok = line[1]
        name = name_tok.text
        args = line[2:]
        if name in ("if", "ifdef", "ifndef"):
            if not active:
                conds.append(_Cond(False, True, False, False, name_tok))
                return False
            value = self.condition(name, name_tok, args)
            conds.append(_Cond(value, value, True, False, name_tok))
            return value
        if name in ("elif", "elifdef", "elifndef", "else"):
            if not conds:
                self.diag("error", name_tok, f"#{name} without #if")
                return active
            c = conds[-1]
            if c.seen_else:
                self.diag("error", name_tok, f"#{name} after #else")
                return False
            if name == "else":
                c.seen_else = True
                c.active = c.parent_active and not c.taken
            elif c.parent_active and not c.taken:
                c.active = self.condition(name[2:] if name != "elif" else "if", name_tok, args)
            else:
                c.active = False
            c.taken = c.taken or c.active
            return c.active
        if name == "endif":
            if not conds:
                self.diag("error", name_tok, "#endif without #if")
                return active
            return conds.pop().parent_active
        if not active:
            return False
        if name == "define":
            self.define(name_tok, args)
        elif name == "undef":
            if not args or args[0].kind != "id":
                self.diag("error", name_tok, "macro names must be identifiers")
            else:
                op = (args[0].text, None)
                self.set_macros([op])
                self.ops.append(op)
        elif name in ("include", "include_next"):
            self.do_include(name_tok, args, name == "include_next")
        elif name == "error":
            self.diag("error", name_tok, f"#error {spell(args)}")
        elif name == "warning":
            self.diag("warning", name_tok, f"#warning {spell(args)}")
        elif name == "pragma":
            if args and args[0].text == "once":
                self.once.add(self.stack[-1].path)
            elif args and args[0].text == "pack":
                # layout needs it: passed on in the token stream
                self.out.append(Token("pragma", spell(args), name_tok.file, name_tok.line, name_tok.col, True))
        elif name in ("line", "ident", "sccs", "assert", "unassert"):
            pass
        elif line[1].kind == "num":
            pass  # a GNU line marker
        else:
            self.diag("error", name_tok, f"invalid preprocessing directive #{name}")
        return True

    def condition(self, kind: str, tok: Token, args: list[Token]) -> bool:
        if kind in ("ifdef", "ifndef", "def", "ndef"):
            if not args or args[0].kind != "id":
                self.diag("error", tok, f"no macro name given in #{tok.text} directive")
                return False
            defined = self.lookup(args[0].text) is not None or args[0].text in SPECIAL_DEFINED
            return defined if kind in ("ifdef", "def") else not defined
        if not args:
            self.diag("error", tok, f"#{tok.text} with no expression")
            return False
        try:
            expanded = self.expand(args, in_if=True)
            self.chars = self.chars or any(t.kind == "chr" for t in expanded)
            result = eval_if(expanded, self.char_signed)
            self.undefined_in_if += [(tok, name) for name in result.undefined]
        except ExpansionLimit as exc:
            self.diag("error", tok, str(exc))
            return False
        except EvalError as exc:
            self.diag("error", exc.token or tok, f"#{tok.text}: {exc.message}")
            return False
        return result.value != 0

    def define(self, tok: Token, args: list[Token]) -> None:
        if not args or args[0].kind != "id":
            self.diag("error", tok, "macro names must be identifiers")
            return
        name_tok = args[0]
        if name_tok.text == "defined":
            self.diag("error", name_tok, "\"defined\" cannot be used as a macro name")
            return
        params: tuple[str, ...] | None = None
        variadic = False
        i = 1
        if len(args) > 1 and args[1].text == "(" and not args[1].space:
            plist: list[str] = []
            i = 2
            expect_param = True
            while True:
                if i >= len(args):
                    self.diag("error", name_tok, "missing ')' in macro parameter list")
                    return
                t = args[i]
                i += 1
                if t.text == ")" and (not expect_param or not plist):
                    break
                if expect_param and t.text == "...":
                    plist.append("__VA_ARGS__")
                    variadic = True
                elif expect_param and t.kind == "id":
                    if t.text in plist:
                        self.diag("error", t, f"duplicate macro parameter \"{t.text}\"")
                        return
                    plist.append(t.text)
                    if i < len(args) and args[i].text == "...":
                        variadic = True
                        i += 1
                elif not expect_param and t.text == ",":
                    if variadic:
                        self.diag("error", t, "expected ')' after \"...\"")
                        return
                    expect_param = True
                    continue
                else:
                    self.diag("error", t, f"\"{t.text}\" may not appear in macro parameter list")
                    return
                expect_param = False
            params = tuple(plist)
        body = tuple(args[i:])
        if body and (body[0].text == "##" or body[-1].text == "##"):
            self.diag("error", body[0] if body[0].text == "##" else body[-1],
                      "'##' cannot appear at either end of a macro expansion")
            return
        if params is not None:
            for j, t in enumerate(body):
                if t.text == "#" and (j + 1 >= len(body) or body[j + 1].text not in params):
                    self.diag("error", t, "'#' is not followed by a macro parameter")
                    return
        op = (name_tok.text, Macro(name_tok.text, params, variadic, body, tok.file, name_tok.line, name_tok.col))
        self.set_macros([op])
        self.ops.append(op)

    def lookup(self, name: str) -> Macro | None:
        """The macro name is, noted as read by the chunk."""
        m = self.macros.get(name)
        if name not in self.read:
            self.read[name] = m
        return m

    # ------------------------------------------------------------ includes

    def header_name(self, tok: Token, args: list[Token]) -> tuple[str, bool] | None:
        if args and args[0].kind == "str" and args[0].text.startswith('"'):
            return args[0].text[1:-1], False
        if args and args[0].text == "<":
            try:
                end = next(i for i, t in enumerate(args) if t.text == ">")
            except StopIteration:
                self.diag("error", tok, "missing terminating > character")
                return None
            return spell(args[1:end]), True
        if args:
            expanded = self.expand(args)
            if expanded and (expanded[0].text == "<" or expanded[0].kind == "str"):
                return self.header_name(tok, expanded)
        self.diag("error", tok, f"#{tok.text} expects \"FILENAME\" or <FILENAME>")
        return None

    def find(self, name: str, angle: bool, next_: bool) -> tuple[str, int] | None:
        """Where #include (angle: <name>; next_: #include_next) finds name,
        and the index of the include directory it is in (-1: beside the
        including file)."""
        ctx = self.stack[-1] if self.stack else _FileCtx("", -1, "")
        start = 0
        if next_ and ctx.dir_index >= 0:
            start = ctx.dir_index + 1
        elif not angle and not next_:
            cand = os.path.normpath(os.path.join(ctx.folder, name))
            if self.probe(cand):
                return cand, -1
        for idx in range(start, len(self.include_dirs)):
            cand = os.path.normpath(os.path.join(self.include_dirs[idx], name))
            if self.probe(cand):
                return cand, idx
        return None

    def probe(self, path: str) -> bool:
        self.looked_for.append(path)
        found = self.probed.get(path)
        if found is None:
            found = self.probed[path] = self.cache.is_file(path)
        return found

    def do_include(self, tok: Token, args: list[Token], next_: bool) -> None:
        self.read = {}
        try:
            hn = self.header_name(tok, args)
        except ExpansionLimit as exc:  # #include MACRO
            self.diag("error", tok, str(exc))
            hn = None
        if self.recording:
            self.recording[-1].note(Reads.of(self.read))
        if hn is None:
            return
        name, angle = hn
        found = self.find(name, angle, next_)
        if found is None:
            why = self.explain_missing(name) if self.explain_missing else None
            self.diag("error", tok, f"{name}: " + (why or "No such file or directory"))
            return
        self.include(found[0], tok, found[1])

    def has_include(self, tokens: list[Token], i: int, next_: bool, at: Token) -> tuple[int, int]:
        """Evaluate __has_include(...) starting at tokens[i] == '('. Returns
        (value, index after ')')."""
        if i >= len(tokens) or tokens[i].text != "(":
            raise EvalError("missing '(' after __has_include", at)
        depth, j = 0, i
        while j < len(tokens):
            if tokens[j].text == "(":
                depth += 1
            elif tokens[j].text == ")":
                depth -= 1
                if depth == 0:
                    break
            j += 1
        else:
            raise EvalError("missing ')' after __has_include operand", at)
        inner = tokens[i + 1:j]
        if inner and inner[0].kind == "str":
            name, angle = inner[0].text[1:-1], False
        elif inner and inner[0].text == "<" and inner[-1].text == ">":
            name, angle = spell(inner[1:-1]), True
        else:
            raise EvalError("operator \"__has_include\" requires a header-name", at)
        found = self.find(name, angle, next_) is not None
        self.probes.append((name, angle, next_, found))
        return int(found), j + 1

    # ------------------------------------------------------------ expansion

    def expand(self, tokens: list[Token], in_if: bool = False, depth: int = 0) -> list[Token]:
        if depth > MAX_ARG_DEPTH:
            raise ExpansionLimit(f"macro arguments nested deeper than {MAX_ARG_DEPTH}")
        out: list[Token] = []
        stack = tokens[::-1]
        macros = self.macros
        read = self.read
        if depth == 0:
            self.budget = max(MAX_EXPANSION_TOKENS, 10 * len(tokens))
        while stack:
            tok = stack.pop()
            if tok.kind != "id":
                out.append(tok)
                continue
            name = tok.text
            if in_if:
                if name == "defined":
                    out.append(self.defined_op(stack, tok))
                    continue
                if name in ("__has_include", "__has_include_next"):
                    rest = stack[::-1]
                    value, used = self.has_include(rest, 0, name.endswith("next"), tok)
                    del stack[len(stack) - used:]
                    out.append(Token("num", str(value), tok.file, tok.line, tok.col, tok.space))
                    continue
                if name in ("__has_attribute", "__has_builtin", "__has_feature", "__has_extension",
                            "__has_c_attribute", "__has_cpp_attribute"):
                    out.append(self.has_feature(stack, tok))
                    continue
            m = macros.get(name)
            if name not in read:
                read[name] = m
            if m is None or name in tok.hide:
                out.append(tok)
                continue
            if m.params is None:
                if m.file == "<built-in>" and name in DYNAMIC:
                    out.append(DYNAMIC[name](tok))
                    continue
                hs = tok.hide | {name}
                body = self.substitute(m, [], hs, tok, in_if, depth)
            else:
                if not stack or stack[-1].text != "(":
                    out.append(tok)
                    continue
                args, rparen = self.collect_args(m, stack, tok)
                if args is None:
                    out.append(tok)
                    continue
                hs = (tok.hide & rparen.hide) | {name}
                body = self.substitute(m, args, hs, tok, in_if, depth)
            self.budget -= len(body)
            if self.budget < 0:
                raise ExpansionLimit(f"expansion of macro '{name}' produces more than {MAX_EXPANSION_TOKENS} tokens")
            stack.extend(reversed(body))
        return out

    def defined_op(self, stack: list[Token], tok: Token) -> Token:
        paren = bool(stack) and stack[-1].text == "("
        if paren:
            stack.pop()
        if not stack or stack[-1].kind != "id":
            raise EvalError("operator \"defined\" requires an identifier", tok)
        ident = stack.pop()
        if paren:
            if not stack or stack[-1].text != ")":
                raise EvalError("missing ')' after \"defined\"", tok)
            stack.pop()
        value = self.lookup(ident.text) is not None or ident.text in SPECIAL_DEFINED
        return Token("num", "1" if value else "0", tok.file, tok.line, tok.col, tok.space)

    def has_feature(self, stack: list[Token], tok: Token) -> Token:
        if len(stack) < 3 or stack[-1].text != "(":
            raise EvalError(f"missing '(' after \"{tok.text}\"", tok)
        stack.pop()
        parts: list[str] = []
        while stack and stack[-1].text != ")":
            parts.append(stack.pop().text)
        if not stack:
            raise EvalError(f"missing ')' after \"{tok.text}\" operand", tok)
        stack.pop()
        word = "".join(parts).split("::")[-1].strip("_")
        if tok.text == "__has_attribute" or tok.text == "__has_c_attribute":
            value = 1 if word in KNOWN_ATTRIBUTES else 0
        elif tok.text == "__has_builtin":
            value = 1 if word.startswith("builtin_") else 0
        else:
            value = 0
        return Token("num", str(value), tok.file, tok.line, tok.col, tok.space)

    def collect_args(self, m: Macro, stack: list[Token], tok: Token) -> tuple[list[list[Token]] | None, Token]:
        stack.pop()  # '('
        args: list[list[Token]] = [[]]
        depth = 0
        assert m.params is not None
        nparams = len(m.params)
        while True:
            if not stack:
                self.diag("error", tok, f"unterminated argument list invoking macro \"{m.name}\"")
                return None, tok
            t = stack.pop()
            if t.text == "(" and t.kind == "punct":
                depth += 1
            elif t.text == ")" and t.kind == "punct":
                if depth == 0:
                    rparen = t
                    break
                depth -= 1
            elif t.text == "," and t.kind == "punct" and depth == 0 and not (m.variadic and len(args) >= nparams):
                args.append([])
                continue
            args[-1].append(t)
        if nparams == 0 and args == [[]]:
            args = []
        if len(args) != nparams:
            if m.variadic and len(args) == nparams - 1:
                args.append([])
            elif nparams == 1 and not args:
                args = [[]]
            else:
                self.diag("error", tok, f"macro \"{m.name}\" passed {len(args)} arguments, but takes {nparams}")
                return None, tok
        return args, rparen

    def substitute(self, m: Macro, args: list[list[Token]], hs: frozenset[str], site: Token,
                   in_if: bool, depth: int) -> list[Token]:
        body = m.body
        params = m.params or ()
        index = {p: i for i, p in enumerate(params)}
        expanded: dict[int, list[Token]] = {}
        out: list[Token | None] = []  # None is a placemarker (C11 6.10.3.3p2)
        paste_after: set[int] = set()  # positions in out that paste with the next item
        n = len(body)
        i = 0
        while i < n:
            t = body[i]
            space = site.space if i == 0 else t.space
            if m.params is not None and t.text == "#" and t.kind == "punct" and i + 1 < n and body[i + 1].text in index:
                arg = args[index[body[i + 1].text]]
                out.append(Token("str", _stringify(arg), site.file, site.line, site.col, space, hs))
                i += 2
                continue
            if t.text == "##" and t.kind == "punct":
                # GNU: ", ## __VA_ARGS__" drops the comma when no variable arguments are given
                if (m.variadic and i + 1 < n and body[i + 1].text == params[-1] and out and out[-1] is not None
                        and out[-1].text == "," and not args[-1]):
                    out.pop()
                    i += 2
                    continue
                paste_after.add(len(out) - 1)
                i += 1
                continue
            if t.kind == "id" and t.text in index:
                k = index[t.text]
                raw = (i + 1 < n and body[i + 1].text == "##") or (i > 0 and body[i - 1].text == "##")
                if raw:
                    seq = args[k]
                else:
                    if k not in expanded:
                        expanded[k] = self.expand(args[k], in_if, depth + 1)
                    seq = expanded[k]
                if not seq:
                    out.append(None)
                else:
                    for j, a in enumerate(seq):
                        out.append(a.copy(space=space if j == 0 else a.space, hide=a.hide | hs))
                i += 1
                continue
            out.append(Token(t.kind, t.text, site.file, site.line, site.col, space, hs))
            i += 1
        if paste_after:
            out = self.paste(out, paste_after, site)
        return [t for t in out if t is not None]

    def paste(self, items: list[Token | None], after: set[int], site: Token) -> list[Token | None]:
        result: list[Token | None] = []
        glue = False
        for idx, item in enumerate(items):
            if glue and result:
                left = result.pop()
                if left is None:
                    result.append(item)
                elif item is None:
                    result.append(left)
                else:
                    text = left.text + item.text
                    lexed = lex_line(text)
                    if len(lexed) != 1:
                        self.diag("error", site, f"pasting \"{left.text}\" and \"{item.text}\" does not give a valid preprocessing token")
                        result += [left, item]
                    else:
                        result.append(Token(lexed[0].kind, text, left.file, left.line, left.col, left.space, left.hide))
            else:
                result.append(item)
            glue = idx in after
        return result


def _stringify(tokens: list[Token]) -> str:
    parts: list[str] = []
    for i, t in enumerate(tokens):
        if i and t.space:
            parts.append(" ")
        text = t.text
        if t.kind in ("str", "chr"):
            text = text.replace("\\", "\\\\").replace('"', '\\"')
        parts.append(text)
    return '"' + "".join(parts) + '"'


def builtin_macros(definitions: dict[str, str]) -> dict[str, Macro]:
    """Macros given as name to replacement text (predefined, -D)."""
    return {name: Macro(name, None, False, tuple(lex_line(text)), "<built-in>", 0, 0)
            for name, text in definitions.items()}


def lex_line(text: str) -> list[Token]:
    lexed = lex("<built-in>", text.encode())
    return [t for line in lexed.lines for t in line]


def _line(tok: Token) -> Token:
    return Token("num", str(tok.line), tok.file, tok.line, tok.col, tok.space)


def _file(tok: Token) -> Token:
    return Token("str", '"' + tok.file + '"', tok.file, tok.line, tok.col, tok.space)


DYNAMIC: dict[str, Callable[[Token], Token]] = {"__LINE__": _line, "__FILE__": _file}
SPECIAL_DEFINED = frozenset(
    ["__has_include", "__has_include_next", "__has_attribute", "__has_builtin", "__has_c_attribute",
     "__has_cpp_attribute"]
)
KNOWN_ATTRIBUTES = frozenset(
    "aligned packed deprecated unused used noreturn const pure always_inline noinline format "
    "nonnull warn_unused_result may_alias mode section visibility weak alias cleanup nonstring "
    "fallthrough access malloc alloc_size sentinel transparent_union designated_init".split()
)
