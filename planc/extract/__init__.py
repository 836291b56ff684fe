"""Extract: the commitments in one clause's text — deadlines, targets and owners.

Each extractor is a pure function over the clause text *folded* by ``planc.textmap.fold``
(full-width digits, letters and punctuation made ASCII, one character for one, so offsets are
unchanged). It returns ``Hit``s with offsets into that text; ``planc.compile`` maps them back to
the original file and fills in ``text`` and ``span``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Hit:
    """One extracted item: ``[start, end)`` in the clause text and the model's other fields."""

    start: int
    end: int
    fields: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Context:
    """What an extractor may know beyond the clause text."""

    year: int | None = None  # the plan year, to resolve 年底前 and the like
    issuer: str | None = None
