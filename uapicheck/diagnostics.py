"""The one record every stage uses to say something about a header."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SEVERITIES = ("note", "warning", "error")


@dataclass(frozen=True)
class Location:
    file: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if not self.line:
            return self.file
        return f"{self.file}:{self.line}:{self.col}" if self.col else f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Diagnostic:
    severity: str  # note, warning, error
    location: Location
    message: str
    code: str = ""  # a rule code, or a stage code such as "preprocess"
    notes: tuple[tuple[Location, str], ...] = field(default=())
    arch: str = ""
    # the name whose definition the error lacks ('size_t', 'struct timespec'):
    # what a C library included first may supply; not kept in snapshots
    lacks: str = field(default="", compare=False)

    def render(self) -> str:
        tag = f" [{self.code}]" if self.code else ""
        arch = f" (on {self.arch})" if self.arch else ""
        lines = [f"{self.location}: {self.severity}: {self.message}{arch}{tag}"]
        lines += [f"{loc}: note: {text}" for loc, text in self.notes]
        return "\n".join(lines)

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Diagnostic:
        notes = tuple((Location(n["file"], n["line"], n["column"]), n["message"]) for n in d.get("notes", []))
        return cls(d["severity"], Location(d["file"], d["line"], d["column"]), d["message"], d.get("code", ""),
                   notes, d.get("arch", ""))

    def to_json(self) -> dict[str, object]:
        return {
            "severity": self.severity,
            "file": self.location.file,
            "line": self.location.line,
            "column": self.location.col,
            "message": self.message,
            "code": self.code,
            "arch": self.arch,
            "notes": [
                {"file": loc.file, "line": loc.line, "column": loc.col, "message": text}
                for loc, text in self.notes
            ],
        }
