"""Configuration: select and ignore (longest match wins), severities,
per-header ignores, discovery, and errors that name the bad key."""

from __future__ import annotations

from pathlib import Path

import pytest

from uapicheck.checks.registry import RULES
from uapicheck.config import ConfigError, apply, load

RULES_ON = [
    ({}, "UA103", True),
    ({"select": ["UA2"]}, "UA103", False),
    ({"select": ["UA2"]}, "UA213", True),
    ({"select": ["UA2"], "ignore": ["UA213"]}, "UA213", False),
    ({"select": ["UA213"], "ignore": ["UA2"]}, "UA213", True),
    ({"ignore": ["macro-token-form-changed"]}, "UA103", False),
    ({"ignore": ["UA1"], "select": ["macro-token-form-changed"]}, "UA103", True),
]


@pytest.mark.parametrize("table,code,on", RULES_ON)
def test_select_and_ignore(table: dict, code: str, on: bool) -> None:
    config = load(cwd=Path("/"))
    apply(config, table, "test", None)
    assert (code in {r.code for r in config.rules(RULES)}) is on


@pytest.mark.parametrize("table,message", [
    ({"selekt": []}, "test: unknown key 'selekt'"),
    ({"select": ["UA999"]}, "test: select: unknown rule code or name 'UA999'"),
    ({"ignore": ["no-such-rule"]}, "test: ignore: unknown rule code or name 'no-such-rule'"),
    ({"severity": {"UA103": "fatal"}}, "test: severity.UA103: 'fatal' is not one of note, warning, error"),
    ({"severity": {"bogus": "error"}}, "test: severity: unknown rule 'bogus'"),
    ({"arches": ["vax"]}, "test: arches: unknown architecture 'vax'"),
    ({"fail-on": "sometimes"}, "test: fail-on: 'sometimes' is not one of note, warning, error, never"),
    ({"per-header-ignores": {"linux/*": ["UA0"]}}, "test: per-header-ignores.linux/*: unknown rule code"),
])
def test_errors_name_what_is_wrong(table: dict, message: str) -> None:
    with pytest.raises(ConfigError) as exc:
        apply(load(cwd=Path("/")), table, "test", None)
    assert str(exc.value).startswith(message)


def test_discovery_from_pyproject_and_uapicheck_toml(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.uapicheck]\nfail-on = "warning"\n')
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    assert load(cwd=deep).fail_on == "warning"
    (tmp_path / "a" / "uapicheck.toml").write_text('fail-on = "note"\nseverity = { UA103 = "error" }\n')
    config = load(cwd=deep)
    assert (config.fail_on, config.severity, config.origin) == ("note", {"UA103": "error"},
                                                                str(tmp_path / "a" / "uapicheck.toml"))


def test_rule_files_add_flag_families(tmp_path: Path) -> None:
    (tmp_path / "more.toml").write_text('[family.FOO]\nargument = "foo(2) flags"\nmacros = ["FOO_*"]\n')
    (tmp_path / "uapicheck.toml").write_text('rule-files = ["more.toml"]\n')
    assert load(cwd=tmp_path).data.families["FOO"].has("FOO_BAR")
    (tmp_path / "more.toml").write_text('[family.FOO]\nargument = "x"\nmacro = ["FOO_*"]\n')
    with pytest.raises(ConfigError, match="family.FOO: unknown key 'macro'"):
        load(cwd=tmp_path)


def test_a_familys_members_are_the_names_its_globs_match() -> None:
    """Family.members looks first for a glob's literal start; what it finds
    must be what fnmatch finds, for the shipped families and for globs that
    start with a wildcard, hold a class or exclude names."""
    from uapicheck.checks.data import ByStart, Family, shipped
    names = ["O_RDONLY", "O_CLOEXEC", "MS_RDONLY", "MFD_HUGE_2MB", "MFD_HUGE_MASK", "AT_FDCWD", "XO_X", "O_",
             "FAN_MARK_ADD", "RWF_HIPRI", "OPEN_TREE_CLONE", "AT_RECURSIVE", "a", "_O_RDONLY"]
    families = [*shipped().families.values(),
                Family("lead", "x", ("*_RDONLY",)), Family("class", "x", ("[AM]?_*", "O[!_]*")),
                Family("ex", "x", ("MFD_*",), ("MFD_HUGE_MASK",))]
    for fam in families:
        assert fam.members(ByStart(names)) == [n for n in names if fam.has(n)], fam.name
    assert Family("ex", "x", ("MFD_*",), ("MFD_HUGE_MASK",)).members(ByStart(names)) == ["MFD_HUGE_2MB"]
    # a snapshot file's macro names are anything it says: one with a newline is one name still
    odd = ["MFD_CLOEXEC\nMFD_X", "MFD_ALLOW_SEALING"]
    assert Family("mfd", "x", ("MFD_*",)).members(ByStart(odd)) == odd
