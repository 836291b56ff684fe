"""A plan's deadlines as an RFC 5545 calendar, so an office can subscribe to them.

Each resolved deadline is an all-day event on its due date (a window spans its days), with a
reminder some days before. UIDs come from the plan's identity (文号, else title), the clause
and the deadline as printed — not from the file's bytes — so a corrected plan, re-imported,
updates its events instead of duplicating them. icalendar is imported only when a calendar is
written.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from planc.ledger import ROLE_NAMES, deadline_text
from planc.model import Clause, Deadline, Plan

PRODID = "-//planc//plan deadlines//ZH"
REMIND_DAYS = 7


def plan_identity(plan: Plan) -> str:
    """What names the plan across corrections: its 文号, else its title, else its file name."""
    return plan.meta.doc_number or plan.meta.title or Path(plan.source.path).stem


def event_uid(plan: Plan, clause: Clause, deadline: Deadline, repeat: int = 0) -> str:
    key = f"{plan_identity(plan)}\0{clause.id}\0{deadline.text}\0{repeat}"
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32] + "@planc"


def to_ics(plan: Plan, stamp: datetime | None = None, remind_days: int = REMIND_DAYS) -> bytes:
    """The calendar as bytes; deadlines that do not resolve to a date are left out."""
    from icalendar import Alarm, Event

    name = plan.meta.title or plan.source.path
    calendar = _calendar(name)
    stamp = stamp or datetime.now(UTC).replace(microsecond=0)
    for clause in plan.walk():
        printed: dict[str, int] = {}
        for deadline in clause.deadlines:
            repeat = printed[deadline.text] = printed.get(deadline.text, -1) + 1
            if deadline.due is None:
                continue
            first, last = _days(deadline)
            event = Event()
            event.add("uid", event_uid(plan, clause, deadline, repeat))
            event.add("dtstamp", stamp)
            event.add("dtstart", first)
            event.add("dtend", last + timedelta(days=1))  # all-day DTEND is exclusive
            lead = _lead(clause)
            prefix = f"【{lead}】" if lead else ""
            event.add("summary", f"{prefix}{clause.id} {clause.heading}（{deadline.text}）")
            event.add("description", _description(plan, clause, deadline))
            event.add("categories", [name, *dict.fromkeys(o.name for o in clause.owners)])
            if remind_days > 0:
                alarm = Alarm()
                alarm.add("action", "DISPLAY")
                alarm.add("description", f"{remind_days}天后到期：{clause.heading}")
                alarm.add("trigger", timedelta(days=-remind_days))
                event.add_component(alarm)
            calendar.add_component(event)
    return calendar.to_ical()


def merge(calendars: Iterable[bytes], name: str) -> bytes:
    """One calendar holding the events of several (a build's plans)."""
    from icalendar import Calendar

    merged = _calendar(name)
    for data in calendars:
        for event in Calendar.from_ical(data).walk("VEVENT"):
            merged.add_component(event)
    return merged.to_ical()


def _calendar(name: str) -> Any:
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    return calendar


def _lead(clause: Clause) -> str:
    for role in ("lead", "responsible"):
        names = [o.name for o in clause.owners if o.role == role]
        if names:
            return "、".join(dict.fromkeys(names))
    return ""


def _days(deadline: Deadline) -> tuple[date, date]:
    assert deadline.due is not None
    start = deadline.start if deadline.start and deadline.start <= deadline.due else deadline.due
    return start, deadline.due


def _description(plan: Plan, clause: Clause, deadline: Deadline) -> str:
    lines = [f"{clause.label}{clause.heading}", f"完成时限：{deadline_text(deadline)}"]
    for role, word in ROLE_NAMES.items():
        names = [o.name for o in clause.owners if o.role == role]
        if names:
            lines.append(f"{word}单位：{'、'.join(dict.fromkeys(names))}")
    if clause.targets:
        lines.append("目标：" + "；".join(t.text for t in clause.targets))
    lines += ["", clause.text, "", f"来源：{plan.source.path}:{clause.span.line}"]
    return "\n".join(lines)
