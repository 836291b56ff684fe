"""The task ledger (任务台账): rows from real plans, checked against the gold files."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml

from planc import ledger
from planc.model import Clause, Deadline, Owner, Plan, Target
from planc.outputs import compile_file
from tests.conftest import ROOT, SAMPLES, shared_path

PLANC = str(Path(sys.executable).with_name("planc"))


def load_gold(name: str) -> dict[str, dict[str, Any]]:
    """Gold clauses of a sample plan, by id."""
    path = shared_path("gold", f"{SAMPLES[name].stem}.yaml")
    gold = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {str(clause["id"]): clause for clause in gold["clauses"]}


def compiled(name: str) -> Plan:
    return compile_file(str(SAMPLES[name].relative_to(ROOT)), 10**8)


def with_gold(plan: Plan, gold: dict[str, dict[str, Any]]) -> Plan:
    """The real plan with the gold commitments in place of what the extractors found.

    This tests the ledger and the calendar on real clauses and hand-checked items, whatever
    state the extractors are in; the spans are the clause's own (they are not under test).
    """

    def fill(clause: Clause) -> Clause:
        found = gold.get(clause.id, {})
        return clause.model_copy(
            update={
                "deadlines": [
                    Deadline(text=d["text"], due=d["due"], start=d.get("start"), span=clause.span)
                    for d in found.get("deadlines") or []
                ],
                "targets": [
                    Target(
                        **{k: t[k] for k in ("text", "value", "max", "unit", "cmp")},
                        span=clause.span,
                    )
                    for t in found.get("targets") or []
                ],
                "owners": [
                    Owner(name=o["name"], role=o["role"], text=o["name"], span=clause.span)
                    for o in found.get("owners") or []
                ],
                "children": [fill(child) for child in clause.children],
            }
        )

    assert {c.id for c in plan.walk()} >= set(gold), "gold clauses missing from the parse"
    return plan.model_copy(update={"clauses": [fill(c) for c in plan.clauses]})


def task_ids(plan: Plan) -> list[str]:
    """What the ledger must list, in document order: leaves and clauses with a commitment."""
    return [c.id for c in plan.walk() if not c.children or c.targets or c.deadlines or c.owners]


def read_sheet(data: bytes, sheet: str = "任务台账") -> list[dict[str, Any]]:
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    rows = list(workbook[sheet].iter_rows(values_only=True))
    assert tuple(rows[0]) == ledger.HEADERS
    return [dict(zip(ledger.HEADERS, row, strict=True)) for row in rows[1:]]


GOLD_PLANS = sorted(p.stem for p in (ROOT.parent / "shared" / "gold").glob("*.yaml"))


def gold_text(stem: str) -> Path:
    for folder in ("seeds", "corpus"):
        path = ROOT.parent / "shared" / folder / f"{stem}.txt"
        if path.exists():
            return path
    return shared_path("corpus", f"{stem}.txt")


@pytest.mark.parametrize("stem", GOLD_PLANS or ["nanyang-tcm-2023"])
def test_every_task_is_a_row_with_the_gold_commitments(stem: str) -> None:
    """Each gold plan's ledger, read back with openpyxl: a row per leaf clause and per clause
    with a commitment; its owner, target and deadline cells hold what the gold holds."""
    gold_file = shared_path("gold", f"{stem}.yaml")
    gold = {
        str(c["id"]): c for c in yaml.safe_load(gold_file.read_text(encoding="utf-8"))["clauses"]
    }
    path = gold_text(stem)
    plan = compile_file(str(path), 10**8)
    if not {c.id for c in plan.walk()} >= set(gold):
        pytest.skip(f"{stem}: the clause tree does not yet match the gold")
    plan = with_gold(plan, gold)
    rows = read_sheet(ledger.to_xlsx(plan))

    assert [row["序号"] for row in rows] == task_ids(plan)
    for row in rows:
        want = gold.get(row["序号"], {})
        for role, header in (
            ("lead", "牵头单位"),
            ("responsible", "责任单位"),
            ("cooperating", "配合单位"),
            ("guiding", "指导单位"),
        ):
            names = [o["name"] for o in want.get("owners") or [] if o["role"] == role]
            assert (row[header] or "") == "；".join(dict.fromkeys(names))
        for target in want.get("targets") or []:
            assert target["text"] in (row["目标"] or "")
        deadlines = want.get("deadlines") or []
        for deadline in deadlines:
            assert deadline["text"] in (row["完成时限"] or "")
        dues = [d["due"] for d in deadlines]
        due = row["截止日期"]
        assert (due.date() if due else None) == (max(dues) if dues else None)
        assert row["状态"] is None and row["进展情况"] is None  # the office's to fill


@pytest.fixture(scope="module")
def gold_plan() -> Plan:
    return with_gold(compiled("nanyang"), load_gold("nanyang"))


def test_xlsx_is_a_workbook_an_office_works_in(gold_plan: Plan) -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(ledger.to_xlsx(gold_plan)))
    sheet = workbook["任务台账"]
    assert sheet.freeze_panes == "D2"
    assert sheet.auto_filter.ref is not None and sheet.auto_filter.ref.startswith("A1:")
    assert sheet.print_title_rows == "$1:$1"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    due = sheet[f"{ledger.letter('截止日期')}2"]
    assert due.is_date and due.number_format == "yyyy-mm-dd"
    (validation,) = sheet.data_validations.dataValidation
    assert validation.formula1 == '"未启动,推进中,已完成,滞后,延期"'
    assert str(validation.sqref).startswith(f"{ledger.letter('状态')}2:")
    assert sheet["A1"].font.bold and sheet["D2"].alignment.wrap_text


def _evaluate(formula: str, row: dict[str, Any], today: date) -> bool:
    """Evaluate one of the ledger's conditional-format formulas as Excel would, for a row.

    The formulas use AND, TODAY(), cell references, "" and the comparisons; a date cell is a
    day number, as in Excel.
    """
    serial = lambda day: (day - date(1899, 12, 30)).days  # noqa: E731

    def cell(m: re.Match[str]) -> str:
        header = ledger.HEADERS[openpyxl.utils.column_index_from_string(m.group(1)) - 1]
        value = row.get(header)
        if isinstance(value, date):
            return str(serial(value))
        return repr(value or "")

    python = re.sub(r"\$([A-Z]+)\$?\d+", cell, formula)
    python = python.replace("TODAY()", str(serial(today))).replace("AND(", "all_of(")
    python = python.replace("<>", "!=").replace('""', "''")
    python = re.sub(r"(?<![<>!=])=(?!=)", "==", python)

    def all_of(*values: bool) -> bool:
        return all(values)

    def compare_safe(expr: str) -> bool:
        # '' < 45000 would raise in Python, as Excel's AND short-circuits on <>"" first
        try:
            return bool(eval(expr, {"all_of": all_of}))
        except TypeError:
            return False

    return compare_safe(python)


def test_three_colour_warning_is_live_in_the_workbook() -> None:
    sheet = openpyxl.load_workbook(
        io.BytesIO(ledger.to_xlsx(compiled("nanyang"), ledger.LedgerOptions(warn_days=30)))
    )["任务台账"]
    rules = {}
    for area in sheet.conditional_formatting:
        assert str(area.sqref).startswith("A2:")
        for rule in area.rules:
            rules[rule.dxf.fill.fgColor.rgb[-6:]] = rule.formula[0]
    red, yellow, green = rules["F4CCCC"], rules["FFF2CC"], rules["D9EAD3"]
    due = date(2023, 5, 31)
    cases = [  # (today, status) → which colour
        (date(2023, 6, 1), None, "red"),  # overdue, not done
        (date(2023, 6, 1), "推进中", "red"),
        (date(2023, 6, 1), "已完成", "green"),
        (date(2023, 5, 10), None, "yellow"),  # due within 30 days
        (date(2023, 5, 31), "滞后", "yellow"),  # due today
        (date(2023, 3, 1), None, None),  # far off
    ]
    for today, status, colour in cases:
        row = {"截止日期": due, "状态": status}
        found = {
            name
            for name, formula in (("red", red), ("yellow", yellow), ("green", green))
            if _evaluate(formula, row, today)
        }
        assert found == ({colour} if colour else set()), (today, status)
    assert not _evaluate(red, {"截止日期": None, "状态": None}, date(2030, 1, 1))  # no date


def test_plan_text_never_becomes_a_formula(gold_plan: Plan) -> None:
    first = gold_plan.clauses[0].children[0]
    hostile = first.model_copy(update={"heading": '=HYPERLINK("http://x","y")'})
    parent = gold_plan.clauses[0].model_copy(
        update={"children": [hostile, *gold_plan.clauses[0].children[1:]]}
    )
    plan = gold_plan.model_copy(update={"clauses": [parent, *gold_plan.clauses[1:]]})
    sheet = openpyxl.load_workbook(io.BytesIO(ledger.to_xlsx(plan))).active
    assert sheet is not None
    row = 1 + task_ids(plan).index(hostile.id) + 1
    assert sheet[f"C{row}"].data_type == "s"
    assert sheet[f"C{row}"].value == hostile.heading
    table = list(csv.reader(io.StringIO(ledger.to_csv(plan).decode("utf-8-sig"))))
    assert table[row - 1][2] == "'" + hostile.heading


def test_csv_opens_in_excel_and_reads_back(gold_plan: Plan) -> None:
    data = ledger.to_csv(gold_plan)
    assert data.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert tuple(table[0]) == ledger.HEADERS
    assert [line[0] for line in table[1:]] == task_ids(gold_plan)


def test_parse_writes_a_ledger_by_format_or_suffix(tmp_path: Path) -> None:
    sample = str(SAMPLES["nanyang"])
    xlsx, csv_file = tmp_path / "ledger.xlsx", tmp_path / "ledger.csv"
    run = subprocess.run([PLANC, "parse", sample, "--format", "xlsx", "-o", str(xlsx)])
    assert run.returncode == 0
    assert openpyxl.load_workbook(xlsx).active["A1"].value == "序号"  # type: ignore[index]
    run = subprocess.run([PLANC, "parse", sample, "-o", str(csv_file)])
    assert run.returncode == 0
    assert csv_file.read_bytes().startswith(b"\xef\xbb\xbf\xe5\xba\x8f\xe5\x8f\xb7")  # BOM 序号


def test_parse_refuses_a_ledger_on_stdout() -> None:
    run = subprocess.run(
        [PLANC, "parse", str(SAMPLES["nanyang"]), "--format", "csv"],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 2
    assert run.stdout == ""
    assert run.stderr.count("\n") == 1 and "-o" in run.stderr
