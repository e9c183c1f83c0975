"""A header as a program includes it. The kernel lets UAPI headers use
size_t, struct timespec, struct sockaddr or _IOW without including what
defines them (its own header test exempts them), because every program
that uses them includes the C library first. A header analysed alone then
leaves such names undefined: a struct it cannot lay out, a macro with no
value (BLKGETSIZE64 is `_IOR(0x12, 114, size_t)`). For those names, and
only for them, the header is analysed again after the C library headers
that define them, as a program would include them; and a header that
compiles only inside the one that includes it (linux/hdlc/ioctl.h inside
linux/if.h, which defines IFNAMSIZ first; linux/patchkey.h, which insists)
after that header. The facts then say what they were read after.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .analysis import header_facts
from .arches import Arch
from .facts import HeaderFacts
from .parse import parse
from .preprocess.cpp import Preprocessor

if TYPE_CHECKING:
    from .cache import Cache

# The C library headers a program includes with UAPI headers, in the order
# it would: the first of them that defines a name is the one included for it.
PROGRAM_HEADERS = ("stddef.h", "stdint.h", "limits.h", "sys/types.h", "errno.h", "fcntl.h", "sys/stat.h",
                   "time.h", "sys/time.h", "sys/ioctl.h", "sys/socket.h", "netinet/in.h", "signal.h")
ROUNDS = 3  # names a C library header brings can leave others undefined
INCLUDERS = 3  # includers tried for a header that does not compile alone

Probed = tuple[tuple[str, bool], ...]


@dataclass
class Providers:
    """Which of PROGRAM_HEADERS first defines each name (a macro, a type, a
    tag, an enumerator), as this arch's include path finds them; read once,
    when a header first lacks something (0.05-0.3 s an arch)."""

    new_pp: Callable[[], Preprocessor]
    store: Cache | None = None  # keeps what was read: for the next run, and the other -j worker
    names: dict[str, str] = field(default_factory=dict)  # name -> header
    probed: Probed = ()
    ready: bool = False

    def header(self, name: str) -> str | None:
        if not self.ready:
            self.read()
        return self.names.get(name)

    def read(self) -> None:
        self.ready = True
        kept = self.store.providers() if self.store else None
        if kept is not None:
            self.names, self.probed = kept
            return
        probed: dict[str, bool] = {}
        for header in PROGRAM_HEADERS:
            pp = self.new_pp()
            unit = pp.run_header(header)
            probed.update(pp.probed)
            if unit is None or unit.fatal:
                continue
            defined = set(unit.macros)
            decls = parse(unit.tokens, unit.path)
            defined |= {td.name for td in decls.typedefs}
            defined |= {f"{r.kind} {r.tag}" for r in decls.records if r.tag}
            defined |= {f"enum {e.tag}" for e in decls.enums if e.tag}
            defined |= {x.name for e in decls.enums for x in e.enumerators}
            for name in defined:
                self.names.setdefault(name, header)
        self.probed = tuple(sorted(probed.items()))
        if self.store:
            self.store.keep_providers(self.names, self.probed)


def lacking(facts: HeaderFacts) -> set[str]:
    """The names the header's facts lack: those its errors name, and those
    its object-like macros use without a value to show for it."""
    names = {d.lacks for d in facts.diagnostics if d.lacks}
    for m in facts.macros.values():
        if m.params is None and m.value is None and m.replacement:
            names |= {n for n, _ in m.free}
    return names


def errors(facts: HeaderFacts) -> int:
    return sum(d.severity == "error" for d in facts.diagnostics)


def conflicts(facts: HeaderFacts) -> int:
    """Errors that no name would mend: a redefinition, an #error."""
    return sum(d.severity == "error" and not d.lacks for d in facts.diagnostics)


def answers(facts: HeaderFacts) -> int:
    return len(facts.types) + sum(m.value is not None for m in facts.macros.values())


def better(trial: HeaderFacts, facts: HeaderFacts, tried: set[str]) -> bool:
    """Whether headers included first helped: no new error but for names
    still lacking (a conflict with the C library is a new error), and more
    answers, fewer errors, or names lacking that were hidden behind the
    first (a parse stops at the first unknown type name)."""
    if conflicts(trial) > conflicts(facts):
        return False
    return answers(trial) > answers(facts) or errors(trial) < errors(facts) or bool(lacking(trial) - tried)


def program_facts(new_pp: Callable[[], Preprocessor], path: str, arch: Arch, providers: Providers,
                  includers: Callable[[str], list[str]], libc: str) -> tuple[HeaderFacts, Probed]:
    """The facts of the header at path as a program sees it (libc: where
    its C library headers come from), and every path the answer depended on."""
    facts, alone_probed = header_facts(new_pp(), path, arch)
    probed = dict.fromkeys(alone_probed)  # in the order first looked at: no sort needed to be the same each run
    alone = facts
    first: list[str] = []  # what is included before it, in the order a program includes it
    tried: set[str] = set()

    def attempt(before: list[str]) -> HeaderFacts:
        trial, more = header_facts(new_pp(), path, arch, before)
        probed.update(dict.fromkeys(more))
        return trial

    for _ in range(ROUNDS):
        wanted = lacking(facts) - tried
        if not wanted:
            break
        tried |= wanted
        found = {h for h in map(providers.header, wanted) if h is not None} - set(first)
        probed.update(dict.fromkeys(providers.probed))  # which header defines what decided the answer
        if not found:
            break
        # all at once; where that conflicts (sys/types.h brings glibc's
        # struct timeval, which linux/time.h defines too), one at a time
        before = [h for h in PROGRAM_HEADERS if h in found or h in first]
        trial = attempt(before)
        if better(trial, facts, tried):
            facts, first = trial, before
            continue
        for h in sorted(found, key=PROGRAM_HEADERS.index):
            before = [x for x in PROGRAM_HEADERS if x == h or x in first]
            trial = attempt(before)
            if better(trial, facts, tried):
                facts, first = trial, before

    if errors(facts):
        for name in includers(path)[:INCLUDERS]:
            trial = attempt(first + [name])
            if not errors(trial):
                facts, first = trial, first + [name]
                break

    if errors(facts) and answers(facts) <= answers(alone):
        facts, first = alone, []  # nothing gained: say what the header lacks by itself
    if first:
        # what the C library's own headers say is not this header's to report
        facts.diagnostics = [d for d in facts.diagnostics if d.severity == "error" or d.location.file == alone.path
                             or d.location.file in alone.includes]
        facts.prelude = first
        facts.libc = libc if any(name in PROGRAM_HEADERS for name in first) else ""
        facts.needs_prelude = sorted({n for n, m in facts.macros.items() if alone.macros.get(n) != m}
                                     | {n for n, t in facts.types.items() if alone.types.get(n) != t})
    return facts, tuple(probed)
