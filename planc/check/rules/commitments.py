"""Commitments: targets, deadlines and owners as the extractors found them, and printed dates."""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator

from planc.check import Problem, Rule, Severity, register
from planc.check.document import Document
from planc.labels import chinese_to_int
from planc.model import Clause
from planc.textmap import fold

_CN = "〇零一二两三四五六七八九十"
_NUM = rf"\d{{1,2}}|[{_CN}]{{1,3}}"
_DATE = re.compile(
    rf"(?:(\d{{4}}|[{_CN}]{{4}}) *年 *)?(?<![\d{_CN}个])({_NUM}) *月 *(?:({_NUM}) *[日号])?"
)


def _chain(doc: Document, clause: Clause) -> Iterator[Clause]:
    """The clause and the sections above it."""
    current: Clause | None = clause
    while current is not None:
        yield current
        current = doc.parents[current.id]


def _year_value(token: str) -> int | None:
    if token.isdigit():
        return int(token)
    digits = [chinese_to_int(ch) for ch in token]
    if None in digits:
        return None
    return int("".join(str(d) for d in digits))


def _number(token: str) -> int | None:
    return int(token) if token.isdigit() else chinese_to_int(token)


@register
class TargetWithoutDeadline(Rule):
    """A quantitative target has no deadline.

    A number to reach (``80%以上``, ``20 家``) can only be checked if the plan says by when.
    A deadline in the clause or in a section above it counts. Reported once per top-level
    section, naming its clauses. In a yearly plan (``2023年…工作要点``) the year end is implied,
    so there the finding is only information.
    """

    id = "PC201"
    name = "target-without-deadline"
    severity = "warning"
    needs_extraction = True
    bad = "1. 建设标准化灸疗中心。建成 20 家标准化灸疗中心。\n"
    good = "1. 建设标准化灸疗中心。年底前建成 20 家标准化灸疗中心。\n"

    def check(self, doc: Document) -> Iterator[Problem]:
        sections: dict[str, list[Clause]] = {}
        for clause in doc.clauses:
            if clause.targets and not any(c.deadlines for c in _chain(doc, clause)):
                top = list(_chain(doc, clause))[-1]
                sections.setdefault(top.id, []).append(clause)
        severity: Severity | None = "info" if doc.yearly() else None
        implied = " (the year end is implied)" if doc.yearly() else ""
        for clauses in sections.values():
            first = clauses[0]
            target = first.targets[0]
            if len(clauses) == 1:
                texts = "、".join(t.text for t in first.targets[:3])
                more = "…" if len(first.targets) > 3 else ""
                message = f"clause {first.id} sets targets ({texts}{more}) but no deadline"
            else:
                ids = "、".join(c.id for c in clauses[:5]) + ("…" if len(clauses) > 5 else "")
                message = f"clauses {ids} set targets ({target.text}…) but no deadline"
            yield Problem(target.span.start, target.span.end, message + implied, severity=severity)


@register
class DeadlineOutsidePlanYear(Rule):
    """A deadline falls outside the years the plan covers.

    In a plan for 2023 a deadline in 2022 or 2024 is usually a year copied from last year's
    plan. Checked against the years the title prints (a year, or a span such as （2024-2026年）);
    skipped when the title prints none (a national opinion dated by its number alone).
    """

    id = "PC202"
    name = "deadline-outside-plan-year"
    severity = "warning"
    needs_extraction = True
    bad = "2023年工作要点\n一、重点任务\n1. 完成评审。2022年6月底前完成评审。\n"
    good = "2023年工作要点\n一、重点任务\n1. 完成评审。2023年6月底前完成评审。\n"

    def check(self, doc: Document) -> Iterator[Problem]:
        frame = doc.time_frame  # as the title prints it: a year or a span of years
        if frame is None:
            return
        first, last = frame
        period = f"the plan year {first}" if first == last else f"the plan's years {first}–{last}"
        for clause in doc.clauses:
            for deadline in clause.deadlines:
                if deadline.due is not None and not first <= deadline.due.year <= last:
                    yield Problem(
                        deadline.span.start,
                        deadline.span.end,
                        f"deadline {deadline.text} (due {deadline.due.isoformat()}) is "
                        f"outside {period}",
                    )


@register
class ImpossibleDate(Rule):
    """A printed date does not exist.

    ``2月30日``, ``4月31日`` or ``13月`` cannot be met and make every date near them doubtful.
    February 29 is checked against the year printed with it, else the plan year.
    """

    id = "PC203"
    name = "impossible-date"
    severity = "error"
    bad = "1. 完成评审。2月30日前完成评审。\n"
    good = "1. 完成评审。2月28日前完成评审。\n"

    def check(self, doc: Document) -> Iterator[Problem]:
        plan_year = doc.plan.meta.year
        for prose in doc.prose:
            for m in _DATE.finditer(fold(prose.text)):
                month = _number(m.group(2))
                day = _number(m.group(3)) if m.group(3) else None
                year = _year_value(m.group(1)) if m.group(1) else plan_year
                if month is None:
                    continue
                if not 1 <= month <= 12:
                    reason = f"there is no month {month}"
                elif day is not None and not 1 <= day <= _days_in(month, year):
                    reason = f"month {month} has no day {day}"
                else:
                    continue
                yield Problem(
                    prose.start(m.start()),
                    prose.end(m.end()),
                    f"impossible date '{m.group(0).strip()}': {reason}",
                )


def _days_in(month: int, year: int | None) -> int:
    if month == 2 and year is None:
        return 29
    return calendar.monthrange(year or 2001, month)[1]


@register
class TargetWithoutOwner(Rule):
    """A clause with targets names no owner.

    Off by default: many plans name owners only in a separate table, and the issuer owns
    every clause that names no one. Turn it on (``--select PC204``) for plans that name a
    牵头单位 for each item. An owner in a section above counts.
    """

    id = "PC204"
    name = "target-without-owner"
    severity = "warning"
    default_enabled = False
    needs_extraction = True
    bad = "1. 建设示范中医馆。年底前25%的中医馆建成示范中医馆。\n"
    good = "1. 建设示范中医馆。各县（市、区）政府牵头，年底前25%的中医馆建成示范中医馆。\n"

    def check(self, doc: Document) -> Iterator[Problem]:
        for clause in doc.clauses:
            if clause.targets and not any(c.owners for c in _chain(doc, clause)):
                first = clause.targets[0]
                yield Problem(
                    first.span.start,
                    first.span.end,
                    f"clause {clause.id} sets targets but names no owner",
                )


@register
class DeadlineBeforeIssue(Rule):
    """A deadline falls before the plan's issue date.

    A plan issued on 10 April cannot ask for something by the end of March: the date was not
    updated when the draft slipped.
    """

    id = "PC205"
    name = "deadline-before-issue"
    severity = "warning"
    needs_extraction = True
    bad = (
        "宛中发办〔2023〕4号\n2023年工作要点\n2023年4月10日\n一、任务\n1. 完成评审。3月底前完成。\n"
    )
    good = (
        "宛中发办〔2023〕4号\n2023年工作要点\n2023年4月10日\n一、任务\n1. 完成评审。5月底前完成。\n"
    )

    def check(self, doc: Document) -> Iterator[Problem]:
        issued = doc.plan.meta.issued
        if issued is None:
            return
        for clause in doc.clauses:
            for deadline in clause.deadlines:
                if deadline.due is not None and deadline.due < issued:
                    yield Problem(
                        deadline.span.start,
                        deadline.span.end,
                        f"deadline {deadline.text} (due {deadline.due.isoformat()}) falls "
                        f"before the plan was issued ({issued.isoformat()})",
                    )
