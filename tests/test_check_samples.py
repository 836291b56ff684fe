"""`planc check` on the two sample plans: every finding pinned, and a corrected copy clean.

The pin covers every rule enabled by default, the commitment rules too (they read the
extracted deadlines, targets and owners). After a reviewed change of rules or extraction,
regenerate it with

    PLANC_UPDATE_PINS=1 .venv/bin/pytest tests/test_check_samples.py

which writes what this command prints (run from the project root):

    planc check sources/2023/*.txt
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from planc.check import Rule, all_rules, check_text
from planc.check.report import text as text_report
from tests.conftest import ROOT, SAMPLES

PIN = Path(__file__).parent / "check_samples.txt"
PINNED_RULES = [r for r in all_rules() if r.default_enabled]
TEXT_RULES = [r for r in PINNED_RULES if not r.needs_extraction]

# Each defect the samples really contain, and its correction.
CORRECTIONS = {
    "nanyang": [
        ("精神 and 习近平", "精神和习近平"),
        ("平安建设建设", "平安建设"),
        ("有所突\n\n破。", "有所突破。"),
        ("灸疗\n\n服务三进", "灸疗服务三进"),
        ("在中医\n\n骨伤", "在中医骨伤"),
        ("，新\n\n建 15-20", "，新建 15-20"),
        ("健身气\n\n功比赛", "健身气功比赛"),
        ("溯源体\n\n系，", "溯源体系，"),
        ("抓实抓\n\n牢意识", "抓实抓牢意识"),
        ("评、正\n\n反面", "评、正反面"),
    ],
    "neimenggu": [
        ("推进大重大", "推进重大"),
        ("中药(蒙药)", "中药（蒙药）"),
        ("中西医(蒙西医)", "中西医（蒙西医）"),
        (
            "“方便用中医（蒙医）、放心用中药（蒙药）活动",
            "“方便用中医（蒙医）、放心用中药（蒙药）”活动",
        ),
        ("主体责任 。", "主体责任。"),
        ("开展 “两专科", "开展“两专科"),
    ],
}


def _report(rules: list[type[Rule]], texts: dict[str, str] | None = None) -> str:
    findings = []
    for name, path in SAMPLES.items():
        text = texts[name] if texts else path.read_text(encoding="utf-8")
        findings += check_text(text, path.relative_to(ROOT).as_posix(), rules)
    return text_report(findings, rules)


def test_sample_findings_are_pinned() -> None:
    report = _report(PINNED_RULES)
    if os.environ.get("PLANC_UPDATE_PINS"):
        PIN.write_text(report, encoding="utf-8")
    assert report == PIN.read_text(encoding="utf-8")


def test_pin_holds_the_known_defects() -> None:
    """The pin is not just whatever the rules said: it names each real defect."""
    pinned = PIN.read_text(encoding="utf-8")
    for needle in [
        "nanyang-tcm-2023.txt:19:36: W PC303 Latin word 'and'",
        "nanyang-tcm-2023.txt:117:16: E PC302 '建设' typed twice",
        "nanyang-tcm-2023.txt:25:83: E PC301 sentence broken across lines: '…等方面有所突'",
        "neimenggu-tcm-2023.txt:73:35: E PC302 stray '大' before '重大'",
        "neimenggu-tcm-2023.txt:23:54: W PC304 half-width brackets in Chinese prose: '(蒙药)'",
        "neimenggu-tcm-2023.txt:26:133: W PC304 half-width brackets in Chinese prose: '(蒙西医)'",
        "neimenggu-tcm-2023.txt:28:26: E PC305 '“' is never closed",
        "neimenggu-tcm-2023.txt:8:35: W PC306 space before '。'",
    ]:
        assert needle in pinned
    assert pinned.count(" PC301 ") == 8  # the Nanyang page breaks


@pytest.mark.parametrize("name", sorted(CORRECTIONS))
def test_corrected_sample_is_clean(name: str, tmp_path: Path) -> None:
    text = SAMPLES[name].read_text(encoding="utf-8")
    for wrong, right in CORRECTIONS[name]:
        assert wrong in text, wrong
        text = text.replace(wrong, right)
    assert check_text(text, name, TEXT_RULES) == []
    left = check_text(text, name, PINNED_RULES)
    assert {f.rule for f in left} <= {"PC201"}  # targets with no deadline: the plan's own choice

    from planc.check.command import run_check

    fixed = tmp_path / f"{name}.txt"
    fixed.write_text(text, encoding="utf-8")
    assert run_check([str(fixed)]) == 0  # every default rule: nothing at error level
