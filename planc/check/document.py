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

from planc.model import Clause, Plan
from planc.spans import Locator

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

    def lines(self, start: int, end: int) -> Iterator[tuple[int, str]]:
        """``(offset, content)`` of each original line in ``[start, end)``, breaks excluded."""
        for m in _LINE.finditer(self.text, start, end):
            if m.start() == m.end():
                break
            yield m.start(), m.group(1)
