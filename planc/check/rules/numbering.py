"""Numbering: the clause labels (一、 › （一） › 1. › （1） › ①) and their ordinals.

Numbering may run on across sections (1.–34. across 一、–十、) or restart in each (（一） again
under 十三、); both are normal. A section's first child is in order if it is 1 or one past the
last label of its level anywhere before it; every later child must follow its sibling.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from planc.check import Problem, Rule, register
from planc.check.document import Document
from planc.model import Clause

_CN_DIGITS = "零一二三四五六七八九"
_NUMERAL = re.compile(r"[0-9０-９]+|[零〇一二两三四五六七八九十百千]+|[\u2460-\u249b]")


def chinese_numeral(n: int) -> str:
    """十三, 五十五, 一百零二: the numeral a label prints for ``n`` (1–999)."""
    if n < 10:
        return _CN_DIGITS[n]
    if n < 20:
        return "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _CN_DIGITS[n // 10] + "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    head, rest = _CN_DIGITS[n // 100] + "百", n % 100
    if rest == 0:
        return head
    if rest < 10:
        return head + "零" + _CN_DIGITS[rest]
    return head + ("一" if rest < 20 else "") + chinese_numeral(rest)  # 一百一十五


def relabel(label: str, number: int) -> str:
    """``label`` with its ordinal replaced by ``number``: （五） → （六）, 7. → 8."""
    m = _NUMERAL.search(label)
    if not m:
        return label
    token = m.group(0)
    if token[0] in "零〇一二两三四五六七八九十百千":
        new = chinese_numeral(number)
    elif "\u2460" <= token[0] <= "\u2473":
        new = chr(0x2460 + number - 1) if number <= 20 else str(number)
    elif "\u2474" <= token[0] <= "\u2487":
        new = chr(0x2474 + number - 1) if number <= 20 else str(number)
    elif "\u2488" <= token[0] <= "\u249b":
        new = chr(0x2488 + number - 1) if number <= 20 else str(number)
    else:
        new = str(number)
    return label[: m.start()] + new + label[m.end() :]


def label_form(label: str) -> str:
    """The label's shape with the ordinal as N and no spaces: ``（N）``, ``N.``, ``N、``."""
    return _NUMERAL.sub("N", label).replace(" ", "").replace("\u3000", "")


@dataclass(frozen=True, slots=True)
class Step:
    """A clause and what came before it at its level, for the three sequence rules."""

    clause: Clause
    previous: Clause | None  # the sibling before it, or the last clause of its level before
    first_child: bool  # ``previous`` is not a sibling: the number may run on or restart


def steps(doc: Document) -> Iterator[Step]:
    """Each clause with its predecessor, in document order."""
    last_at_level: dict[int, Clause] = {}

    def visit(siblings: list[Clause]) -> Iterator[Step]:
        for i, clause in enumerate(siblings):
            if i == 0:
                yield Step(clause, last_at_level.get(clause.level), True)
            else:
                yield Step(clause, siblings[i - 1], False)
            last_at_level[clause.level] = clause
            yield from visit(clause.children)

    yield from visit(doc.plan.clauses)


def _span(doc: Document, clause: Clause) -> tuple[int, int]:
    start = doc.label_start(clause)
    return start, start + len(clause.label)


def _missing(clause: Clause, first: int) -> str:
    numbers = list(range(first, clause.number))
    shown = [relabel(clause.label, n) for n in numbers[:3]]
    return "、".join(shown) + ("…" if len(numbers) > 3 else "")


@register
class NumberingGap(Rule):
    """A clause number is skipped.

    Each label must be one more than the label before it at its level. A section may restart
    at 1 or run on from the previous section (1.–7. under 一、, 8. under 二、); both are fine.
    A skipped number usually means a deleted item whose neighbours were not renumbered.
    """

    id = "PC101"
    name = "numbering-gap"
    severity = "error"
    bad = "一、总体要求\n（一）加强领导。\n（三）强化落实。\n"
    good = "一、总体要求\n（一）加强领导。\n（二）强化落实。\n"

    def check(self, doc: Document) -> Iterator[Problem]:
        for step in steps(doc):
            clause, previous = step.clause, step.previous
            if step.first_child:
                expected = {1, previous.number + 1} if previous else {1}
                if clause.number > max(expected):
                    first = previous.number + 1 if previous else 1
                    after = f" after {previous.label}" if previous else ""
                    yield Problem(
                        *_span(doc, clause),
                        f"{clause.label} follows neither 1 nor the numbering{after}: "
                        f"{_missing(clause, first)} missing",
                    )
            elif previous and clause.number > previous.number + 1:
                yield Problem(
                    *_span(doc, clause),
                    f"{clause.label} follows {previous.label}: "
                    f"{_missing(clause, previous.number + 1)} missing",
                )


@register
class DuplicateNumber(Rule):
    """Two sibling clauses print the same number.

    The parser keeps both and gives the second an id ending in ``-2``; references to the
    number become ambiguous. Usually an item was copied or inserted without renumbering.
    """

    id = "PC102"
    name = "duplicate-number"
    severity = "error"
    bad = "一、总体要求\n1. 加强领导。\n2. 强化落实。\n2. 加强督导。\n"
    good = "一、总体要求\n1. 加强领导。\n2. 强化落实。\n3. 加强督导。\n"

    def check(self, doc: Document) -> Iterator[Problem]:
        for step in steps(doc):
            previous = step.previous
            if not step.first_child and previous and step.clause.number == previous.number:
                yield Problem(
                    *_span(doc, step.clause),
                    f"{step.clause.label} repeats the number of the clause at line "
                    f"{previous.span.line} (parsed as {step.clause.id})",
                )


@register
class NumberingOutOfOrder(Rule):
    """A clause number goes backwards.

    A label smaller than the one before it (not a restart at 1 in a new section) means items
    were moved without renumbering.
    """

    id = "PC103"
    name = "numbering-out-of-order"
    severity = "error"
    bad = "一、总体要求\n1. 加强领导。\n3. 强化落实。\n2. 加强督导。\n"
    good = "一、总体要求\n1. 加强领导。\n2. 加强督导。\n3. 强化落实。\n"

    def check(self, doc: Document) -> Iterator[Problem]:
        for step in steps(doc):
            clause, previous = step.clause, step.previous
            if previous is None or clause.number == 1:
                continue
            if step.first_child and clause.number <= previous.number:
                yield Problem(
                    *_span(doc, clause),
                    f"{clause.label} opens a section but neither restarts at 1 nor continues "
                    f"after {previous.label} (line {previous.span.line})",
                )
            elif not step.first_child and clause.number < previous.number:
                yield Problem(
                    *_span(doc, clause),
                    f"{clause.label} comes after {previous.label}: the numbers go backwards",
                )


@register
class MissingParentLevel(Rule):
    """A clause stands outside the sections of the document.

    When a document is divided into sections (一、 二、 …), a deeper label (（一）, 1.) before
    the first section or otherwise outside any section belongs to no section: a heading was
    lost or the item was pasted in the wrong place.
    """

    id = "PC104"
    name = "missing-parent-level"
    severity = "warning"
    bad = "（一）加强领导。\n一、总体要求\n（二）强化落实。\n"
    good = "一、总体要求\n（一）加强领导。\n（二）强化落实。\n"

    def check(self, doc: Document) -> Iterator[Problem]:
        roots = doc.plan.clauses
        if not roots:
            return
        top = min(clause.level for clause in roots)
        top_label = next(clause.label for clause in roots if clause.level == top)
        for clause in roots:
            if clause.level > top:
                yield Problem(
                    *_span(doc, clause),
                    f"{clause.label} is not inside any section: the document's sections are "
                    f"labelled like {top_label}",
                )


@register
class MixedLabelForms(Rule):
    """Labels of one level are written in different forms.

    GB/T 9704 gives one form per level; a document that writes ``1.`` in one place and ``1、``
    (or ``（一）`` and ``(一)``) in another was assembled from pieces and not tidied. The form
    used most often at the level is taken as the intended one.
    """

    id = "PC105"
    name = "mixed-label-forms"
    severity = "warning"
    bad = "一、总体要求\n1. 加强领导。\n2、强化落实。\n3. 加强督导。\n"
    good = "一、总体要求\n1. 加强领导。\n2. 强化落实。\n3. 加强督导。\n"

    def check(self, doc: Document) -> Iterator[Problem]:
        forms: dict[int, Counter[str]] = {}
        for clause in doc.clauses:
            forms.setdefault(clause.level, Counter())[label_form(clause.label)] += 1
        for clause in doc.clauses:
            counts = forms[clause.level]
            usual = counts.most_common(1)[0][0]  # ties: the form seen first
            form = label_form(clause.label)
            if form != usual:
                start, end = _span(doc, clause)
                numeral = _NUMERAL.search(clause.label)
                rewritten = usual.replace("N", numeral.group(0)) if numeral else None
                yield Problem(
                    start,
                    end,
                    f"label {clause.label} is written {form}; the other labels of its level "
                    f"are written {usual}",
                    doc.fix(start, end, clause.label, rewritten) if rewritten else (),
                )


@register
class HeadingLevelSkip(Rule):
    """A clause skips a label level that the document uses elsewhere.

    Levels are optional (a document may go 一、 → 1. throughout), but a document that puts
    （一） under its sections should not put a 1. directly under 一、 in one of them.
    """

    id = "PC106"
    name = "heading-level-skip"
    severity = "warning"
    bad = "一、总体要求\n（一）加强领导。\n1. 建立机制。\n二、主要任务\n1. 推进改革。\n"
    good = "一、总体要求\n（一）加强领导。\n1. 建立机制。\n二、主要任务\n（一）推进改革。\n"

    def check(self, doc: Document) -> Iterator[Problem]:
        used = {clause.level for clause in doc.clauses}
        example = {clause.level: clause.label for clause in reversed(doc.clauses)}
        for clause in doc.clauses:
            parent = doc.parents[clause.id]
            if parent is None:
                continue
            skipped = [lvl for lvl in range(parent.level + 1, clause.level) if lvl in used]
            if skipped:
                yield Problem(
                    *_span(doc, clause),
                    f"{clause.label} sits directly under {parent.label}, skipping the level "
                    f"of {example[skipped[0]]} used elsewhere in the document",
                )
