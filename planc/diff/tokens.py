"""Units for comparing editions, without a dictionary: characters, numbers, Latin words.

A Chinese clause is compared on its characters and character bigrams (``推进``, ``进中``…, in
``planc.diff.vectors``), the standard units of Chinese text retrieval: they align clauses as
well as jieba's words did (``bench/bench_diff.py``) and cost no dictionary load (most of a
second per process). A number (``5.5%``) or a Latin word (``DIP``) is one unit, compared and
marked whole; changes are marked by unit, as a reader marks Chinese by hand.

``一、2023年工作回顾`` in the 2024 edition reads ``一、2024年工作回顾``: the year moved with the
edition, so both compare as ``Y+0年工作回顾``. Years far from the edition year (``2035年远景目标``)
stay absolute.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

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
_LATIN_SPACE = re.compile(r"[A-Za-z0-9]\s+[A-Za-z0-9]")


class Units(NamedTuple):
    """The units of a text: ``texts`` as printed (with a space kept between two Latin words or
    numbers), ``keys`` what they compare as."""

    texts: list[str]
    keys: list[str]


EMPTY = Units([], [])


def joined(parts: list[Units]) -> Units:
    """The units of several texts, one after the other."""
    return Units([t for p in parts for t in p.texts], [k for p in parts for k in p.keys])


def is_word_key(key: str) -> bool:
    """Not whitespace or punctuation: counts towards similarity."""
    return not all(ch in _PUNCTUATION for ch in key)


def year_key(word: str, year: int | None) -> str:
    """``2023`` in a 2023 edition is ``Y+0``; other words are themselves."""
    if year is None or len(word) != 4 or not _YEAR.fullmatch(word):
        return word
    delta = int(word) - year
    if abs(delta) > _RELATIVE_SPAN:
        return word
    return f"Y{delta:+d}"


def tokenize(text: str, year: int | None) -> Units:
    """Units of ``text`` (spaces dropped), keyed with full-width folded and years made relative."""
    folded = fold(text)
    keys = UNIT.findall(folded)
    if year is not None and _YEAR.search(folded):
        keys = [year_key(key, year) for key in keys]
    texts = [text[unit.start() : unit.end()] for unit in UNIT.finditer(folded)]
    if _LATIN_SPACE.search(folded):  # two Latin words apart: keep them apart
        texts = [
            f" {t}" if k and _latin(t[:1]) and _latin(texts[k - 1][-1:]) else t
            for k, t in enumerate(texts)
        ]
    return Units(texts, keys)


Opcode = tuple[str, int, int, int, int]


def word_diff(old: Units, new: Units) -> list[Segment]:
    """A diff by unit; kept units are shown as the new edition prints them."""
    opcodes: Sequence[Opcode]
    if old.keys == new.keys:  # the common case
        opcodes = [("equal", 0, len(old.keys), 0, len(new.keys))] if old.keys else []
    else:
        found = [
            (op.tag, op.src_start, op.src_end, op.dest_start, op.dest_end)
            for op in Indel.opcodes(old.keys, new.keys)  # the longest common subsequence
        ]
        opcodes = _slide_to_punctuation(_fold_tiny_equalities(found, old), old, new)
    segments: list[Segment] = []

    def add(op: str, text: str, old_text: str | None = None) -> None:
        if not text:
            return
        old_text = text if old_text is None else old_text
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
            add("=", "".join(new.texts[j1:j2]), "".join(old.texts[i1:i2]))
            continue
        add("-", "".join(old.texts[i1:i2]).lstrip(" "))
        add("+", "".join(new.texts[j1:j2]).lstrip(" "))
    return segments


def _fold_tiny_equalities(opcodes: Sequence[Opcode], old: Units) -> list[Opcode]:
    """Each change as one block, a tiny kept run between two changes folded into them."""
    folded: list[Opcode] = []
    last = len(opcodes) - 1
    for k, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        tiny = 0 < k < last and sum(map(len, old.texts[i1:i2])) <= _TINY_EQUALITY
        if tag == "equal" and not tiny:
            folded.append((tag, i1, i2, j1, j2))
        elif folded and folded[-1][0] == "replace":
            folded[-1] = ("replace", folded[-1][1], i2, folded[-1][3], j2)
        else:
            folded.append(("replace", i1, i2, j1, j2))
    return folded


def _slide_to_punctuation(opcodes: list[Opcode], old: Units, new: Units) -> list[Opcode]:
    """Move a pure insertion or deletion to where it starts and ends at punctuation, if the
    same text allows: ``服务。<推进…建设。>推动`` rather than ``服务。推<进…建设。推>动``."""
    result = list(opcodes)
    for k in range(1, len(result) - 1):
        before, (tag, i1, i2, j1, j2), after = result[k - 1], result[k], result[k + 1]
        if tag == "equal" or (i1 != i2 and j1 != j2):
            continue
        keys, start, end = (new.keys, j1, j2) if i1 == i2 else (old.keys, i1, i2)
        low = start - (before[2] - before[1]) + 1  # keep a unit of each kept run
        high = end + (after[2] - after[1]) - 1
        best, best_score = 0, _edges(keys, start, end)
        for step in (-1, 1):
            shift = 0
            while True:
                s, e = start + shift, end + shift
                if step < 0 and (s - 1 < low or keys[s - 1] != keys[e - 1]):
                    break
                if step > 0 and (e + 1 > high or keys[s] != keys[e]):
                    break
                shift += step
                score = _edges(keys, start + shift, end + shift)
                if score > best_score:
                    best, best_score = shift, score
        if best:
            result[k - 1] = (before[0], before[1], before[2] + best, before[3], before[4] + best)
            result[k] = (tag, i1 + best, i2 + best, j1 + best, j2 + best)
            result[k + 1] = (after[0], after[1] + best, after[2], after[3] + best, after[4])
    return result


def _edges(keys: list[str], start: int, end: int) -> int:
    """How well a change from ``start`` to ``end`` sits: best just after punctuation."""
    return _edge(keys, start) + _edge(keys, end)


def _edge(keys: list[str], at: int) -> int:
    if at <= 0 or at >= len(keys) or not is_word_key(keys[at - 1]):
        return 2
    return 1 if not is_word_key(keys[at]) else 0


def _latin(char: str) -> bool:
    return char.isascii() and char.isalnum()


def differs(segments: list[Segment]) -> bool:
    return any(s.op != "=" for s in segments)
