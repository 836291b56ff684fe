"""`planc tasks`: what a unit owes and when, across plans and ledgers."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from planc.errors import PlancError
from planc.ledger import HEADERS
from planc.tasks import is_alias, parse_within
from tests.conftest import SOURCES
from tests.test_ledger import PLANC


def tasks(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([PLANC, "tasks", *args], capture_output=True, text=True, cwd=cwd)


@pytest.mark.parametrize(
    ("query", "name", "same"),
    [
        ("市卫健委", "市卫生健康委员会", True),
        ("市医保局", "市医疗保障局", True),
        ("国家发展改革委", "国家发展和改革委员会", True),
        ("市卫健委", "市医保局", False),
        ("市卫健委", "区卫生健康委员会", False),  # another level of government
        ("各盟市", "各盟市卫生健康委", False),  # another unit
        ("各县（市、区）政府", "各县(市、区)政府", True),
    ],
)
def test_owner_names_match_their_aliases(query: str, name: str, same: bool) -> None:
    assert is_alias(query, name) is same


def test_due_within_reads_days_weeks_and_months() -> None:
    assert [parse_within(t) for t in ("30d", "30", "2w", "1m", "10天")] == [30, 30, 14, 30, 10]
    with pytest.raises(PlancError):
        parse_within("soon")


def test_tasks_of_a_unit_across_plans() -> None:
    result = tasks(str(SOURCES / "2023"), "--owner", "各盟市", "-f", "json")
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found and all("各盟市" in (t["lead"], t["responsible"], t["cooperating"]) for t in found)
    assert {Path(t["source"].split(":")[0]).name for t in found} == {"neimenggu-tcm-2023.txt"}
    dues = [t["due"] for t in found if t["due"]]
    assert dues == sorted(dues)


def test_due_before_counts_every_milestone() -> None:
    result = tasks(str(SOURCES / "2023"), "--due-before", "2023-05-31", "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    ids = {(Path(r["source"].split(":")[0]).stem, r["id"]) for r in rows}
    # 1.1 is due at year end, with a milestone on 5 月底前: it is owed by then.
    assert ("nanyang-tcm-2023", "1.1") in ids
    assert all("2023-05" in r["deadline"] or "2023-0" in r["deadline"] for r in rows)


def test_status_comes_from_the_ledger(tmp_path: Path) -> None:
    made = subprocess.run(
        [PLANC, "ledger", str(SOURCES / "2023"), "-o", "台账.xlsx"],
        cwd=tmp_path,
        capture_output=True,
    )
    assert made.returncode == 0
    workbook = openpyxl.load_workbook(tmp_path / "台账.xlsx")
    sheet = workbook["任务台账"]
    status = HEADERS.index("状态") + 1
    sheet.cell(2, status).value = "滞后"
    late_id = sheet.cell(2, 1).value
    workbook.save(tmp_path / "台账.xlsx")
    late = json.loads(tasks("台账.xlsx", "--status", "滞后", "-f", "json", cwd=tmp_path).stdout)
    assert [t["id"] for t in late] == [late_id]
    table = tasks("台账.xlsx", "--status", "滞后", cwd=tmp_path).stdout
    assert "滞后" in table and table.rstrip().endswith("1 项任务")


def test_due_within_from_today() -> None:
    # The 2023 plans' dates are all past: nothing is due within 30 days of today.
    assert date.today().year > 2023
    result = tasks(str(SOURCES / "2023"), "--due-within", "30d", "-f", "json")
    assert result.returncode == 0 and json.loads(result.stdout) == []


def test_bad_queries_get_one_line() -> None:
    for args in (["--due-before", "next week"], ["--due-within", "soon"], ["-f", "xml"]):
        result = tasks(str(SOURCES / "2023"), *args)
        assert result.returncode == 2 and result.stderr.count("\n") == 1, args
