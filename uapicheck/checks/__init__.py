"""The rules stage: every change the compare stage found, classified by
who it breaks, with the fix.

A rule is one module with one class: a stable code, a kebab-case name, a
default severity, a docstring with the sections the catalogue prints, and a
``check`` that reads one arch's changes and yields findings. Rules run in
registry order; a rule that explains a change (an extension, a reserved
field put to use) claims it, and later rules skip claimed changes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import ClassVar

from ..compare import Change, ChangeKind, compare
from ..diagnostics import Location
from ..facts import HeaderFacts, MacroFact, MemberFact, TypeFact
from ..rulebase import SEVERITY_RANK, Concern, Finding, Note, Rule, Severity
from ..snapshot import Snapshot
from .data import RuleData
from .names import Names, defined

K = ChangeKind
ANONYMOUS = re.compile(r"enum <anonymous at [^>]*>")


@dataclass
class ArchContext:
    """One arch's view: both sides' header facts, the changes between them,
    the shipped rule data, and the other arches of the run."""

    arch: str
    old: dict[str, HeaderFacts]
    new: dict[str, HeaderFacts]
    changes: list[Change]
    data: RuleData
    siblings: dict[str, ArchContext] = field(default_factory=dict)
    claimed: set[int] = field(default_factory=set)
    _macros: dict[str, dict[str, tuple[str, MacroFact]]] = field(default_factory=dict)
    _names: dict[str, Names] = field(default_factory=dict)

    def pending(self, *kinds: ChangeKind) -> list[Change]:
        """The unclaimed changes of kinds, in the order of changes."""
        found = [item for k in dict.fromkeys(kinds) for item in self._by_kind.get(k, ())]
        if len(kinds) > 1:
            found.sort(key=lambda item: item[0])
        return [c for _, c in found if id(c) not in self.claimed]

    def of_type(self, header: str, name: str) -> list[Change]:
        """The unclaimed changes to one type (its members included)."""
        return [c for c in self._by_type.get((header, name), ()) if id(c) not in self.claimed]

    # rules ask for changes by kind 2,000 times a diff, and a release has 30,000 changes
    @cached_property
    def _by_kind(self) -> dict[ChangeKind, list[tuple[int, Change]]]:
        out: dict[ChangeKind, list[tuple[int, Change]]] = {}
        for i, c in enumerate(self.changes):
            out.setdefault(c.kind, []).append((i, c))
        return out

    @cached_property
    def _by_type(self) -> dict[tuple[str, str], list[Change]]:
        out: dict[tuple[str, str], list[Change]] = {}
        for c in self.changes:
            out.setdefault((c.header, c.name), []).append(c)
        return out

    def claim(self, *changes: Change) -> None:
        self.claimed.update(id(c) for c in changes)

    def side(self, side: str) -> dict[str, HeaderFacts]:
        return self.old if side == "old" else self.new

    def macros(self, side: str) -> dict[str, tuple[str, MacroFact]]:
        """Every macro of one side ("old" or "new") by name, with its header;
        the first header in name order wins where several define it."""
        if side not in self._macros:
            table: dict[str, tuple[str, MacroFact]] = {}
            for h, facts in sorted(self.side(side).items()):
                for n, m in facts.macros.items():
                    table.setdefault(n, (h, m))
            self._macros[side] = table
        return self._macros[side]

    def names(self, side: str) -> Names:
        """The identifiers one side's headers and the compiler define."""
        if side not in self._names:
            self._names[side] = defined(self.side(side).values(), self.arch)
        return self._names[side]

    def macro_pair(self, c: Change) -> tuple[MacroFact | None, MacroFact | None]:
        """The old and the new definition of the macro a change is about, in its header."""
        old, new = self.old.get(c.header), self.new.get(c.header)
        return (old.macros.get(c.name) if old else None), (new.macros.get(c.name) if new else None)

    def both_macros(self, c: Change) -> tuple[MacroFact, MacroFact]:
        """The old and the new definition of the macro a change to it is about."""
        a, b = self.macro_pair(c)
        assert a is not None and b is not None, f"{c.kind.value} of {c.name} in {c.header} without both sides"
        return a, b

    def types_of(self, c: Change) -> tuple[TypeFact | None, TypeFact | None]:
        """The old and the new layout of the type a change is about."""
        old, new = self.old.get(c.header), self.new.get(c.header)
        return (old.types.get(c.name) if old else None), (new.types.get(c.name) if new else None)

    def both_types(self, c: Change) -> tuple[TypeFact, TypeFact]:
        """The old and the new layout of the type a change to it is about."""
        a, b = self.types_of(c)
        assert a is not None and b is not None, f"{c.kind.value} of {c.name} in {c.header} without both sides"
        return a, b

    def members_of(self, c: Change) -> tuple[MemberFact, MemberFact]:
        """The old and the new layout of the member a change is about."""
        a, b = self.both_types(c)
        return a.named_members[c.member], b.named_members[c.member]

    def type(self, side: str, name: str) -> TypeFact | None:
        for facts in self.side(side).values():
            if name in facts.types:
                return facts.types[name]
        return None


def per_type(changes: Iterable[Change], *kinds: ChangeKind) -> Iterator[Change]:
    """The first change of each type (header, name) among changes of kinds."""
    seen: set[tuple[str, str]] = set()
    for c in changes:
        if c.kind in kinds and (c.header, c.name) not in seen:
            seen.add((c.header, c.name))
            yield c


class DiffRule(Rule[ArchContext]):
    """A rule on the changes of one arch."""

    def at(self, c: Change, message: str, *notes: str, old_note: str = "the old definition was here",
           severity: Severity | None = None, subject: str | None = None) -> Finding:
        """A finding at a change's place, with a note at the old side's place
        and further notes at the finding's own place."""
        here = Location(c.path or c.header, c.line, c.col)
        located: list[Note] = []
        if old_note and c.old_path and c.old_line:
            revision = f" (in {c.old_revision})" if c.old_revision else ""
            located.append((Location(c.old_path, c.old_line, c.old_col), old_note + revision))
        located += [(here, n) for n in notes]
        key = subject if subject is not None else f"{c.name}.{c.member}" if c.member else c.name
        # an anonymous enum's name holds its line: the subject must survive line moves
        key = ANONYMOUS.sub("enum <anonymous>", key)
        about = (None if c.kind in (K.HEADER_ADDED, K.HEADER_REMOVED)
                 else Concern("macro" if c.kind.value.startswith("macro-") else "type", c.name))
        return Finding(self.code, self.name, severity or self.severity, c.header, key, here, message,
                       tuple(located), about=about)


class ChangeRule(DiffRule):
    """A rule that reports each change of its kinds as the compare stage
    worded it, with who breaks and the fix. Templates take {c}, the Change."""

    kinds: ClassVar[tuple[ChangeKind, ...]]
    message: ClassVar[str] = "{c.message}"
    who: ClassVar[str] = ""
    fix: ClassVar[str] = ""
    old_note: ClassVar[str] = "the old definition was here"

    def check(self, ctx: ArchContext) -> Iterator[Finding]:
        for c in ctx.pending(*self.kinds):
            notes = [f"{label}: {text.format(c=c)}" for label, text in (("who breaks", self.who), ("fix", self.fix))
                     if text]
            yield self.at(c, self.message.format(c=c), *notes, old_note=self.old_note)


def prelude_note(ctx: ArchContext, f: Finding) -> str | None:
    """What the facts a finding is about were read after, where uapicheck
    read their header as a program includes it (program.py) and they would
    read otherwise alone."""
    header = f.header
    facts = next((x for x in (ctx.new.get(header), ctx.old.get(header))
                  if x is not None and f.about is not None and f.about.name in x.needs_prelude), None)
    if facts is None:
        return None
    from ..program import PROGRAM_HEADERS  # the analysing modules, which most runs do not load
    libc = [f"<{h}>" for h in facts.prelude if h in PROGRAM_HEADERS]
    includer = [f"<{h}>" for h in facts.prelude if h not in PROGRAM_HEADERS]
    how = []
    if libc:
        how.append(f"after {', '.join(libc)} from {facts.libc}")
    if includer:
        how.append(f"inside {includer[-1]}, the header that includes it")
    return (f"{header} does not compile or evaluate by itself; it was read {' and '.join(how)}, as a program "
            "that uses it does")


def check(old: Snapshot, new: Snapshot, rules: Iterable[type[DiffRule]], data: RuleData) -> list[Finding]:
    """The findings of rules on what changed from old to new, on the arches
    both snapshots have."""
    per_arch = compare(old, new)
    return run([ArchContext(a, old.arches[a], new.arches[a], changes, data) for a, changes in per_arch.items()],
               rules)


def run(contexts: Iterable[ArchContext], rules: Iterable[type[DiffRule]]) -> list[Finding]:
    """Per-arch findings of every rule, merged across arches: one finding per
    (rule, header, subject), with the arches it happens on. Where the
    message differs between arches, the first is kept and each other one
    becomes a note naming its arches."""
    ctxs = list(contexts)
    for c in ctxs:
        c.siblings = {x.arch: x for x in ctxs}
    instances = [r() for r in rules]
    found: dict[tuple[str, str, str], list[tuple[str, Finding]]] = {}
    for ctx in ctxs:
        for rule in instances:
            for f in rule.check(ctx):
                found.setdefault((f.code, f.header, f.subject), []).append((ctx.arch, f))
    by_arch = {c.arch: c for c in ctxs}
    out: list[Finding] = []
    for items in found.values():
        first = items[0][1]
        variants: dict[str, list[str]] = {}
        for arch, f in items:
            variants.setdefault(f.message, []).append(arch)
        notes = list(first.notes)
        read_after = prelude_note(by_arch[items[0][0]], first)
        if read_after:
            notes.append((first.location, read_after))
        arches = tuple(dict.fromkeys(a for a, _ in items))
        shown: tuple[str, ...] = ()
        if len(variants) > 1:
            shown = tuple(variants[first.message])
            notes += [(first.location, f"on {', '.join(a)}: {m}") for m, a in variants.items()
                      if m != first.message]
        worst = max((f.severity for _, f in items), key=SEVERITY_RANK.__getitem__)
        out.append(Finding(first.code, first.name, worst, first.header, first.subject, first.location,
                           first.message, tuple(notes), arches, shown, first.about))
    out.sort(key=lambda f: (f.location.file, f.location.line, f.code, f.subject))
    return out
