"""Configuration: which rules run, at what severity, on which arches.

Defaults come from rules/defaults.toml; a project overrides them in a
uapicheck.toml or in pyproject.toml under [tool.uapicheck], found by
walking up from the working directory, or named with --config. The same
selection and severities apply to both rule families: diff and libc gate.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from fnmatch import fnmatchcase
from pathlib import Path
from typing import TypeVar

from . import packaged, tomlfile
from .arches import ARCHES, lookup
from .catalogue import BY_CODE, CODE_PREFIX, matching
from .checks.data import DataError, RuleData, shipped
from .diagnostics import SEVERITIES
from .errors import UapicheckError
from .rulebase import AnyRule, Finding, Severity

DEFAULTS = "rules/defaults.toml"
KEYS = {"select", "ignore", "severity", "per-header-ignores", "arches", "fail-on", "rule-files"}
FAIL_ON = (*SEVERITIES, "never")
R = TypeVar("R", bound=AnyRule)


class ConfigError(UapicheckError):
    pass


@dataclass
class Config:
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, Severity] = field(default_factory=dict)  # rule code -> severity
    per_header_ignores: dict[str, list[str]] = field(default_factory=dict)
    arches: list[str] = field(default_factory=list)
    fail_on: str = "error"
    fail_on_origin: str = ""  # the file that set fail-on
    data: RuleData = field(default_factory=RuleData)
    origin: str = "rules/defaults.toml"

    def rules(self, family: Sequence[R]) -> list[R]:
        """The rules of one family that select and ignore leave on."""
        return [r for r in family if _enabled(r, self.select, self.ignore)]

    def ignored_in(self, header: str, rule: AnyRule) -> bool:
        return any(fnmatchcase(header, glob) and _enabled(rule, [], entries) is False
                   for glob, entries in self.per_header_ignores.items())

    def apply(self, findings: list[Finding]) -> tuple[list[Finding], int]:
        """Severities from the configuration; per-header ignores, counted."""
        kept: list[Finding] = []
        suppressed = 0
        for f in findings:
            rule = BY_CODE[f.code]
            if self.ignored_in(f.header, rule):
                suppressed += 1
                continue
            if rule.code in self.severity:
                f = replace(f, severity=self.severity[rule.code])
            kept.append(f)
        return kept, suppressed


def _match_length(rule: AnyRule, entry: str) -> int:
    if entry == rule.name:
        return 100
    return len(entry) if rule.code.startswith(entry) else -1


def _enabled(rule: AnyRule, select: list[str], ignore: list[str]) -> bool:
    best_select = max((_match_length(rule, e) for e in select), default=-1)
    best_ignore = max((_match_length(rule, e) for e in ignore), default=-1)
    if best_ignore > best_select:
        return False
    return best_select >= 0 or not select


def _check_entry(entry: object, where: str) -> str:
    """A code, code prefix or name, in its canonical case."""
    if not isinstance(entry, str) or not matching(entry):
        raise ConfigError(f"{where}: unknown rule code or name {entry!r} (see `uapicheck rules`)")
    return entry.upper() if CODE_PREFIX.match(entry.upper()) else entry.lower()


def _rule(entry: str, where: str) -> AnyRule:
    found = [r for r in matching(entry) if r.code == entry.upper() or r.name == entry.lower()]
    if not found:
        raise ConfigError(f"{where}: unknown rule {entry!r} (see `uapicheck rules`)")
    return found[0]


def _strings(table: tomlfile.Table, key: str, origin: str) -> list[str]:
    v = table[key]
    if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
        raise ConfigError(f"{origin}: '{key}' must be a list of strings")
    return v


def apply(config: Config, table: tomlfile.Table, origin: str, base: Path | None) -> None:
    tomlfile.table(table, KEYS, origin, ConfigError)
    if "select" in table:
        config.select = [_check_entry(e, f"{origin}: select") for e in _strings(table, "select", origin)]
    if "ignore" in table:
        config.ignore = [_check_entry(e, f"{origin}: ignore") for e in _strings(table, "ignore", origin)]
    if "severity" in table:
        if not isinstance(table["severity"], dict):
            raise ConfigError(f"{origin}: 'severity' must be a table of rule = severity")
        for k, v in table["severity"].items():
            if v not in SEVERITIES:
                raise ConfigError(f"{origin}: severity.{k}: {v!r} is not one of {', '.join(SEVERITIES)}")
            config.severity[_rule(k, f"{origin}: severity").code] = v
    if "per-header-ignores" in table:
        if not isinstance(table["per-header-ignores"], dict):
            raise ConfigError(f"{origin}: 'per-header-ignores' must be a table of header glob = [rules]")
        for glob, entries in table["per-header-ignores"].items():
            if not isinstance(entries, list):
                raise ConfigError(f"{origin}: per-header-ignores.{glob} must be a list")
            config.per_header_ignores[glob] = [_check_entry(e, f"{origin}: per-header-ignores.{glob}")
                                               for e in entries]
    if "arches" in table:
        names = []
        for a in _strings(table, "arches", origin):
            name = lookup(a)
            if name is None:
                raise ConfigError(f"{origin}: arches: unknown architecture {a!r} (known: {', '.join(ARCHES)})")
            names.append(name)
        config.arches = list(dict.fromkeys(names))
    if "fail-on" in table:
        if table["fail-on"] not in FAIL_ON:
            raise ConfigError(f"{origin}: fail-on: {table['fail-on']!r} is not one of {', '.join(FAIL_ON)}")
        config.fail_on = table["fail-on"]
        config.fail_on_origin = origin
    if "rule-files" in table:
        for name in _strings(table, "rule-files", origin):
            path = (base / name) if base else Path(name)
            try:
                config.data.merge(tomlfile.load(path, DataError), str(path))
            except DataError as exc:
                raise ConfigError(str(exc)) from None
    config.origin = origin


def find(start: Path) -> tuple[Path, tomlfile.Table] | None:
    """The nearest uapicheck.toml, or pyproject.toml with [tool.uapicheck]."""
    for folder in [start, *start.parents]:
        own = folder / "uapicheck.toml"
        if own.is_file():
            return own, tomlfile.load(own, ConfigError)
        project = folder / "pyproject.toml"
        if project.is_file():
            table = tomlfile.load(project, ConfigError).get("tool", {}).get("uapicheck")
            if table is not None:
                return project, table
    return None


def load(path: str | None = None, cwd: Path | None = None) -> Config:
    config = Config()
    try:
        config.data = shipped()
    except DataError as exc:
        raise ConfigError(str(exc)) from None
    apply(config, packaged.toml(DEFAULTS, "ruledata", "defaults.toml"), DEFAULTS, None)
    if path is not None:
        p = Path(path)
        table = tomlfile.load(p, ConfigError)
        if p.name == "pyproject.toml":
            table = table.get("tool", {}).get("uapicheck", {})
        apply(config, table, str(p), p.parent)
    else:
        found = find(cwd or Path.cwd())
        if found is not None:
            apply(config, found[1], str(found[0]), found[0].parent)
    return config
