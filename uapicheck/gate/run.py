"""One run of the gate, as `uapicheck libc-gate` and `baseline record-gate`
make it: the pairs (discovered and listed), the rules on both orders of
each, the configuration, the known conflicts and a baseline applied, and
the report for one mode."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from .. import baseline, libc
from ..arches import ARCHES
from ..config import Config
from ..libc import Libc
from ..report import Report
from ..rulebase import SEVERITY_RANK, AnyRule, Finding
from .context import MODES, ORDERS, Pair
from .discover import plan
from .driver import Gate, GateError, Verdict, check, errors, load_pairs, shown
from ..known import Matrix, kernel_version, load as load_known
from .rules import GATE_RULES


@dataclass
class Options:
    libc_root: str
    kernel_root: str
    arches: list[str]
    pairs_path: str | None = None
    only: list[str] = field(default_factory=list)
    mode: str = "include"
    known: bool = True
    baseline_path: str | None = None


@dataclass
class Run:
    """What a run found and what it did with it."""

    libc: Libc
    kernel: str | None
    verdicts: list[Verdict] = field(default_factory=list)
    found: int = 0
    listed: int = 0
    checked: int = 0  # of found and listed, those --only left
    missing: list[Pair] = field(default_factory=list)  # listed pairs whose headers a tree lacks, per arch
    findings: list[Finding] = field(default_factory=list)  # what is left to report, in the run's mode
    shown: list[Finding] = field(default_factory=list)  # the same, each conflict once
    known_version: str | None = None
    known: int = 0
    in_baseline: int = 0
    suppressed: int = 0
    stale: list[baseline.Entry] = field(default_factory=list)


def run(opts: Options, config: Config) -> Run:
    """The gate over every arch, its findings filtered as the options say."""
    matrix = load_known()
    lib = libc.recognise(opts.libc_root)
    out = Run(lib, kernel_version(opts.kernel_root))
    listed = load_pairs(opts.pairs_path)
    rules = config.rules(GATE_RULES)
    for arch in opts.arches:
        gate = Gate(opts.libc_root, opts.kernel_root, ARCHES[arch])
        p = plan(gate, listed)
        pairs = [x for x in p.pairs if not opts.only or any(x.matches(_name(gate, o)) for o in opts.only)]
        if opts.only and not pairs:
            raise GateError(f"--only: no pair has a header {', '.join(opts.only)} ({_count(len(p.pairs), 'pair')} "
                            f"on {arch}: give a header as <fcntl.h>, fcntl.h, linux/fcntl.h or a path)")
        out.found, out.listed, out.missing = out.found + p.found, out.listed + p.listed, out.missing + p.missing
        out.checked += len(pairs)
        done = [v for _, v in check(gate, pairs, rules)]
        for v in done:
            v.findings, n = config.apply(v.findings)
            out.suppressed += n
        out.verdicts += with_order_fixes(done, opts.mode)
    findings = [f for v in out.verdicts for f in shown(v.findings, opts.mode)]
    if opts.known and lib.name:
        out.known_version, fingerprints = matrix.set_for(lib)
        kept = [f for f in findings if f.fingerprint not in fingerprints]
        out.known, findings = len(findings) - len(kept), kept
    if opts.baseline_path:
        findings, out.in_baseline, out.stale = baseline.apply(findings, baseline.load(opts.baseline_path))
    ordered = sorted((with_history(matrix, lib, f) for f in merge_arches(findings)),
                     key=lambda f: (f.header, f.subject, f.location.file, f.location.line, f.code))
    out.findings, out.shown = ordered, once(ordered)
    return out


def once(findings: list[Finding]) -> list[Finding]:
    """One finding per conflict: the same line found through several pairs
    (bits/endian.h's __LITTLE_ENDIAN reaches <ctype.h>, <endian.h>, ...)
    is reported with the first pair, and names the others."""
    first: dict[tuple[object, ...], list[Finding]] = {}
    for f in findings:
        order = "kernel-first" if " kernel-first " in f.subject else "libc-first"
        key = (f.code, f.location, order, f.subject.split(f" {order} ", 1)[-1], f.arches)
        first.setdefault(key, []).append(f)
    out = []
    for same in first.values():
        f, others = same[0], same[1:]
        if others:
            names = sorted({f"<{g.header}> with <{g.subject.split(' ')[0]}>" for g in others})
            more = f" and {len(names) - 3} more" if len(names) > 3 else ""
            f = replace(f, notes=(*f.notes, (f.location, f"the same with {', '.join(names[:3])}{more}")))
        out.append(f)
    return out


def _name(gate: Gate, given: str) -> str:
    """--only takes a path too: the name it is included by."""
    path = os.path.abspath(given)
    holding = [d for d in gate.dirs if path.startswith(os.path.join(os.path.abspath(d), ""))]
    return os.path.relpath(path, max(holding, key=len)) if holding else given


def with_order_fixes(verdicts: list[Verdict], mode: str) -> list[Verdict]:
    """Where one order of a pair compiles and the other does not, the
    failing order's errors say which order works."""
    by_pair = {(v.arch, v.pair, v.order): v for v in verdicts}
    for v in verdicts:
        other = by_pair.get((v.arch, v.pair, ORDERS[1 - ORDERS.index(v.order)]))
        if other is None or v.mode(mode) == "clean" or other.mode(mode) != "clean":
            continue
        note = f"fix: or include {v.pair.first(other.order)} first: that order compiles"
        v.findings = [replace(f, notes=(*f.notes, (f.location, note)))
                      if f.severity == "error" else f for f in v.findings]
    return verdicts


def merge_arches(findings: list[Finding]) -> list[Finding]:
    """One finding per fingerprint and message, with every arch it holds on."""
    merged: dict[tuple[str, str], Finding] = {}
    for f in findings:
        key = (f.fingerprint, f.message)
        seen = merged.get(key)
        merged[key] = f if seen is None else replace(seen, arches=(*seen.arches, *f.arches))
    return list(merged.values())


def with_history(matrix: Matrix, lib: Libc, f: Finding) -> Finding:
    history = matrix.history(lib, f)
    return replace(f, notes=(*f.notes, (f.location, history))) if history else f


def failing(r: Run, fail_on: str) -> int:
    if fail_on == "never":
        return 0
    return 1 if any(SEVERITY_RANK[f.severity] >= SEVERITY_RANK[fail_on] for f in r.findings) else 0


def report(r: Run, opts: Options, rules: Sequence[AnyRule]) -> Report:
    failed = [v for v in r.verdicts if v.mode(opts.mode) != "clean"]
    new = {(f.header, f.subject) for f in r.findings}
    lines = [v.line() for v in failed if any((g.header, g.subject) in new for g in v.findings)]
    lines.append(summary(r, opts))
    lines += [f"{opts.baseline_path}: note: stale baseline entry: {e.code} '{e.subject}' in {e.header} is no longer "
              "found; remove it" for e in r.stale]
    return Report(r.shown, opts.arches, sorted(rules, key=lambda x: x.code), r.suppressed, trailer=lines, summary=False,
                  extra={"gate": facts(r, opts), "verdicts": [verdict_json(v) for v in r.verdicts]})


def summary(r: Run, opts: Options) -> str:
    failed = sum(1 for v in r.verdicts if v.mode(opts.mode) != "clean")
    counts = [_count(sum(1 for f in r.shown if f.severity == s), s) for s in ("error", "warning", "note")]
    known = (f"{r.known} known for {r.libc.name} {r.known_version}" if r.known_version else
             "no known-conflict set" if opts.known else "known conflicts shown (--no-known)")
    kernel = f"Linux {r.kernel}" if r.kernel else "kernel headers of unknown version"
    skipped = f", {len(r.missing)} listed skipped: headers absent" if r.missing else ""
    return (f"libc-gate: {r.libc.label()} with {kernel} on {', '.join(opts.arches)}, {opts.mode} mode: "
            f"{_count(r.found + r.listed, 'pair')} ({r.found} found, {r.listed} listed{skipped}), {r.checked} "
            f"checked, {_count(len(r.verdicts), 'translation unit')}, {len(r.verdicts) - failed} compile, {failed} "
            f"fail; {', '.join(counts)} ({known}, {r.in_baseline} in baseline, {r.suppressed} suppressed)")


def _count(n: int, what: str) -> str:
    return f"{n} {what}{'s' if n != 1 else ''}"


def facts(r: Run, opts: Options) -> dict[str, object]:
    return {"libc": {"name": r.libc.name or None, "version": r.libc.version}, "kernel": r.kernel,
            "mode": opts.mode, "pairs_found": r.found, "pairs_listed": r.listed, "pairs_checked": r.checked,
            "pairs_skipped": [p.label() for p in r.missing], "translation_units": len(r.verdicts),
            "failing": sum(1 for v in r.verdicts if v.mode(opts.mode) != "clean"),
            "known_set": r.known_version, "known": r.known, "baseline": r.in_baseline,
            "stale_baseline": [e.__dict__ for e in r.stale]}


def verdict_json(v: Verdict) -> dict[str, object]:
    modes = {mode: errors(v.findings, mode) for mode in MODES}
    return {"arch": v.arch, "libc": v.pair.libc, "kernel": list(v.pair.kernel), "order": v.order,
            "found": v.pair.found, "shared": list(v.pair.shared),
            **{mode: {"compiles": not counts, "errors": counts} for mode, counts in modes.items()}}
