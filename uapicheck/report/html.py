"""Findings as one self-contained HTML page: the run's summary, findings
grouped by header and by the macro or type they are about, filters in a
little inline script, and every struct or union drawn old beside new per
group of arches (drawing.py computes the pictures, templates/ holds the
markup, CSS and script).

Header text is untrusted: names, macro bodies and messages reach the page
only through Jinja2's autoescaping, which is on for every template.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Generic, TypeVar

import jinja2

from .. import __version__
from ..arches import ARCHES
from ..diagnostics import Location
from ..facts import HeaderFacts, MacroFact, TypeFact
from ..rulebase import SEVERITY_RANK, Finding
from ..snapshot import Snapshot
from . import drawing
from .text import counts, where

if TYPE_CHECKING:
    from . import Report

Fact = TypeVar("Fact", TypeFact, MacroFact)


@dataclass
class Group(Generic[Fact]):
    """Arches on which a type or macro is the same on each side."""

    arches: list[str]
    old: Fact | None
    new: Fact | None


Pictures = list[tuple[list[str], drawing.Picture | None, drawing.Picture | None]]  # arches, old, new


@dataclass
class MacroView:
    signature: str
    tokens: list[drawing.Token]
    values: list[str]


MacroViews = list[tuple[list[str], MacroView | None, MacroView | None]]  # arches, old, new


@dataclass
class Block:
    """The findings about one macro or type of a header (or one subject
    when a rule does not say), and what the page shows of its definitions."""

    title: str
    kind: str  # "type", "macro" or "" (a whole header, or a rule that does not say)
    findings: list[Finding]
    layouts: Pictures = field(default_factory=list)
    macros: MacroViews = field(default_factory=list)

    @property
    def severity(self) -> str:
        return max((f.severity for f in self.findings), key=SEVERITY_RANK.__getitem__)


@dataclass
class Section:
    header: str
    blocks: list[Block]

    @property
    def counts(self) -> Counter[str]:
        return counts([f for b in self.blocks for f in b.findings])


def groups(arches: list[str], old: Snapshot, new: Snapshot, header: str,
           pick: Callable[[HeaderFacts], Fact | None], same: Callable[[Fact], object]) -> list[Group[Fact]]:
    """Per arch the old and new fact that pick finds in header, arches whose
    facts are the same (by same) on both sides in one group, in arch order."""
    out: dict[object, Group[Fact]] = {}
    for arch in arches:
        a, b = (pick(s.arches[arch][header]) if header in s.arches.get(arch, {}) else None for s in (old, new))
        if a is None and b is None:
            continue
        key = (same(a) if a is not None else None, same(b) if b is not None else None)
        out.setdefault(key, Group([], a, b)).arches.append(arch)
    return list(out.values())


def layout_key(t: TypeFact) -> object:
    return (t.kind, t.size, t.align, t.packed, t.members)


def macro_key(m: MacroFact) -> object:
    return (m.params, m.replacement, m.value, m.ctype, m.value_error, m.if_ok, m.if_value, m.if_error,
            tuple(m.undefined))


def drawable(t: TypeFact | None) -> bool:
    """A struct or union, or a typedef of an anonymous one."""
    return t is not None and bool(t.record or t.members)


def pictures(found: list[Group[TypeFact]]) -> Pictures:
    """Each group drawn old beside new, on one scale."""
    records = [g for g in found if drawable(g.old) or drawable(g.new)]
    row = drawing.per_row(t.size for g in records for t in (g.old, g.new) if t is not None)
    out: Pictures = []
    for g in records:
        arch = ARCHES[g.arches[0]]  # the group's facts are the same on each of its arches
        old, new = (drawing.picture(t, other, side, arch, row) if t is not None and drawable(t) else None
                    for t, other, side in ((g.old, g.new, "old"), (g.new, g.old, "new")))
        out.append((g.arches, old, new))
    return out


def macro_view(m: MacroFact | None, other: MacroFact | None) -> MacroView | None:
    return MacroView(m.signature, drawing.tokens(m, other), drawing.values(m)) if m is not None else None


def macro_views(found: list[Group[MacroFact]]) -> MacroViews:
    return [(g.arches, macro_view(g.old, g.new), macro_view(g.new, g.old)) for g in found]


def sections(report: Report) -> list[Section]:
    """Findings by header, the headers with errors first, then those with
    warnings, each in name order; in a header, by what they are about, in
    the order of their first finding."""
    by_header: dict[str, dict[tuple[str, str], Block]] = {}
    for f in report.findings:
        key = (f.about.kind, f.about.name) if f.about else ("", f.subject)
        block = by_header.setdefault(f.header, {}).setdefault(key, Block(key[1], key[0], []))
        block.findings.append(f)
    out = []
    for header in sorted(by_header):
        blocks = list(by_header[header].values())
        if report.compared:
            old, new = report.compared.old, report.compared.new
            for b in blocks:
                name = b.title
                if b.kind == "type":
                    b.layouts = pictures(groups(report.arches, old, new, header, lambda h: h.types.get(name),
                                                layout_key))
                elif b.kind == "macro":
                    b.macros = macro_views(groups(report.arches, old, new, header, lambda h: h.macros.get(name),
                                                  macro_key))
        out.append(Section(header, blocks))
    return sorted(out, key=lambda s: (-max(SEVERITY_RANK[b.severity] for b in s.blocks), s.header))


def shorten(report: Report) -> Callable[[Location], str]:
    """A location as the page shows it: under either side's root, as
    old/... or new/... (the full path is in the tooltip)."""
    roots = [(s.source.rstrip("/") + "/", label) for s, label in
             ((report.compared.old, "old"), (report.compared.new, "new"))] if report.compared else []

    def show(loc: Location) -> str:
        text = str(loc)
        for root, label in roots:
            if text.startswith(root):
                return f"{label}/{text[len(root):]}"
        return text
    return show


ENV = jinja2.Environment(loader=jinja2.PackageLoader("uapicheck.report", "templates"),
                         autoescape=True, trim_blocks=True, lstrip_blocks=True,
                         undefined=jinja2.StrictUndefined)


def write(report: Report, out: IO[str]) -> None:
    rules = Counter((f.code, f.name) for f in report.findings)
    worst = {code: max((f.severity for f in report.findings if f.code == code), key=SEVERITY_RANK.__getitem__)
             for code, _ in rules}
    out.write(ENV.get_template("report.html.j2").render(
        report=report, version=__version__, counts=counts(report.findings), sections=sections(report),
        rules=sorted(rules.items()), worst=worst, where=lambda f: where(f, report.arches), show=shorten(report),
        headers=len({f.header for f in report.findings}), drawing=drawing))


def write_layout(name: str, source: str, found: dict[str, TypeFact], out: IO[str]) -> None:
    """The page of `uapicheck layout --format html`: name drawn per arch,
    arches where it is laid out the same in one row."""
    merged: dict[object, Group[TypeFact]] = {}
    for arch, t in found.items():
        merged.setdefault(layout_key(t), Group([], None, t)).arches.append(arch)
    out.write(ENV.get_template("layout.html.j2").render(
        name=name, source=source, version=__version__, layouts=pictures(list(merged.values())),
        found=found, drawing=drawing))
