"""The report stage: findings written for people and for tools, in one of
the formats of FORMATS (chosen by name, one writer each); plain change
lists; pahole-style layouts and their drawings; the rule catalogue."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import IO

from .. import jsonfile
from ..errors import UapicheckError
from ..rulebase import AnyRule, Finding
from ..snapshot import Snapshot
from . import jsonformat, sarif, text


@dataclass(frozen=True)
class Compared:
    """The two sides a report's findings come from, for formats that show
    the definitions a finding is about (html draws them)."""

    old: Snapshot
    new: Snapshot


@dataclass
class Report:
    """What a run found, as every format writes it."""

    findings: list[Finding]
    arches: list[str]
    rules: Sequence[AnyRule]  # the rules that ran, for SARIF's catalogue
    suppressed: int = 0
    trailer: list[str] = field(default_factory=list)  # text lines after the findings (stale entries, verdicts)
    extra: dict[str, object] = field(default_factory=dict)  # the same facts, as keys of the JSON report
    summary: bool = True  # the text ends with the count line
    show: str = "note"  # the text shows findings of this severity and above
    color: bool = False  # the text in GCC's colours
    compared: Compared | None = None  # None: the findings do not come from two sides (libc-gate)


Writer = Callable[[Report, IO[str]], None]


def _html(report: Report, out: IO[str]) -> None:
    from . import html  # jinja2, which the other formats (and a pre-commit hook) do without

    html.write(report, out)


FORMATS: dict[str, Writer] = {"text": text.write, "json": jsonformat.write, "sarif": sarif.write, "html": _html}


def writable(output: str | None) -> None:
    """Say before any work that output cannot be written: a folder, or a
    folder that is not writable (missing folders are made)."""
    if not output:
        return
    if os.path.isdir(output):
        raise UapicheckError(f"-o {output}: is a directory; give a file name")
    folder = os.path.dirname(os.path.abspath(output))
    while not os.path.exists(folder):
        folder = os.path.dirname(folder)
    if not os.path.isdir(folder) or not os.access(folder, os.W_OK | os.X_OK):
        raise UapicheckError(f"-o {output}: cannot write in {folder}")


def emit(write: Callable[[IO[str]], object], output: str | None) -> None:
    """Write to output (atomically, its folder created, as the umask says)
    or to stdout."""
    if not output:
        write(sys.stdout)
        return
    try:
        jsonfile.write_atomic(output, write)
    except OSError as exc:
        raise UapicheckError(f"-o {output}: {exc.strerror or exc}") from None


def publish(report: Report, fmt: str, output: str | None) -> None:
    emit(lambda out: FORMATS[fmt](report, out), output)
