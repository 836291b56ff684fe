"""What a rule sees: the ``Plan``, and a way back from model text to the original's offsets.

Clause ``text`` is the printed body with PDF line breaks repaired, so an index into it is not an
index into the file. ``Prose`` aligns the two (the model text is the original with line breaks,
page numbers and edge spaces taken out), so a rule that finds ``建设建设`` at index 9 of a
clause's text can say which line and column of the file it is on.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from planc.labels import chinese_to_int
from planc.model import Clause, Plan
from planc.textmap import fold

if TYPE_CHECKING:
    from planc.check import Fix
from planc.spans import Locator

_YEAR_SPAN = re.compile(r"((?:19|20)\d\d)\s*年?\s*[-~—–－～至到]+\s*((?:19|20)\d\d)\s*年")
_YEAR = re.compile(r"((?:19|20)\d\d)\s*年")
_PLAN_LENGTH = re.compile(r"([二两三四五六七八九十])年(?:行动|规划|计划|攻坚|专项|提升|实施)")
_HEADER = re.compile(r"\ufeff?---[ \t]*\r?\n(?:[^\r\n]*\r?\n){1,40}?---[ \t]*(?:\r?\n|$)")
_WHITE = frozenset(" \t\r\n\f\v\u3000\u00a0")
_LINE = re.compile(r"([^\r\n]*)(\r\n|\r|\n|$)")  # the line breaks ``planc.spans`` counts


@dataclass(frozen=True, slots=True)
class Prose:
    """A run of model text (front matter or one clause body) and each character's origin."""

    text: str
    origins: tuple[int, ...]
    clause: Clause | None = None  # None for the front matter

    def start(self, index: int) -> int:
        """Original offset of ``text[index]``."""
        if not self.origins:
            return 0
        return self.origins[min(index, len(self.origins) - 1)]

    def end(self, index: int) -> int:
        """Original offset just past ``text[index - 1]``."""
        if index <= 0:
            return self.start(0)
        return self.origins[min(index, len(self.origins)) - 1] + 1


def align(piece: str, original: str, start: int, stop: int) -> tuple[int, ...]:
    """Original offset of each character of ``piece``, a subsequence of ``original[start:stop]``.

    Greedy: each character is matched at its next occurrence; a space or newline the parser
    put in for a line break matches any whitespace. A character not found keeps the position.
    """
    origins: list[int] = []
    j = start
    for ch in piece:
        k = j
        if ch in _WHITE:
            while k < stop and original[k] not in _WHITE:
                k += 1
        else:
            while k < stop and original[k] != ch:
                k += 1
        if k < stop:
            origins.append(k)
            j = k + 1
        else:
            origins.append(min(j, max(stop - 1, start)))
    return tuple(origins)


@dataclass
class Document:
    """A plan under check and the text it was compiled from (for locating findings only)."""

    plan: Plan
    text: str

    @cached_property
    def locator(self) -> Locator:
        return Locator(self.text)

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of an original offset."""
        return self.locator.position(offset)

    @cached_property
    def clauses(self) -> list[Clause]:
        return list(self.plan.walk())

    @cached_property
    def parents(self) -> dict[str, Clause | None]:
        """Each clause id's parent clause (None at the top)."""
        found: dict[str, Clause | None] = {}
        stack: list[tuple[Clause, Clause | None]] = [(c, None) for c in self.plan.clauses]
        while stack:
            clause, parent = stack.pop()
            found[clause.id] = parent
            stack.extend((child, clause) for child in clause.children)
        return found

    def label_start(self, clause: Clause) -> int:
        """Original offset of the clause's label (it may be indented within its line)."""
        span = clause.span
        at = self.text.find(clause.label, span.start, span.end)
        return at if at >= 0 else span.start

    @cached_property
    def prose(self) -> list[Prose]:
        """The front matter, then every clause body, in document order."""
        front = self.plan.front_matter
        runs = [Prose(front.text, align(front.text, self.text, 0, front.span.end))]
        for clause in self.clauses:
            start = self.label_start(clause) + len(clause.label)
            origins = align(clause.text, self.text, start, clause.span.end)
            runs.append(Prose(clause.text, origins, clause))
        return runs

    @cached_property
    def _clause_starts(self) -> tuple[list[int], list[Clause]]:
        ordered = sorted(self.clauses, key=lambda c: c.span.start)
        return [c.span.start for c in ordered], ordered

    def context_of(self, offset: int) -> str:
        """The body of the innermost clause holding ``offset`` (else its line), spaces removed:
        what a finding is about, whatever its line number."""
        from bisect import bisect_right

        starts, ordered = self._clause_starts
        i = bisect_right(starts, offset) - 1
        if i >= 0 and offset < ordered[i].span.end:
            text = ordered[i].text
        else:
            line_start = self.text.rfind("\n", 0, offset) + 1
            line_end = self.text.find("\n", offset)
            text = self.text[line_start : line_end if line_end >= 0 else len(self.text)]
        return "".join(text.split())

    @cached_property
    def header_end(self) -> int:
        """End of a repository's header block (``---`` / ``标题: …`` / ``---``) at the top of the
        text: fields for a catalogue, not prose, so the text rules do not read them."""
        m = _HEADER.match(self.text)
        return m.end() if m else 0

    @cached_property
    def time_frame(self) -> tuple[int, int] | None:
        """The years the plan covers, as its title prints them; None when it prints none.

        ``（2024-2026年）`` → 2024–2026; ``三年行动计划`` after ``2024年`` → 2024–2026; a title
        with one year and no span (``2023年南阳市中医药工作要点``) is a yearly plan.
        """
        title = fold(self.plan.meta.title or "")
        span = _YEAR_SPAN.search(title)
        if span:
            first, last = int(span.group(1)), int(span.group(2))
            return (first, last) if first <= last else None
        single = _YEAR.search(title)
        if not single:
            return None
        first = int(single.group(1))
        length = _PLAN_LENGTH.search(title)
        years = chinese_to_int(length.group(1)) if length else None
        return (first, first + years - 1) if years else (first, first)

    def yearly(self) -> bool:
        """A plan for one year, whose year end every task is implicitly due by."""
        frame = self.time_frame
        return frame is not None and frame[0] == frame[1]

    def fix(self, start: int, end: int, printed: str, replacement: str) -> tuple[Fix, ...]:
        """A fix replacing ``printed`` at ``[start, end)``, if the original really has it there
        (a finding that spans a line break is left to a person)."""
        from planc.check import Fix

        if self.text[start:end] != printed:
            return ()
        return (Fix(start, end, replacement),)

    def lines(self, start: int, end: int) -> Iterator[tuple[int, str]]:
        """``(offset, content)`` of each original line in ``[start, end)``, breaks excluded."""
        for m in _LINE.finditer(self.text, start, end):
            if m.start() == m.end():
                break
            yield m.start(), m.group(1)
