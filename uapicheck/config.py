"""Configuration: which rules run, at what severity, on which arches.

Defaults come from rules/defaults.toml; a project overrides them in a
uapicheck.toml or in pyproject.toml under [tool.uapicheck], found by
walking up from the working directory, or named with --config.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field, replace
from fnmatch import fnmatchcase
from importlib import resources
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from .arches import ARCHES
from .checks import Finding, Rule
from .checks.data import DataError, RuleData, load_toml, shipped
from .checks.registry import BY_CODE, BY_NAME, RULES
from .diagnostics import SEVERITIES

KEYS = {"select", "ignore", "severity", "per-header-ignores", "arches", "fail-on", "rule-files"}
FAIL_ON = (*SEVERITIES, "never")
CODE_PREFIX = re.compile(r"^UA\d{0,3}$")


class ConfigError(Exception):
    pass


@dataclass
class Config:
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)  # rule code -> severity
    per_header_ignores: dict[str, list[str]] = field(default_factory=dict)
    arches: list[str] = field(default_factory=list)
    fail_on: str = "error"
    data: RuleData = field(default_factory=RuleData)
    origin: str = "rules/defaults.toml"

    def rules(self) -> list[type[Rule]]:
        return [r for r in RULES if _enabled(r, self.select, self.ignore)]

    def ignored_in(self, header: str, rule: type[Rule]) -> bool:
        return any(fnmatchcase(header, glob) and _enabled(rule, [], entries) is False
                   for glob, entries in self.per_header_ignores.items())

    def severity_of(self, rule: type[Rule]) -> str:
        return self.severity.get(rule.code, rule.severity)


def apply_to(config: Config, findings: list[Finding]) -> tuple[list[Finding], int]:
    """Severities from the configuration; per-header ignores, counted."""
    kept: list[Finding] = []
    suppressed = 0
    for f in findings:
        rule = BY_CODE[f.code]
        if config.ignored_in(f.header, rule):
            suppressed += 1
            continue
        if rule.code in config.severity:
            f = replace(f, severity=config.severity[rule.code])
        kept.append(f)
    return kept, suppressed


def _match_length(rule: type[Rule], entry: str) -> int:
    if entry == rule.name:
        return 100
    return len(entry) if rule.code.startswith(entry) else -1


def _enabled(rule: type[Rule], select: list[str], ignore: list[str]) -> bool:
    best_select = max((_match_length(rule, e) for e in select), default=-1)
    best_ignore = max((_match_length(rule, e) for e in ignore), default=-1)
    if best_ignore > best_select:
        return False
    return best_select >= 0 or not select


def _check_entry(entry: object, where: str) -> str:
    if not isinstance(entry, str) or not (entry in BY_NAME or (CODE_PREFIX.match(entry)
                                                               and any(c.startswith(entry) for c in BY_CODE))):
        raise ConfigError(f"{where}: unknown rule code or name {entry!r} (see `uapicheck rules`)")
    return entry


def _rule(entry: str, where: str) -> type[Rule]:
    rule = BY_CODE.get(entry) or BY_NAME.get(entry)
    if rule is None:
        raise ConfigError(f"{where}: unknown rule {entry!r} (see `uapicheck rules`)")
    return rule


def apply(config: Config, table: dict, origin: str, base: Path | None) -> None:  # type: ignore[type-arg]
    for key in table:
        if key not in KEYS:
            raise ConfigError(f"{origin}: unknown key '{key}' (known: {', '.join(sorted(KEYS))})")

    def strings(key: str) -> list[str]:
        v = table[key]
        if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
            raise ConfigError(f"{origin}: '{key}' must be a list of strings")
        return v

    if "select" in table:
        config.select = [_check_entry(e, f"{origin}: select") for e in strings("select")]
    if "ignore" in table:
        config.ignore = [_check_entry(e, f"{origin}: ignore") for e in strings("ignore")]
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
        for a in strings("arches"):
            if a not in ARCHES:
                raise ConfigError(f"{origin}: arches: unknown architecture {a!r} (known: {', '.join(ARCHES)})")
        config.arches = strings("arches")
    if "fail-on" in table:
        if table["fail-on"] not in FAIL_ON:
            raise ConfigError(f"{origin}: fail-on: {table['fail-on']!r} is not one of {', '.join(FAIL_ON)}")
        config.fail_on = table["fail-on"]
    if "rule-files" in table:
        for name in strings("rule-files"):
            path = (base / name) if base else Path(name)
            try:
                config.data.merge(load_toml(path), str(path))
            except DataError as exc:
                raise ConfigError(str(exc)) from None
    config.origin = origin


def find(start: Path) -> tuple[Path, dict] | None:  # type: ignore[type-arg]
    """The nearest uapicheck.toml, or pyproject.toml with [tool.uapicheck]."""
    for folder in [start, *start.parents]:
        own = folder / "uapicheck.toml"
        if own.is_file():
            return own, _read(own)
        project = folder / "pyproject.toml"
        if project.is_file():
            table = _read(project).get("tool", {}).get("uapicheck")
            if table is not None:
                return project, table
    return None


def _read(path: Path) -> dict:  # type: ignore[type-arg]
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: {exc}") from None


def load(path: str | None = None, cwd: Path | None = None) -> Config:
    config = Config()
    try:
        config.data = shipped()
    except DataError as exc:
        raise ConfigError(str(exc)) from None
    defaults = tomllib.loads(resources.files("uapicheck").joinpath("ruledata", "defaults.toml").read_text())
    apply(config, defaults, "rules/defaults.toml", None)
    if path is not None:
        p = Path(path)
        table = _read(p)
        if p.name == "pyproject.toml":
            table = table.get("tool", {}).get("uapicheck", {})
        apply(config, table, str(p), p.parent)
    else:
        found = find(cwd or Path.cwd())
        if found is not None:
            apply(config, found[1], str(found[0]), found[0].parent)
    return config
