"""What both rule families share (the diff rules of checks/ and the libc
gate's rules of gate/): the finding a rule reports, and the rule itself, a
small class with a stable code, a kebab-case name, a default severity and a
docstring with the sections the catalogue prints."""

from __future__ import annotations

import hashlib
import inspect
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, Literal, TypeVar

from .diagnostics import Location

Severity = Literal["note", "warning", "error"]
SEVERITY_RANK: dict[str, int] = {"note": 0, "warning": 1, "error": 2}
SECTIONS = ("What it detects", "Who breaks", "Example", "Fix")
Note = tuple[Location, str]


@dataclass(frozen=True)
class Concern:
    """The macro or type (struct, union, enum, typedef) a finding is about,
    by name, for reports that show its definitions."""

    kind: Literal["macro", "type"]
    name: str


@dataclass(frozen=True)
class Finding:
    code: str
    name: str
    severity: Severity
    header: str
    subject: str  # the macro, type or member it is about: the key across arches
    location: Location
    message: str
    notes: tuple[Note, ...] = ()
    arches: tuple[str, ...] = ()  # every arch it holds on
    shown: tuple[str, ...] = ()  # the arches of the message, where other arches differ (see notes)
    about: Concern | None = None  # None: a whole header, or a rule that does not say

    @property
    def fingerprint(self) -> str:
        """Stable across line moves and arch sets: rule, header and subject."""
        return fingerprint(self.code, self.header, self.subject)


def fingerprint(code: str, header: str, subject: str) -> str:
    return hashlib.sha256(f"{code}|{header}|{subject}".encode()).hexdigest()[:16]


Ctx = TypeVar("Ctx", contravariant=True)


class Rule(Generic[Ctx]):
    """One rule: check() reads one context (an arch's changes, a gate's
    translation unit) and yields findings."""

    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity]

    def check(self, ctx: Ctx) -> Iterator[Finding]:
        raise NotImplementedError

    def finding(self, header: str, subject: str, where: Location, message: str, *notes: Note,
                severity: Severity | None = None) -> Finding:
        return Finding(self.code, self.name, severity or self.severity, header, subject, where, message,
                       tuple(notes))

    @classmethod
    def doc(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def summary(cls) -> str:
        """The first sentence of "What it detects"."""
        text = " ".join(cls.doc().split("\n\n")[0].split("\n")[1:])
        return text.split(". ")[0].rstrip(".") + "."


AnyRule = type[Rule[Any]]
