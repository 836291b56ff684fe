"""Text assembled from pieces of an original, remembering where every character came from.

Normalisation (joining PDF-broken lines, dropping page numbers) must not lose positions: every
extracted item reports offsets into the original file. A ``MappedText`` stores the new text and
a short list of runs, each saying "from here on, characters are consecutive in the original".
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

# One-to-one folds, so folded text keeps the offsets of the text it folds:
# full-width ASCII (U+FF01-FF5E) to ASCII, ideographic and no-break spaces to a space.
_FOLD = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FOLD.update({0x09: 0x20, 0x3000: 0x20, 0x00A0: 0x20, 0x2002: 0x20, 0x2003: 0x20, 0x2009: 0x20})
_FOLD.update({0xFF5E: 0x7E, 0x301C: 0x7E, 0x2236: 0x3A})  # ～ 〜 → ~ ; ∶ → :


_FOLD_ALNUM = {cp: to for cp, to in _FOLD.items() if chr(to).isalnum()}


def fold_alnum(text: str) -> str:
    """Only full-width digits and letters to ASCII: for names, whose brackets stay full-width."""
    return text.translate(_FOLD_ALNUM)


# ``str.translate`` looks a dict up through a KeyError for every character it does not map
# (most of a Chinese text); a list indexed by code point it reads directly, twice as fast. The
# list (64K entries) takes a millisecond to build: worth it once this much text was folded.
_TABLE_WORTH = 50_000
_folded = 0  # characters folded through the dict so far
_fold_table: list[int] | None = None


def fold(text: str) -> str:
    """Full-width digits, letters and punctuation to ASCII, odd spaces to a space; same length."""
    global _folded, _fold_table
    if _fold_table is None:
        _folded += len(text)
        if _folded < _TABLE_WORTH:
            return text.translate(_FOLD)
        table = list(range(0x10000))  # past the BMP: IndexError, a LookupError, keeps the char
        for cp, to in _FOLD.items():
            table[cp] = to
        _fold_table = table
    return text.translate(_fold_table)


@dataclass(frozen=True, slots=True)
class MappedText:
    """``text`` plus the original offset of each of its characters, stored as runs."""

    text: str
    run_starts: tuple[int, ...]  # offsets in ``text`` where a run begins
    run_origins: tuple[int, ...]  # the original offset of each run's first character

    @classmethod
    def assemble(cls, pieces: list[tuple[str, int]]) -> MappedText:
        """Join ``(piece, original offset of its first character)`` pairs."""
        if len(pieces) == 1:  # a clause of one line: one run
            piece, origin = pieces[0]
            return cls(piece, (0,), (origin,)) if piece else EMPTY
        starts: list[int] = []
        origins: list[int] = []
        length = 0
        next_origin = -1
        for piece, origin in pieces:
            size = len(piece)
            if not size:
                continue
            if origin != next_origin:
                starts.append(length)
                origins.append(origin)
            length += size
            next_origin = origin + size
        return cls("".join([p for p, _ in pieces]), tuple(starts), tuple(origins))

    def origin(self, index: int) -> int:
        """Original offset of ``text[index]``."""
        run = bisect_right(self.run_starts, index) - 1
        return self.run_origins[run] + (index - self.run_starts[run])

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original ``[start, end)`` of ``text[start:end]`` (end exclusive, non-empty)."""
        starts, origins = self.run_starts, self.run_origins  # ``origin`` twice, inlined
        run = bisect_right(starts, start) - 1
        last = bisect_right(starts, end - 1) - 1
        return origins[run] + start - starts[run], origins[last] + end - starts[last]


EMPTY = MappedText("", (), ())  # frozen, so shared: a label alone on its line has no text
