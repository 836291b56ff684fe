"""The task ledger (任务台账): one row per clause that commits to something, as xlsx or CSV.

Offices track a plan in a spreadsheet with one row per task; this builds that sheet from a
compiled ``Plan`` so nobody retypes it. openpyxl is imported only when an xlsx is written.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import astuple, dataclass

from planc.model import Clause, Deadline, Plan

ROLE_NAMES = {"lead": "牵头", "responsible": "负责", "cooperating": "配合", "guiding": "指导"}
SEPARATOR = "；"
# Characters XML 1.0 (and so xlsx) cannot hold; a plan copied out of a PDF may carry them.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Spreadsheets read a cell that opens with one of these as a formula: never let plan text run.
_FORMULA_START = ("=", "+", "-", "@")


@dataclass(frozen=True, slots=True)
class Row:
    """One ledger row, fields in column order (``HEADERS`` names the columns)."""

    id: str
    section: str
    task: str
    content: str
    targets: str
    deadlines: str
    owners: str
    source: str


HEADERS = ("序号", "重点任务", "具体任务", "内容", "目标", "完成时限", "责任单位", "来源")
# Column widths in xlsx character units, chosen for Chinese text (a CJK character is ~2).
WIDTHS = (8, 28, 32, 80, 30, 30, 36, 28)


def deadline_text(deadline: Deadline) -> str:
    """The deadline as printed, then its resolved date or window: ``5 月底前（2023-05-31）``."""
    if deadline.due is None:
        return deadline.text
    if deadline.start is not None:
        return f"{deadline.text}（{deadline.start.isoformat()}～{deadline.due.isoformat()}）"
    return f"{deadline.text}（{deadline.due.isoformat()}）"


def rows(plan: Plan) -> list[Row]:
    """Ledger rows in document order: clauses with a target, deadline or owner."""
    return [
        Row(
            id=clause.id,
            section=parent.heading if parent else "",
            task=clause.heading,
            content=clause.text,
            targets=SEPARATOR.join(t.text for t in clause.targets),
            deadlines=SEPARATOR.join(deadline_text(d) for d in clause.deadlines),
            owners=SEPARATOR.join(f"{o.name}（{ROLE_NAMES[o.role]}）" for o in clause.owners),
            source=f"{plan.source.path}:{clause.span.line}",
        )
        for clause, parent in _with_parents(plan.clauses, None)
        if clause.targets or clause.deadlines or clause.owners
    ]


def _with_parents(clauses: list[Clause], parent: Clause | None) -> Iterator[tuple[Clause, Clause | None]]:  # fmt: skip
    for clause in clauses:
        yield clause, parent
        yield from _with_parents(clause.children, clause)


def to_csv(plan: Plan) -> bytes:
    """UTF-8 with a BOM and CRLF line ends: what Excel needs to open Chinese CSV right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADERS)
    for row in rows(plan):
        writer.writerow([_inert(value) for value in astuple(row)])
    return buffer.getvalue().encode("utf-8-sig")


def _inert(value: str) -> str:
    """Quote a value a spreadsheet would otherwise evaluate as a formula."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def to_xlsx(plan: Plan) -> bytes:
    """A workbook with one sheet: bold frozen header, wrapped text, widths for Chinese text."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new Workbook always has one sheet
    sheet.title = "任务台账"
    workbook.properties.title = plan.meta.title or plan.source.path
    workbook.properties.creator = f"planc {plan.planc_version}"
    sheet.append(HEADERS)
    for row in rows(plan):
        sheet.append([_ILLEGAL_XML.sub("", value) for value in astuple(row)])
    wrap = Alignment(wrap_text=True, vertical="top")
    for line in sheet.iter_rows():
        for cell in line:
            cell.alignment = wrap
            if cell.data_type == "f":  # openpyxl takes a leading "=" as a formula
                cell.data_type = "s"
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column, width in zip("ABCDEFGH", WIDTHS, strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
