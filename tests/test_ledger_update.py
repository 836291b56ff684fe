"""`planc ledger --update`: the office's cells stay on their tasks through a revised plan."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path
from typing import Any

import openpyxl

from planc.ledger import HEADERS
from tests.conftest import SAMPLES
from tests.test_ledger import PLANC


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([PLANC, *args], capture_output=True, text=True, cwd=cwd, timeout=120)


def rows_of(path: Path) -> list[dict[str, Any]]:
    sheet = openpyxl.load_workbook(io.BytesIO(path.read_bytes()))["任务台账"]
    values = list(sheet.iter_rows(values_only=True))
    return [dict(zip(HEADERS, row, strict=True)) for row in values[1:]]


def by_heading(rows: list[dict[str, Any]], heading: str) -> dict[str, Any]:
    (row,) = [r for r in rows if r["具体任务"] == heading]
    return row


def _revise(text: str) -> str:
    """The next edition: item 10 dropped and the items after it renumbered, item 5 reworded,
    a new item 34 added at the end."""
    text = re.sub(r"\n10\. 筹建张仲景实验室。[^\n]*\n", "\n", text)

    def renumber(m: re.Match[str]) -> str:
        number = int(m.group(1))
        return f"\n{number - 1 if number > 10 else number}. "

    text = re.sub(r"\n(\d{1,2})\. ", renumber, text)
    text = text.replace("全面提升市县中医院服务能力", "全面提升市、县两级中医院服务能力")
    return (
        text.replace(
            "\n33. 统筹做好其它工作。",
            "\n33. 统筹做好其它工作。",
        ).rstrip("\n")
        + "\n\n34. 建设中医药数字化平台。年底前上线中医药综合监管平台。\n"
    )


def test_update_keeps_what_the_office_typed(tmp_path: Path) -> None:
    plan = tmp_path / "nanyang.txt"
    plan.write_text(SAMPLES["nanyang"].read_text(encoding="utf-8"), encoding="utf-8")
    ledger = tmp_path / "台账.xlsx"
    made = run("ledger", "nanyang.txt", "-o", "台账.xlsx", cwd=tmp_path)
    assert made.returncode == 0, made.stderr

    # The office fills in four tasks: one to be renumbered, one reworded, one removed, one kept.
    notes = {
        "加强基层人才培养和队伍建设": ("推进中", "已完成订单定向医学生招录"),  # 12. → 11.
        "构建优质高效中医药服务体系": ("滞后", "县级中医院评审未启动"),  # reworded
        "筹建张仲景实验室": ("已完成", "实验室已挂牌"),  # removed
        "统筹做好其它工作": ("推进中", "按月报送"),  # 34. → 33.
    }
    workbook = openpyxl.load_workbook(ledger)
    sheet = workbook["任务台账"]
    column = {header: i + 1 for i, header in enumerate(HEADERS)}
    for r in range(2, sheet.max_row + 1):
        heading = sheet.cell(r, column["具体任务"]).value
        if heading in notes:
            sheet.cell(r, column["状态"]).value = notes[heading][0]
            sheet.cell(r, column["进展情况"]).value = notes[heading][1]
    workbook.save(ledger)
    before = ledger.read_bytes()

    plan.write_text(_revise(plan.read_text(encoding="utf-8")), encoding="utf-8")
    updated = run("ledger", "nanyang.txt", "--update", "台账.xlsx", cwd=tmp_path)
    assert updated.returncode == 0, updated.stderr
    assert "1 new" in updated.stderr and "1 no longer in the plan" in updated.stderr
    assert (tmp_path / "台账.xlsx.bak").read_bytes() == before

    rows = rows_of(ledger)
    renumbered = by_heading(rows, "加强基层人才培养和队伍建设")
    assert renumbered["序号"] == "5.11"
    assert (renumbered["状态"], renumbered["进展情况"]) == notes["加强基层人才培养和队伍建设"]
    assert renumbered["变更"] is None  # renumbered, same words: unchanged
    reworded = by_heading(rows, "构建优质高效中医药服务体系")
    assert (reworded["状态"], reworded["进展情况"]) == notes["构建优质高效中医药服务体系"]
    assert reworded["变更"] == "已修改" and "市、县两级" in reworded["内容"]
    removed = by_heading(rows, "筹建张仲景实验室")
    assert removed["变更"] == "已移出计划"
    assert (removed["状态"], removed["进展情况"]) == notes["筹建张仲景实验室"]
    assert rows[-1] is removed  # kept at the end, never deleted
    last = by_heading(rows, "统筹做好其它工作")
    assert last["序号"] == "10.33" and last["状态"] == "推进中"
    added = by_heading(rows, "建设中医药数字化平台")
    assert added["变更"] == "新增" and added["状态"] is None
    assert added["截止日期"].date().isoformat() == "2023-12-31"

    untouched = [r for r in rows if r["具体任务"] not in notes and r["变更"] is None]
    assert all(r["状态"] is None for r in untouched)
    assert len(rows) == len(rows_of_fresh(tmp_path)) + 1  # every task, plus the removed one


def rows_of_fresh(tmp_path: Path) -> list[dict[str, Any]]:
    fresh = tmp_path / "fresh.xlsx"
    assert run("ledger", "nanyang.txt", "-o", "fresh.xlsx", cwd=tmp_path).returncode == 0
    return rows_of(fresh)


def test_update_refuses_what_is_not_a_ledger(tmp_path: Path) -> None:
    (tmp_path / "plan.txt").write_text(SAMPLES["nanyang"].read_text("utf-8"), encoding="utf-8")
    other = tmp_path / "other.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.append(["姓名", "电话"])  # type: ignore[union-attr]
    workbook.save(other)
    before = other.read_bytes()
    result = run("ledger", "plan.txt", "--update", "other.xlsx", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "is not a planc ledger" in result.stderr
    assert other.read_bytes() == before and not (tmp_path / "other.xlsx.bak").exists()


def test_libreoffice_opens_the_ledger_without_repair(tmp_path: Path) -> None:
    """Where LibreOffice is installed, it reads the workbook (formulas, validation, print
    set-up and all) and converts it, as it would not a file it had to repair."""
    import shutil

    import pytest

    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        pytest.skip("needs LibreOffice (soffice) on PATH")
    (tmp_path / "plan.txt").write_text(SAMPLES["nanyang"].read_text("utf-8"), encoding="utf-8")
    assert run("ledger", "plan.txt", "-o", "台账.xlsx", cwd=tmp_path).returncode == 0
    converted = subprocess.run(
        [office, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to",
         "csv", "--outdir", str(tmp_path / "csv"), str(tmp_path / "台账.xlsx")],
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert converted.returncode == 0, converted.stderr
    table = (tmp_path / "csv" / "台账.csv").read_text(encoding="utf-8", errors="replace")
    assert table.startswith("序号,重点任务,具体任务")
