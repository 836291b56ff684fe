"""``planc ledger --update``: regenerate planc's columns of a ledger, keep what people typed.

An office fills 进展情况, 状态, 完成日期 and 备注 for months; the plan meanwhile gets a revised
edition, renumbered and reworded. Rows are matched to tasks by content (heading and body,
character similarity through rapidfuzz), not by number, so a renumbered or reworded task keeps
its notes; a new task gets an empty row marked 新增; a row whose task left the plan is kept,
marked 已移出计划, never deleted.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from planc.emit import write_atomic
from planc.errors import PlancError
from planc.ledger import HEADERS, LEFT_PLAN, OFFICE, Task

# A row and a task this alike (0–100, rapidfuzz's normalised similarity) are the same task;
# a reworded task keeps well above it, two different tasks of one plan stay well below.
SAME_TASK = 60.0
_MAX_LEDGER_BYTES = 64 * 1024 * 1024


@dataclass(slots=True)
class Row:
    """A row of an existing ledger, by header."""

    values: dict[str, Any]

    @property
    def key(self) -> str:
        return _key(str(self.values.get("具体任务") or ""), str(self.values.get("内容") or ""))


def _key(heading: str, content: str) -> str:
    return "".join(f"{heading}{content}".split())


def read_rows(path: Path, sheet_name: str = "任务台账") -> list[Row]:
    """The task rows of a planc ledger (its 任务台账 sheet, else its first)."""
    from openpyxl import load_workbook

    data = _read_bytes(path)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise PlancError("is not an xlsx workbook", str(path)) from None
    try:
        sheet = (
            workbook[sheet_name] if sheet_name in workbook.sheetnames else workbook.worksheets[0]
        )
        lines = sheet.iter_rows(values_only=True)
        header = [str(v).strip() if v is not None else "" for v in next(lines, ())]
        if not {"序号", "具体任务", "内容", *OFFICE} <= set(header):
            raise PlancError(
                "is not a planc ledger (no 序号/具体任务/内容/状态 columns)", str(path)
            )
        rows = []
        for line in lines:
            values = {h: v for h, v in zip(header, line, strict=False) if h}
            if any(v not in (None, "") for v in values.values()):
                rows.append(Row(values))
        return rows
    finally:
        workbook.close()


def _read_bytes(path: Path) -> bytes:
    where = str(path)
    try:
        if not path.is_file():
            raise PlancError("no such ledger file", where)
        with path.open("rb") as handle:
            data = handle.read(_MAX_LEDGER_BYTES + 1)
    except OSError as exc:
        raise PlancError(f"cannot read: {exc.strerror or exc}", where) from None
    if len(data) > _MAX_LEDGER_BYTES:
        raise PlancError("the ledger is too large", where)
    return data


def merge(old: list[Row], tasks: list[Task]) -> list[Task]:
    """The new tasks carrying the office's cells of the rows they match, then the rows whose
    task left the plan, kept as they were and marked."""
    from rapidfuzz import fuzz, process

    pairs: list[tuple[float, int, int]] = []
    if old and tasks:
        scores = process.cdist(
            [_key(t.heading, t.content) for t in tasks],
            [row.key for row in old],
            scorer=fuzz.ratio,
            score_cutoff=SAME_TASK,
            workers=1,
        )
        for i, line in enumerate(scores):
            for j, score in enumerate(line):
                if score >= SAME_TASK:
                    same_number = str(old[j].values.get("序号") or "") == tasks[i].id
                    pairs.append((float(score) + (0.5 if same_number else 0.0), i, j))
    pairs.sort(reverse=True)
    matched: dict[int, int] = {}
    taken: set[int] = set()
    for _, i, j in pairs:  # the best pairs first: one row for one task
        if i not in matched and j not in taken:
            matched[i] = j
            taken.add(j)
    merged: list[Task] = []
    for i, task in enumerate(tasks):
        if i in matched:
            row = old[matched[i]]
            task.office = {h: _value(row.values.get(h)) for h in OFFICE}
            task.change = "" if _unchanged(row, task) else "已修改"
        else:
            task.change = "新增"
        merged.append(task)
    for j, row in enumerate(old):
        if j not in taken:
            merged.append(_kept(row))
    return merged


def _unchanged(row: Row, task: Task) -> bool:
    planc_cells = dict(zip(HEADERS, task.cells(), strict=True))
    for header in ("具体任务", "内容", "目标", "牵头单位", "责任单位", "配合单位", "完成时限"):
        before = row.values.get(header) or ""
        if str(before) != str(planc_cells[header] or ""):
            return False
    return True


def _kept(row: Row) -> Task:
    """A row whose task left the plan: every cell as it was, marked."""
    task = task_from_row(row)
    task.change = LEFT_PLAN
    return task


def task_from_row(row: Row) -> Task:
    """A ledger row read back as a task, every cell as it was."""
    v = row.values

    def text(header: str) -> str:
        value = v.get(header)
        return "" if value is None else str(value)

    due = _value(v.get("截止日期"))
    return Task(
        id=text("序号"),
        section=text("重点任务"),
        heading=text("具体任务"),
        content=text("内容"),
        targets=text("目标"),
        lead=text("牵头单位"),
        responsible=text("责任单位"),
        cooperating=text("配合单位"),
        guiding=text("指导单位"),
        deadlines=text("完成时限"),
        due=due if isinstance(due, date) else None,
        source=text("来源"),
        office={h: _value(v.get(h)) for h in OFFICE},
        change=text("变更"),
    )


def _value(value: Any) -> Any:
    """A cell as read back: dates as dates (openpyxl gives datetimes)."""
    if isinstance(value, datetime):
        return value.date()
    return value


def update_ledger(
    path: Path, tasks: list[Task], title: str, warn_days: int
) -> tuple[int, int, int]:
    """Rewrite the ledger at ``path`` in place (atomically; the previous version is kept as
    ``<name>.bak``); the counts of tasks kept, added and rows marked as gone."""
    from planc.ledger import LedgerOptions, workbook_bytes

    before = _read_bytes(path)
    rows = merge(read_rows(path), tasks)
    data = workbook_bytes(rows, title, LedgerOptions(warn_days=warn_days))
    write_atomic(path.with_name(path.name + ".bak"), before)
    write_atomic(path, data)
    added = sum(t.change == "新增" for t in rows)
    gone = sum(t.change == LEFT_PLAN for t in rows)
    return len(rows) - added - gone, added, gone


BUILD_LEDGER = "台账.xlsx"
BUILD_CALENDAR = "calendar.ics"


def combine_build(out: Path, fmt: str, warn_days: int = 30) -> Path | None:
    """One ledger (or calendar) for a whole build, from the per-plan outputs in ``out``:
    the workbook an office circulates, with 来源 paths relative to the build folder."""
    from planc.ledger import LedgerOptions, workbook_bytes

    if fmt == "ics":
        from planc.calendar_ics import merge

        parts = [p for p in sorted(out.rglob("*.ics")) if p.name != BUILD_CALENDAR]
        target = out / BUILD_CALENDAR
        write_atomic(target, merge((p.read_bytes() for p in parts), "任务日历"))
        return target
    if fmt != "xlsx":
        return None
    rows: list[Task] = []
    for part in sorted(out.rglob("*.xlsx")):
        if part.name == BUILD_LEDGER or part.name.startswith("."):
            continue
        for row in read_rows(part):
            task = task_from_row(row)
            path, sep, where = task.source.rpartition(":")
            if sep:
                task.source = f"{_relative_to(path, out)}:{where}"
            task.plan = part.stem
            rows.append(task)
    target = out / BUILD_LEDGER
    write_atomic(target, workbook_bytes(rows, "任务台账", LedgerOptions(warn_days=warn_days)))
    return target


def _relative_to(path: str, folder: Path) -> str:
    """``path`` (relative to the working folder, or absolute) as seen from ``folder``."""
    import os

    page = ""
    if ":第" in path:  # file:第3页 — the page stays with the line
        path, _, rest = path.partition(":第")
        page = ":第" + rest
    try:
        return Path(os.path.relpath(path, folder)).as_posix() + page
    except ValueError:  # another drive on Windows
        return path + page
