"""The uapicheck command line.

Exit status: 0 nothing to report; 1 findings (changes for ``diff``, headers
that could not be analysed for ``snapshot``); 2 usage or input error;
3 internal error (a bug: the message says how to report it); 130 interrupted.
"""

from __future__ import annotations

import json
import os
import platform
import sys
import traceback
from dataclasses import dataclass, replace
from typing import Sequence

import click

from . import __version__
from .arches import ARCHES, DEFAULT_ARCHES
from .checks import SEVERITY_RANK, Finding, check
from .checks.registry import BY_CODE, BY_NAME, GATE_RULES, RULES
from .compare import compare
from . import baseline, jsonfile
from .config import FAIL_ON, Config, ConfigError, apply as apply_config, apply_to, load as load_config
from .report import (catalogue_markdown, diff_json, finding_summary, findings_json, findings_sarif, group,
                     layout_text, render, write_diagnostics, write_text)
from .snapshot import Snapshot, build, load, write
from .cache import default_dir as default_cache_dir
from .gate import MODES, GateError, contexts as gate_contexts, load_pairs, verdict
from .gitsource import NotARepository, Repo, UnknownRevision
from .sources import InstalledTree, KernelTree, SourceError, affected_headers, hook_headers, open_source

ARCH_HELP = f"Architecture to analyse; repeat for several, or 'all'. Known: {', '.join(ARCHES)}."


def _arches(values: Sequence[str], default: Sequence[str]) -> list[str]:
    names: list[str] = []
    for v in values or default:
        for a in v.split(","):
            if a == "all":
                names += [x for x in ARCHES if x not in names]
            elif a not in ARCHES:
                raise click.BadParameter(f"unknown architecture '{a}' (known: {', '.join(ARCHES)})",
                                         param_hint="--arch")
            elif a not in names:
                names.append(a)
    return names


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def cache_option(f):  # type: ignore[no-untyped-def]
    """--no-cache and -j, which every command that analyses headers takes."""
    f = click.option("-j", "--jobs", type=click.IntRange(1, 256), default=None, expose_value=False,
                     callback=_set_jobs, help=f"Processes to analyse headers in (default: the {cores()} cores "
                     "available).")(f)
    return click.option("--no-cache", "no_cache", is_flag=True,
                        help=f"Do not reuse or store per-header results (kept in {default_cache_dir()}; "
                             "XDG_CACHE_HOME moves it).")(f)


def _set_jobs(ctx: click.Context, param: click.Parameter, value: int | None) -> None:
    ctx.meta["uapicheck.jobs"] = value or cores()


def _jobs() -> int:
    """-j of the command being run."""
    return int(click.get_current_context().meta.get("uapicheck.jobs", 1))


def _cache(no_cache: bool) -> str | None:
    return None if no_cache else default_cache_dir()


class Progress:
    """headers done of total, on a terminal only."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty()

    def __call__(self, done: int, total: int, what: str) -> None:
        if self.enabled:
            sys.stderr.write(f"\r\033[K[{done}/{total}] {what}"[:120])
            if done == total:
                sys.stderr.write("\r\033[K")
            sys.stderr.flush()


def _snapshot_of(path: str, arches: list[str], headers: list[str], progress: Progress,
                 cache_dir: str | None = None) -> Snapshot:
    if os.path.isfile(path):
        snap = load(path)
        missing = [a for a in arches if a not in snap.arches]
        if missing:
            raise SourceError(f"{path}: snapshot has no {', '.join(missing)} (it has {', '.join(snap.arches)})")
        return Snapshot(snap.source, {a: snap.arches[a] for a in arches})
    if not os.path.exists(path):
        raise SourceError(f"{path}: no such file or directory")
    source = open_source(path)
    return build(source, arches, headers or None, progress, cache_dir=cache_dir, jobs=_jobs())


def _is_path(arg: str) -> bool:
    return os.path.exists(arg)


def _git_snapshots(path: str, old: str | None, new: str | None, staged: bool, arches: list[str],
                   headers: list[str], progress: Progress, quiet: bool,
                   cache_dir: str | None) -> tuple[Snapshot, Snapshot]:
    repo = Repo(path)
    try:
        a_tree = repo.tree_at(old or "HEAD")
        b_tree = repo.tree_at(new) if new else repo.staged_tree() if staged else repo.work_tree()
        names: dict[str, set[str]] = {}
        total = 0
        known = list(ARCHES.values())
        present = [n for n in arches if _available(a_tree, [n]) and _available(b_tree, [n])]
        if not present:
            raise SourceError(f"neither side has arch/*/include/uapi for {', '.join(arches)}")
        if not quiet and present != arches:
            click.echo(f"uapicheck: skipping {', '.join(a for a in arches if a not in present)}: "
                       "not in both trees", err=True)
        arches[:] = present
        for name in arches:
            names[name], count = affected_headers(a_tree, b_tree, ARCHES[name], known)
            total += count
        if not quiet:
            picked = sum(len(v) for v in names.values())
            click.echo(f"uapicheck: {picked} of {total} headers changed or include a changed file "
                       f"({a_tree.root} -> {b_tree.root}, {', '.join(arches)})", err=True)
        a = build(a_tree, arches, headers or None, progress, names, cache_dir, _jobs())
        b = build(b_tree, arches, headers or None, progress, names, cache_dir, _jobs())
    finally:
        repo.close()
    return a, b


def _available(source: InstalledTree | KernelTree, wanted: list[str]) -> list[str]:
    ok = []
    for a in wanted:
        try:
            source.include_dirs(ARCHES[a], list(ARCHES.values()))
            ok.append(a)
        except SourceError:
            pass
    return ok


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="uapicheck")
def main() -> None:
    """Check Linux UAPI headers for changes that break programs and C libraries.

    \b
    Typical use:
      uapicheck diff v6.19 v7.0                          in a kernel git tree: who breaks
      uapicheck diff old/usr/include new/usr/include     two installed trees
      uapicheck snapshot /usr/include -o base.json       record every macro and type
      uapicheck libc-gate --libc /usr/include --kernel new/usr/include
      uapicheck layout 'struct rseq' --arch i386 /usr/include
      uapicheck rules UA103                              what a finding means

    A SOURCE is an installed header tree (such as /usr/include, with Debian's
    per-arch asm/ directories), a raw kernel tree (include/uapi and
    arch/*/include/uapi, read as `make headers_install` would install it), or
    a snapshot file written by `uapicheck snapshot`.

    Exit status: 0 nothing to report, 1 findings, 2 usage or input error,
    3 internal error.
    """


@main.command("snapshot")
@click.argument("source")
@click.option("--arch", "arch", multiple=True, help=ARCH_HELP + " Default: every arch the tree has headers for.")
@click.option("--header", "headers", multiple=True, metavar="GLOB",
              help="Only headers whose include name matches, e.g. 'linux/mount.h' or 'linux/*'.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write here, not to stdout.")
@click.option("-q", "--quiet", is_flag=True, help="No progress and no header diagnostics on stderr.")
@cache_option
def snapshot_cmd(source: str, arch: tuple[str, ...], headers: tuple[str, ...], output: str | None,
                 quiet: bool, no_cache: bool) -> None:
    """Record every macro (tokens, C value, #if value) and every type layout
    of SOURCE, per arch, as JSON (format: docs/snapshot-format.md)."""
    src = open_source(source)
    arches = _arches(arch, _available(src, list(ARCHES)))
    if not arches:
        raise SourceError(f"{source}: no architecture has asm/ headers here")
    snap = build(src, arches, list(headers) or None, Progress(not quiet), cache_dir=_cache(no_cache), jobs=_jobs())
    if output:
        jsonfile.write_atomic(output, lambda f: write(snap, f))
    else:
        write(snap, sys.stdout)
    diags = snap.diagnostics()
    if not quiet:
        write_diagnostics(diags, sys.stderr)
    count = sum(len(h) for h in snap.arches.values())
    errors = sum(1 for d in diags if d.severity == "error")
    if not quiet:
        click.echo(f"{count} headers on {', '.join(arches)}: {errors} errors", err=True)
    sys.exit(1 if errors else 0)


@dataclass
class Outcome:
    findings: list[Finding]
    suppressed: int
    stale: list[baseline.Entry]
    arches: list[str]
    rules: list[type]  # type: ignore[type-arg]
    config: Config
    old: Snapshot
    new: Snapshot


def compare_options(f):  # type: ignore[no-untyped-def]
    """What diff, baseline record and hook share: the sides, the rules, the
    configuration."""
    options = [
        click.argument("old", required=False),
        click.argument("new", required=False),
        click.option("-C", "repo", metavar="PATH", help="Read OLD and NEW as git revisions of the kernel tree at "
                     "PATH."),
        click.option("--staged", is_flag=True, help="In a git tree, compare with the index, not the working "
                     "tree."),
        click.option("--arch", "arch", multiple=True,
                     help=ARCH_HELP + f" Default: the configuration's arches ({', '.join(DEFAULT_ARCHES)})."),
        click.option("--header", "headers", multiple=True, metavar="GLOB",
                     help="Only headers whose include name matches."),
        click.option("--select", multiple=True, metavar="RULE",
                     help="Run only these rules: codes, code prefixes (UA2) or names; repeatable."),
        click.option("--ignore", multiple=True, metavar="RULE", help="Do not run these rules; repeatable."),
        click.option("--config", "config_path", type=click.Path(dir_okay=False, exists=True),
                     help="A uapicheck.toml or pyproject.toml; default: the nearest one above the working "
                     "directory."),
        click.option("-q", "--quiet", is_flag=True, help="No progress on stderr."),
        cache_option,
    ]
    for option in reversed(options):
        f = option(f)
    return f


def _config(config_path: str | None, select: tuple[str, ...], ignore: tuple[str, ...],
            fail_on: str | None) -> Config:
    config = load_config(config_path)
    overrides: dict[str, object] = {}
    if select:
        overrides["select"] = [x for v in select for x in v.split(",")]
    if ignore:
        overrides["ignore"] = [x for v in ignore for x in v.split(",")]
    if fail_on:
        overrides["fail-on"] = fail_on
    apply_config(config, overrides, "command line", None)
    return config


def _sides(old: str | None, new: str | None, repo: str | None, staged: bool, arches: list[str],
           headers: tuple[str, ...], quiet: bool, no_cache: bool) -> tuple[Snapshot, Snapshot]:
    progress = Progress(not quiet)
    if repo is not None or old is None or not _is_path(old) or (new is not None and not _is_path(new)):
        try:
            return _git_snapshots(repo or ".", old, new, staged, arches, list(headers), progress, quiet,
                                  _cache(no_cache))
        except (NotARepository, UnknownRevision):
            missing = [x for x in (old, new) if x is not None and not _is_path(x)]
            if repo is None and missing:
                raise SourceError(f"{missing[0]}: no such file or directory, and not a git revision here") from None
            raise
    if new is None:
        raise click.UsageError("NEW is missing (give two trees or snapshots, or run in a git tree)")
    return (_snapshot_of(old, arches, list(headers), progress, _cache(no_cache)),
            _snapshot_of(new, arches, list(headers), progress, _cache(no_cache)))


def _outcome(old: str | None, new: str | None, repo: str | None, staged: bool, arch: tuple[str, ...],
             headers: tuple[str, ...], select: tuple[str, ...], ignore: tuple[str, ...], config_path: str | None,
             quiet: bool, no_cache: bool, fail_on: str | None = None, baseline_path: str | None = None) -> Outcome:
    config = _config(config_path, select, ignore, fail_on)
    entries = baseline.load(baseline_path) if baseline_path else []
    arches = _arches(arch, config.arches or DEFAULT_ARCHES)
    a, b = _sides(old, new, repo, staged, arches, headers, quiet, no_cache)
    return _judge(config, a, b, arches, entries)


def _judge(config: Config, a: Snapshot, b: Snapshot, arches: list[str], entries: list[baseline.Entry]) -> Outcome:
    """The rules on what changed from a to b, the configuration and the baseline applied."""
    rules = config.rules()
    findings, suppressed = apply_to(config, check(a, b, rules, config.data))
    findings, accepted, stale = baseline.apply(findings, entries)
    return Outcome(findings, suppressed + accepted, stale, arches, rules, config, a, b)


def _report(o: Outcome, fmt: str, output: str | None, baseline_path: str | None) -> None:
    out = open(output, "w", encoding="utf-8") if output else sys.stdout
    try:
        if fmt == "json":
            extra = {"stale_baseline": [e.__dict__ for e in o.stale]} if baseline_path else None
            json.dump(findings_json(o.findings, o.suppressed, o.arches, extra), out, indent=1)
            out.write("\n")
        elif fmt == "sarif":
            json.dump(findings_sarif(o.findings, o.rules, o.suppressed), out, indent=1)
            out.write("\n")
        else:
            for f in o.findings:
                print(render(f, o.arches), file=out)
            for e in o.stale:
                print(f"{baseline_path}: note: stale baseline entry: {e.code} '{e.subject}' in {e.header} is no "
                      "longer found; remove it", file=out)
            print(finding_summary(o.findings, o.suppressed, o.arches), file=out)
    finally:
        if output:
            out.close()


@main.command("diff")
@compare_options
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif"]), default="text", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report here, not to stdout.")
@click.option("--fail-on", type=click.Choice(FAIL_ON), help="Lowest severity that makes the exit status 1 "
              "(default: the configuration's, 'error').")
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False, exists=True),
              help="Report only findings this baseline (uapicheck baseline record) does not accept.")
@click.option("--changes", is_flag=True, help="List every change, unclassified, instead of findings.")
def diff_cmd(old: str | None, new: str | None, repo: str | None, staged: bool, arch: tuple[str, ...],
             headers: tuple[str, ...], select: tuple[str, ...], ignore: tuple[str, ...],
             config_path: str | None, quiet: bool, no_cache: bool, fmt: str, output: str | None,
             fail_on: str | None, baseline_path: str | None, changes: bool) -> None:
    """Report what changed from OLD to NEW and who it breaks: each change
    goes through the rules (`uapicheck rules`), one finding per change with
    the arches it happens on.

    OLD and NEW are header trees or snapshot files; or, inside a kernel git
    tree (or with -C), revisions: read from git objects, no checkout, and
    only the headers whose content or includes changed are analysed. With
    one revision, NEW is the working tree (--staged: the index); with none,
    OLD is HEAD too.

    \b
    Examples:
      uapicheck diff v6.19 v7.0                   in a kernel tree
      uapicheck diff                              HEAD against your edits
      uapicheck diff old/usr/include new/usr/include
      uapicheck diff base.json /usr/include --arch all --format sarif -o out.sarif
      uapicheck diff a b --select UA1 --ignore macro-token-form-changed

    Exit status: 0 no finding at or above --fail-on, 1 findings, 2 usage or
    configuration error, 3 internal error.
    """
    if changes:
        config = _config(config_path, select, ignore, fail_on)
        arches = _arches(arch, config.arches or DEFAULT_ARCHES)
        a, b = _sides(old, new, repo, staged, arches, headers, quiet, no_cache)
        grouped = group(compare(a, b))
        out = open(output, "w", encoding="utf-8") if output else sys.stdout
        if fmt == "text":
            write_text(grouped, arches, out)
        else:
            json.dump(diff_json(grouped, arches), out, indent=1)
            out.write("\n")
        if output:
            out.close()
        sys.exit(1 if grouped else 0)
    o = _outcome(old, new, repo, staged, arch, headers, select, ignore, config_path, quiet, no_cache, fail_on,
                 baseline_path)
    _report(o, fmt, output, baseline_path)
    sys.exit(failing(o.findings, o.config.fail_on))


@main.group("baseline")
def baseline_cmd() -> None:
    """Accept the current findings, so that later runs report only new ones
    (format: docs/baseline-format.md)."""


@baseline_cmd.command("record")
@compare_options
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False), default="baselines/uapicheck.json",
              show_default=True, help="The baseline file to write.")
@click.option("--snapshot", "snapshot_path", type=click.Path(dir_okay=False),
              help="Also write NEW's snapshot here, to diff against later.")
def baseline_record_cmd(old: str | None, new: str | None, repo: str | None, staged: bool, arch: tuple[str, ...],
                        headers: tuple[str, ...], select: tuple[str, ...], ignore: tuple[str, ...],
                        config_path: str | None, quiet: bool, no_cache: bool, output: str,
                        snapshot_path: str | None) -> None:
    """Record every finding of OLD against NEW (same arguments as diff) as
    accepted. `diff --baseline FILE` and the pre-commit hook then report
    only findings that are not in it, and name entries that went stale."""
    o = _outcome(old, new, repo, staged, arch, headers, select, ignore, config_path, quiet, no_cache)
    if snapshot_path:
        jsonfile.write_atomic(snapshot_path, lambda f: write(o.new, f))
    baseline.write(output, o.findings, snapshot_path)
    click.echo(f"{output}: {len(o.findings)} findings accepted", err=True)


@main.command("hook")
@click.argument("files", nargs=-1)
@click.option("--arch", "arch", multiple=True, help=ARCH_HELP)
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False),
              help="Accepted findings; a missing file counts as empty.")
@click.option("--fail-on", type=click.Choice(FAIL_ON), help="Default: the configuration's, 'error'.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, exists=True),
              help="A uapicheck.toml or pyproject.toml; default: the nearest one above the working directory.")
@click.option("-v", "--verbose", is_flag=True, help="Progress, and the summary even when clean.")
@cache_option
def hook_cmd(files: tuple[str, ...], arch: tuple[str, ...], baseline_path: str | None, fail_on: str | None,
             config_path: str | None, verbose: bool, no_cache: bool) -> None:
    """The pre-commit hook: compare the staged version of each UAPI header
    in FILES (and the headers they include) with HEAD, print findings and
    fail on errors. Files outside include/uapi and arch/*/include/uapi are
    ignored."""
    config = _config(config_path, (), (), fail_on)
    arches = _arches(arch, config.arches or DEFAULT_ARCHES)
    entries = baseline.load(baseline_path) if baseline_path and os.path.exists(baseline_path) else []
    repo = Repo(".")
    try:
        wanted = [os.path.relpath(os.path.abspath(f), repo.top) for f in files]
        old_tree = repo.tree_at("HEAD") if repo.has_head() else repo.empty_tree("HEAD")
        new_tree = repo.staged_tree()
        arches = [a for a in arches if _available(new_tree, [a])]
        names = {a: hook_headers(old_tree, new_tree, ARCHES[a], wanted) for a in arches}
        progress = Progress(verbose)
        a_snap = build(old_tree, _available(old_tree, arches), None, progress, names, _cache(no_cache), _jobs())
        b_snap = build(new_tree, arches, None, progress, names, _cache(no_cache), _jobs())
        for a in arches:
            a_snap.arches.setdefault(a, {})  # an arch HEAD did not have yet: everything is new
    finally:
        repo.close()
    o = _judge(config, a_snap, b_snap, arches, entries)
    o.stale = []  # the hook sees only some headers; diff, which sees all, names stale entries
    if o.findings or verbose:
        _report(o, "text", None, baseline_path)
    sys.exit(failing(o.findings, config.fail_on))


@main.command("libc-gate")
@click.option("--libc", "libc_root", required=True, type=click.Path(file_okay=False, exists=True),
              help="The C library's installed headers (such as /usr/include).")
@click.option("--kernel", "kernel_root", required=True, type=click.Path(file_okay=False, exists=True),
              help="The kernel's installed headers (make headers_install output, linux-libc-dev).")
@click.option("--pairs", "pairs_path", type=click.Path(dir_okay=False, exists=True),
              help="More [[pair]] entries (libc = \"h\", kernel = [\"h\", ...]) besides rules/libc-pairs.toml.")
@click.option("--only", "only", multiple=True, metavar="HEADER", help="Only pairs whose libc header is this.")
@click.option("--arch", "arch", multiple=True, help=ARCH_HELP + " Default: x86_64.")
@click.option("--mode", type=click.Choice(MODES), default="include", show_default=True,
              help="Which builds the exit status speaks for: 'include' sees the headers with -I (the libc's own "
              "build); 'system' takes them from system directories, where GCC is silent about redefinitions "
              "and -Wundef.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif"]), default="text", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report here.")
def libc_gate_cmd(libc_root: str, kernel_root: str, pairs_path: str | None, only: tuple[str, ...],
                  arch: tuple[str, ...], mode: str, fmt: str, output: str | None) -> None:
    """Predict every conflict a compiler would raise between a C library's
    headers and a kernel's, for each pair (rules/libc-pairs.toml) in both
    include orders: macro redefinitions that are not token-identical,
    #if on undefined identifiers, types defined twice, enumerators a macro
    replaces, and libc copies of structs whose layout differs.

    \b
    Example (a libc build gate):
      uapicheck libc-gate --libc /usr/include --kernel $(KERNEL_HEADERS)/usr/include

    Exit status: 0 every pair compiles in --mode, 1 some pair fails,
    2 usage error, 3 internal error.
    """
    pairs = load_pairs(pairs_path)
    if only:
        pairs = [p for p in pairs if p.libc in only]
        if not pairs:
            raise click.BadParameter(f"no pair has libc header {', '.join(only)}", param_hint="--only")
    arches = _arches(arch, ["x86_64"])
    findings: list[Finding] = []
    lines: list[str] = []
    for ctx in gate_contexts(libc_root, kernel_root, pairs, arches):
        found = [f for rule in GATE_RULES for f in rule().check(ctx)]
        found = [replace(f, arches=(ctx.arch,)) for f in found]
        findings += found
        lines.append(f"{ctx.arch}: {ctx.pair.label()}, {ctx.order}: -I: {verdict(found, 'include')}; "
                     f"system headers: {verdict(found, 'system')}")
    findings.sort(key=lambda f: (f.header, f.location.file, f.location.line, f.code))
    out = open(output, "w", encoding="utf-8") if output else sys.stdout
    try:
        if fmt == "json":
            json.dump(findings_json(findings, 0, arches, {"verdicts": lines}), out, indent=1)
            out.write("\n")
        elif fmt == "sarif":
            json.dump(findings_sarif(findings, list(GATE_RULES), 0), out, indent=1)
            out.write("\n")
        else:
            for f in findings:
                print(render(f, arches), file=out)
            for line in lines:
                print(line, file=out)
    finally:
        if output:
            out.close()
    sys.exit(0 if all(verdict([f], mode) == "clean" for f in findings) else 1)


def failing(findings: list[Finding], fail_on: str) -> int:
    if fail_on == "never":
        return 0
    floor = SEVERITY_RANK[fail_on]
    return 1 if any(SEVERITY_RANK[f.severity] >= floor for f in findings) else 0


@main.command("rules")
@click.argument("rule", required=False)
@click.option("--markdown", is_flag=True, help="The whole catalogue as Markdown (docs/rules.md is this).")
def rules_cmd(rule: str | None, markdown: bool) -> None:
    """List the rules, or show one rule's documentation (by code or name).

    \b
    Severities: error, certainly breaks existing binaries or builds;
    warning, breaks some users or needs review; note, context.
    """
    ordered = sorted(RULES + GATE_RULES, key=lambda r: r.code)
    if markdown:
        click.echo(catalogue_markdown(ordered), nl=False)
        return
    if rule is None:
        for r in ordered:
            click.echo(f"{r.code}  {r.name:<26} {r.severity:<8} {r.summary()}")
        return
    found = BY_CODE.get(rule) or BY_NAME.get(rule)
    if found is None:
        raise click.BadParameter(f"no rule {rule!r}; `uapicheck rules` lists them", param_hint="RULE")
    click.echo(f"{found.code} {found.name} (default severity: {found.severity})\n")
    click.echo(found.doc())


@main.command("layout")
@click.argument("type_name", metavar="TYPE")
@click.argument("source")
@click.option("--arch", "arch", multiple=True, help=ARCH_HELP + " Default: x86_64.")
@click.option("--header", "headers", multiple=True, metavar="GLOB",
              help="Only look in these headers (faster); default: all.")
@cache_option
def layout_cmd(type_name: str, source: str, arch: tuple[str, ...], headers: tuple[str, ...], no_cache: bool) -> None:
    """Show TYPE ('struct rseq', 'union x', a typedef name) as pahole would:
    offsets, sizes, holes and padding, per arch."""
    arches = _arches(arch, ["x86_64"])
    snap = _snapshot_of(source, arches, list(headers), Progress(True), _cache(no_cache))
    found = False
    for a in arches:
        for name, facts in sorted(snap.arches[a].items()):
            t = facts.types.get(type_name)
            if t is not None:
                found = True
                click.echo(f"/* {name}:{t['line']} on {a} */")
                click.echo(layout_text(type_name, t, a))
                break
    if not found:
        raise SourceError(f"'{type_name}' is not declared in {source} on {', '.join(arches)}")


def run(argv: Sequence[str] | None = None) -> int:
    try:
        main.main(args=list(argv) if argv is not None else None, standalone_mode=False)
    except SystemExit as exc:
        return int(exc.code or 0)
    except click.exceptions.Abort:
        return 130
    except KeyboardInterrupt:
        return 130
    except click.ClickException as exc:
        exc.show()
        return 2
    except (SourceError, ConfigError, baseline.BaselineError, GateError) as exc:
        click.echo(f"uapicheck: error: {exc}", err=True)
        return 2
    except Exception:  # noqa: BLE001 - the last line of defence
        click.echo(
            f"uapicheck: internal error; please report it with this text:\n"
            f"uapicheck {__version__}, Python {platform.python_version()}, {platform.platform()}\n"
            f"command: uapicheck {' '.join(argv or sys.argv[1:])}\n{traceback.format_exc()}",
            err=True,
        )
        return 3
    return 0


def entry() -> None:
    sys.exit(run())
