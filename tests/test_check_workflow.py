"""`planc check` kept on in CI: severity on every line, folders, baselines, fixes, CI formats."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.test_check_cli import planc

# A draft with one defect of each mechanical kind, and one that needs a person (a skipped
# number). Lines: 1 title, 2 number, 3 section, 4–6 items.
DRAFT = (
    "2023年南阳市中医药工作要点\n"
    "宛中发办[2023]04号\n"
    "一、推动中医药综合改革\n"
    "1. 推进平安建设建设。发挥中药(蒙药)区域制剂中心作用。\n"
    "2. 落实行业治理主体责任 。年底前建成20家灸疗中心。\n"
    "4. 加强督导。\n"
)


@pytest.fixture
def draft(tmp_path: Path) -> Path:
    path = tmp_path / "plans" / "draft.txt"
    path.parent.mkdir()
    path.write_text(DRAFT, encoding="utf-8")
    return path


def test_every_line_carries_severity_rule_and_message(draft: Path) -> None:
    result = planc("check", str(draft))
    lines = result.stdout.splitlines()
    assert f"{draft}:4:10: E PC302 '建设' typed twice: '建设建设'" in lines
    assert f"{draft}:5:14: W PC306 space before '。'" in lines
    assert f"{draft}:6:1: E PC101 4. follows 2.: 3. missing" in lines
    assert all(line.split(": ", 1)[1][:2] in ("E ", "W ", "I ") for line in lines)


def test_quiet_and_statistics(draft: Path) -> None:
    quiet = planc("check", "-q", str(draft))
    assert quiet.stderr == "" and quiet.stdout and quiet.returncode == 1
    stats = planc("check", "--statistics", str(draft))
    rows = [line.split("\t") for line in stats.stdout.splitlines()]
    assert ["1", "E PC302", "repeated-word"] in rows
    assert ["1", "W PC304", "half-width-punctuation"] in rows
    assert stats.returncode == 1


def test_help_everywhere_without_python_types() -> None:
    for command in ("parse", "build", "diff", "check", "rules", "validate", "schema"):
        result = planc(command, "-h")
        assert result.returncode == 0, result.stderr
        assert "<list" not in result.stdout and "{" not in result.stdout.splitlines()[0]
    summaries = planc("-h").stdout
    assert "..." not in summaries.split("Commands:")[1]


def test_folders_are_searched_like_ruff(tmp_path: Path, draft: Path) -> None:
    (draft.parent / "2024").mkdir()
    (draft.parent / "2024" / "other.txt").write_text(DRAFT, encoding="utf-8")
    (draft.parent / ".cache").mkdir()
    (draft.parent / ".cache" / "hidden.txt").write_text("not a plan", encoding="utf-8")
    result = planc("check", "-q", "plans", cwd=tmp_path)
    files = {line.split(":")[0] for line in result.stdout.splitlines()}
    assert files == {"plans/draft.txt", "plans/2024/other.txt"}
    missing = planc("check", "nowhere", cwd=tmp_path)
    assert missing.returncode == 2 and "nowhere: no such file or folder" in missing.stderr


def test_stdin_filename_names_the_findings(draft: Path) -> None:
    result = planc("check", "-", "--stdin-filename", "plans/new.txt", stdin=DRAFT)
    assert result.stdout.startswith("plans/new.txt:")


def test_baseline_accepts_old_findings_and_fails_on_new_ones(tmp_path: Path, draft: Path) -> None:
    baseline = tmp_path / ".planc-baseline.json"
    first = planc("check", str(draft), "--baseline", str(baseline))
    assert first.returncode == 0 and "recorded" in first.stderr
    assert json.loads(baseline.read_text("utf-8"))["findings"]

    again = planc("check", str(draft), "--baseline", str(baseline))
    assert again.returncode == 0 and again.stdout == ""

    # A paragraph added above moves every old finding down a line: still accepted.
    moved = DRAFT.replace("一、推动", "（此件公开发布）\n一、推动")
    draft.write_text(moved + "5. 严格落实落实责任。\n", encoding="utf-8")
    later = planc("check", str(draft), "--baseline", str(baseline))
    assert later.returncode == 1
    assert [line.split(": ", 1)[1] for line in later.stdout.splitlines()] == [
        "E PC302 '落实' typed twice: '落实落实'"
    ]


def test_fix_corrects_the_mechanical_findings_and_nothing_else(draft: Path) -> None:
    preview = planc("check", "--diff", str(draft))
    assert preview.returncode == 1
    assert "-1. 推进平安建设建设。发挥中药(蒙药)区域制剂中心作用。" in preview.stdout
    assert "+1. 推进平安建设。发挥中药（蒙药）区域制剂中心作用。" in preview.stdout
    assert draft.read_text("utf-8") == DRAFT  # a preview changes nothing

    fixed = planc("check", "--fix", str(draft))
    assert fixed.returncode == 1  # the skipped number is left to a person
    assert draft.read_text("utf-8") == (
        "2023年南阳市中医药工作要点\n"
        "宛中发办〔2023〕4号\n"
        "一、推动中医药综合改革\n"
        "1. 推进平安建设。发挥中药（蒙药）区域制剂中心作用。\n"
        "2. 落实行业治理主体责任。年底前建成20家灸疗中心。\n"
        "4. 加强督导。\n"
    )
    after = planc("check", "-q", str(draft))
    assert [line.split(": ", 1)[1][:7] for line in after.stdout.splitlines()] == ["E PC101"]


def test_fix_keeps_the_encoding_and_line_endings(tmp_path: Path) -> None:
    path = tmp_path / "gbk.txt"
    path.write_bytes(DRAFT.replace("\n", "\r\n").encode("gb18030"))
    planc("check", "--fix", str(path))
    data = path.read_bytes()
    assert data.count(b"\r\n") == DRAFT.count("\n")
    assert "推进平安建设。" in data.decode("gb18030")


def test_fix_refuses_standard_input() -> None:
    result = planc("check", "--fix", "-", stdin=DRAFT)
    assert result.returncode == 2 and "--diff to preview" in result.stderr


def test_gitlab_code_quality_report(draft: Path) -> None:
    report = json.loads(planc("check", "-f", "gitlab", str(draft)).stdout)
    assert len(report) >= 4
    fingerprints = [issue["fingerprint"] for issue in report]
    assert len(set(fingerprints)) == len(fingerprints)
    for issue in report:
        # The fields GitLab's Code Quality widget requires, with its severity names.
        assert isinstance(issue["description"], str) and issue["description"]
        assert isinstance(issue["check_name"], str)
        assert issue["severity"] in ("info", "minor", "major", "critical", "blocker")
        assert issue["location"]["path"] == str(draft)
        assert issue["location"]["positions"]["begin"]["line"] >= 1


def test_junit_report(draft: Path) -> None:
    root = ET.fromstring(planc("check", "-f", "junit", str(draft)).stdout)
    suite = root.find("testsuite")
    assert suite is not None and suite.get("name") == str(draft)
    cases = suite.findall("testcase")
    assert len(cases) == int(root.get("tests", "0")) >= 4
    assert any(case.find("error") is not None for case in cases)
    assert any(case.find("failure") is not None for case in cases)
