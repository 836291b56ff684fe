"""Offsets to (line, column): a ``Locator`` answers for one original text."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the model (and pydantic) load only for ``span``: the compiler uses fields
    from planc.model import Span

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class Locator:
    """Turns 0-based offsets into spans with 1-based lines and columns."""

    def __init__(self, text: str, page_starts: Sequence[int] = ()) -> None:
        self.text = text
        if "\r" in text:
            self.line_starts = [0] + [m.end() for m in _LINE_BREAK.finditer(text)]
        else:  # each line starts one after the end of the one before: summed in C
            lengths = text.split("\n")[:-1]
            self.line_starts = [0, *accumulate(map((1).__add__, map(len, lengths)))]
        self.page_starts = page_starts  # a paged source's page offsets: spans name the page

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of ``offset``."""
        line = bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1] + 1

    def span(self, start: int, end: int) -> Span:
        from planc.model import Span

        return Span(**self.span_fields(start, end))

    def span_fields(self, start: int, end: int) -> dict[str, int]:
        """The fields of ``span(start, end)`` as a plain dict, for a model validated later."""
        starts = self.line_starts  # ``position`` twice, inlined: called for every item
        line = bisect_right(starts, start)
        end_line = (
            bisect_right(starts, end, line - 1) if end >= start else bisect_right(starts, end)
        )
        fields = {"start": start, "end": end, "line": line, "column": start - starts[line - 1] + 1,
                  "end_line": end_line, "end_column": end - starts[end_line - 1] + 1}  # fmt: skip
        if self.page_starts:
            fields["page"] = max(1, bisect_right(self.page_starts, start))
        return fields
