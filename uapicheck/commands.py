"""What each command does, once its arguments are parsed (cli.py declares
them): read the sides, run the stages, write the report, and return the
exit status. Errors a user can cause are raised as UapicheckError and
reported by the command line."""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

import click

from . import baseline
from .arches import ARCHES, DEFAULT_ARCHES, Defines
from .catalogue import ALL, matching
from .checks import check
from .checks.data import RuleData
from .cache import Marks
from .checks.reach import question, reach
from .checks.registry import RULES
from .collector import quiet
from .compare import compare
from .config import DEFAULTS, Config, apply as apply_config, load as load_config
from .errors import UapicheckError
from .facts import TypeFact
from .gitsource import NotARepository, Plan, Repo, UnknownRevision, revisions, staged
from .report import Compared, Report, emit, publish, writable
from .report import catalogue, changes as change_list, layout as layout_report
from .rulebase import SEVERITY_RANK, Finding
from .snapshot import Progress, Snapshot, build, build_both, build_written, load, write
from .sources import InstalledTree, Libc, Source, SourceError, arches_of, open_source

if TYPE_CHECKING:
    from .gate.run import Options as GateOptions


class Meter:
    """A progress bar on stderr, on a terminal only: headers done of total,
    the rate and the time left (click's progress bar)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.bar: Any = None
        self.start = 0.0

    def __call__(self, done: int, total: int, what: str) -> None:
        if not self.enabled:
            return
        if self.bar is None:
            self.start = time.monotonic()
            self.bar = click.progressbar(length=total, file=sys.stderr, show_eta=True, show_pos=True,
                                         item_show_func=self.label, width=24)
            self.bar.__enter__()
        self.bar.update(1, (done, what))
        if done == total:
            self.bar.__exit__(None, None, None)
            self.bar = None

    def label(self, item: tuple[int, str] | None) -> str:
        if item is None:
            return ""
        done, what = item
        rate = done / max(time.monotonic() - self.start, 1e-6)
        return f"{rate:5.0f} headers/s  {what}"[:60]


def say(message: str) -> None:
    print(f"uapicheck: {message}", file=sys.stderr)


@dataclass
class Engine:
    """How headers are analysed: cache folder (None: no cache), processes,
    the -D/-U every arch gets, and the C library programs include."""

    cache: str | None
    jobs: int
    defines: Defines = ()
    libc: Libc = Libc()


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
    explicit: bool = False  # the arches were asked for on the command line


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


def no_match(globs: set[str], where: str) -> None:
    if globs:
        raise UapicheckError(f"--header {', '.join(repr(g) for g in sorted(globs))}: matches no header of {where} "
                             "(give an include name such as 'linux/mount.h', or a glob such as 'linux/*')")


def failing(findings: list[Finding], fail_on: str) -> int:
    if fail_on == "never":
        return 0
    floor = SEVERITY_RANK[fail_on]
    return 1 if any(SEVERITY_RANK[f.severity] >= floor for f in findings) else 0


# ---------------------------------------------------------------- sides

def _side(path: str, libc: Libc) -> Snapshot | Source:
    """A snapshot file, or a header tree."""
    if os.path.isfile(path):
        return load(path)
    if not os.path.exists(path):
        raise SourceError(f"{path}: no such file or directory")
    return open_source(path, libc)


def known_arch(src: Source) -> None:
    """A plain asm/ that no marker file assigns to an arch needs --arch."""
    if isinstance(src, InstalledTree) and src.arches_unknown():
        raise SourceError(f"{src.root}: its asm/ headers say no arch of theirs; give --arch with the one arch they "
                          f"are for ({', '.join(ARCHES)})")


def fit(src: Source, arches: list[str], explicit: bool, quiet: bool) -> list[str]:
    """The arches of a run that src has asm/ headers for. Arches asked for
    on the command line must all be there; of the default ones, those
    missing are left out, with a line that says so."""
    if len(arches) > 1:
        known_arch(src)
    ok = arches_of(src, arches)
    if ok != arches:
        missing = [a for a in arches if a not in ok]
        if explicit or not ok:
            src.include_dirs(ARCHES[missing[0]], list(ARCHES.values()))  # raises, saying why
        if not quiet:
            say(f"{src.root}: no asm/ headers for {', '.join(missing)}; checking {', '.join(ok)}")
    return ok


def _built(side: Snapshot | Source, arches: list[str], headers: list[str], meter: Progress,
           engine: Engine) -> Snapshot:
    if isinstance(side, Snapshot):
        missing = [a for a in arches if a not in side.arches]
        if missing:
            raise SourceError(f"{side.source}: snapshot has no {', '.join(missing)} (it has {', '.join(side.arches)})")
        return Snapshot(side.source, {a: side.arches[a] for a in arches}, defines=side.defines)
    return build(side, arches, headers or None, meter, cache_dir=engine.cache, jobs=engine.jobs,
                 defines=engine.defines)


def _git(sides: Sides, arches: list[str], meter: Progress, engine: Engine,
         data: RuleData) -> tuple[Snapshot, Snapshot, list[str]]:
    repo = Repo(sides.repo or ".", engine.libc)
    try:
        plan = revisions(repo, sides.old, sides.new, sides.staged, arches)
        if not sides.quiet:
            if plan.skipped:
                say(f"skipping {', '.join(plan.skipped)}: not in both trees")
            picked = sum(len(v) for v in plan.headers.values())
            say(f"{picked} of {plan.total} headers changed or include a changed file "
                f"({plan.old.revision} -> {plan.new.revision or 'the working tree'}, {', '.join(plan.arches)})")
        return (*_build_plan(plan, sides.headers, meter, engine, data), plan.arches)
    finally:
        repo.close()


def _build_plan(plan: Plan, headers: list[str], meter: Progress, engine: Engine,
                data: RuleData) -> tuple[Snapshot, Snapshot]:
    """Both sides of a git-mode run: the headers that changed, then the ones
    rules look at across headers (checks/reach.py), so that the findings are
    those a whole-tree run would give."""
    old_arches = arches_of(plan.old, plan.arches)
    a = build(plan.old, old_arches, headers or None, meter, plan.headers, engine.cache, engine.jobs, engine.defines)
    b = build(plan.new, plan.arches, headers or None, meter, plan.headers, engine.cache, engine.jobs, engine.defines)
    marks = Marks(engine.cache, question(data))
    new = reach(plan.new, [ARCHES[name] for name in plan.arches], b.arches, data, marks.known)
    old = reach(plan.old, [ARCHES[name] for name in old_arches], a.arches, data, marks.known)
    marks.save()
    extra = {name: new[name] | old.get(name, set()) for name in plan.arches}
    if any(extra.values()):
        more_a = build(plan.old, old_arches, None, meter, extra, engine.cache, engine.jobs, engine.defines)
        more_b = build(plan.new, plan.arches, None, meter, extra, engine.cache, engine.jobs, engine.defines)
        for snap, more in ((a, more_a), (b, more_b)):
            for name, facts in more.arches.items():
                snap.arches[name] = dict(sorted({**snap.arches[name], **facts}.items()))
    for name in plan.arches:
        a.arches.setdefault(name, {})  # an arch the old tree did not have yet: everything is new
    return a, b


def read_sides(sides: Sides, arches: list[str], engine: Engine,
               data: RuleData) -> tuple[Snapshot, Snapshot, list[str]]:
    """Both sides' snapshots, and the arches they cover."""
    a, b, arches = _read_sides(sides, arches, engine, data)
    no_match(a.unmatched & b.unmatched, "either side")
    if a.defines != b.defines:
        raise SourceError(f"the sides were read with different -D and -U ({a.source}: {spelt(a.defines)}; "
                          f"{b.source}: {spelt(b.defines)}): record the snapshot again with the same ones")
    return a, b, arches


def spelt(defines: Defines) -> str:
    """-D and -U as a compiler's command line spells them."""
    return " ".join(f"-D{n}={v}" if v is not None else f"-U{n}" for n, v in defines) or "none"


def _read_sides(sides: Sides, arches: list[str], engine: Engine,
                data: RuleData) -> tuple[Snapshot, Snapshot, list[str]]:
    meter = Meter(not sides.quiet)
    old, new = sides.old, sides.new
    exists = os.path.exists
    if sides.repo is not None or old is None or not exists(old) or (new is not None and not exists(new)):
        try:
            return _git(sides, arches, meter, engine, data)
        except UnknownRevision as exc:
            if sides.repo is None and not exists(exc.revision):
                raise SourceError(f"{exc.revision}: no such file or directory, and not a git revision here") from None
            raise
        except NotARepository:
            missing = [x for x in (old, new) if x is not None and not exists(x)]
            if sides.repo is None and missing:
                raise SourceError(f"{missing[0]}: no such file or directory, and not in a git tree (where it could "
                                  "be a revision)") from None
            raise
    if new is None:
        raise SourceError("NEW is missing (give two trees or snapshots, or run in a git tree)")
    a, b = _side(old, engine.libc), _side(new, engine.libc)
    for side in (a, b):
        if not isinstance(side, Snapshot):
            arches = fit(side, arches, sides.explicit, sides.quiet)
    if not isinstance(a, Snapshot) and not isinstance(b, Snapshot):
        return (*build_both(a, b, arches, sides.headers or None, meter, engine.cache, engine.jobs, engine.defines),
                arches)
    return _built(a, arches, sides.headers, meter, engine), _built(b, arches, sides.headers, meter, engine), arches


@dataclass
class Outcome:
    findings: list[Finding]
    suppressed: int
    stale: list[baseline.Entry]
    arches: list[str]
    config: Config
    old: Snapshot
    new: Snapshot


def judge(config: Config, a: Snapshot, b: Snapshot, arches: list[str], entries: list[baseline.Entry]) -> Outcome:
    """The rules on what changed from a to b, the configuration and the baseline applied."""
    with quiet():
        findings, suppressed = config.apply(check(a, b, config.rules(RULES), config.data))
    findings, accepted, stale = baseline.apply(findings, entries)
    return Outcome(findings, suppressed + accepted, stale, arches, config, a, b)


def outcome(sides: Sides, arch: list[str], rules: Rules, engine: Engine, baseline_path: str | None = None) -> Outcome:
    config = rules.config()
    entries = baseline.load(baseline_path) if baseline_path else []
    a, b, arches = read_sides(sides, arch or config.arches or list(DEFAULT_ARCHES), engine, config.data)
    return judge(config, a, b, arches, entries)


@dataclass(frozen=True)
class Display:
    """How the text report looks: the lowest severity shown, colours."""

    show: str = "note"
    color: bool = False


def report_of(o: Outcome, baseline_path: str | None, display: Display) -> Report:
    report = Report(o.findings, o.arches, o.config.rules(RULES), o.suppressed, compared=Compared(o.old, o.new),
                    show=display.show, color=display.color)
    if baseline_path:
        report.extra["stale_baseline"] = [e.__dict__ for e in o.stale]
    report.trailer = [f"{baseline_path}: note: stale baseline entry: {e.code} '{e.subject}' in {e.header} is no "
                      "longer found; remove it" for e in o.stale]
    return report


# ---------------------------------------------------------------- commands

def snapshot(source: str, arch: list[str], headers: list[str], output: str | None, quiet: bool,
             engine: Engine) -> int:
    writable(output)
    src = open_source(source, engine.libc)
    if not arch:
        known_arch(src)
    arches = arch or arches_of(src, list(ARCHES))
    if not arches:
        raise SourceError(f"{source}: no architecture has asm/ headers here")
    snap = build_written(src, arches, headers or None, Meter(not quiet), cache_dir=engine.cache, jobs=engine.jobs,
                         defines=engine.defines)
    no_match(snap.unmatched, source)
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
         baseline_path: str | None, changes: bool, display: Display = Display()) -> int:
    writable(output)
    if changes:
        config = rules.config()
        a, b, arches = read_sides(sides, arch or config.arches or list(DEFAULT_ARCHES), engine, config.data)
        grouped = change_list.group(compare(a, b))
        writer = change_list.write_text if fmt == "text" else change_list.write_json
        emit(lambda out: writer(grouped, arches, out), output)
        return 1 if grouped else 0
    o = outcome(sides, arch, rules, engine, baseline_path)
    publish(report_of(o, baseline_path, display), fmt, output)
    return failing(o.findings, o.config.fail_on)


def baseline_record(sides: Sides, arch: list[str], rules: Rules, engine: Engine, output: str,
                    snapshot_path: str | None) -> int:
    writable(output)
    writable(snapshot_path)
    o = outcome(sides, arch, rules, engine)
    if snapshot_path:
        emit(lambda f: write(o.new, f), snapshot_path)
    baseline.write(output, o.findings, snapshot_path)
    print(f"{output}: {len(o.findings)} findings accepted", file=sys.stderr)
    return 0


def hook(files: list[str], arch: list[str], rules: Rules, engine: Engine, baseline_path: str | None,
         verbose: bool, display: Display = Display()) -> int:
    config = rules.config()
    arches = arch or config.arches or list(DEFAULT_ARCHES)
    entries = baseline.load(baseline_path) if baseline_path and os.path.exists(baseline_path) else []
    repo = Repo(".", engine.libc)
    try:
        plan = staged(repo, files, arches)
        if not plan.arches:
            have = sorted(repo.index_arch_dirs())
            raise SourceError(f"{repo.top}: the index has no arch/*/include/uapi for {', '.join(arches)}, so nothing "
                              f"could be checked; give --arch for the arches it has"
                              + (f" (its arch directories: {', '.join(have)})" if have else " (it has none)"))
        if verbose and not any(plan.headers.values()):
            say("none of the files is a UAPI header: nothing to check")
        a, b = _build_plan(plan, [], Meter(verbose), engine, config.data)
    finally:
        repo.close()
    o = judge(config, a, b, plan.arches, entries)
    o.stale = []  # the hook sees only some headers; diff, which sees all, names stale entries
    # pre-commit shows a hook's output only when it fails: warnings fail unless the project says otherwise
    fail_on = config.fail_on if config.fail_on_origin != DEFAULTS else "warning"
    if o.findings or verbose:
        publish(report_of(o, baseline_path, display), "text", None)
    return failing(o.findings, fail_on)


def libc_gate(opts: GateOptions, rules: Rules, fmt: str, output: str | None) -> int:
    from .gate import run as gate_run  # the gate's engine, which the other commands do without
    from .gate.rules import GATE_RULES

    writable(output)
    config = rules.config()
    r = gate_run.run(opts, config)
    publish(gate_run.report(r, opts, config.rules(GATE_RULES)), fmt, output)
    return gate_run.failing(r, config.fail_on)


def baseline_record_gate(opts: GateOptions, rules: Rules, output: str) -> int:
    from .gate import run as gate_run

    writable(output)
    r = gate_run.run(opts, rules.config())
    baseline.write(output, r.findings)
    print(f"{output}: {len(r.findings)} findings accepted", file=sys.stderr)
    return 0


def rules(rule: str | None, markdown: bool) -> int:
    if markdown:
        print(catalogue.markdown(ALL), end="")
        return 0
    found = matching(rule) if rule is not None else list(ALL)
    if not found:
        raise UapicheckError(f"RULE: no rule {rule!r} (a code such as UA103, a prefix such as UA1, or a name such "
                             "as macro-token-form-changed); `uapicheck rules` lists them")
    if len(found) > 1 or rule is None:
        for r in found:
            print(f"{r.code}  {r.name:<30} {r.severity:<8} {r.summary()}")
        return 0
    print(f"{found[0].code} {found[0].name} (default severity: {found[0].severity})\n")
    print(found[0].doc())
    return 0


def layout(type_name: str, source: str, arch: list[str], headers: list[str], engine: Engine, fmt: str,
           output: str | None) -> int:
    writable(output)
    arches = arch or ["x86_64"]
    side = _side(source, engine.libc)
    if not isinstance(side, Snapshot):
        arches = fit(side, arches, bool(arch), False)
    snap = _built(side, arches, headers, Meter(True), engine)
    found: dict[str, tuple[str, TypeFact]] = {}
    read_after: dict[str, str] = {}
    for a in arches:
        for name, facts in sorted(snap.arches[a].items()):
            t = facts.types.get(type_name)
            if t is not None:
                found[a] = (name, t)
                if facts.prelude:
                    read_after[a] = f", read after <{'>, <'.join(facts.prelude)}>"
                break
    if not found:
        raise SourceError(f"'{type_name}' is not declared in {source} on {', '.join(arches)}")
    if fmt == "html":
        from .report import html as html_report  # jinja2

        emit(lambda out: html_report.write_layout(type_name, snap.source, {a: t for a, (_, t) in found.items()},
                                                  out), output)
        return 0

    # arches whose layouts read the same are shown once
    groups: dict[tuple[str, str], list[str]] = {}
    for a, (name, t) in found.items():
        groups.setdefault((f"{name}:{t.line}{read_after.get(a, '')}", layout_report.text(type_name, t)), []).append(a)

    def dump(out: IO[str]) -> None:
        for (place, body), same in groups.items():
            print(f"/* {place} on {', '.join(same)} */", file=out)
            print(body, file=out)
    emit(dump, output)
    return 0

