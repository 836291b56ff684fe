"""One plan as a self-contained HTML page: the text with its commitments marked, and charts.

The page shows each clause's repaired ``text`` (PDF line breaks mended), and places each
highlight by the item's span in the original: the original is read again (and checked against
the plan's sha256), and ``planc.check.document.align`` maps each character of the repaired text
to its original offset. When the original cannot be read (a compiled plan moved away from its
source), an item is marked where its printed text next occurs after the previous item.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from html import escape
from pathlib import Path

from planc.errors import PlancError
from planc.model import Clause, Deadline, Owner, Plan, Target
from planc.report.charts import ROLE_NAMES, ROLES, DeadlineMark, OwnerBar, owners_svg, timeline_svg
from planc.report.render import COUNTED, markup, render_template
from planc.source import read_source

_WHITE = re.compile(r"\s+")
_CMP_WORDS = {"=": "=", ">=": "≥", "<=": "≤", "~": "约", "range": "区间"}
Item = Deadline | Target | Owner


@dataclass(slots=True)
class _Mark:
    start: int
    end: int
    kind: str
    tip: str


@dataclass(slots=True)
class ClauseView:
    id: str
    label: str
    heading: str
    level: int
    html: str  # markup, escaped here
    children: list[ClauseView] = field(default_factory=list)


def original_text(plan: Plan) -> str | None:
    """The text the plan was compiled from, if it can still be read unchanged."""
    path = plan.source.path
    if path in ("-", "<string>") or not Path(path).is_file():
        return None
    try:
        text = read_source(path).text
    except PlancError:
        return None
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return text if digest == plan.source.sha256 else None


def _number(value: int | float | None) -> str:
    if value is None:
        return ""
    return f"{value:g}" if isinstance(value, float) else str(value)


def target_value(target: Target) -> str:
    """``≥ 90 %``, ``约 3 %``, ``80–85 万人``: the normalised value a reader compares."""
    value = _number(target.value)
    if target.cmp == "range" and target.max is not None:
        value = f"{value}–{_number(target.max)}"
    elif target.cmp != "=":
        value = f"{_CMP_WORDS[target.cmp]} {value}"
    return f"{value} {target.unit}".strip()


def _tip(item: Item) -> tuple[str, str]:
    if isinstance(item, Deadline):
        if item.due is None:
            return "deadline", "时限：未能确定日期"
        window = f"{item.start.isoformat()} 至 " if item.start else "截至 "
        return "deadline", f"时限：{window}{item.due.isoformat()}"
    if isinstance(item, Target):
        metric = f"{item.metric}：" if item.metric else ""
        return "target", f"目标：{metric}{target_value(item)}"
    return "owner", f"{ROLE_NAMES[item.role]}单位：{item.name}"


def _located(item: Item, display: str, offset: int, origins: tuple[int, ...] | None) -> int:
    """Where ``item`` starts in ``display``: through its span when the original is known."""
    if origins:
        first = bisect_left(origins, item.span.start)
        last = bisect_left(origins, item.span.end)
        shown = display[offset + first : offset + last]
        if _WHITE.sub("", shown) == _WHITE.sub("", item.text):
            return offset + first
    return -1


def _marks(
    clause: Clause, display: str, offset: int, origins: tuple[int, ...] | None
) -> list[_Mark]:
    """The clause's items as non-overlapping marks in ``display`` (the body from ``offset``)."""
    items: list[Item] = [*clause.deadlines, *clause.targets, *clause.owners]
    found: list[_Mark] = []
    cursor = 0
    for item in sorted(items, key=lambda i: i.span.start):
        start = _located(item, display, offset, origins)
        length = len(item.text)
        if start >= 0:
            length = bisect_left(origins or (), item.span.end) - (start - offset)
        else:  # by the printed text: the next occurrence after the previous item
            start = display.find(item.text, cursor)
            if start < 0:
                start = display.find(item.text)
        if start < 0 or length <= 0:
            continue
        kind, tip = _tip(item)
        found.append(_Mark(start, start + length, kind, tip))
        cursor = start + length
    found.sort(key=lambda m: (m.start, -m.end))
    kept: list[_Mark] = []
    for mark in found:
        if not kept or mark.start >= kept[-1].end:
            kept.append(mark)
    return kept


def _marked(text: str, marks: list[_Mark], start: int, end: int) -> str:
    out: list[str] = []
    at = start
    for mark in marks:
        if mark.start < start or mark.end > end:
            continue
        out.append(escape(text[at : mark.start]))
        out.append(
            f'<mark class="{mark.kind}" tabindex="0" data-tip="{escape(mark.tip)}">'
            f"{escape(text[mark.start : mark.end])}</mark>"
        )
        at = mark.end
    out.append(escape(text[at:end]))
    return "".join(out)


def clause_html(clause: Clause, original: str | None) -> str:
    """The clause's own repaired text (children excluded): label, heading in bold, body."""
    from planc.check.document import align
    from planc.report.diff_view import clause_text

    display = clause_text(clause)
    offset = len(display) - len(clause.text)
    origins = None
    if original is not None:
        label_at = original.find(clause.label, clause.span.start, clause.span.end)
        body_start = (label_at if label_at >= 0 else clause.span.start) + len(clause.label)
        origins = align(clause.text, original, body_start, clause.span.end)
    marks = _marks(clause, display, offset, origins)
    heading_start = len(clause.label)
    heading_end = heading_start + len(clause.heading)
    if not clause.heading:
        return markup(_marked(display, marks, 0, len(display)))
    for mark in marks:  # a mark across the heading's edge takes the edge with it
        if mark.start < heading_end < mark.end:
            heading_end = mark.end
        if mark.start < heading_start < mark.end:
            heading_start = mark.start
    return markup(
        _marked(display, marks, 0, heading_start)
        + '<strong class="heading">'
        + _marked(display, marks, heading_start, heading_end)
        + "</strong>"
        + _marked(display, marks, heading_end, len(display))
    )


def _sections(plan: Plan) -> dict[str, Clause]:
    """Each clause id's top-level clause: the section a clause belongs to."""
    top: dict[str, Clause] = {}
    for section in plan.clauses:
        stack = [section]
        while stack:
            clause = stack.pop()
            top[clause.id] = section
            stack.extend(clause.children)
    return top


def section_name(section: Clause) -> str:
    return f"{section.label}{section.heading}".strip() or section.id


def counts(plan: Plan) -> dict[str, int]:
    clauses = list(plan.walk())
    return {
        "clauses": len(clauses),
        "targets": sum(len(c.targets) for c in clauses),
        "deadlines": sum(len(c.deadlines) for c in clauses),
        "owners": sum(len(c.owners) for c in clauses),
    }


def _findings(plan: Plan, original: str | None) -> list[dict[str, object]]:
    """``planc check``'s findings, each with the clause whose span holds its start."""
    if original is None:
        return []
    from planc.check import check_plan

    line_starts = [0]
    for index, char in enumerate(original):
        if char == "\n":
            line_starts.append(index + 1)
    clauses = sorted(plan.walk(), key=lambda c: c.span.start)
    rows: list[dict[str, object]] = []
    for finding in check_plan(plan, original):
        offset = line_starts[min(finding.line, len(line_starts)) - 1] + finding.column - 1
        holder = next((c for c in reversed(clauses) if c.span.start <= offset), None)
        rows.append(
            {
                "severity": finding.severity,
                "rule": finding.rule,
                "name": finding.name,
                "message": finding.message,
                "line": finding.line,
                "column": finding.column,
                "clause": holder.id if holder else None,
                "clause_label": f"{holder.label}{holder.heading}"[:24] if holder else None,
            }
        )
    return rows


def plan_context(plan: Plan, today: date | None = None) -> dict[str, object]:
    """Everything the plan template shows, computed here so the template only lays it out."""
    today = today or date.today()
    original = original_text(plan)
    sections = _sections(plan)

    def view(clause: Clause) -> ClauseView:
        return ClauseView(
            clause.id,
            clause.label,
            clause.heading,
            clause.level,
            clause_html(clause, original),
            [view(child) for child in clause.children],
        )

    marks: list[DeadlineMark] = []
    by_unit: list[DeadlineMark] = []
    undated: list[tuple[str, str]] = []
    roles: dict[str, Counter[str]] = defaultdict(Counter)
    matrix: dict[str, Counter[str]] = defaultdict(Counter)
    targets: list[dict[str, object]] = []
    for clause in plan.walk():
        section = section_name(sections[clause.id])
        lead = next((o.name for o in clause.owners if o.role in ("lead", "responsible")), None)
        lead = lead or (clause.owners[0].name if clause.owners else "（未写明单位）")
        for deadline in clause.deadlines:
            if deadline.due is None:
                undated.append((clause.id, deadline.text))
                continue
            marks.append(DeadlineMark(clause.id, deadline.text, deadline.due, deadline.start,
                                      section))  # fmt: skip
            by_unit.append(DeadlineMark(clause.id, deadline.text, deadline.due, deadline.start,
                                        lead))  # fmt: skip
        for unit, role in {(o.name, o.role) for o in clause.owners}:
            roles[unit][role] += 1
        for unit in {o.name for o in clause.owners}:
            matrix[unit][sections[clause.id].id] += 1
        for target in clause.targets:
            targets.append(
                {
                    "section": section,
                    "clause": clause.id,
                    "label": clause.label,
                    "metric": target.metric,
                    "cmp": target.cmp,
                    "value": target_value(target),
                    "text": target.text,
                }
            )
    bars = sorted(
        (OwnerBar(name, dict(counter)) for name, counter in roles.items()),
        key=lambda bar: (-bar.total, bar.name),
    )
    overdue = sum(1 for m in marks if m.due < today)
    return {
        "title": plan.meta.title or Path(plan.source.path).stem,
        "plan": plan,
        "meta_line": [
            part
            for part in (
                plan.meta.issuer,
                plan.meta.doc_number,
                f"{plan.meta.issued.isoformat()} 印发" if plan.meta.issued else None,
                f"源文件 {plan.source.path}",
                f"报告日期 {today.isoformat()}",
            )
            if part
        ],
        "today": today,
        "counts": counts(plan),
        "counted": COUNTED,
        "clauses": [view(c) for c in plan.clauses],
        "front_matter": plan.front_matter.text.strip(),
        "from_original": original is not None,
        "timeline": markup(timeline_svg(marks, today, plan.meta.year)),
        "timeline_by_unit": markup(timeline_svg(by_unit, today, plan.meta.year)),
        "deadline_count": len(marks),
        "overdue": overdue,
        "undated": undated,
        "owners_chart": markup(owners_svg(bars)),
        "owner_bars": bars,
        "roles": ROLES,
        "role_names": ROLE_NAMES,
        "sections": [(c.id, section_name(c)) for c in plan.clauses],
        "matrix": sorted(matrix.items(), key=lambda kv: (-sum(kv[1].values()), kv[0])),
        "targets": targets,
        "findings": _findings(plan, original),
    }


def plan_html(plan: Plan, today: date | None = None) -> str:
    """The report of one plan: a self-contained HTML page (inline CSS and SVG, no requests)."""
    return render_template("plan.html.j2", plan_context(plan, today))
