"""Words for comparing editions: jieba tokens whose years are relative to their edition.

``一、2023年工作回顾`` in the 2024 edition reads ``一、2024年工作回顾``: the year moved with the
edition, so both compare as ``Y+0年工作回顾``. Years far from the edition year (``2035年远景目标``)
stay absolute.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache
from typing import Any

from planc.diff.model import Segment
from planc.textmap import fold

_YEAR = re.compile(r"(?:19|20)\d\d")
_RELATIVE_SPAN = 5  # years this close to the edition year move with the edition
_PUNCTUATION = frozenset("，。、；：！？,.;:!?（）()“”‘’\"'《》〈〉【】[]{}—-–…·/|~ \t\n\r")


@dataclass(frozen=True, slots=True)
class Token:
    """A jieba word: ``text`` as printed, ``key`` what it compares as."""

    text: str
    key: str

    @property
    def is_word(self) -> bool:
        """Not whitespace or punctuation: counts towards similarity."""
        return not all(ch in _PUNCTUATION for ch in self.key)


@cache
def _jieba() -> Any:
    """jieba, imported on first use: loading its dictionary takes most of a second."""
    from planc import segment

    return segment.default()


def year_key(word: str, year: int | None) -> str:
    """``2023`` in a 2023 edition is ``Y+0``; other words are themselves."""
    if year is None or not _YEAR.fullmatch(word):
        return word
    delta = int(word) - year
    if abs(delta) > _RELATIVE_SPAN:
        return word
    return f"Y{delta:+d}"


def tokenize(
    text: str, year: int | None, seen: dict[str, list[Token]] | None = None
) -> list[Token]:
    """Words of ``text`` (spaces dropped), keyed with full-width folded and years made relative.

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
    tokens: list[Token] = []
    for word, start, end in _jieba().tokenize(folded):
        if word.isspace():
            continue
        tokens.append(Token(text[start:end], year_key(word, year)))
    return tokens


def bag(tokens: list[Token]) -> Counter[str]:
    return Counter(t.key for t in tokens if t.is_word)


class Weights:
    """Inverse document frequency over the clauses of both editions: rare words weigh more."""

    def __init__(self, bags: list[Counter[str]]) -> None:
        documents: Counter[str] = Counter()
        for counts in bags:
            documents.update(counts.keys())
        total = len(bags) or 1
        self._idf = {word: math.log((1 + total) / (1 + n)) + 1.0 for word, n in documents.items()}

    def vector(self, counts: Counter[str]) -> dict[str, float]:
        """A unit-length tf-idf vector (sublinear tf, so a repeated word does not dominate)."""
        vec = {w: (1.0 + math.log(n)) * self._idf.get(w, 1.0) for w, n in counts.items()}
        norm = math.sqrt(sum(v * v for v in vec.values()))
        return {w: v / norm for w, v in vec.items()} if norm else {}


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(w, 0.0) for w, v in a.items())


def containment(part: dict[str, float], whole: dict[str, float]) -> float:
    """How much of ``part``'s weight ``whole`` also has (1.0: every word of part is in whole)."""
    total = sum(part.values())
    if not total:
        return 0.0
    return sum(v for w, v in part.items() if w in whole) / total


def word_diff(old: list[Token], new: list[Token]) -> list[Segment]:
    """A word-level diff; kept words are shown as the new edition prints them."""
    old_keys, new_keys = [t.key for t in old], [t.key for t in new]
    opcodes: Sequence[tuple[str, int, int, int, int]]
    if old_keys == new_keys:  # the common case, and SequenceMatcher's slowest
        opcodes = [("equal", 0, len(old), 0, len(new))] if old else []
    else:
        opcodes = SequenceMatcher(None, old_keys, new_keys, autojunk=False).get_opcodes()
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
