"""A character diff of two Chinese texts, cleaned up for reading.

Chinese prints no spaces, so a diff on jieba words marks whole words where one character
changed; a raw character diff is exact but shreds a rewritten phrase into single kept
characters between changes (``推进``/``推动`` keeps ``推``). The clean-up folds such short kept
runs into the change around them, which is what a reader would mark by hand.
"""

from __future__ import annotations

from difflib import SequenceMatcher
from typing import Literal

Op = Literal["=", "-", "+"]
Run = tuple[Op, str]

# A kept run this short between two changes reads as part of the change, not as an anchor.
_TINY_EQUALITY = 2


def char_diff(old: str, new: str) -> list[Run]:
    """Runs of kept (=), deleted (-) and inserted (+) characters turning ``old`` into ``new``."""
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    runs: list[Run] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            runs.append(("=", old[i1:i2]))
            continue
        if i2 > i1:
            runs.append(("-", old[i1:i2]))
        if j2 > j1:
            runs.append(("+", new[j1:j2]))
    return _coalesce(_fold_tiny_equalities(runs))


def _fold_tiny_equalities(runs: list[Run]) -> list[Run]:
    """A short kept run with changes on both sides becomes a deletion and an insertion."""
    folded: list[Run] = []
    for index, (op, text) in enumerate(runs):
        between_changes = 0 < index < len(runs) - 1
        if op == "=" and between_changes and len(text.strip()) <= _TINY_EQUALITY:
            folded.extend((("-", text), ("+", text)))
        else:
            folded.append((op, text))
    return folded


def _coalesce(runs: list[Run]) -> list[Run]:
    """Each change block as one deletion then one insertion; neighbouring kept runs joined."""
    result: list[Run] = []
    deleted: list[str] = []
    inserted: list[str] = []

    def flush() -> None:
        if deleted:
            result.append(("-", "".join(deleted)))
        if inserted:
            result.append(("+", "".join(inserted)))
        deleted.clear()
        inserted.clear()

    for op, text in runs:
        if not text:
            continue
        if op == "-":
            deleted.append(text)
        elif op == "+":
            inserted.append(text)
        else:
            flush()
            if result and result[-1][0] == "=":
                result[-1] = ("=", result[-1][1] + text)
            else:
                result.append(("=", text))
    flush()
    return result


def side(runs: list[Run], which: Literal["old", "new"]) -> list[Run]:
    """The runs one side prints: the old side drops insertions, the new side deletions."""
    dropped = "+" if which == "old" else "-"
    return [run for run in runs if run[0] != dropped]
