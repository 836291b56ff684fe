"""Metadata: the title, the plan year and the document number (发文字号)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from planc.check import Problem, Rule, register
from planc.check.document import Document

_GBT_9704 = re.compile(r"[\u4e00-\u9fff]+〔(?:19|20)\d\d〕[1-9]\d*号")
_PARTS = re.compile(r"(.*?)\s*[〔\[【(（［{]\s*(\d+)\s*[〕\]】)）］}]\s*(\d+)\s*号")


@register
class DocNumberFormat(Rule):
    """The document number is not in the GB/T 9704 form.

    GB/T 9704-2012 writes a 发文字号 as the issuer's code, the full year in hexagonal brackets
    and the serial number without leading zeros: ``宛中发办〔2023〕4号``, not
    ``宛中发办[2023]4号``, ``宛中发办（2023）04号`` or ``宛中发办〔23〕4号``.
    """

    id = "PC401"
    name = "doc-number-format"
    severity = "error"
    bad = "南阳市中医药发展工作委员会办公室文件\n宛中发办[2023]04号\n2023年南阳市中医药工作要点\n"
    good = "南阳市中医药发展工作委员会办公室文件\n宛中发办〔2023〕4号\n2023年南阳市中医药工作要点\n"

    def check(self, doc: Document) -> Iterator[Problem]:
        meta = doc.plan.meta
        span = meta.spans.get("doc_number")
        if meta.doc_number is None or span is None:
            return
        # The model normalises the brackets; the form as printed is the field's span.
        printed = doc.text[span.start : span.end]
        if _GBT_9704.fullmatch(printed):
            return
        m = _PARTS.fullmatch(printed)
        expected = f"{m.group(1)}〔{m.group(2)}〕{int(m.group(3))}号" if m else meta.doc_number
        yield Problem(
            span.start,
            span.end,
            f"document number {printed} should read {expected} "
            "(GB/T 9704: full year in 〔〕, serial number without leading zeros)",
            doc.fix(span.start, span.end, printed, expected) if m else (),
        )


@register
class MissingTitle(Rule):
    """The plan has no title.

    A plan is cited by its title (``2023年南阳市中医药工作要点``); planc looks for it in the
    lines before the first numbered clause and found none.
    """

    id = "PC402"
    name = "missing-title"
    severity = "error"
    bad = "一、总体要求\n（一）加强领导。\n"
    good = "2023年中医药工作要点\n一、总体要求\n（一）加强领导。\n"

    def check(self, doc: Document) -> Iterator[Problem]:
        if doc.plan.meta.title is None:
            yield Problem(0, 0, "no title found before the first clause")


@register
class MissingYear(Rule):
    """The plan does not say which year it is for.

    Neither the title, the document number nor the issue date gives a year, so deadlines like
    ``年底前`` cannot be resolved to a date.
    """

    id = "PC403"
    name = "missing-year"
    severity = "warning"
    bad = "中医药工作要点\n一、总体要求\n1. 年底前完成评审。\n"
    good = "2023年中医药工作要点\n一、总体要求\n1. 年底前完成评审。\n"

    def check(self, doc: Document) -> Iterator[Problem]:
        if doc.plan.meta.year is None:
            span = doc.plan.meta.spans.get("title")
            start, end = (span.start, span.end) if span else (0, 0)
            yield Problem(start, end, "no plan year in the title, document number or date")


@register
class NoClauses(Rule):
    """The text has no numbered clause at all.

    A plan's body is a tree of clauses labelled ``一、`` ``（一）`` ``1.`` ``（1）`` ``①``. A file
    with none is not a plan (a README, a letter, the wrong file), or its labels are not in
    the GB/T 9704 forms planc reads; either way nothing in it can be tracked.
    """

    id = "PC404"
    name = "no-clauses"
    severity = "error"
    bad = "2023年中医药工作要点\n全年完成各项任务。\n"
    good = "2023年中医药工作要点\n一、全年完成各项任务。\n"

    def check(self, doc: Document) -> Iterator[Problem]:
        if not doc.plan.clauses:
            yield Problem(0, 0, "no numbered clause (一、 （一） 1. （1） ①): is this a plan?")
