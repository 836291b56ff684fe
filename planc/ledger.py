"""The task ledger (任务台账): every task of a plan as a row an office tracks through the year.

A task is every leaf clause and every clause that carries a commitment. Its row holds what the
plan says (planc's columns, regenerated at will) and what the office writes (进展情况, 状态,
完成日期, 备注), which planc never overwrites: ``planc ledger --update`` keeps those cells on
the task they were typed for, matched by content (see ``planc.ledger_update``). openpyxl is
imported only when a workbook is written.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planc.model import Clause, Deadline, Plan, Target

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

ROLE_NAMES = {"lead": "牵头", "responsible": "负责", "cooperating": "配合", "guiding": "指导"}
SEPARATOR = "；"
STATUSES = ("未启动", "推进中", "已完成", "滞后", "延期")
DONE = "已完成"
WARN_DAYS = 30  # yellow: due within this many days
LEFT_PLAN = "已移出计划"  # the 变更 of a row whose task the plan no longer holds

# Characters XML 1.0 (and so xlsx) cannot hold; a plan copied out of a PDF may carry them.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
# Spreadsheets read a cell that opens with one of these as a formula: never let plan text run.
_FORMULA_START = ("=", "+", "-", "@")


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    width: float  # in xlsx character units: a CJK character is about two
    office: bool = False  # filled in by the office; planc keeps, never writes


COLUMNS = (
    Column("序号", 8),
    Column("重点任务", 24),
    Column("具体任务", 30),
    Column("内容", 60),
    Column("目标", 28),
    Column("牵头单位", 20),
    Column("责任单位", 24),
    Column("配合单位", 24),
    Column("指导单位", 16),
    Column("完成时限", 22),
    Column("截止日期", 12),
    Column("来源", 26),
    Column("进展情况", 40, office=True),
    Column("状态", 10, office=True),
    Column("完成日期", 12, office=True),
    Column("备注", 24, office=True),
    Column("变更", 12),
)
HEADERS = tuple(column.header for column in COLUMNS)
OFFICE = tuple(column.header for column in COLUMNS if column.office)
_INDEX = {header: i for i, header in enumerate(HEADERS)}


def letter(header: str) -> str:
    """The spreadsheet column letter of a header: 截止日期 → K."""
    from openpyxl.utils import get_column_letter

    return get_column_letter(_INDEX[header] + 1)


@dataclass(slots=True)
class Task:
    """One ledger row: planc's fields from the plan, the office's as typed (or empty)."""

    id: str
    section: str  # 重点任务: the top-level section the task sits in
    heading: str  # 具体任务
    content: str  # 内容: the clause body
    targets: str
    lead: str
    responsible: str
    cooperating: str
    guiding: str
    deadlines: str  # 完成时限, as printed
    due: date | None  # 截止日期: the last resolved due date, when the whole task is done
    source: str  # file, page, line
    office: dict[str, Any] = field(default_factory=dict)  # 进展情况, 状态, 完成日期, 备注
    change: str = ""  # 变更: what --update found (新增, 已修改, 已移出计划)
    plan: str = ""  # the plan's title, for ledgers of several plans
    dues: tuple[date, ...] = ()  # every resolved due date: the milestones on the way

    def cells(self) -> list[Any]:
        """The row's values in column order."""
        planc = [
            self.id,
            self.section,
            self.heading,
            self.content,
            self.targets,
            self.lead,
            self.responsible,
            self.cooperating,
            self.guiding,
            self.deadlines,
            self.due,
            self.source,
        ]
        return [*planc, *(self.office.get(h) for h in OFFICE), self.change]

    def owners(self) -> list[str]:
        """Every unit named, in role order."""
        found = (self.lead, self.responsible, self.cooperating, self.guiding)
        return [name for cell in found for name in cell.split(SEPARATOR) if name]


def deadline_text(deadline: Deadline) -> str:
    """The deadline as printed, then its resolved date or window: ``5 月底前（2023-05-31）``."""
    if deadline.due is None:
        return deadline.text
    if deadline.start is not None:
        return f"{deadline.text}（{deadline.start.isoformat()}～{deadline.due.isoformat()}）"
    return f"{deadline.text}（{deadline.due.isoformat()}）"


def deadlines_text(deadlines: Sequence[Deadline]) -> str:
    """Each expression once, with every date it resolves to: ``3月、6月最后一天（2023-03-31、
    2023-06-30）``."""
    grouped: dict[str, list[Deadline]] = {}
    for deadline in deadlines:
        grouped.setdefault(deadline.text, []).append(deadline)
    parts = []
    for text, same in grouped.items():
        if len(same) == 1:
            parts.append(deadline_text(same[0]))
            continue
        dates = [d.due.isoformat() for d in same if d.due is not None]
        parts.append(f"{text}（{'、'.join(dates)}）" if dates else text)
    return SEPARATOR.join(parts)


def target_text(target: Target) -> str:
    """What the number measures, then the number as printed: ``签约率 90%以上``."""
    return f"{target.metric} {target.text}" if target.metric else target.text


def tasks(plan: Plan, source_name: str | None = None) -> list[Task]:
    """The plan's tasks in document order: leaf clauses and clauses with a commitment.

    ``source_name`` is how the 来源 column names the file (a path relative to the ledger).
    """
    name = source_name or plan.source.path
    found = []
    for clause, top in _with_sections(plan.clauses):
        if clause.children and not (clause.targets or clause.deadlines or clause.owners):
            continue
        roles: dict[str, list[str]] = {role: [] for role in ROLE_NAMES}
        for owner in clause.owners:
            if owner.name not in roles[owner.role]:
                roles[owner.role].append(owner.name)
        dues = [d.due for d in clause.deadlines if d.due is not None]
        page = getattr(clause.span, "page", None)
        where = f"{name}:第{page}页:{clause.span.line}" if page else f"{name}:{clause.span.line}"
        found.append(
            Task(
                id=clause.id,
                section=top.heading if top is not clause else "",
                heading=clause.heading,
                content=clause.text,
                targets=SEPARATOR.join(target_text(t) for t in clause.targets),
                lead=SEPARATOR.join(roles["lead"]),
                responsible=SEPARATOR.join(roles["responsible"]),
                cooperating=SEPARATOR.join(roles["cooperating"]),
                guiding=SEPARATOR.join(roles["guiding"]),
                deadlines=deadlines_text(clause.deadlines),
                due=max(dues) if dues else None,
                dues=tuple(sorted(set(dues))),
                source=where,
                plan=plan.meta.title or Path(plan.source.path).stem,
            )
        )
    return found


def _with_sections(clauses: list[Clause]) -> Iterator[tuple[Clause, Clause]]:
    """Every clause with the top-level section it sits in (itself at the top)."""
    for top in clauses:
        stack = [top]
        while stack:
            clause = stack.pop()
            yield clause, top
            stack.extend(reversed(clause.children))


# -- CSV ---------------------------------------------------------------------------------


def to_csv(plan: Plan) -> bytes:
    """UTF-8 with a BOM and CRLF line ends: what Excel needs to open Chinese CSV right."""
    return tasks_csv(tasks(plan))


def tasks_csv(rows: Iterable[Task]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADERS)
    for task in rows:
        writer.writerow([_inert(_plain(value)) for value in task.cells()])
    return buffer.getvalue().encode("utf-8-sig")


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _inert(value: str) -> str:
    """Quote a value a spreadsheet would otherwise evaluate as a formula."""
    return "'" + value if value.startswith(_FORMULA_START) else value


# -- xlsx --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LedgerOptions:
    warn_days: int = WARN_DAYS
    title: str = "任务台账"


def to_xlsx(plan: Plan, options: LedgerOptions | None = None) -> bytes:
    """One plan's ledger: a workbook with its task sheet."""
    options = options or LedgerOptions(title="任务台账")
    return workbook_bytes(tasks(plan), plan.meta.title or plan.source.path, options, summary=False)


def workbook_bytes(
    rows: Sequence[Task], title: str, options: LedgerOptions, summary: bool = True
) -> bytes:
    """A ledger workbook: 任务台账 (every task); with ``summary``, a sheet per 牵头单位 and a
    汇总 sheet of counts by lead unit and by month."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new Workbook always has one sheet
    workbook.properties.title = title
    workbook.properties.creator = "planc"
    _task_sheet(sheet, options.title, rows, options)
    if summary:
        used: set[str] = {options.title, "汇总"}
        for unit, owned in _by_lead(rows).items():
            _task_sheet(workbook.create_sheet(), _sheet_name(unit, used), owned, options)
        _summary_sheet(workbook.create_sheet("汇总"), rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _task_sheet(sheet: Worksheet, title: str, rows: Sequence[Task], options: LedgerOptions) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.properties import PageSetupProperties

    sheet.title = title
    sheet.append(HEADERS)
    for task in rows:
        sheet.append([_cell_value(value) for value in task.cells()])
    wrap = Alignment(wrap_text=True, vertical="top")
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            cell.alignment = wrap
            if cell.data_type == "f":  # openpyxl takes a leading "=" as a formula
                cell.data_type = "s"
    header_fill = PatternFill("solid", fgColor="DDE6F0")
    office_fill = PatternFill("solid", fgColor="FFF2CC")  # the columns the office fills in
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        cell.fill = office_fill if cell.value in OFFICE else header_fill
    for i, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[_letter(i)].width = column.width
    last = max(sheet.max_row, 2)
    for header in ("截止日期", "完成日期"):
        for row in range(2, last + 1):
            sheet[f"{letter(header)}{row}"].number_format = "yyyy-mm-dd"
    status = DataValidation(
        type="list",
        formula1='"' + ",".join(STATUSES) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="状态",
        error="请从下拉列表中选择：" + "、".join(STATUSES),
    )
    sheet.add_data_validation(status)
    status.add(f"{letter('状态')}2:{letter('状态')}{max(last, 1000)}")
    _warnings(sheet, last, options.warn_days)
    sheet.freeze_panes = "D2"
    sheet.auto_filter.ref = f"A1:{_letter(len(COLUMNS))}{last}"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)


def warning_formulas(warn_days: int = WARN_DAYS, row: int = 2) -> dict[str, str]:
    """三色预警 as Excel formulas for ``row``: red overdue and not done, yellow due within
    ``warn_days`` and not done, green done. Evaluated by the spreadsheet, so they stay right
    as days pass and statuses change."""
    due, status = f"${letter('截止日期')}{row}", f"${letter('状态')}{row}"
    return {
        "red": f'AND({due}<>"",{due}<TODAY(),{status}<>"{DONE}")',
        "yellow": f'AND({due}<>"",{due}>=TODAY(),{due}-TODAY()<={warn_days},{status}<>"{DONE}")',
        "green": f'{status}="{DONE}"',
    }


_COLOURS = {"red": "F4CCCC", "yellow": "FFF2CC", "green": "D9EAD3"}


def _warnings(sheet: Worksheet, last: int, warn_days: int) -> None:
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import PatternFill

    area = f"A2:{_letter(len(COLUMNS))}{max(last, 1000)}"
    for colour, formula in warning_formulas(warn_days).items():
        fill = PatternFill("solid", fgColor=_COLOURS[colour], bgColor=_COLOURS[colour])
        rule = FormulaRule(formula=[formula], fill=fill, stopIfTrue=True)
        sheet.conditional_formatting.add(area, rule)


def _by_lead(rows: Sequence[Task]) -> dict[str, list[Task]]:
    """Tasks by 牵头单位 (by 责任单位 where no lead is named), units in order of first mention."""
    found: dict[str, list[Task]] = {}
    for task in rows:
        cell = task.lead or task.responsible
        for unit in cell.split(SEPARATOR):
            if unit:
                found.setdefault(unit, []).append(task)
    return found


_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _sheet_name(unit: str, used: set[str]) -> str:
    """A legal, unique sheet name (31 characters, none of []:*?/\\)."""
    base = _SHEET_FORBIDDEN.sub("_", unit)[:28] or "单位"
    name, n = base, 2
    while name in used:
        name, n = f"{base[:26]}({n})", n + 1
    used.add(name)
    return name


def _summary_sheet(sheet: Worksheet, rows: Sequence[Task]) -> None:
    from openpyxl.styles import Font

    sheet.append(["按牵头单位", "任务数", "有截止日期"])
    for unit, owned in _by_lead(rows).items():
        sheet.append([unit, len(owned), sum(t.due is not None for t in owned)])
    sheet.append([])
    sheet.append(["按截止月份", "任务数"])
    months = Counter(t.due.strftime("%Y-%m") if t.due else "无截止日期" for t in rows)
    for month in sorted(months, key=lambda m: (m == "无截止日期", m)):
        sheet.append([month, months[month]])
    for row in sheet.iter_rows():
        if row[0].value in ("按牵头单位", "按截止月份"):
            for cell in row:
                cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = 10
    sheet.column_dimensions["C"].width = 12


def _cell_value(value: Any) -> Any:
    if isinstance(value, str):
        return _ILLEGAL_XML.sub("", value)
    return value


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)
