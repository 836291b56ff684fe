"""The GB/T 9704-2012 clause labels: 一、 › （一） › 1. › （1） › ①, and their ordinals."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}  # fmt: skip
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_NUMERAL = "零〇一二两三四五六七八九十百千"


def chinese_to_int(numeral: str) -> int | None:
    """Value of a Chinese numeral such as 十三, 五十五, 一百零二; None if it is not one."""
    if not numeral:
        return None
    total, digit = 0, None
    for ch in numeral:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            total += (1 if digit is None else digit) * _CN_UNITS[ch]
            digit = None
        else:
            return None
    return total + (digit or 0)


# One pattern for every form, run on folded text (full-width ASCII already made half-width):
# a line is matched once instead of once per form. The forms open on different characters, so
# at most one alternative can match a line; each names its group after its level.
_PATTERN = re.compile(
    r"[ \t]*(?:"
    rf"(?P<l1>[{CN_NUMERAL}]{{1,4}})[ \t]*、"  # 一、
    rf"|\([ \t]*(?P<l2>[{CN_NUMERAL}]{{1,4}})[ \t]*\)"  # (一)
    r"|(?P<l3>\d{1,3})[ \t]?[.、](?!\d)"  # 1. — not a decimal: 1.5万
    r"|(?P<l3_year>\d{1,3})[ \t]?[.、](?=(?:19|20)\d\d[ \t]?年)"  # 17.2025年: a decimal never runs into 年
    r"|\([ \t]*(?P<l4>\d{1,3})[ \t]*\)"  # (1)
    r"|(?P<l3_stop>[\u2488-\u249b])"  # ⒈ ⒉ … digit full stop
    r"|(?P<l4_paren>[\u2474-\u2487])"  # ⑴ ⑵ … parenthesized digit
    r"|(?P<l5>[\u2460-\u2473])"  # ① ② … circled digit
    r")[ \t]*"  # and the spaces that follow the label
)


@dataclass(frozen=True, slots=True)
class Label:
    """A label at the start of a line: its form level, ordinal and extent within the line."""

    level: int
    number: int
    start: int  # offset of the label's first character within the line
    end: int  # offset just after the label (and the spaces that follow it)


def match_label(folded_line: str) -> Label | None:
    """The label that opens ``folded_line``, if any."""
    m = _PATTERN.match(folded_line)
    if not m:
        return None
    group = m.lastgroup  # the one alternative that matched
    assert group is not None
    number = _ordinal(m.group(group))
    if number is None or number == 0:
        return None
    end = m.end()
    head = folded_line[:end]  # the spaces before the label are within the match
    return _label(int(group[1]), number, end - len(head.lstrip(" \t")), end)


# Labels are frozen and few (a level, an ordinal, where they sit on their line): one of each is
# made and shared, as a frozen dataclass takes longer to build than to look up.
_label = lru_cache(maxsize=4096)(Label)


@lru_cache(maxsize=1024)
def _ordinal(token: str) -> int | None:
    if token.isdigit() and token.isascii():
        return int(token)
    cp = ord(token[0])
    if 0x2460 <= cp <= 0x2473:
        return cp - 0x2460 + 1
    if 0x2474 <= cp <= 0x2487:
        return cp - 0x2474 + 1
    if 0x2488 <= cp <= 0x249B:
        return cp - 0x2488 + 1
    return chinese_to_int(token)
