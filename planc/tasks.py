"""``planc tasks`` and ``planc ledger``: what a unit owes and when, across plans and ledgers.

Inputs are plans (any format planc reads, or folders of them) and ledgers (.xlsx made by
``planc ledger``, whose 状态 the office keeps). Owner names match through their aliases: a
query for 市卫健委 finds 市卫生健康委员会, as Chinese abbreviations keep the full name's
characters in order.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from planc.errors import PlancError
from planc.ledger import LEFT_PLAN, SEPARATOR, Task, tasks
from planc.paths import expand_paths

TABLE, CSV, JSON = "table", "csv", "json"
FORMATS = (TABLE, CSV, JSON)
_WITHIN = re.compile(r"(\d{1,4})\s*([dwm天周月]?)")


@dataclass(frozen=True, slots=True)
class Query:
    owner: str | None = None
    due_before: date | None = None
    due_within: int | None = None  # days from today
    status: str | None = None
    today: date | None = None


def parse_within(text: str) -> int:
    """``30d``, ``2w``, ``1m``, ``30`` (days), ``30天`` → days."""
    m = _WITHIN.fullmatch(text.strip())
    if not m:
        raise PlancError(f"--due-within {text!r}: write a number of days, e.g. 30d, 2w, 1m")
    number, unit = int(m.group(1)), m.group(2)
    return number * {"w": 7, "周": 7, "m": 30, "月": 30}.get(unit, 1)


def parse_day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise PlancError(f"{option} {text!r}: write a date as YYYY-MM-DD") from None


def is_alias(query: str, name: str) -> bool:
    """``市卫健委`` names ``市卫生健康委员会``: equal, the same unit in planc's lexicon, or an
    abbreviation of a name it does not list — its characters in the full name's order, the same first character, and its unit word (委, 局) within the
    full name's last three (委员会, 保障局). ``各盟市`` does not name ``各盟市卫生健康委``."""
    from planc.extract.units import same_unit

    query, name = _squeeze(query), _squeeze(name)
    if not query or not name:
        return False
    if query == name or same_unit(query, name):  # the lexicon knows the official short forms
        return True
    short, long_ = sorted((query, name), key=len)
    if short[0] != long_[0] or short[-1] not in long_[-3:]:
        return False
    at = 0
    for ch in short:
        at = long_.find(ch, at)
        if at < 0:
            return False
        at += 1
    return True


def _squeeze(name: str) -> str:
    return "".join(name.split()).replace("(", "（").replace(")", "）")


def collect(paths: list[str], max_bytes: int) -> list[Task]:
    """The tasks of every plan and ledger named (folders searched for plans)."""
    from planc.ledger_update import _kept, read_rows
    from planc.outputs import compile_file

    found: list[Task] = []
    names, missing = expand_paths(paths)
    if missing:
        raise PlancError(missing[0])
    for name in names:
        if name.lower().endswith(".xlsx"):
            for row in read_rows(Path(name)):
                task = _kept(row)
                task.change = str(row.values.get("变更") or "")
                task.plan = name
                found.append(task)
        else:
            found.extend(tasks(compile_file(name, max_bytes), name))
    return found


def select(found: list[Task], query: Query) -> list[Task]:
    today = query.today or date.today()
    chosen = []
    for task in found:
        if query.owner and not any(is_alias(query.owner, unit) for unit in task.owners()):
            continue
        dues = task.dues or ((task.due,) if task.due else ())
        if query.due_before and not any(due <= query.due_before for due in dues):
            continue
        if query.due_within is not None:
            until = today + timedelta(days=query.due_within)
            if not any(today <= due <= until for due in dues):
                continue
        if query.status and status_of(task) != query.status:
            continue
        chosen.append(task)
    return sorted(chosen, key=lambda t: (t.due is None, _first(t, today)))


def _first(task: Task, today: date) -> date:
    """The next milestone due from today, else the last: what a unit owes soonest."""
    dues = task.dues or ((task.due,) if task.due else ())
    coming = [due for due in dues if due >= today]
    return min(coming) if coming else max(dues, default=date.max)


def status_of(task: Task) -> str:
    """The 状态 the office set, else 未启动."""
    value = task.office.get("状态")
    return str(value) if value else "未启动"


def render(chosen: list[Task], fmt: str) -> str:
    if fmt == JSON:
        return json.dumps([_record(t) for t in chosen], ensure_ascii=False, indent=2) + "\n"
    if fmt == CSV:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=_FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(_record(t) for t in chosen)
        return buffer.getvalue()
    if fmt == TABLE:
        return _table(chosen)
    raise PlancError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")


_FIELDS = ["plan", "id", "task", "lead", "responsible", "cooperating", "deadline", "due"]
_FIELDS += ["status", "targets", "source"]


def _record(task: Task) -> dict[str, str]:
    return {
        "plan": task.plan,
        "id": task.id,
        "task": task.heading,
        "lead": task.lead,
        "responsible": task.responsible,
        "cooperating": task.cooperating,
        "deadline": task.deadlines,
        "due": task.due.isoformat() if task.due else "",
        "status": status_of(task),
        "targets": task.targets,
        "source": task.source,
    }


def _table(chosen: list[Task]) -> str:
    """Aligned columns for a terminal: due date, status, lead, task."""
    rows = [("截止日期", "状态", "牵头/负责", "任务", "来源")]
    for t in chosen:
        units = t.lead or t.responsible
        rows.append(
            (
                t.due.isoformat() if t.due else "—",
                status_of(t),
                units.replace(SEPARATOR, "、")[:24],
                f"{t.id} {t.heading}"[:40],
                t.source,
            )
        )
    widths = [max(_width(r[i]) for r in rows) for i in range(4)]
    lines = []
    for row in rows:
        cells = [row[i] + " " * (widths[i] - _width(row[i])) for i in range(4)]
        lines.append("  ".join([*cells, row[4]]).rstrip())
    lines.append(f"{len(chosen)} 项任务")
    return "\n".join(lines) + "\n"


def _width(text: str) -> int:
    """Display width: a CJK character takes two columns."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def run_tasks(paths: list[str], query: Query, fmt: str, max_bytes: int) -> int:
    if fmt not in FORMATS:
        raise PlancError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    chosen = select(collect(paths, max_bytes), query)
    sys.stdout.write(render(chosen, fmt))
    return 0


def run_ledger(
    paths: list[str], output: Path | None, update: Path | None, warn_days: int, max_bytes: int
) -> int:
    """Write a ledger of the plans named (one workbook), or update an existing one."""
    from planc.emit import write_atomic
    from planc.ledger import LedgerOptions, workbook_bytes
    from planc.outputs import compile_file

    target = output or update
    if target is None:
        raise PlancError("name the workbook: -o 台账.xlsx, or --update 台账.xlsx")
    names, missing = expand_paths(paths)
    if missing:
        raise PlancError(missing[0])
    plans = [compile_file(name, max_bytes) for name in names]
    if not plans:
        raise PlancError("no plan to put in the ledger")
    base = target.resolve().parent
    rows: list[Task] = []
    for plan, name in zip(plans, names, strict=True):
        rows.extend(tasks(plan, _relative(name, base)))
    title = plans[0].meta.title or "任务台账" if len(plans) == 1 else "任务台账"
    if update is not None:
        from planc.ledger_update import update_ledger

        if output is not None and output.resolve() != update.resolve():
            raise PlancError("--update rewrites its workbook in place: leave out -o")
        kept, added, gone = update_ledger(update, rows, title, warn_days)
        print(
            f"planc ledger → {update}: {kept} tasks kept with their notes, {added} new, "
            f"{gone} no longer in the plan (kept, marked {LEFT_PLAN}); "
            f"previous version in {update.name}.bak",
            file=sys.stderr,
        )
        return 0
    write_atomic(target, workbook_bytes(rows, title, LedgerOptions(warn_days=warn_days)))
    print(f"planc ledger → {target}: {len(rows)} tasks from {len(plans)} plans", file=sys.stderr)
    return 0


def _relative(name: str, base: Path) -> str:
    """A source path relative to the ledger's folder, as the 来源 column names it."""
    import os

    try:
        return Path(os.path.relpath(Path(name).resolve(), base)).as_posix()
    except ValueError:  # another drive on Windows
        return name
