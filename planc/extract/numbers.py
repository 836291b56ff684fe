"""Numbers and the shape of the text around them, shared by the deadline and target extractors.

Everything here works on folded clause text (see ``planc.textmap.fold``).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import cached_property

CN_NUMERAL = "〇零一二两三四五六七八九十百千"

# Quoted names, slogans and titles: “3211”行动, 《…20 条处理意见》. Bounded, so a stray
# opening quote without its partner does not swallow the rest of the clause.
_QUOTED = re.compile(
    r"“[^“”。;\n]{0,40}”|《[^《》\n]{0,80}》|\"[^\"。;\n]{0,40}\"|「[^「」\n]{0,40}」"
)
# A parenthesis right after a quoted name explains the name: “五个一”工程(一个…、一个…).
_GLOSS = re.compile(r"[^\s,;。()“”]{0,4}\([^()\n]{0,120}\)")
# Where one statement ends and the next begins: a comparator or a list never reaches across.
_BREAK = re.compile(r"[,;。:!?\n]")


def number_value(digits: str) -> int | float:
    """``12`` → 12, ``3.50`` → 3.5: int when integral, as the model wants."""
    value = float(digits)
    return int(value) if value.is_integer() else value


class Layout:
    """The shape of one clause's text: its statements and its quoted names, for fast look-ups.

    Each is worked out on the first question about it: most clauses have no number to ask for.
    """

    def __init__(self, text: str) -> None:
        self.text = text

    @cached_property
    def _breaks(self) -> list[int]:
        return [m.end() for m in _BREAK.finditer(self.text)]

    @cached_property
    def _quoted(self) -> list[tuple[int, int]]:
        quoted = []
        for m in _QUOTED.finditer(self.text):
            gloss = _GLOSS.match(self.text, m.end())
            quoted.append((m.start(), gloss.end() if gloss else m.end()))
        return quoted

    @cached_property
    def _quoted_starts(self) -> list[int]:
        return [start for start, _ in self._quoted]

    def segment_start(self, index: int) -> int:
        """Offset where the statement holding ``text[index]`` begins."""
        i = bisect_right(self._breaks, index) - 1
        return self._breaks[i] if i >= 0 else 0

    def quoted(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` overlaps a quoted name, title or slogan."""
        i = bisect_right(self._quoted_starts, end - 1) - 1
        return i >= 0 and self._quoted[i][1] > start
