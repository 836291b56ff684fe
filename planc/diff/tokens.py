"""Words for comparing editions, without a dictionary: characters, numbers, Latin words.

A Chinese clause is compared on its character bigrams (``推进``, ``进中``, ``中医``…), the
standard unit of Chinese text retrieval; they align clauses as well as jieba's words do (see
``bench/bench_diff.py``) and cost no dictionary load (most of a second per process). A number
(``5.5%``) or a Latin word (``DIP``) is one unit, compared and marked whole.

``一、2023年工作回顾`` in the 2024 edition reads ``一、2024年工作回顾``: the year moved with the
edition, so both compare as ``Y+0年工作回顾``. Years far from the edition year (``2035年远景目标``)
stay absolute.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz.distance import Indel

from planc.diff.model import Segment
from planc.textmap import fold

_YEAR = re.compile(r"(?:19|20)\d\d")
_RELATIVE_SPAN = 5  # years this close to the edition year move with the edition
_PUNCTUATION = frozenset("，。、；：！？,.;:!?（）()“”‘’\"'《》〈〉【】[]{}—-–…·/|~ \t\n\r")
# A unit: a number (with its decimals and a percent sign) or a Latin word, else one character.
UNIT = re.compile(r"[A-Za-z0-9]+(?:\.[0-9]+)*%?|\S")
# A kept run of this many characters or fewer between two changes is read as part of the change
# (as ``planc.report.chardiff`` does): ``持续推进`` → ``大力推动`` is one replacement, not four.
_TINY_EQUALITY = 2


@dataclass(frozen=True, slots=True)
class Token:
    """A unit of text: ``text`` as printed, ``key`` what it compares as."""

    text: str
    key: str

    @property
    def is_word(self) -> bool:
        """Not whitespace or punctuation: counts towards similarity."""
        return is_word_key(self.key)


def is_word_key(key: str) -> bool:
    return not all(ch in _PUNCTUATION for ch in key)


def year_key(word: str, year: int | None) -> str:
    """``2023`` in a 2023 edition is ``Y+0``; other words are themselves."""
    if year is None or len(word) != 4 or not _YEAR.fullmatch(word):
        return word
    delta = int(word) - year
    if abs(delta) > _RELATIVE_SPAN:
        return word
    return f"Y{delta:+d}"


def tokenize(
    text: str, year: int | None, seen: dict[str, list[Token]] | None = None
) -> list[Token]:
    """Units of ``text`` (spaces dropped), keyed with full-width folded and years made relative.

    ``seen``: the words of texts already segmented (an unchanged clause is in both editions).
    """
    if seen is not None:
        words = seen.get(text)
        if words is None:
            words = seen[text] = tokenize(text, None)
        if year is None or not any(_YEAR.fullmatch(t.key) for t in words):
            return words
        return [Token(t.text, year_key(t.key, year)) for t in words]
    folded = fold(text)
    return [
        Token(text[unit.start() : unit.end()], year_key(unit.group(), year))
        for unit in UNIT.finditer(folded)
    ]


def word_diff(old: list[Token], new: list[Token]) -> list[Segment]:
    """A word-level diff; kept words are shown as the new edition prints them."""
    old_keys, new_keys = [t.key for t in old], [t.key for t in new]
    opcodes: Sequence[tuple[str, int, int, int, int]]
    if old_keys == new_keys:  # the common case
        opcodes = [("equal", 0, len(old), 0, len(new))] if old else []
    else:
        found = [
            (op.tag, op.src_start, op.src_end, op.dest_start, op.dest_end)
            for op in Indel.opcodes(old_keys, new_keys)  # the longest common subsequence
        ]
        opcodes = _fold_tiny_equalities(found, old)
        opcodes = _slide_to_punctuation(opcodes, old, new)
    segments: list[Segment] = []

    def add(op: str, tokens: list[Token], old_tokens: list[Token] | None = None) -> None:
        text = "".join(_spaced(tokens))
        if not text:
            return
        old_text = "".join(_spaced(old_tokens)) if old_tokens is not None else text
        if segments and segments[-1].op == op:
            last = segments[-1]
            last_old = last.old_text if last.old_text is not None else last.text
            text, old_text = last.text + text, last_old + old_text
            segments.pop()
        segments.append(
            Segment(op=op, text=text, old_text=old_text if old_text != text else None)  # type: ignore[arg-type]
        )

    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            add("=", new[j1:j2], old[i1:i2])
            continue
        add("-", old[i1:i2])
        add("+", new[j1:j2])
    return segments


def _fold_tiny_equalities(
    opcodes: Sequence[tuple[str, int, int, int, int]], old: list[Token]
) -> list[tuple[str, int, int, int, int]]:
    """Each change as one block, a tiny kept run between two changes folded into them."""
    folded: list[tuple[str, int, int, int, int]] = []
    last = len(opcodes) - 1
    for k, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        tiny = 0 < k < last and sum(len(t.text) for t in old[i1:i2]) <= _TINY_EQUALITY
        if tag == "equal" and not tiny:
            folded.append((tag, i1, i2, j1, j2))
        elif folded and folded[-1][0] == "replace":
            folded[-1] = ("replace", folded[-1][1], i2, folded[-1][3], j2)
        else:
            folded.append(("replace", i1, i2, j1, j2))
    return folded


Opcode = tuple[str, int, int, int, int]


def _slide_to_punctuation(
    opcodes: list[Opcode], old: list[Token], new: list[Token]
) -> list[Opcode]:
    """Move a pure insertion or deletion to where it starts and ends at punctuation, if the
    same text allows: ``服务。<推进…建设。>推动`` rather than ``服务。推<进…建设。推>动``."""
    result = list(opcodes)
    for k in range(1, len(result) - 1):
        before, (tag, i1, i2, j1, j2), after = result[k - 1], result[k], result[k + 1]
        if tag == "equal" or (i1 != i2 and j1 != j2):
            continue
        side, start, end = (new, j1, j2) if i1 == i2 else (old, i1, i2)
        low = start - (before[2] - before[1]) + 1  # keep a unit of each kept run
        high = end + (after[2] - after[1]) - 1
        best, best_score = 0, _edges(side, start, end)
        for step in (-1, 1):
            shift = 0
            while True:
                s, e = start + shift, end + shift
                if step < 0 and (s - 1 < low or side[s - 1].key != side[e - 1].key):
                    break
                if step > 0 and (e + 1 > high or side[s].key != side[e].key):
                    break
                shift += step
                score = _edges(side, start + shift, end + shift)
                if score > best_score:
                    best, best_score = shift, score
        if best:
            result[k - 1] = (before[0], before[1], before[2] + best, before[3], before[4] + best)
            result[k] = (tag, i1 + best, i2 + best, j1 + best, j2 + best)
            result[k + 1] = (after[0], after[1] + best, after[2], after[3] + best, after[4])
    return result


def _edges(side: list[Token], start: int, end: int) -> int:
    """How well a change from ``start`` to ``end`` sits: best just after punctuation."""
    return _edge(side, start) + _edge(side, end)


def _edge(side: list[Token], at: int) -> int:
    if at <= 0 or at >= len(side) or not side[at - 1].is_word:
        return 2
    return 1 if not side[at].is_word else 0


def _spaced(tokens: list[Token]) -> list[str]:
    """Token texts with a space kept between Latin words and numbers."""
    out: list[str] = []
    previous = ""
    for token in tokens:
        if _latin(previous[-1:]) and _latin(token.text[:1]):
            out.append(" ")
        out.append(token.text)
        previous = token.text
    return out


def _latin(char: str) -> bool:
    return char.isascii() and char.isalnum()


def differs(segments: list[Segment]) -> bool:
    return any(s.op != "=" for s in segments)
