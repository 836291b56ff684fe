"""`planc check` and `planc rules` as a user runs them: formats, exit codes, configuration."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SAMPLES, shared_path

BAD = "2023年工作要点\n一、总体要求\n1. 推进平安建设建设。\n3. 落实主体责任 。\n"
GOOD = "2023年工作要点\n一、总体要求\n1. 推进平安建设。\n2. 落实主体责任。\n"


def planc(
    *args: str, cwd: Path | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from planc.cli import main; main()", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        input=stdin,
        check=False,
    )


@pytest.fixture
def drafts(tmp_path: Path) -> Path:
    (tmp_path / "bad.txt").write_text(BAD, encoding="utf-8")
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    return tmp_path


def test_text_output_and_exit_codes(drafts: Path) -> None:
    result = planc("check", "bad.txt", "good.txt", cwd=drafts)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "bad.txt:3:10: E PC302 '建设' typed twice: '建设建设'",
        "bad.txt:4:1: E PC101 3. follows 1.: 2. missing",
        "bad.txt:4:10: W PC306 space before '。'",
    ]
    assert result.stderr.strip() == "planc check: 2 errors, 1 warning in 2 files"
    assert planc("check", "good.txt", cwd=drafts).returncode == 0


def test_fail_on(drafts: Path) -> None:
    assert planc("check", "bad.txt", "--fail-on", "never", cwd=drafts).returncode == 0
    warn_only = planc("check", "bad.txt", "--select", "PC306", cwd=drafts)
    assert warn_only.returncode == 0 and "PC306" in warn_only.stdout
    assert (
        planc(
            "check", "bad.txt", "--select", "PC306", "--fail-on", "warning", cwd=drafts
        ).returncode
        == 1
    )


def test_bad_input_is_one_line_and_exit_2(drafts: Path) -> None:
    for args in (
        ("check", "missing.txt"),
        ("check", "bad.txt", "--format", "xml"),
        ("check", "bad.txt", "--select", "PC999"),
        ("check", "bad.txt", "--fail-on", "sometimes"),
        ("rules", "PC999"),
    ):
        result = planc(*args, cwd=drafts)
        assert result.returncode == 2, args
        assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    # a bad file among good ones: the others are still checked
    mixed = planc("check", "missing.txt", "bad.txt", cwd=drafts)
    assert mixed.returncode == 2 and "PC302" in mixed.stdout


def test_stdin(drafts: Path) -> None:
    result = planc("check", "-", stdin=BAD, cwd=drafts)
    assert result.returncode == 1 and result.stdout.startswith("-:3:10: E PC302")


def test_json_format(drafts: Path) -> None:
    result = planc("check", "bad.txt", "--format", "json", cwd=drafts)
    data = json.loads(result.stdout)
    assert [(d["rule"], d["name"], d["severity"], d["line"], d["column"]) for d in data] == [
        ("PC302", "repeated-word", "error", 3, 10),
        ("PC101", "numbering-gap", "error", 4, 1),
        ("PC306", "space-before-punctuation", "warning", 4, 10),
    ]
    assert data[0]["end_line"] == 3 and data[0]["end_column"] == 12


GITHUB_LINE = re.compile(
    r"::(error|warning|notice) file=[^,:]+,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,"
    r"title=PC\d{3} [a-z-]+::[^\r\n]+"
)


def test_github_format_is_one_workflow_command_a_line() -> None:
    result = planc("check", *map(str, SAMPLES.values()), "--format", "github")
    lines = result.stdout.splitlines()
    assert len(lines) > 10
    for line in lines:
        assert GITHUB_LINE.fullmatch(line), line
    assert any(
        line.startswith("::warning ") and "title=PC303 stray-latin::" in line for line in lines
    )


def test_sarif_validates_against_the_schema(tmp_path: Path) -> None:
    import jsonschema

    schema = json.loads(shared_path("schemas", "sarif-schema-2.1.0.json").read_text("utf-8"))
    out = tmp_path / "planc.sarif"
    result = planc("check", *map(str, SAMPLES.values()), "--format", "sarif", "-o", str(out))
    assert result.returncode == 1 and result.stdout == ""
    log = json.loads(out.read_text("utf-8"))
    jsonschema.validate(log, schema)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert {"PC101", "PC301", "PC401"} <= {r["id"] for r in rules}
    assert all(r["fullDescription"]["text"] and r["help"]["text"] for r in rules)
    for res in run["results"]:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
    regions = {
        (r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"])
        for r in run["results"]
    }
    assert ("PC305", 28) in regions and ("PC303", 19) in regions


def test_pyproject_config(drafts: Path) -> None:
    (drafts / "pyproject.toml").write_text(
        "[tool.planc.check]\nignore = ['PC3']\nextend-select = ['PC204']\n"
        "[tool.planc.check.severity]\nnumbering-gap = 'warning'\n",
        encoding="utf-8",
    )
    (drafts / "sub").mkdir()
    (drafts / "sub" / "bad.txt").write_text(BAD, encoding="utf-8")
    result = planc("check", "sub/bad.txt", "--format", "json", cwd=drafts)
    data = json.loads(result.stdout)
    assert [(d["rule"], d["severity"]) for d in data] == [("PC101", "warning")]
    assert result.returncode == 0  # the only finding is now a warning
    # the command line adds to the ignores and replaces the selection
    assert (
        json.loads(
            planc("check", "sub/bad.txt", "-f", "json", "--ignore", "PC1", cwd=drafts).stdout
        )
        == []
    )
    selected = json.loads(
        planc("check", "sub/bad.txt", "-f", "json", "--select", "PC306", cwd=drafts).stdout
    )
    assert [d["rule"] for d in selected] == []  # PC3 stays ignored by the file


def test_planc_toml_and_per_file_ignores(drafts: Path) -> None:
    (drafts / "planc.toml").write_text(
        "[check]\nfail-on = 'warning'\n[check.per-file-ignores]\n'old/*.txt' = ['PC302', 'PC101']\n",
        encoding="utf-8",
    )
    (drafts / "old").mkdir()
    (drafts / "old" / "bad.txt").write_text(BAD, encoding="utf-8")
    old = planc("check", "old/bad.txt", cwd=drafts)
    assert [line.split(" ")[2] for line in old.stdout.splitlines()] == ["PC306"]
    assert old.returncode == 1  # fail-on warning, from the file
    assert "PC302" in planc("check", "bad.txt", cwd=drafts).stdout


def test_bad_config_is_exit_2(drafts: Path) -> None:
    (drafts / "planc.toml").write_text("[check]\nselect = ['PC9']\n", encoding="utf-8")
    result = planc("check", "bad.txt", cwd=drafts)
    assert result.returncode == 2 and "planc.toml" in result.stderr and "PC9" in result.stderr
    (drafts / "planc.toml").write_text("[check\n", encoding="utf-8")
    assert planc("check", "bad.txt", cwd=drafts).returncode == 2


def test_rules_lists_every_rule_with_examples() -> None:
    from planc.check import all_rules

    result = planc("rules")
    assert result.returncode == 0
    for rule in all_rules():
        assert f"{rule.id} {rule.name} ({rule.severity}" in result.stdout
    assert result.stdout.count("  fails:") == len(all_rules())
    assert "PC204 target-without-owner (warning, off by default)" in result.stdout
    one = planc("rules", "repeated-word")
    assert one.stdout.startswith("PC302 repeated-word (error)") and "PC301" not in one.stdout


def test_pre_commit_hook_definition() -> None:
    import yaml

    hooks = yaml.safe_load(
        (Path(__file__).parent.parent / ".pre-commit-hooks.yaml").read_text("utf-8")
    )
    (hook,) = hooks
    assert hook["id"] == "planc-check" and hook["entry"].split()[:2] == ["planc", "check"]
