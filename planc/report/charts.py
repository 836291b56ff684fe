"""The report's charts, drawn as SVG strings here so the page needs no script library.

Every mark is a link to its clause (so a keyboard reaches it and Enter jumps to the text) and
carries ``data-mark`` so a test can count it: one per deadline, one bar per owner.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from html import escape

ROLES = ("lead", "responsible", "cooperating", "guiding")
ROLE_NAMES = {"lead": "牵头", "responsible": "负责", "cooperating": "配合", "guiding": "指导"}


@dataclass(frozen=True, slots=True)
class DeadlineMark:
    """A deadline placed on the timeline: a day, or a window from ``start`` to ``due``."""

    clause_id: str
    text: str
    due: date
    start: date | None
    group: str


@dataclass(frozen=True, slots=True)
class OwnerBar:
    """One unit and how many tasks it carries in each role."""

    name: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


_LABEL_WIDTH = 170
_PLOT_WIDTH = 620
_LANE_HEIGHT = 18
_AXIS_HEIGHT = 28


def _months(first: date, last: date) -> list[date]:
    """First days of every month from ``first``'s month to the month after ``last``."""
    months = [date(first.year, first.month, 1)]
    while months[-1] <= last:
        current = months[-1]
        months.append(date(current.year + current.month // 12, current.month % 12 + 1, 1))
    return months


def _clip(text: str, width: int) -> str:
    """A label cut to about ``width`` Chinese characters (the full text goes in a <title>)."""
    return text if len(text) <= width else text[: width - 1] + "…"


def timeline_svg(marks: list[DeadlineMark], today: date, year: int | None) -> str:
    """Deadlines on a month axis, one lane group per section; today marked, overdue in red."""
    if not marks:
        return ""
    days = [m.start or m.due for m in marks] + [m.due for m in marks]
    first, last = min(days), max(days)
    if year is not None:
        first, last = min(first, date(year, 1, 1)), max(last, date(year, 12, 31))
    months = _months(first, last)
    origin, end = months[0], months[-1]
    span_days = max((end - origin).days, 1)

    def x(day: date) -> float:
        return _LABEL_WIDTH + (day - origin).days / span_days * _PLOT_WIDTH

    groups: dict[str, list[DeadlineMark]] = {}  # in the order the plan first names them
    for mark in marks:
        groups.setdefault(mark.group, []).append(mark)
    body: list[str] = []
    y = _AXIS_HEIGHT
    for group, members in groups.items():
        lanes: list[float] = []  # right edge of the last mark in each lane
        placed: list[tuple[DeadlineMark, int]] = []
        for mark in sorted(members, key=lambda m: (m.start or m.due, m.due)):
            left, right = x(mark.start or mark.due) - 6, x(mark.due) + 6
            lane = next((i for i, edge in enumerate(lanes) if edge < left), None)
            if lane is None:
                lanes.append(right)
                lane = len(lanes) - 1
            else:
                lanes[lane] = right
            placed.append((mark, lane))
        height = len(lanes) * _LANE_HEIGHT + 6
        body.append(
            f'<g class="lane-group"><rect class="band" x="0" y="{y}" width="'
            f'{_LABEL_WIDTH + _PLOT_WIDTH}" height="{height}"/>'
            f'<text class="group-label" x="4" y="{y + 14}">{escape(_clip(group, 12))}'
            f"<title>{escape(group)}</title></text></g>"
        )
        for mark, lane in placed:
            body.append(_deadline_mark(mark, x, y + 3 + lane * _LANE_HEIGHT, today))
        y += height
    axis = [f'<line class="axis" x1="{_LABEL_WIDTH}" y1="{_AXIS_HEIGHT - 4}" '
            f'x2="{_LABEL_WIDTH + _PLOT_WIDTH}" y2="{_AXIS_HEIGHT - 4}"/>']  # fmt: skip
    step = max(1, -(-len(months) // 12))
    for index, month in enumerate(months):
        left = x(month)
        axis.append(f'<line class="tick" x1="{left:.1f}" y1="{_AXIS_HEIGHT - 4}" '
                    f'x2="{left:.1f}" y2="{y}"/>')  # fmt: skip
        if index % step == 0 and index < len(months) - 1:
            label = f"{month.month}月" if month.month != 1 or index == 0 else f"{month.year}年"
            if index == 0:
                label = f"{month.year}年{month.month}月"
            axis.append(f'<text class="tick-label" x="{left + 2:.1f}" y="{_AXIS_HEIGHT - 9}">'
                        f"{label}</text>")  # fmt: skip
    if origin <= today <= end:  # drawn last: over the bands, under nothing
        left = x(today)
        body.append(
            f'<g class="today" data-mark="today"><line x1="{left:.1f}" y1="{_AXIS_HEIGHT - 8}" '
            f'x2="{left:.1f}" y2="{y}"/><text x="{left + 3:.1f}" y="{y + 14}">今天 '
            f"{today.isoformat()}</text></g>"
        )
    width = _LABEL_WIDTH + _PLOT_WIDTH + 10
    return (
        f'<svg class="chart timeline" viewBox="0 0 {width} {y + 20}" role="img" '
        f'aria-labelledby="timeline-title" preserveAspectRatio="xMinYMin meet">'
        f'<title id="timeline-title">{len(marks)} 个时限，按月排列</title>'
        + "".join(axis)
        + "".join(body)
        + "</svg>"
    )


def _deadline_mark(mark: DeadlineMark, x: Callable[[date], float], top: float, today: date) -> str:
    state = "overdue" if mark.due < today else "coming"
    when = (
        f"{mark.start.isoformat()} 至 {mark.due.isoformat()}"
        if mark.start
        else f"截至 {mark.due.isoformat()}"
    )
    tip = f"{mark.clause_id}　{mark.text}（{when}，{'已过期' if state == 'overdue' else '未到期'}）"
    centre = top + _LANE_HEIGHT / 2 - 2
    if mark.start is not None and mark.start < mark.due:
        left, right = x(mark.start), x(mark.due)
        shape = (
            f'<rect x="{left:.1f}" y="{centre - 5:.1f}" width="{max(right - left, 4):.1f}" '
            f'height="10" rx="3"/>'
        )
    else:
        shape = f'<circle cx="{x(mark.due):.1f}" cy="{centre:.1f}" r="5"/>'
    return (
        f'<a href="#c-{escape(mark.clause_id)}" class="mark {state}" data-mark="deadline" '
        f'data-due="{mark.due.isoformat()}"><title>{escape(tip)}</title>{shape}</a>'
    )


def owners_svg(bars: list[OwnerBar]) -> str:
    """Tasks per unit, one horizontal bar per unit stacked by role, largest first."""
    if not bars:
        return ""
    label_width, plot_width, row = 230, 520, 22
    most = max(bar.total for bar in bars)
    rows: list[str] = []
    for index, bar in enumerate(bars):
        top = 8 + index * row
        left = float(label_width)
        pieces: list[str] = []
        for role in ROLES:
            count = bar.counts.get(role, 0)
            if not count:
                continue
            width = count / most * plot_width
            pieces.append(
                f'<rect class="role-{role}" x="{left:.1f}" y="{top}" width="{width:.1f}" '
                f'height="{row - 6}"><title>{escape(bar.name)}：{ROLE_NAMES[role]} {count} 项'
                f"</title></rect>"
            )
            left += width
        label = escape(_clip(bar.name, 16))
        rows.append(
            f'<g class="bar" data-mark="owner-bar" tabindex="0" '
            f'aria-label="{escape(bar.name)} {bar.total} 项">'
            f'<text class="bar-label" x="{label_width - 6}" y="{top + 12}" '
            f'text-anchor="end">{label}</text>{"".join(pieces)}'
            f'<text class="bar-value" x="{left + 4:.1f}" y="{top + 12}">{bar.total}</text></g>'
        )
    height = 16 + len(bars) * row
    return (
        f'<svg class="chart owners" viewBox="0 0 {label_width + plot_width + 40} {height}" '
        f'role="img" aria-labelledby="owners-title" preserveAspectRatio="xMinYMin meet">'
        f'<title id="owners-title">{len(bars)} 个责任单位的任务数</title>'
        + "".join(rows)
        + "</svg>"
    )
