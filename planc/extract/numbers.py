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
_OPEN, _CLOSE = re.compile(r"\("), re.compile(r"\)")
# Where one sentence ends: a comma or a colon does not end it.
_SENTENCE_BREAK = re.compile(r"[;。!?\n]")


def number_value(digits: str) -> int | float:
    """``12`` → 12, ``3.50`` → 3.5: int when integral, as the model wants."""
    if len(digits) <= 15 and digits.isascii() and digits.isdigit():
        return int(digits)  # what the float gives (exact to 15 digits), without the round trip
    value = float(digits)
    return int(value) if value.is_integer() else value


class Layout:
    """The shape of one clause's text: its statements and its quoted names, for fast look-ups.

    Each is worked out on the first question about it: most clauses have no number to ask for.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        # Keyed by the pattern's id: hashing a compiled pattern hashes its code, every time.
        # The pattern is kept in the entry, so its id is not reused while the layout lives.
        self._marks: dict[int, tuple[re.Pattern[str], list[int], list[int]]] = {}

    @cached_property
    def _breaks(self) -> list[int]:
        return [m.end() for m in _BREAK.finditer(self.text)]

    @cached_property
    def _sentence_breaks(self) -> list[int]:
        return [m.end() for m in _SENTENCE_BREAK.finditer(self.text)]

    @cached_property
    def _opens(self) -> list[int]:
        return [m.start() for m in _OPEN.finditer(self.text)]

    @cached_property
    def _closes(self) -> list[int]:
        return [m.start() for m in _CLOSE.finditer(self.text)]

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

    def segment_end(self, index: int) -> int:
        """Offset of the break that ends the statement holding ``text[index]`` (or the end)."""
        i = bisect_right(self._breaks, index)
        return self._breaks[i] - 1 if i < len(self._breaks) else len(self.text)

    def sentence_start(self, index: int) -> int:
        """Offset where the sentence holding ``text[index]`` begins."""
        i = bisect_right(self._sentence_breaks, index) - 1
        return self._sentence_breaks[i] if i >= 0 else 0

    def sentence_end(self, index: int) -> int:
        """Offset of the break that ends the sentence holding ``text[index]`` (or the end)."""
        i = bisect_right(self._sentence_breaks, index)
        return self._sentence_breaks[i] - 1 if i < len(self._sentence_breaks) else len(self.text)

    def last_mark(self, pattern: re.Pattern[str], start: int, end: int) -> int | None:
        """End of the last match of ``pattern`` lying within ``[start, end)``, or None.

        The text is searched once per pattern; each question is then a bisection.
        """
        marks = self._marks.get(id(pattern))
        if marks is None:
            found = list(pattern.finditer(self.text))
            marks = (pattern, [m.start() for m in found], [m.end() for m in found])
            self._marks[id(pattern)] = marks
        _, starts, ends = marks
        i = bisect_right(starts, end - 1) - 1
        while i >= 0 and ends[i] > end:
            i -= 1
        return ends[i] if i >= 0 and starts[i] >= start else None

    def bracket_start(self, index: int) -> int | None:
        """Where the parenthesis holding ``text[index]`` opens (区域面积1000平米以上), or None."""
        i = bisect_right(self._opens, index) - 1
        if i < 0:
            return None
        j = bisect_right(self._closes, index) - 1
        return self._opens[i] if j < 0 or self._closes[j] < self._opens[i] else None

    def quoted(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` overlaps a quoted name, title or slogan."""
        i = bisect_right(self._quoted_starts, end - 1) - 1
        return i >= 0 and self._quoted[i][1] > start
