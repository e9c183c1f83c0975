"""diff through the command line: text, JSON and SARIF carry the same
findings; --fail-on and the configuration decide the exit status."""

from __future__ import annotations

import json
import os
from pathlib import Path

import jsonschema
import pytest

from uapicheck.cli import run
from support.harness import hdr, tree

SCHEMA = Path(__file__).parent / "data" / "sarif-2.1.0-subset.schema.json"
OLD = hdr("#define TEST_TREE_CLONE 1\n#define GONE 2\nstruct s { __u32 a; };\n")
NEW = hdr("#define TEST_TREE_CLONE (1 << 0)\nstruct s { __u32 a; __u32 b; };\n")


@pytest.fixture
def trees(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    tree(tmp_path / "old", OLD)
    tree(tmp_path / "new", NEW)
    monkeypatch.chdir(tmp_path)
    return "old", "new"


def test_text_summary_and_exit_status(trees: tuple[str, str], capsys) -> None:
    assert run(["diff", *trees, "--arch", "x86_64", "-q"]) == 1
    out = capsys.readouterr().out
    assert out.splitlines()[-1] == "2 errors, 1 warning, 0 notes in 1 header on x86_64 (0 suppressed)"
    assert run(["diff", *trees, "--arch", "x86_64", "-q", "--ignore", "UA101,UA202"]) == 0
    assert run(["diff", *trees, "--arch", "x86_64", "-q", "--ignore", "UA101,UA202", "--fail-on", "warning"]) == 1
    assert run(["diff", *trees, "--arch", "x86_64", "-q", "--fail-on", "never"]) == 0


def test_per_header_ignores_are_counted(trees: tuple[str, str], capsys) -> None:
    Path("uapicheck.toml").write_text('[per-header-ignores]\n"linux/x.h" = ["UA1"]\n')
    assert run(["diff", *trees, "--arch", "x86_64", "-q"]) == 1
    assert capsys.readouterr().out.splitlines()[-1] == (
        "1 error, 0 warnings, 0 notes in 1 header on x86_64 (2 suppressed)")


def test_bad_configuration_exits_2(trees: tuple[str, str], capsys) -> None:
    Path("uapicheck.toml").write_text('fail_on = "error"\n')
    assert run(["diff", *trees, "-q"]) == 2
    assert "unknown key 'fail_on'" in capsys.readouterr().err


def test_json_and_sarif_carry_the_same_findings(trees: tuple[str, str], capsys) -> None:
    run(["diff", *trees, "--arch", "x86_64,i386", "-q", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert report["schema"] == "uapicheck-report/1"
    run(["diff", *trees, "--arch", "x86_64,i386", "-q", "--format", "sarif"])
    sarif = json.loads(capsys.readouterr().out)
    jsonschema.validate(sarif, json.loads(SCHEMA.read_text()))
    results = sarif["runs"][0]["results"]
    assert [(f["code"], f["severity"], f["message"], f["line"], f["fingerprint"]) for f in report["findings"]] == [
        (r["ruleId"], r["level"], r["message"]["text"], r["locations"][0]["physicalLocation"]["region"]["startLine"],
         r["partialFingerprints"]["uapicheck/v1"]) for r in results]
    assert {tuple(f["arches"]) for f in report["findings"]} == {("x86_64", "i386")}
    rules = sarif["runs"][0]["tool"]["driver"]["rules"]
    assert all(rules[r["ruleIndex"]]["id"] == r["ruleId"] for r in results)


@pytest.mark.skipif(not os.environ.get("SARIF_SCHEMA"), reason="set SARIF_SCHEMA to the full OASIS schema file")
def test_sarif_against_the_full_oasis_schema(trees: tuple[str, str], capsys) -> None:
    run(["diff", *trees, "--arch", "x86_64", "-q", "--format", "sarif"])
    schema = json.loads(Path(os.environ["SARIF_SCHEMA"]).read_text())
    jsonschema.validate(json.loads(capsys.readouterr().out), schema)
