"""A plan's deadlines as an RFC 5545 calendar, so an office can subscribe to them.

Each resolved deadline is an all-day event on its due date (a window spans its days). UIDs
come from the plan's text hash, the clause id and the deadline's index, so a calendar client
that re-reads the file updates events instead of duplicating them. icalendar is imported
only when a calendar is written.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from planc.ledger import ROLE_NAMES, deadline_text
from planc.model import Clause, Deadline, Plan

PRODID = "-//planc//plan deadlines//ZH"


def event_uid(plan: Plan, clause: Clause, index: int) -> str:
    return f"{plan.source.sha256[:16]}-{clause.id}-{index}@planc"


def to_ics(plan: Plan, stamp: datetime | None = None) -> bytes:
    """The calendar as bytes; deadlines that do not resolve to a date are left out."""
    from icalendar import Calendar, Event

    name = plan.meta.title or plan.source.path
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    stamp = stamp or datetime.now(UTC).replace(microsecond=0)
    for clause in plan.walk():
        for index, deadline in enumerate(clause.deadlines):
            if deadline.due is None:
                continue
            first, last = _days(deadline)
            event = Event()
            event.add("uid", event_uid(plan, clause, index))
            event.add("dtstamp", stamp)
            event.add("dtstart", first)
            event.add("dtend", last + timedelta(days=1))  # all-day DTEND is exclusive
            event.add("summary", f"{clause.id} {clause.heading}（{deadline.text}）")
            event.add("description", _description(plan, clause, deadline))
            event.add("categories", [name])
            calendar.add_component(event)
    return calendar.to_ical()


def _days(deadline: Deadline) -> tuple[date, date]:
    assert deadline.due is not None
    start = deadline.start if deadline.start and deadline.start <= deadline.due else deadline.due
    return start, deadline.due


def _description(plan: Plan, clause: Clause, deadline: Deadline) -> str:
    lines = [f"{clause.label}{clause.heading}", f"完成时限：{deadline_text(deadline)}"]
    if clause.owners:
        owners = "；".join(f"{o.name}（{ROLE_NAMES[o.role]}）" for o in clause.owners)
        lines.append(f"责任单位：{owners}")
    if clause.targets:
        lines.append("目标：" + "；".join(t.text for t in clause.targets))
    lines += ["", clause.text, "", f"来源：{plan.source.path}:{clause.span.line}"]
    return "\n".join(lines)
