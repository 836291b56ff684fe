"""Extract: the commitments in one clause's text — deadlines, targets and owners.

Each extractor is a pure function over the clause text *folded* by ``planc.textmap.fold``
(full-width digits, letters and punctuation made ASCII, one character for one, so offsets are
unchanged). It returns ``Hit``s with offsets into that text; ``planc.compile`` maps them back to
the original file and fills in ``text`` and ``span``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True, slots=True)
class Hit:
    """One extracted item: ``[start, end)`` in the clause text and the model's other fields."""

    start: int
    end: int
    fields: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Cell:
    """A cell of a task-table row, within the clause text handed to the extractor.

    The parser knows the table's column headers; an extractor reads a cell by its column:
    a 责任单位/牵头单位/配合单位 cell is a list of owners, a 完成时限 cell a deadline.
    """

    start: int
    end: int
    column: str  # the column's header as printed: 责任单位, 牵头单位, 完成时限, …


@dataclass(frozen=True, slots=True)
class Context:
    """What an extractor may know beyond the clause text."""

    year: int | None = None  # the plan year, to resolve 年底前 and the like
    issuer: str | None = None
    cells: tuple[Cell, ...] = ()  # when the clause is a task-table row: its cells
    issued: date | None = None  # the issue date, to resolve 本意见印发之日起30日内
    opening_year: int | None = None  # the year the text opens with (2012年起…), for N年内
    # the document says the first unit of an owner list leads (列第一位者为牵头单位)
    first_listed_leads: bool = False
