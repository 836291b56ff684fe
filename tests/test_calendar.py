"""The .ics calendar of a plan's deadlines: it parses back, one all-day event per deadline."""

from __future__ import annotations

import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar, Component

from planc.calendar_ics import to_ics
from planc.model import Clause, Plan
from tests.conftest import SAMPLES
from tests.test_ledger import PLANC, compiled, load_gold, with_gold


def events(data: bytes) -> list[Component]:
    calendar = Calendar.from_ical(data)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    return list(calendar.walk("VEVENT"))


def resolved(plan: Plan) -> list[tuple[str, date, date | None]]:
    return [
        (clause.id, d.due, d.start) for clause in plan.walk() for d in clause.deadlines if d.due
    ]


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_one_all_day_event_per_gold_deadline(name: str) -> None:
    plan = with_gold(compiled(name), load_gold(name))
    clauses = {clause.id: clause for clause in plan.walk()}
    found = events(to_ics(plan))
    expected = resolved(plan)
    assert len(found) == len(expected) > 0
    for event, (clause_id, due, start) in zip(found, expected, strict=True):
        first, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert type(first) is date and type(end) is date  # all-day, not a time of day
        assert first == (start or due)
        assert end == due + timedelta(days=1)
        clause = clauses[clause_id]
        assert str(event["SUMMARY"]).startswith(f"{clause_id} {clause.heading}")
        description = str(event["DESCRIPTION"])
        for owner in clause.owners:
            assert owner.name in description
        assert f"{plan.source.path}:{clause.span.line}" in description
    assert len({str(event["UID"]) for event in found}) == len(found)


def test_windows_span_their_days() -> None:
    plan = with_gold(compiled("nanyang"), load_gold("nanyang"))
    late_september = [e for e in events(to_ics(plan)) if e.decoded("DTSTART") == date(2023, 9, 21)]
    assert len(late_september) == 1  # 6.14: 9 月下旬
    assert late_september[0].decoded("DTEND") == date(2023, 10, 1)


def test_uids_are_stable_and_unresolved_deadlines_are_left_out() -> None:
    plan = with_gold(compiled("neimenggu"), load_gold("neimenggu"))
    first = {str(e["UID"]) for e in events(to_ics(plan))}
    assert first == {str(e["UID"]) for e in events(to_ics(plan))}
    assert all(uid.startswith(plan.source.sha256[:16]) for uid in first)

    clause = next(c for c in plan.walk() if c.deadlines)
    undated = clause.deadlines[0].model_copy(update={"due": None, "start": None})
    changed = clause.model_copy(update={"deadlines": [undated, *clause.deadlines[1:]]})
    plan = plan.model_copy(update={"clauses": [_replace(c, changed) for c in plan.clauses]})
    assert len(events(to_ics(plan))) == len(first) - 1


def _replace(clause: Clause, new: Clause) -> Clause:
    if clause.id == new.id:
        return new
    return clause.model_copy(update={"children": [_replace(c, new) for c in clause.children]})


def test_parse_writes_the_extracted_deadlines(tmp_path: Path) -> None:
    """The whole pipeline: every deadline the extractor resolved is an event, no more."""
    ics = tmp_path / "plan.ics"
    run = subprocess.run([PLANC, "parse", str(SAMPLES["nanyang"]), "-o", str(ics)])
    assert run.returncode == 0
    plan = compiled("nanyang")
    expected = resolved(plan)
    assert expected, "the extractor resolved no deadline in the Nanyang plan"
    found = events(ics.read_bytes())
    assert [(e.decoded("DTEND") - timedelta(days=1)) for e in found] == [d for _, d, _ in expected]
