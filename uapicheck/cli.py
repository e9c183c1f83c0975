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
from typing import Sequence

import click

from . import __version__
from .arches import ARCHES, DEFAULT_ARCHES
from .checks import SEVERITY_RANK, Finding, check
from .checks.registry import BY_CODE, BY_NAME, RULES
from .compare import compare
from .config import FAIL_ON, ConfigError, apply as apply_config, apply_to, load as load_config
from .report import (catalogue_markdown, diff_json, findings_json, findings_sarif, group, layout_text, write_diagnostics,
                     write_findings, write_text)
from .snapshot import Snapshot, build, load, write
from .cache import default_dir as default_cache_dir
from .gitsource import Repo
from .sources import InstalledTree, KernelTree, SourceError, affected_headers, open_source

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


def cache_option(f):  # type: ignore[no-untyped-def]
    return click.option("--no-cache", "no_cache", is_flag=True,
                        help=f"Do not reuse or store per-header results (kept in {default_cache_dir()}; "
                             "XDG_CACHE_HOME moves it).")(f)


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
    return build(source, arches, headers or None, progress, cache_dir=cache_dir)


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
        a = build(a_tree, arches, headers or None, progress, names, cache_dir)
        b = build(b_tree, arches, headers or None, progress, names, cache_dir)
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
      uapicheck snapshot /usr/include -o base.json      record every macro and type
      uapicheck diff base.json path/to/new/usr/include   what changed, per arch
      uapicheck layout 'struct rseq' --arch i386 /usr/include

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
    snap = build(src, arches, list(headers) or None, Progress(not quiet), cache_dir=_cache(no_cache))
    if output:
        tmp = output + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            write(snap, f)
        os.replace(tmp, output)
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


@main.command("diff")
@click.argument("old", required=False)
@click.argument("new", required=False)
@click.option("-C", "repo", metavar="PATH", help="Read OLD and NEW as git revisions of the kernel tree at PATH.")
@click.option("--staged", is_flag=True, help="In a git tree, compare with the index, not the working tree.")
@click.option("--arch", "arch", multiple=True,
              help=ARCH_HELP + f" Default: the configuration's arches ({', '.join(DEFAULT_ARCHES)}).")
@click.option("--header", "headers", multiple=True, metavar="GLOB", help="Only headers whose include name matches.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif"]), default="text", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report here, not to stdout.")
@click.option("--select", multiple=True, metavar="RULE",
              help="Run only these rules: codes, code prefixes (UA2) or names; repeatable.")
@click.option("--ignore", multiple=True, metavar="RULE", help="Do not run these rules; repeatable.")
@click.option("--fail-on", type=click.Choice(FAIL_ON), help="Lowest severity that makes the exit status 1 "
              "(default: the configuration's, 'error').")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, exists=True),
              help="A uapicheck.toml or pyproject.toml; default: the nearest one above the working directory.")
@click.option("--changes", is_flag=True, help="List every change, unclassified, instead of findings.")
@click.option("-q", "--quiet", is_flag=True, help="No progress on stderr.")
@cache_option
def diff_cmd(old: str | None, new: str | None, repo: str | None, staged: bool, arch: tuple[str, ...],
             headers: tuple[str, ...], fmt: str, output: str | None, select: tuple[str, ...],
             ignore: tuple[str, ...], fail_on: str | None, config_path: str | None, changes: bool,
             quiet: bool, no_cache: bool) -> None:
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
    config = load_config(config_path)
    overrides: dict[str, object] = {}
    if select:
        overrides["select"] = [x for v in select for x in v.split(",")]
    if ignore:
        overrides["ignore"] = [x for v in ignore for x in v.split(",")]
    if fail_on:
        overrides["fail-on"] = fail_on
    apply_config(config, overrides, "command line", None)
    arches = _arches(arch, config.arches or DEFAULT_ARCHES)
    progress = Progress(not quiet)
    if repo is not None or old is None or not _is_path(old) or (new is not None and not _is_path(new)):
        try:
            a, b = _git_snapshots(repo or ".", old, new, staged, arches, list(headers), progress, quiet,
                                  _cache(no_cache))
        except SourceError as exc:
            missing = [x for x in (old, new) if x is not None and not _is_path(x)]
            if repo is None and missing and ("not a commit" in str(exc) or "not inside a git" in str(exc)):
                raise SourceError(f"{missing[0]}: no such file or directory, and not a git revision here") from None
            raise
    else:
        if new is None:
            raise click.UsageError("NEW is missing (give two trees or snapshots, or run in a git tree)")
        a = _snapshot_of(old, arches, list(headers), progress, _cache(no_cache))
        b = _snapshot_of(new, arches, list(headers), progress, _cache(no_cache))
    out = open(output, "w", encoding="utf-8") if output else sys.stdout
    try:
        if changes:
            grouped = group(compare(a, b))
            if fmt == "text":
                write_text(grouped, arches, out)
            else:
                json.dump(diff_json(grouped, arches), out, indent=1)
                out.write("\n")
            sys.exit(1 if grouped else 0)
        rules = config.rules()
        findings, suppressed = apply_to(config, check(a, b, rules, config.data))
        if fmt == "json":
            json.dump(findings_json(findings, suppressed, arches), out, indent=1)
            out.write("\n")
        elif fmt == "sarif":
            json.dump(findings_sarif(findings, rules, suppressed), out, indent=1)
            out.write("\n")
        else:
            write_findings(findings, suppressed, arches, out)
    finally:
        if output:
            out.close()
    sys.exit(failing(findings, config.fail_on))


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
    ordered = sorted(RULES, key=lambda r: r.code)
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
    except (SourceError, ConfigError) as exc:
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
