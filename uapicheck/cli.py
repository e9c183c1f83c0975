"""The uapicheck command line: what each command takes. Each command
returns its exit status from commands.py.

Exit status: 0 nothing to report; 1 findings (changes for ``diff``, headers
that could not be analysed for ``snapshot``); 2 usage or input error;
3 internal error (a bug: the message says how to report it); 130 interrupted.
"""

from __future__ import annotations

import functools
import os
import re
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar, cast

import click

from . import __version__, commands
from .arches import ARCHES, DEFAULT_ARCHES, lookup
from .commands import Display, Engine, Rules, Sides
from .config import FAIL_ON
from .errors import UapicheckError
from .packaged import cache_folder
from .sources import MINIMAL, Libc
from .gate.context import MODES

if TYPE_CHECKING:
    from .gate.run import Options as GateOptions

F = TypeVar("F", bound=Callable[..., Any])
ARCH_HELP = f"Architecture to analyse; repeat for several, or 'all'. Known: {', '.join(ARCHES)}."


def arches(values: Sequence[str]) -> list[str]:
    """--arch values (repeated, or comma-separated; 'all'; the names Debian,
    GNU triplets and the kernel use, in any case) as arch names."""
    names: list[str] = []
    for v in values:
        for a in v.split(","):
            if a.lower() == "all":
                names += [x for x in ARCHES if x not in names]
                continue
            name = lookup(a.strip())
            if name is None:
                raise click.BadParameter(f"unknown architecture '{a}' (known: {', '.join(ARCHES)}, or 'all'; "
                                         "Debian and GNU names such as arm64, amd64, armhf, ppc64el work too)",
                                         param_hint="--arch")
            if name not in names:
                names.append(name)
    return names


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def engine_options(f: F) -> F:
    """-D, -U, --no-cache and -j, which every command that analyses headers
    takes; the command receives them as one `engine`."""

    @functools.wraps(f)
    def command(*args: Any, no_cache: bool, jobs: int | None, define: tuple[str, ...], undefine: tuple[str, ...],
                libc: str | None, **kwargs: Any) -> Any:
        return f(*args, engine=make_engine(no_cache, jobs, define, undefine, libc), **kwargs)

    options = [
        click.option("-D", "define", metavar="NAME[=VALUE]", multiple=True,
                     help="Define NAME (as 1, or as VALUE) on every arch before any header is read, as a "
                          "compiler's -D does: -D __USE_TIME_BITS64."),
        click.option("-U", "undefine", metavar="NAME", multiple=True,
                     help="Undefine NAME (a compiler's predefined macro) before any header is read."),
        click.option("--libc", "libc", metavar="DIR|none", default=None,
                     help="The C library whose headers programs include with the UAPI headers: its include "
                          "directory (glibc's layout, or one arch's sysroot). Default: the machine's for each arch "
                          "that has one (/usr/include, /usr/<triplet>/include); 'none': uapicheck's minimal one "
                          "everywhere. A tree with its own C library (/usr/include) uses it."),
        click.option("--no-cache", "no_cache", is_flag=True,
                     help=f"Do not reuse or store per-header results (kept in {cache_folder()}; "
                          "XDG_CACHE_HOME moves it)."),
        click.option("-j", "--jobs", type=click.IntRange(1, 256), default=None,
                     help=f"Processes to analyse headers in (default: the {cores()} cores available)."),
    ]
    for option in reversed(options):
        command = option(command)
    return cast(F, command)


IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def make_engine(no_cache: bool, jobs: int | None, define: Sequence[str], undefine: Sequence[str],
                libc: str | None) -> Engine:
    """The options as one record; -D NAME means NAME=1, as in GCC."""
    defines: list[tuple[str, str | None]] = []
    for d in define:
        name, eq, value = d.partition("=")
        if not IDENTIFIER.match(name):
            why = "a function-like macro cannot be given here" if "(" in name else "not an identifier"
            raise click.BadParameter(f"'{d}': {why}", param_hint="'-D'")
        defines.append((name, value if eq else "1"))
    for name in undefine:
        if not IDENTIFIER.match(name):
            raise click.BadParameter(f"'{name}': not an identifier", param_hint="'-U'")
        if any(n == name for n, _ in defines):
            raise click.BadParameter(f"'{name}' is given to -D too; give it to one of them", param_hint="'-U'")
        defines.append((name, None))
    if libc is not None and libc != MINIMAL and not os.path.isfile(os.path.join(libc, "features.h")) \
            and not os.path.isfile(os.path.join(libc, "stdio.h")):
        raise click.BadParameter(f"{libc}: no C library headers there (no features.h or stdio.h)", param_hint="'--libc'")
    return Engine(None if no_cache else cache_folder(), jobs or cores(), tuple(defines),
                  Libc(os.path.abspath(libc) if libc not in (None, MINIMAL) else libc))


def display_options(f: F) -> F:
    """--show and --color: how the text report looks."""
    f = click.option("--color", "color", type=click.Choice(["auto", "always", "never"]), default="auto",
                     show_default=True, help="Colour the text report as GCC does; auto: on a terminal, unless "
                     "NO_COLOR is set.")(f)
    return click.option("--show", "show", type=click.Choice(["error", "warning", "note"]), default="note",
                        show_default=True, help="The lowest severity the text report shows (the counts count "
                        "everything).")(f)


def display(show: str, color: str) -> Display:
    on = color == "always" or (color == "auto" and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
                               and os.environ.get("TERM") != "dumb")
    return Display(show, on)


class Interrupted(Exception):
    """Ctrl-C, taken before click prints its own blank line for it."""


class Main(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            raise Interrupted() from None


@click.group(cls=Main, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
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
@engine_options
def snapshot_cmd(source: str, arch: tuple[str, ...], headers: tuple[str, ...], output: str | None,
                 quiet: bool, engine: Engine) -> int:
    """Record every macro (tokens, C value, #if value) and every type layout
    of SOURCE, per arch, as JSON (format: docs/snapshot-format.md)."""
    return commands.snapshot(source, arches(arch), list(headers), output, quiet, engine)


def rule_options(prefix: str) -> list[Callable[[F], F]]:
    """--select, --ignore and --config: which rules run."""
    return [
        click.option("--select", multiple=True, metavar="RULE",
                     help=f"Run only these rules: codes, code prefixes ({prefix}) or names; repeatable."),
        click.option("--ignore", multiple=True, metavar="RULE", help="Do not run these rules; repeatable."),
        click.option("--config", "config_path", type=click.Path(dir_okay=False, exists=True),
                     help="A uapicheck.toml or pyproject.toml; default: the nearest one above the working "
                     "directory."),
    ]


def compare_options(f: F) -> F:
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
        *rule_options("UA2"),
        click.option("-q", "--quiet", is_flag=True, help="No progress on stderr."),
        engine_options,
    ]
    for option in reversed(options):
        f = option(f)
    return f


@main.command("diff")
@compare_options
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif", "html"]), default="text",
              show_default=True, help="html: one self-contained page, each struct drawn old beside new.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report here, not to stdout.")
@click.option("--fail-on", type=click.Choice(FAIL_ON), help="Lowest severity that makes the exit status 1 "
              "(default: the configuration's, 'error').")
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False, exists=True),
              help="Report only findings this baseline (uapicheck baseline record) does not accept.")
@click.option("--changes", is_flag=True, help="List every change, unclassified, instead of findings.")
@display_options
def diff_cmd(old: str | None, new: str | None, repo: str | None, staged: bool, arch: tuple[str, ...],
             headers: tuple[str, ...], select: tuple[str, ...], ignore: tuple[str, ...],
             config_path: str | None, quiet: bool, engine: Engine, fmt: str, output: str | None,
             fail_on: str | None, baseline_path: str | None, changes: bool, show: str, color: str) -> int:
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
    return commands.diff(Sides(old, new, repo, staged, list(headers), quiet, bool(arch)), arches(arch),
                         Rules(config_path, list(select), list(ignore), fail_on), engine, fmt, output,
                         baseline_path, changes, display(show, color))


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
                        config_path: str | None, quiet: bool, engine: Engine, output: str,
                        snapshot_path: str | None) -> int:
    """Record every finding of OLD against NEW (same arguments as diff) as
    accepted. `diff --baseline FILE` and the pre-commit hook then report
    only findings that are not in it, and name entries that went stale."""
    return commands.baseline_record(Sides(old, new, repo, staged, list(headers), quiet, bool(arch)), arches(arch),
                                    Rules(config_path, list(select), list(ignore)), engine, output,
                                    snapshot_path)


@main.command("hook")
@click.argument("files", nargs=-1)
@click.option("--arch", "arch", multiple=True, help=ARCH_HELP)
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False),
              help="Accepted findings; a missing file counts as empty.")
@click.option("--fail-on", type=click.Choice(FAIL_ON),
              help="Lowest severity that fails the commit. Default: the configuration's fail-on where a project "
              "sets one, else 'warning' (pre-commit shows a hook's output only when it fails).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, exists=True),
              help="A uapicheck.toml or pyproject.toml; default: the nearest one above the working directory.")
@click.option("-v", "--verbose", is_flag=True, help="Progress, and the summary even when clean.")
@engine_options
@display_options
def hook_cmd(files: tuple[str, ...], arch: tuple[str, ...], baseline_path: str | None, fail_on: str | None,
             config_path: str | None, verbose: bool, engine: Engine, show: str, color: str) -> int:
    """The pre-commit hook: compare the staged version of each UAPI header
    in FILES (and the headers they include) with HEAD, print findings and
    fail on warnings and errors. Files outside include/uapi and
    arch/*/include/uapi are ignored."""
    return commands.hook(list(files), arches(arch), Rules(config_path, fail_on=fail_on), engine,
                         baseline_path, verbose, display(show, color))


def gate_options(f: F) -> F:
    """What libc-gate and baseline record-gate share: the trees, the pairs,
    the rules."""
    options = [
        click.option("--libc", "libc_root", required=True, type=click.Path(file_okay=False, exists=True),
                     help="The C library's installed headers: glibc's (/usr/include, or a `make install` "
                     "prefix's include/) or musl's (/usr/include/x86_64-linux-musl)."),
        click.option("--kernel", "kernel_root", required=True, type=click.Path(file_okay=False, exists=True),
                     help="The kernel's installed headers (make headers_install output, linux-libc-dev)."),
        click.option("--pairs", "pairs_path", type=click.Path(dir_okay=False, exists=True),
                     help="More [[pair]] entries (libc = \"h\", kernel = [\"h\", ...]) besides the pairs found "
                     "and rules/libc-pairs.toml."),
        click.option("--only", "only", multiple=True, metavar="HEADER",
                     help="Only pairs with this header, as the output prints it: <fcntl.h>, fcntl.h, "
                     "linux/fcntl.h, a path, or a pair '<fcntl.h> with <linux/fcntl.h>'; repeatable."),
        click.option("--arch", "arch", multiple=True, help=ARCH_HELP + " Default: x86_64."),
        click.option("--mode", type=click.Choice(MODES), default="include", show_default=True,
                     help="Which builds to report for: 'include' sees the headers with -I (the libc's own "
                     "build); 'system' takes them from system directories, where GCC is silent about "
                     "redefinitions and -Wundef."),
        click.option("--no-known", "no_known", is_flag=True,
                     help="Also report the conflicts uapicheck's matrix knows for this C library version "
                     "(rules/libc-known.json), which are otherwise counted as known."),
        *rule_options("UA70"),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def gate_opts(libc_root: str, kernel_root: str, pairs_path: str | None, only: tuple[str, ...],
              arch: tuple[str, ...], mode: str, no_known: bool, baseline_path: str | None = None) -> GateOptions:
    from .gate.run import Options as GateOptions  # the gate's engine: only its commands load it

    return GateOptions(libc_root, kernel_root, arches(arch) or ["x86_64"], pairs_path, list(only), mode,
                       not no_known, baseline_path)


@main.command("libc-gate")
@gate_options
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False, exists=True),
              help="Report only findings this baseline (uapicheck baseline record-gate) does not accept.")
@click.option("--fail-on", type=click.Choice(FAIL_ON), help="Lowest severity that makes the exit status 1 "
              "(default: the configuration's, 'error').")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif"]), default="text", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report here.")
def libc_gate_cmd(libc_root: str, kernel_root: str, pairs_path: str | None, only: tuple[str, ...],
                  arch: tuple[str, ...], mode: str, no_known: bool, select: tuple[str, ...],
                  ignore: tuple[str, ...], config_path: str | None, baseline_path: str | None,
                  fail_on: str | None, fmt: str, output: str | None) -> int:
    """Predict every conflict a compiler would raise between a C library's
    headers and a kernel's: for each pair of a libc header and a kernel
    header that define a name in common (found in the two trees, plus
    rules/libc-pairs.toml), in both include orders, macro redefinitions
    that are not token-identical, #if on undefined identifiers, types
    defined twice, enumerators a macro replaces, libc copies of structs
    whose layout differs. Each finding says how to fix it.

    For glibc (version from <features.h>) and musl, the conflicts
    uapicheck's matrix found with that version and the oldest kernel it
    tested are long-standing: they are counted as known, not reported
    (--no-known shows them), so the gate is red only on what is new.

    \b
    Examples (a libc build gate):
      uapicheck libc-gate --libc /usr/include --kernel $(KERNEL_HEADERS)/usr/include
      uapicheck libc-gate --libc inst/include --kernel k/usr/include --baseline baselines/libc-gate.json
      uapicheck libc-gate --libc /usr/include --kernel k --only '<sys/mount.h>' --no-known

    Exit status: 0 nothing new at or above --fail-on in --mode, 1 new
    findings, 2 usage error, 3 internal error.
    """
    return commands.libc_gate(gate_opts(libc_root, kernel_root, pairs_path, only, arch, mode, no_known,
                                        baseline_path), Rules(config_path, list(select), list(ignore), fail_on),
                              fmt, output)


@baseline_cmd.command("record-gate")
@gate_options
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False), default="baselines/libc-gate.json",
              show_default=True, help="The baseline file to write.")
def baseline_record_gate_cmd(libc_root: str, kernel_root: str, pairs_path: str | None, only: tuple[str, ...],
                             arch: tuple[str, ...], mode: str, no_known: bool, select: tuple[str, ...],
                             ignore: tuple[str, ...], config_path: str | None, output: str) -> int:
    """Record every finding libc-gate reports now (same arguments) as
    accepted: `libc-gate --baseline FILE` then reports only new ones and
    names entries that went stale."""
    return commands.baseline_record_gate(gate_opts(libc_root, kernel_root, pairs_path, only, arch, mode, no_known),
                                         Rules(config_path, list(select), list(ignore)), output)


@main.command("rules")
@click.argument("rule", required=False)
@click.option("--markdown", is_flag=True, help="The whole catalogue as Markdown (docs/rules.md is this).")
def rules_cmd(rule: str | None, markdown: bool) -> int:
    """List the rules, or show one rule's documentation (by code or name).

    \b
    Severities: error, certainly breaks existing binaries or builds;
    warning, breaks some users or needs review; note, context.
    """
    return commands.rules(rule, markdown)


@main.command("layout")
@click.argument("type_name", metavar="TYPE")
@click.argument("source")
@click.option("--arch", "arch", multiple=True, help=ARCH_HELP + " Default: x86_64.")
@click.option("--header", "headers", multiple=True, metavar="GLOB",
              help="Only look in these headers (faster); default: all.")
@click.option("--format", "fmt", type=click.Choice(["text", "html"]), default="text", show_default=True,
              help="html: a page with TYPE drawn per arch, arches that lay it out the same in one row.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write here, not to stdout.")
@engine_options
def layout_cmd(type_name: str, source: str, arch: tuple[str, ...], headers: tuple[str, ...], fmt: str,
               output: str | None, engine: Engine) -> int:
    """Show TYPE ('struct rseq', 'union x', a typedef name) as pahole would:
    offsets, sizes, holes and padding, per arch."""
    return commands.layout(type_name, source, arches(arch), list(headers), engine, fmt, output)


def run(argv: Sequence[str] | None = None) -> int:
    try:
        status = main.main(args=list(argv) if argv is not None else None, standalone_mode=False)
    except (Interrupted, click.exceptions.Abort, KeyboardInterrupt):
        click.echo("uapicheck: interrupted", err=True)
        return 130
    except click.ClickException as exc:
        exc.show()
        return 2
    except UapicheckError as exc:
        click.echo(f"uapicheck: error: {exc}", err=True)
        return 2
    except Exception:  # noqa: BLE001 - the last line of defence
        import platform  # here only: every run would pay for them
        import traceback

        click.echo(
            f"uapicheck: internal error; please report it with this text:\n"
            f"uapicheck {__version__}, Python {platform.python_version()}, {platform.platform()}\n"
            f"command: uapicheck {' '.join(argv or sys.argv[1:])}\n{traceback.format_exc()}",
            err=True,
        )
        return 3
    return status if isinstance(status, int) else 0


def entry() -> None:
    status = run()
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        pass  # the reader stopped reading (| head): nothing to tell it
    except OSError as exc:
        click.echo(f"uapicheck: error: cannot write the output: {exc.strerror or exc}", err=True)
        status = status or 2
    sys.stderr.flush()
    # no teardown: a run's module-level stores (tokens, chunks, declarations)
    # hold millions of objects, and freeing them one by one took 3 s of a
    # 2-arch run after its last output; there is nothing else to close
    os._exit(status)
