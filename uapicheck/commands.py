"""What each command does, once its arguments are parsed (cli.py declares
them): read the sides, run the stages, write the report, and return the
exit status. Errors a user can cause are raised as UapicheckError and
reported by the command line."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field

from . import baseline, jsonfile
from .arches import ARCHES, DEFAULT_ARCHES
from .catalogue import ALL, BY_CODE, BY_NAME
from .checks import check
from .checks.registry import RULES
from .compare import compare
from .config import Config, apply as apply_config, load as load_config
from .gate import run as gate_run
from .gate.rules import GATE_RULES
from .gitsource import NotARepository, Plan, Repo, UnknownRevision, revisions, staged
from .report import Report, emit, publish
from .report import catalogue, changes as change_list, layout as layout_report
from .rulebase import SEVERITY_RANK, Finding
from .snapshot import Progress, Snapshot, build, load, write
from .sources import SourceError, arches_of, open_source


class Meter:
    """headers done of total, on a terminal only."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty()

    def __call__(self, done: int, total: int, what: str) -> None:
        if self.enabled:
            sys.stderr.write(f"\r\033[K[{done}/{total}] {what}"[:120])
            if done == total:
                sys.stderr.write("\r\033[K")
            sys.stderr.flush()


def say(message: str) -> None:
    print(f"uapicheck: {message}", file=sys.stderr)


@dataclass
class Engine:
    """How headers are analysed: cache folder (None: no cache), processes."""

    cache: str | None
    jobs: int


@dataclass
class Sides:
    """The two sides of a comparison as the command line names them: trees
    or snapshot files, or revisions of a git tree."""

    old: str | None
    new: str | None
    repo: str | None = None
    staged: bool = False
    headers: list[str] = field(default_factory=list)
    quiet: bool = False


@dataclass
class Rules:
    """Which rules run and what fails, before the configuration file says more."""

    config_path: str | None = None
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    fail_on: str | None = None

    def config(self) -> Config:
        config = load_config(self.config_path)
        overrides: dict[str, object] = {}
        if self.select:
            overrides["select"] = [x for v in self.select for x in v.split(",")]
        if self.ignore:
            overrides["ignore"] = [x for v in self.ignore for x in v.split(",")]
        if self.fail_on:
            overrides["fail-on"] = self.fail_on
        apply_config(config, overrides, "command line", None)
        return config


def failing(findings: list[Finding], fail_on: str) -> int:
    if fail_on == "never":
        return 0
    floor = SEVERITY_RANK[fail_on]
    return 1 if any(SEVERITY_RANK[f.severity] >= floor for f in findings) else 0


# ---------------------------------------------------------------- sides

def _snapshot_of(path: str, arches: list[str], headers: list[str], meter: Progress, engine: Engine) -> Snapshot:
    if os.path.isfile(path):
        snap = load(path)
        missing = [a for a in arches if a not in snap.arches]
        if missing:
            raise SourceError(f"{path}: snapshot has no {', '.join(missing)} (it has {', '.join(snap.arches)})")
        return Snapshot(snap.source, {a: snap.arches[a] for a in arches})
    if not os.path.exists(path):
        raise SourceError(f"{path}: no such file or directory")
    return build(open_source(path), arches, headers or None, meter, cache_dir=engine.cache, jobs=engine.jobs)


def _git(sides: Sides, arches: list[str], meter: Progress, engine: Engine) -> tuple[Snapshot, Snapshot, list[str]]:
    repo = Repo(sides.repo or ".")
    try:
        plan = revisions(repo, sides.old, sides.new, sides.staged, arches)
        if not sides.quiet:
            if plan.skipped:
                say(f"skipping {', '.join(plan.skipped)}: not in both trees")
            picked = sum(len(v) for v in plan.headers.values())
            say(f"{picked} of {plan.total} headers changed or include a changed file "
                f"({plan.old.root} -> {plan.new.root}, {', '.join(plan.arches)})")
        return (*_build_plan(plan, sides.headers, meter, engine), plan.arches)
    finally:
        repo.close()


def _build_plan(plan: Plan, headers: list[str], meter: Progress, engine: Engine) -> tuple[Snapshot, Snapshot]:
    a = build(plan.old, arches_of(plan.old, plan.arches), headers or None, meter, plan.headers, engine.cache,
              engine.jobs)
    b = build(plan.new, plan.arches, headers or None, meter, plan.headers, engine.cache, engine.jobs)
    for name in plan.arches:
        a.arches.setdefault(name, {})  # an arch the old tree did not have yet: everything is new
    return a, b


def read_sides(sides: Sides, arches: list[str], engine: Engine) -> tuple[Snapshot, Snapshot, list[str]]:
    """Both sides' snapshots, and the arches they cover."""
    meter = Meter(not sides.quiet)
    old, new = sides.old, sides.new
    exists = os.path.exists
    if sides.repo is not None or old is None or not exists(old) or (new is not None and not exists(new)):
        try:
            return _git(sides, arches, meter, engine)
        except (NotARepository, UnknownRevision):
            missing = [x for x in (old, new) if x is not None and not exists(x)]
            if sides.repo is None and missing:
                raise SourceError(f"{missing[0]}: no such file or directory, and not a git revision here") from None
            raise
    if new is None:
        raise SourceError("NEW is missing (give two trees or snapshots, or run in a git tree)")
    return (_snapshot_of(old, arches, sides.headers, meter, engine),
            _snapshot_of(new, arches, sides.headers, meter, engine), arches)


@dataclass
class Outcome:
    findings: list[Finding]
    suppressed: int
    stale: list[baseline.Entry]
    arches: list[str]
    config: Config
    new: Snapshot


def judge(config: Config, a: Snapshot, b: Snapshot, arches: list[str], entries: list[baseline.Entry]) -> Outcome:
    """The rules on what changed from a to b, the configuration and the baseline applied."""
    findings, suppressed = config.apply(check(a, b, config.rules(RULES), config.data))
    findings, accepted, stale = baseline.apply(findings, entries)
    return Outcome(findings, suppressed + accepted, stale, arches, config, b)


def outcome(sides: Sides, arch: list[str], rules: Rules, engine: Engine, baseline_path: str | None = None) -> Outcome:
    config = rules.config()
    entries = baseline.load(baseline_path) if baseline_path else []
    a, b, arches = read_sides(sides, arch or config.arches or list(DEFAULT_ARCHES), engine)
    return judge(config, a, b, arches, entries)


def report_of(o: Outcome, baseline_path: str | None) -> Report:
    report = Report(o.findings, o.arches, o.config.rules(RULES), o.suppressed)
    if baseline_path:
        report.extra["stale_baseline"] = [e.__dict__ for e in o.stale]
    report.trailer = [f"{baseline_path}: note: stale baseline entry: {e.code} '{e.subject}' in {e.header} is no "
                      "longer found; remove it" for e in o.stale]
    return report


# ---------------------------------------------------------------- commands

def snapshot(source: str, arch: list[str], headers: list[str], output: str | None, quiet: bool,
             engine: Engine) -> int:
    src = open_source(source)
    arches = arch or arches_of(src, list(ARCHES))
    if not arches:
        raise SourceError(f"{source}: no architecture has asm/ headers here")
    snap = build(src, arches, headers or None, Meter(not quiet), cache_dir=engine.cache, jobs=engine.jobs)
    emit(lambda out: write(snap, out), output)
    diags = snap.diagnostics()
    if not quiet:
        for d in diags:
            print(d.render(), file=sys.stderr)
    count = sum(len(h) for h in snap.arches.values())
    errors = sum(1 for d in diags if d.severity == "error")
    if not quiet:
        print(f"{count} headers on {', '.join(arches)}: {errors} errors", file=sys.stderr)
    return 1 if errors else 0


def diff(sides: Sides, arch: list[str], rules: Rules, engine: Engine, fmt: str, output: str | None,
         baseline_path: str | None, changes: bool) -> int:
    if changes:
        config = rules.config()
        a, b, arches = read_sides(sides, arch or config.arches or list(DEFAULT_ARCHES), engine)
        grouped = change_list.group(compare(a, b))
        writer = change_list.write_text if fmt == "text" else change_list.write_json
        emit(lambda out: writer(grouped, arches, out), output)
        return 1 if grouped else 0
    o = outcome(sides, arch, rules, engine, baseline_path)
    publish(report_of(o, baseline_path), fmt, output)
    return failing(o.findings, o.config.fail_on)


def baseline_record(sides: Sides, arch: list[str], rules: Rules, engine: Engine, output: str,
                    snapshot_path: str | None) -> int:
    o = outcome(sides, arch, rules, engine)
    if snapshot_path:
        jsonfile.write_atomic(snapshot_path, lambda f: write(o.new, f))
    baseline.write(output, o.findings, snapshot_path)
    print(f"{output}: {len(o.findings)} findings accepted", file=sys.stderr)
    return 0


def hook(files: list[str], arch: list[str], rules: Rules, engine: Engine, baseline_path: str | None,
         verbose: bool) -> int:
    config = rules.config()
    arches = arch or config.arches or list(DEFAULT_ARCHES)
    entries = baseline.load(baseline_path) if baseline_path and os.path.exists(baseline_path) else []
    repo = Repo(".")
    try:
        plan = staged(repo, files, arches)
        a, b = _build_plan(plan, [], Meter(verbose), engine)
    finally:
        repo.close()
    o = judge(config, a, b, plan.arches, entries)
    o.stale = []  # the hook sees only some headers; diff, which sees all, names stale entries
    if o.findings or verbose:
        publish(report_of(o, baseline_path), "text", None)
    return failing(o.findings, config.fail_on)


def libc_gate(opts: gate_run.Options, rules: Rules, fmt: str, output: str | None) -> int:
    config = rules.config()
    r = gate_run.run(opts, config)
    publish(gate_run.report(r, opts, config.rules(GATE_RULES)), fmt, output)
    return gate_run.failing(r, config.fail_on)


def baseline_record_gate(opts: gate_run.Options, rules: Rules, output: str) -> int:
    r = gate_run.run(opts, rules.config())
    baseline.write(output, r.findings)
    print(f"{output}: {len(r.findings)} findings accepted", file=sys.stderr)
    return 0


def rules(rule: str | None, markdown: bool) -> int:
    if markdown:
        print(catalogue.markdown(ALL), end="")
        return 0
    if rule is None:
        for r in ALL:
            print(f"{r.code}  {r.name:<26} {r.severity:<8} {r.summary()}")
        return 0
    found = BY_CODE.get(rule) or BY_NAME.get(rule)
    if found is None:
        raise SourceError(f"RULE: no rule {rule!r}; `uapicheck rules` lists them")
    print(f"{found.code} {found.name} (default severity: {found.severity})\n")
    print(found.doc())
    return 0


def layout(type_name: str, source: str, arch: list[str], headers: list[str], engine: Engine) -> int:
    arches = arch or ["x86_64"]
    snap = _snapshot_of(source, arches, headers, Meter(True), engine)
    found = False
    for a in arches:
        for name, facts in sorted(snap.arches[a].items()):
            t = facts.types.get(type_name)
            if t is not None:
                found = True
                print(f"/* {name}:{t.line} on {a} */")
                print(layout_report.text(type_name, t, a))
                break
    if not found:
        raise SourceError(f"'{type_name}' is not declared in {source} on {', '.join(arches)}")
    return 0

