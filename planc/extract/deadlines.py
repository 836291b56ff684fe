"""Deadlines: 5月底前, 年底前, 9月下旬, 2024年6月底前, 3月、6月、9月、12月最后一天 …

Each expression resolves to ``due`` (the last day) and, for a window, ``start``. A year printed
with the expression wins; otherwise the plan year from the metadata; when that is unknown a
relative expression keeps ``due`` None rather than guess. Frequencies (每年, 每季度), bare years
used as labels (2023年中央预算内投资计划), spans since a past year (2013年以来) and dates before
the plan year are not deadlines.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from planc.extract import Context, Hit
from planc.extract.numbers import Layout
from planc.labels import chinese_to_int

_S = r"[ \t]{0,2}"  # PDF text puts stray spaces between a number and its word: 5 月底前
_YEAR_NUM = r"(?<![0-9.])(?:19|20)[0-9]{2}"
_YEAR = rf"{_YEAR_NUM}{_S}年"
_MONTH_NUM = r"(?:(?<![0-9.])[0-9]{1,2}|十[一二]?|[一二三四五六七八九])"
_PART = r"(?:中上旬|上中旬|中下旬|上旬|中旬|下旬|底|末|最后一天|[0-9]{1,2}" + _S + r"[日号])"
_MONTH_ITEM = (
    rf"(?:(?:{_YEAR}|[今明]年){_S})?{_MONTH_NUM}{_S}月份?(?:{_S}{_PART})?(?:{_S}(?:之前|以前|前))?"
)
_LIST_SEP = rf"{_S}(?:、|和|及|与|至|到|~|-|—){_S}"

_PATTERN = re.compile(
    # A cheap first look: every form starts with one of these (17x faster on plain prose), and
    # every form that starts with a digit starts a number: not inside a run of digits.
    r"(?=[到至截今明去前年上下第一二三四五六七八九十两]|(?<![0-9.])[0-9])(?:"
    # 2012-2015年, 2012年~2015年: a span of years as the time frame
    rf"(?P<years>(?P<y1>{_YEAR_NUM})(?:{_S}年)?{_S}[-~—至到]{_S}(?P<y2>(?:19|20)[0-9]{{2}}){_S}年"
    rf"(?:{_S}(?:底前|底|末))?)"
    # 1-6月: a span of months
    rf"|(?P<months>(?<![0-9.])(?P<m1>[0-9]{{1,2}}){_S}[-~至到]{_S}(?P<m2>[0-9]{{1,2}}){_S}月份?"
    rf"(?:{_S}(?:底前|底|末))?)"
    # 3月、6月、9月、12月最后一天; 2024年6月底前; 5 月中上旬; 6月30日前
    rf"|(?P<list>{_MONTH_ITEM}(?:{_LIST_SEP}{_MONTH_ITEM})*)"
    # 到2015年, 2014年前, 2015年底前, 2024年上半年, 2012年,
    rf"|(?P<year>(?:(?P<to>到|至|截至|截止){_S})?(?P<y>{_YEAR_NUM}){_S}年"
    rf"(?P<ypart>{_S}(?:年底前|年底|年末|底前|底|末|内(?![蒙部容涵外])|上半年|下半年|(?:第|前)?[一二三四1-4]季度(?:末|底)?"
    rf"|之前|以前|前(?![一二三四五六七八九十0-9])))?)"
    # 3年内, 2-3年内: counted from the plan year
    rf"|(?P<within>(?<![0-9.])(?P<n1>[0-9]{{1,2}}|[一二三四五六七八九十两]){_S}"
    rf"(?:[-~—至到]{_S}(?P<n2>[0-9]{{1,2}}|[一二三四五六七八九十]){_S})?年内)"
    # 年底前, 上半年, 第三季度, 年中, 年内 — in the plan year
    rf"|(?P<rel>(?P<which>[今明去上前]年)?(?P<rpart>年底前|年底|年末|上半年|下半年"
    rf"|第?[一二三四]季度(?:末|底)?|年中(?=[和及与、,;。]|前|进行|开展|完成)|年内(?![蒙部容涵外]))))"
)

_MONTH = re.compile(
    rf"(?:(?:(?P<y>{_YEAR_NUM}){_S}年|(?P<rel>[今明])年){_S})?(?P<m>{_MONTH_NUM}){_S}月(?P<fen>份)?"
    rf"(?:{_S}(?P<part>{_PART}))?(?:{_S}(?P<before>之前|以前|前))?"
)
_RANGE_SEP = frozenset("至到~-—")
_NOT_AFTER = frozenset("每去上前近")  # 每年 is a frequency; 去年底, 上半年度 are past


@dataclass(frozen=True, slots=True)
class _When:
    due: date | None
    start: date | None = None


def find_deadlines(text: str, context: Context) -> list[Hit]:
    """Deadlines in folded clause text; fields: due, start (ISO dates or None)."""
    layout = Layout(text)
    hits: list[Hit] = []
    seen: set[object] = set()
    for m in _PATTERN.finditer(text):
        if layout.quoted(m.start(), m.end()):
            continue
        for start, end, when in _resolve(m, text, context):
            if context.year and when.due and when.due < date(context.year, 1, 1):
                continue  # a past date: what was done, not what is due
            key = (when.due, when.start) if when.due else text[start:end].replace(" ", "")
            if key in seen:
                continue  # a clause lists each time point once
            seen.add(key)
            hits.append(Hit(start, end, {"due": when.due, "start": when.start}))
    return hits


def _resolve(m: re.Match[str], text: str, context: Context) -> list[tuple[int, int, _When]]:
    start, end = m.span()
    before = text[start - 1] if start else ""
    if before in _NOT_AFTER:
        return []
    if m.group("years"):
        y1, y2 = int(m.group("y1")), int(m.group("y2"))
        if y2 <= y1:
            return []
        return [(start, end, _When(date(y2, 12, 31), date(y1, 1, 1)))]
    if m.group("months"):
        m1, m2 = int(m.group("m1")), int(m.group("m2"))
        if not 1 <= m1 < m2 <= 12:
            return []
        if context.year is None:
            return [(start, end, _When(None))]
        last = _month_end(context.year, m2)
        return [(start, end, _When(last, None if _ends(m, "底末") else date(context.year, m1, 1)))]
    if m.group("list"):
        return _month_list(m, text, context)
    if m.group("year"):
        return _year(m, text)
    if m.group("within"):
        if context.year is None:
            return [(start, end, _When(None))]
        n = _count(m.group("n2") or m.group("n1"))
        if not n or context.year + n - 1 > date.max.year:
            return []
        return [(start, end, _When(date(context.year + n - 1, 12, 31)))]
    if m.group("which") in ("去年", "上年", "前年"):
        return []  # 去年年底: the past
    year = context.year
    if year is not None and m.group("which") == "明年":
        year += 1
    return [(start, end, _year_part(year, m.group("rpart")))]


def _year(m: re.Match[str], text: str) -> list[tuple[int, int, _When]]:
    """到2015年, 2014年前, 2015年底; a bare year only as a time adverbial (``2012年,``)."""
    start, end = m.span()
    year = int(m.group("y"))
    part = (m.group("ypart") or "").strip(" \t")
    if not part and not m.group("to") and not _adverbial(text, end):
        return []  # a label or a past span: 2023年中央预算内投资计划, 2013年以来
    if part in ("", "内", "之前", "以前", "前", "底", "底前", "末", "年底", "年底前", "年末"):
        return [(start, end, _When(date(year, 12, 31)))]
    return [(start, end, _year_part(year, part))]


def _adverbial(text: str, end: int) -> bool:
    """``2012年,`` opens a sentence as its time; ``2012年`` before a noun is a label."""
    rest = text[end : end + 3].lstrip(" \t")
    return rest[:1] in (",", ":")


def _year_part(year: int | None, part: str) -> _When:
    if year is None:
        return _When(None)
    part = part.removeprefix("年").removeprefix("第")
    if part in ("底前", "底", "末", "内"):
        return _When(date(year, 12, 31))
    if part == "中":
        return _When(date(year, 6, 30))
    if part == "上半年":
        return _When(date(year, 6, 30), date(year, 1, 1))
    if part == "下半年":
        return _When(date(year, 12, 31), date(year, 7, 1))
    if "季度" in part:
        quarter = "一二三四1234".index(part[part.index("季") - 1]) % 4 + 1
        last = _month_end(year, quarter * 3)
        if part[-1] in "末底" or part.startswith("前"):
            return _When(last, date(year, 1, 1) if part.startswith("前") else None)
        return _When(last, date(year, quarter * 3 - 2, 1))
    return _When(date(year, 12, 31))


def _month_list(m: re.Match[str], text: str, context: Context) -> list[tuple[int, int, _When]]:
    """One deadline per month named; a closing 底 / 最后一天 / 前 holds for the whole list."""
    items = list(_MONTH.finditer(text, m.start(), m.end()))
    items = [item for item in items if item.group("m")]
    if not items:
        return []
    closing = items[-1]
    seps = {text[a.end() : b.start()].strip(" \t") for a, b in pairwise(items)}
    shared = (
        not seps & _RANGE_SEP
        and not any(i.group("part") or i.group("before") for i in items[:-1])
        and bool(closing.group("part") or closing.group("before"))
    )
    results: list[tuple[int, int, _When]] = []
    year = context.year
    previous: tuple[int, int, _When] | None = None
    for item in items:
        if item.group("y"):
            year = int(item.group("y"))
        elif item.group("rel") == "明" and context.year:
            year = context.year + 1
        month = _count(item.group("m"))
        if not month or month > 12:
            continue
        part = item.group("part") or ""
        before = item.group("before") or ""
        if shared and item is not closing:
            part, before = closing.group("part") or "", closing.group("before") or ""
        when = _month_when(year, month, part, before)
        if when is None:
            continue
        span = (m.start(), m.end()) if shared else item.span()
        sep = text[previous[1] : span[0]].strip(" \t") if previous else ""
        if previous and not shared and sep in _RANGE_SEP and when.due and previous[2].start:
            # 3月至5月: one window from the first month to the last.
            results[-1] = (previous[0], span[1], _When(when.due, previous[2].start))
            previous = None
            continue
        results.append((span[0], span[1], when))
        previous = (span[0], span[1], when)
    return results


def _month_when(year: int | None, month: int, part: str, before: str) -> _When | None:
    if year is None:
        return _When(None)
    last = _month_end(year, month)
    if part[:1].isdigit():
        day = int(part.rstrip("日号 \t"))
        return _When(date(year, month, day)) if 1 <= day <= last.day else None
    if part in ("底", "末", "最后一天") or before:
        if part.endswith("旬") and before:
            return _When(_xun(year, month, part)[1])
        return _When(last)
    if part.endswith("旬"):
        first, end = _xun(year, month, part)
        return _When(end, first)
    return _When(last, date(year, month, 1))


def _xun(year: int, month: int, part: str) -> tuple[date, date]:
    """The ten-day periods: 上旬 1-10, 中旬 11-20, 下旬 21-end, and their pairs."""
    first = 1 if "上" in part else 11 if "中" in part else 21
    last = _month_end(year, month).day if "下" in part else 20 if "中" in part else 10
    return date(year, month, first), date(year, month, last)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _count(numeral: str) -> int | None:
    return int(numeral) if numeral.isdigit() and numeral.isascii() else chinese_to_int(numeral)


def _ends(m: re.Match[str], chars: str) -> bool:
    return m.group(0).rstrip("前 \t")[-1:] in chars
