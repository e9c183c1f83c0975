"""The rule catalogue stays coded, documented and tested."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from uapicheck.checks.registry import RULES as DIFF_RULES
from uapicheck.cli import run
from uapicheck.gate.rules import GATE_RULES
from uapicheck.rulebase import SECTIONS, AnyRule

RULE_TESTS = Path(__file__).parent / "rules"
RULES = DIFF_RULES + GATE_RULES


def test_codes_and_names_are_unique_and_well_formed() -> None:
    codes = [r.code for r in RULES]
    names = [r.name for r in RULES]
    assert len(set(codes)) == len(codes), "duplicate codes"
    assert len(set(names)) == len(names), "duplicate names"
    for r in RULES:
        assert re.fullmatch(r"UA[1-7]\d\d", r.code), r.code
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", r.name), r.name
        assert r.severity in ("error", "warning", "note"), r


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_every_rule_is_documented(rule: AnyRule) -> None:
    doc = rule.doc()
    headings = [line[:-1] for line in doc.splitlines() if line.endswith(":") and line[:-1] in SECTIONS]
    assert headings == list(SECTIONS), f"{rule.code}: sections {headings}"
    for section in re.split(r"^(?:" + "|".join(SECTIONS) + r"):$", doc, flags=re.M)[1:]:
        assert section.strip(), f"{rule.code}: an empty section"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_every_rule_has_its_own_fixture_test(rule: AnyRule) -> None:
    module = rule.__module__.rsplit(".", 1)[1]
    test = (RULE_TESTS / "gate" if rule in GATE_RULES else RULE_TESTS) / f"test_{module}.py"
    assert test.is_file(), f"{rule.code}: no {test.name}"
    text = test.read_text()
    assert f'"{rule.code}"' in text and "def test_not_" in text, f"{rule.code}: no case and look-alike"


def test_rules_command_lists_and_explains(capsys) -> None:
    assert run(["rules"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in out] == sorted(r.code for r in RULES)
    assert run(["rules", "macro-token-form-changed"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("UA103 macro-token-form-changed (default severity: warning)\n\nWhat it detects:")
    assert run(["rules", "UA999"]) == 2


def test_docs_rules_md_is_the_generated_catalogue(capsys) -> None:
    assert run(["rules", "--markdown"]) == 0
    docs = Path(__file__).parent.parent / "docs" / "rules.md"
    assert docs.read_text() == capsys.readouterr().out, "regenerate: uapicheck rules --markdown > docs/rules.md"
