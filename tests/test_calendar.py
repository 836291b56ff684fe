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
        assert f"{clause_id} {clause.heading}（" in str(event["SUMMARY"])
        (alarm,) = event.walk("VALARM")
        assert alarm.decoded("TRIGGER") == -timedelta(days=7)
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


def test_a_corrected_plan_updates_its_events(tmp_path: Path) -> None:
    """Fixing a typo elsewhere in the plan changes the file's bytes, not the event UIDs: a
    calendar client that re-imports updates the events instead of duplicating them."""
    text = SAMPLES["nanyang"].read_text(encoding="utf-8")
    original, corrected = tmp_path / "a.txt", tmp_path / "b.txt"
    original.write_text(text, encoding="utf-8")
    corrected.write_text(text.replace("建设建设", "建设"), encoding="utf-8")
    uids = []
    for path in (original, corrected):
        ics = path.with_suffix(".ics")
        assert subprocess.run([PLANC, "parse", str(path), "-o", str(ics)]).returncode == 0
        uids.append([str(e["UID"]) for e in events(ics.read_bytes())])
    assert uids[0] == uids[1] and len(set(uids[0])) == len(uids[0]) > 0


def test_build_writes_one_calendar_and_one_ledger(tmp_path: Path) -> None:
    import openpyxl

    sources = SAMPLES["nanyang"].parent.parent
    for fmt, name in (("ics", "calendar.ics"), ("xlsx", "台账.xlsx")):
        out = tmp_path / fmt
        run = subprocess.run(
            [PLANC, "build", str(sources), "-o", str(out), "-f", fmt], capture_output=True
        )
        assert run.returncode == 0, run.stderr
        assert (out / name).exists()
    merged = events((tmp_path / "ics" / "calendar.ics").read_bytes())
    parts = [e for p in (tmp_path / "ics").rglob("*-*.ics") for e in events(p.read_bytes())]
    assert len(merged) == len(parts) > 0
    workbook = openpyxl.load_workbook(tmp_path / "xlsx" / "台账.xlsx")
    assert workbook.sheetnames[0] == "任务台账" and workbook.sheetnames[-1] == "汇总"
    sheet = workbook["任务台账"]
    sources_cells = [row[11] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert all(str(cell).startswith("../") for cell in sources_cells)  # relative to out/
    assert len(workbook.sheetnames) > 2  # a sheet per lead unit
