"""Deadlines: 5月底前, 年底前, 9月下旬, 2024年6月底前, 3月、6月、9月、12月最后一天 …

Each expression resolves to ``due`` (the last day) and, for a window, ``start``. A year printed
with the expression wins; then a year printed in the same sentence (``2025年…,上半年…``); then
the plan year from the metadata; when that is unknown a relative expression keeps ``due`` None
rather than guess. Not deadlines: frequencies and recurring times (每年, 每季度, 每年花后(4月份)),
bare years used as labels (2023年中央预算内投资计划), spans since a past year (2013年以来), dates
before the plan year, dates that qualify a thing (3月31日前到期的贷款) and the document's own dates
(a date alone on its line, ``…印发``). In a task-table row, a cell under a 完成时限 column says
by when whatever it prints: a bare year, a month (that month's window), ``2024.6``.
"""

from __future__ import annotations

import calendar
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property
from itertools import pairwise

from planc.extract import Cell, Context, Hit
from planc.extract.numbers import Layout
from planc.labels import chinese_to_int

_S = r"[ \t]{0,2}"  # PDF text puts stray spaces between a number and its word: 5 月底前
_YEAR_NUM = r"(?<![0-9.])(?:19|20)[0-9]{2}"
_YEAR = rf"{_YEAR_NUM}{_S}年"
_MONTH_NUM = r"(?:(?<![0-9.])[0-9]{1,2}|十[一二]?|[一二三四五六七八九])"
_DAY = r"(?:[0-9]{1,2}|[二三]?十[一二三四五六七八九]?|[一二三四五六七八九])"
_PART = rf"(?:中上旬|上中旬|中下旬|上旬|中旬|下旬|底|末|最后一天|{_DAY}{_S}[日号])"
_MONTH_ITEM = (
    rf"(?:(?:{_YEAR}|[今明]年){_S})?{_MONTH_NUM}{_S}月份?(?:{_S}{_PART})?(?:{_S}(?:之前|以前|前))?"
)
_LIST_SEP = rf"{_S}(?:、|和|及|与|至|到|~|-|—){_S}"
_NUMERAL = r"(?:[0-9]{1,3}|[一二三四五六七八九十两]{1,3})"

_PATTERN = re.compile(
    # A cheap first look: every form starts with one of these (17x faster on plain prose), and
    # every form that starts with a digit starts a number: not inside a run of digits.
    r"(?=[到至截今明去前年上下第全印发公出施实一二三四五六七八九十两]|(?<![0-9.])[0-9])(?:"
    # 本意见印发之日起30日内: counted from the issue date
    rf"(?P<since>(?:印发|发布|公布|出台|施行|实施)(?:之日起|之日后|后){_S}(?P<sn>{_NUMERAL}){_S}"
    r"(?P<su>日|天|个月|年)内)"
    # “十三五”末: the last year of a five-year plan period
    r"|(?P<fyp>十(?P<fn>[一二三四五六七八九])五[”\"]?(?:时期)?(?:期末|末期|末))"
    # 2012-2015年, 2012年~2015年: a span of years as the time frame
    rf"|(?P<years>(?P<y1>{_YEAR_NUM})(?:{_S}年)?{_S}[-~—至到]{_S}(?P<y2>(?:19|20)[0-9]{{2}}){_S}年"
    rf"(?:{_S}(?:底前|底|末))?)"
    # 1-6月: a span of months
    rf"|(?P<months>(?<![0-9.])(?P<m1>[0-9]{{1,2}}){_S}[-~—至到]{_S}(?P<m2>[0-9]{{1,2}}){_S}月份?"
    rf"(?:{_S}(?:底前|底|末))?)"
    # 3月、6月、9月、12月最后一天; 2024年6月底前; 5 月中上旬; 6月30日前; 2023年1月1日至3月31日
    rf"|(?P<list>{_MONTH_ITEM}(?:{_LIST_SEP}{_MONTH_ITEM})*)"
    # 到2015年, 2014年前, 2015年底前, 2024年上半年, 2019年初, 2016年起, 2012年,
    rf"|(?P<year>(?:(?P<to>到|至|截至|截止){_S})?(?P<y>{_YEAR_NUM}){_S}年"
    rf"(?!{_S}{_MONTH_NUM}{_S}月)"  # 至2023年3月31日 is one date, read as a list
    rf"(?P<ypart>{_S}(?:年底前|年底|年末|年初(?!步)|年中(?=[和及与、,;。)]|前|$)|底前|底|末"
    rf"|初(?!步)|起|内(?![蒙部容涵外])|上半年|下半年|(?:第|前)?[一二三四1-4]季度(?:末|底)?"
    rf"|之前|以前|前(?![一二三四五六七八九十0-9])))?)"
    # 3年内, 2-3年内: counted from the plan year
    rf"|(?P<within>(?<![0-9.])(?P<n1>[0-9]{{1,2}}|[一二三四五六七八九十两]){_S}"
    rf"(?:[-~—至到]{_S}(?P<n2>[0-9]{{1,2}}|[一二三四五六七八九十]){_S})?年内)"
    # 年底前, 上半年, 第三季度, 年中, 年内, 全年, 年初 — in the sentence's year or the plan year
    rf"|(?P<rel>(?P<which>[今明去上前]年)?(?P<rpart>年底前|年底|年末|年初(?!步)|上半年|下半年"
    rf"|(?<=[今明去]年)(?:底前|底|末|初(?!步)|内(?![蒙部容涵外]))"  # 今年底, 明年内
    rf"|(?:第|前)?[一二三四]季度(?:末|底)?|年中(?=[和及与、,;。]|前|进行|开展|完成)"
    r"|年内(?![蒙部容涵外])|全年(?![的度])))"
    r")"
)

_MONTH = re.compile(
    rf"(?:(?:(?P<y>{_YEAR_NUM}){_S}年|(?P<rel>[今明])年){_S})?(?P<m>{_MONTH_NUM}){_S}月(?P<fen>份)?"
    rf"(?:{_S}(?P<part>{_PART}))?(?:{_S}(?P<before>之前|以前|前))?"
)
# A year in Chinese numerals: 二〇二三年, 一九九八年
_CN_YEAR = re.compile(r"(?:一九|二[〇零○])[〇零○一二三四五六七八九]{2}(?=[ \t]*年)")
_CN_DIGITS = str.maketrans("〇零○一二三四五六七八九", "000123456789")
# A year printed in a sentence, which relative expressions after it in that sentence take.
_PRINTED_YEAR = re.compile(rf"(?<![较比0-9.])((?:19|20)[0-9]{{2}}){_S}年")
# Dates in a 完成时限 cell: 2024.6, 2024-06-30, 2024/6
_CELL_DATE = re.compile(
    r"(?<![0-9.])(?P<y>(?:19|20)[0-9]{2})[./-](?P<m>[0-9]{1,2})(?:[./-](?P<d>[0-9]{1,2}))?(?![0-9])"
)
# The column of a task table that says by when: 完成时限, 时间节点, 进度安排, 完成时间 …
_DEADLINE_COLUMN = re.compile(r"时限|时间|期限|进度|节点|日期|截止")
# Recurring or seasonal times: a month or quarter in their statement recurs every year.
_RECURRING = re.compile(r"每[年月季周日天]|每半年|每学期|定期|常态化|翌年|次年|来年|逐年")
_SENTENCE_BREAK = re.compile(r"[。;!?\n]")
_STATEMENT_END = re.compile(r"[,;。:!?\n]")
_PUNCTUATION = re.compile(r"[,;。:!?]")
_QUANTITY = re.compile(r"[0-9]|[一二两三四五六七八九十百千万]+[个项家场次人所座条亿万]")
_RANGE_SEP = frozenset("至到~-—")
_NOT_AFTER = frozenset("每去上前近较比")  # 每年 recurs; 去年底, 上半年度 are past; 较年初 a base
# 力争在2023年…, 于2023年…: the year is when the aim is due
# 2024年、2025年分别…: a year after another year of a list says when as the first does
_AIM = re.compile(
    r"(?:力争|争取|力求|确保|预计|计划)?[ \t]*(?:在|于)?[ \t]*"
    r"(?:(?:19|20)[0-9]{2}[ \t]*年?[ \t]*[、和及与][ \t]*)*"
)
# 完成时限:2023年, 完成时间为2023年: a year printed as the answer to "by when"
_LABELLED_TIME = re.compile(r"(?:时限|时间|期限|节点|日期)[ \t]*(?:[:为是][ \t]*)?$")
# Festivals and seasons are not calendar dates: 春节前后, 汛期前, 秋季学期
_SEASON = re.compile(r"春节|元旦|国庆|中秋|端午|清明|元宵|五一|十一|汛期|汛前|开学|[春夏秋冬]季")
_OPEN_BRACKETS = frozenset("(（")
_CLOSE_BRACKETS = frozenset(")）")


@dataclass(frozen=True, slots=True)
class _When:
    due: date | None
    start: date | None = None


@dataclass(slots=True)
class _Found:
    start: int
    end: int
    when: _When
    bare_year: bool = False  # 2023年新增…: a bare year, yielding to a time printed after it


class _Clause:
    """One clause's text and what the resolvers ask of it.

    Every question is answered from positions worked out once per clause (bisected), so a long
    clause full of dates costs no more than its length.
    """

    def __init__(self, text: str, context: Context) -> None:
        self.text = text
        self.context = context
        self.layout = Layout(text)
        self.cells = [c for c in context.cells if _DEADLINE_COLUMN.search(c.column)]
        self.year_sources: set[int] = set()  # bare years that gave a later expression its year

    def in_deadline_cell(self, start: int) -> bool:
        return any(c.start <= start < c.end for c in self.cells)

    @cached_property
    def _statement_ends(self) -> list[int]:
        return [m.start() for m in _STATEMENT_END.finditer(self.text)]

    @cached_property
    def _sentence_breaks(self) -> list[int]:
        return [m.end() for m in _SENTENCE_BREAK.finditer(self.text)]

    @cached_property
    def _recurring(self) -> list[int]:
        return [m.start() for m in _RECURRING.finditer(self.text)]

    @cached_property
    def _quantities(self) -> list[int]:
        return [m.start() for m in _QUANTITY.finditer(self.text)]

    @cached_property
    def _years(self) -> tuple[list[int], list[int], list[int], list[int]]:
        """Printed years (positions, values) and those that open their statement."""
        at, values, opening_at, opening_values = [], [], [], []
        for m in _PRINTED_YEAR.finditer(self.text):
            if self.layout.quoted(m.start(), m.end()):
                continue
            at.append(m.start())
            values.append(int(m.group(1)))
            if self.opens_statement(m.start()):
                opening_at.append(m.start())
                opening_values.append(int(m.group(1)))
        return at, values, opening_at, opening_values

    @cached_property
    def _title_end(self) -> int:
        """Where the clause's first line ends if it is a title (no sentence punctuation, more
        text after it); else 0."""
        first_end = self.text.find("\n")
        return (
            first_end if first_end > 0 and not _PUNCTUATION.search(self.text, 0, first_end) else 0
        )

    def title_line(self, index: int) -> bool:
        return index < self._title_end

    def sentence_start(self, index: int) -> int:
        i = bisect_right(self._sentence_breaks, index) - 1
        return self._sentence_breaks[i] if i >= 0 else 0

    def statement(self, index: int) -> tuple[int, int]:
        """The comma-clause holding ``index``: where 每年 makes a month recur."""
        i = bisect_left(self._statement_ends, index)
        end = self._statement_ends[i] if i < len(self._statement_ends) else len(self.text)
        return self.layout.segment_start(index), end

    def opens_statement(self, index: int) -> bool:
        return _skip_space(self.text, self.layout.segment_start(index)) >= index

    def recurring(self, index: int) -> bool:
        return _any_within(self._recurring, *self.statement(index))

    def quantity_after(self, index: int) -> bool:
        return _any_within(self._quantities, index, self.statement(index)[1])

    def year_for(self, index: int) -> int | None:
        """The year a relative expression at ``index`` means: one printed before it in its own
        statement, or opening a statement of its sentence (``2025年,…,上半年``); else the plan's."""
        at, values, opening_at, opening_values = self._years
        best: tuple[int, int] | None = None
        i = bisect_left(at, index) - 1
        if i >= 0 and at[i] >= self.layout.segment_start(index):
            best = (at[i], values[i])
        j = bisect_left(opening_at, index) - 1
        opening = j >= 0 and opening_at[j] >= self.sentence_start(index)
        if opening and (best is None or opening_at[j] > best[0]):
            best = (opening_at[j], opening_values[j])
        if best is None:
            return self.column_year(index) or self.context.year
        self.year_sources.add(best[0])
        return best[1]

    def column_year(self, index: int) -> int | None:
        """The year a task table's column header prints (``2025年计划``) for a cell under it:
        not a deadline itself, but the year its cell's 年底前 means."""
        for cell in self.context.cells:
            if cell.start <= index < cell.end:
                m = _PRINTED_YEAR.search(cell.column)
                return int(m.group(1)) if m else None
        return None


def _any_within(positions: list[int], start: int, end: int) -> bool:
    i = bisect_left(positions, start)
    return i < len(positions) and positions[i] < end


def find_deadlines(text: str, context: Context) -> list[Hit]:
    """Deadlines in folded clause text; fields: due, start (ISO dates or None)."""
    if _CN_YEAR.search(text):  # 二〇二三年: digit for digit, so every offset stays
        text = _CN_YEAR.sub(lambda m: m.group(0).translate(_CN_DIGITS), text)
    clause = _Clause(text, context)
    found: list[_Found] = []
    for m in _PATTERN.finditer(text):
        if clause.layout.quoted(m.start(), m.end()) and not m.group("fyp"):
            continue  # 《2023年南阳市中医药工作要点》; but “十三五”末 is a time
        found.extend(_resolve(m, clause))
    found.extend(_cell_dates(clause))
    found.sort(key=lambda f: f.start)
    return _select(found, clause)


def _select(found: list[_Found], clause: _Clause) -> list[Hit]:
    """Drop what is past or yielded its year to a later expression; list each time point once."""
    hits: list[Hit] = []
    seen: set[object] = set()
    dues: set[date] = set()
    first_day = date(clause.context.year, 1, 1) if clause.context.year else None
    for f in found:
        when = f.when
        if f.bare_year and f.start in clause.year_sources:
            continue  # 2025年,上半年…: the year only says which year the half is in
        if (
            first_day
            and when.due
            and (when.due < first_day or (when.start or when.due) < first_day)
        ):
            continue  # a past date, or a window opened before the plan: it qualifies a thing
        key = (when.due, when.start) if when.due else clause.text[f.start : f.end].replace(" ", "")
        if key in seen or (when.start is None and when.due in dues):
            continue  # a clause lists each time point once, however it is worded
        seen.add(key)
        if when.due:
            dues.add(when.due)
        hits.append(Hit(f.start, f.end, {"due": when.due, "start": when.start}))
    return hits


def _resolve(m: re.Match[str], clause: _Clause) -> list[_Found]:
    text, context = clause.text, clause.context
    start, end = m.span()
    before = text[start - 1] if start else ""
    if before in _NOT_AFTER:
        return []
    if text.startswith("到期", _skip_space(text, end)):
        return []  # 3月31日前到期的贷款: when the loans fall due, not the work
    if m.group("since"):
        return [_Found(start, end, _since(m, context.issued))]
    if m.group("fyp"):
        number = chinese_to_int("十" + m.group("fn")) or 0
        return [_Found(start, end, _When(date(1985 + 5 * (number - 6), 12, 31)))]
    if m.group("years"):
        y1, y2 = int(m.group("y1")), int(m.group("y2"))
        if y2 <= y1 or (before in _OPEN_BRACKETS and text[end : end + 1] in _CLOSE_BRACKETS):
            return []  # 行动计划(2024-2026年): the period of a named plan
        return [_Found(start, end, _When(date(y2, 12, 31), date(y1, 1, 1)))]
    if m.group("months"):
        m1, m2 = int(m.group("m1")), int(m.group("m2"))
        if not 1 <= m1 < m2 <= 12 or clause.recurring(start):
            return []
        year = clause.year_for(start)
        if year is None:
            return [_Found(start, end, _When(None))]
        last = _month_end(year, m2)
        return [_Found(start, end, _When(last, None if _ends(m, "底末") else date(year, m1, 1)))]
    if m.group("list"):
        return _month_list(m, clause)
    if m.group("year"):
        return _year(m, clause)
    if m.group("within"):
        if before == "后":
            return []  # 种植后2年内: counted from the planting, not from the plan
        base = context.year or context.opening_year
        if base is None:
            return [_Found(start, end, _When(None))]
        n = _count(m.group("n2") or m.group("n1"))
        if not n or base + n - 1 > date.max.year:
            return []
        return [_Found(start, end, _When(date(base + n - 1, 12, 31)))]
    if m.group("which") in ("去年", "上年", "前年"):
        return []  # 去年年底: the past
    if not m.group("which") and clause.recurring(start):
        return []  # 每年年底前: a recurring time
    if m.group("rpart") == "全年" and not _full_year_is_time(clause, start, end):
        return []
    year = clause.year_for(start) if not m.group("which") else context.year
    if year is not None and m.group("which") == "明年":
        year = context.year + 1 if context.year else None
    return [_Found(start, end, _year_part(year, m.group("rpart")))]


def _skip_space(text: str, index: int) -> int:
    while index < len(text) and text[index] in " \t":
        index += 1
    return index


def _since(m: re.Match[str], issued: date | None) -> _When:
    """印发之日起30日内: the issue date plus the count."""
    n = _count(m.group("sn"))
    if issued is None or not n:
        return _When(None)
    unit = m.group("su")
    if unit in ("日", "天"):
        return _When(issued + timedelta(days=n))
    months = n * 12 if unit == "年" else n
    year, month = divmod(issued.month - 1 + months, 12)
    year += issued.year
    day = min(issued.day, calendar.monthrange(year, month + 1)[1])
    return _When(date(year, month + 1, day))


def _year(m: re.Match[str], clause: _Clause) -> list[_Found]:
    """到2015年, 2014年前, 2015年底; a bare year only where it says when work happens."""
    start, end = m.span()
    year = int(m.group("y"))
    part = (m.group("ypart") or "").strip(" \t")
    if part or m.group("to"):
        if part in ("起", "初", "年初"):
            when = _When(date(year, 12, 31), date(year, 1, 1))
            if part != "起":
                when = _When(date(year, 3, 31), date(year, 1, 1))  # 年初: the first quarter
            return [_Found(start, end, when)]
        if part in ("", "内", "之前", "以前", "前", "底", "底前", "末", "年底", "年底前", "年末"):
            return [_Found(start, end, _When(date(year, 12, 31)))]
        return [_Found(start, end, _year_part(year, part))]
    if not _bare_year_is_time(clause, start, end):
        return []  # a label or a past span: 2023年中央预算内投资计划, 2013年以来
    return [_Found(start, end, _When(date(year, 12, 31)), bare_year=True)]


def _bare_year_is_time(clause: _Clause, start: int, end: int) -> bool:
    """``2012年,`` and ``2023年新增…`` say when; ``完成2023年各项工作`` names a thing.

    A year that says when opens its statement (or follows an aim: 力争2023年…) and a predicate
    follows it; a year inside a statement, or one that a short header line ends after
    (``2025年计划``), labels what follows it.
    """
    text = clause.text
    if clause.in_deadline_cell(start) or _LABELLED_TIME.search(text, max(0, start - 8), start):
        return True  # a 完成时限 cell; 完成时限:2023年
    after = _skip_space(text, end)
    following = text[after : after + 1]
    if following in (",", ":"):
        return True
    if following in ("", "度", "的", "是", "“", '"', "《", "(", "（", "以"):
        return False
    if _SEASON.match(text, after):
        return False  # 2024年春节前: a festival or season, not a calendar date
    lead = _skip_space(text, clause.layout.segment_start(start))
    if lead < start and not _AIM.fullmatch(text, lead, start):
        return False
    if clause.title_line(start) and not clause.quantity_after(end):
        return False  # 二、2022年政府工作任务: a heading that names what the section holds
    line_rest = text[after : after + 5].split("\n", 1)[0]
    return len(line_rest) >= 5 or bool(_PUNCTUATION.search(line_rest))


def _full_year_is_time(clause: _Clause, start: int, end: int) -> bool:
    """``全年完成投资330亿元``, ``带动全年完成…135亿元`` say when; ``完成全年目标任务`` names
    the year's work: 全年 says when where it opens its statement or frames a quantity."""
    if clause.in_deadline_cell(start):
        return True
    if clause.title_line(start):
        return False
    if clause.opens_statement(start):
        return True
    return clause.quantity_after(end)


def _year_part(year: int | None, part: str) -> _When:
    if year is None:
        return _When(None)
    part = part.removeprefix("第")
    if part in ("年初", "初"):
        return _When(date(year, 3, 31), date(year, 1, 1))
    part = part.removeprefix("年")
    if part in ("底前", "底", "末", "内", "全年", ""):
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


def _alone_on_line(text: str, start: int, end: int) -> bool:
    before = start
    while before > 0 and text[before - 1] in " \t":
        before -= 1
    after = _skip_space(text, end)
    return (before == 0 or text[before - 1] == "\n") and (after == len(text) or text[after] == "\n")


def _own_date(clause: _Clause, m: re.Match[str], items: list[re.Match[str]]) -> bool:
    """The document's own date: ``2023年4月10日印发``, or a signature date alone on its line."""
    text, start, end = clause.text, m.start(), m.end()
    if text.startswith(("印发", "发布", "颁布"), _skip_space(text, end)):
        return True
    (item,) = items if len(items) == 1 else (None,)
    if item is None or not item.group("y") or not (item.group("part") or "").endswith(("日", "号")):
        return False  # a signature prints a full date: 2018年11月16日
    if not _alone_on_line(text, start, end):
        return False
    if clause.in_deadline_cell(start):
        return False
    issued = clause.context.issued
    day = _count(item.group("part").rstrip("日号 \t"))
    return issued is None or (issued.year, issued.month, issued.day) == (
        int(item.group("y")),
        _count(item.group("m")),
        day,
    )


def _month_list(m: re.Match[str], clause: _Clause) -> list[_Found]:
    """One deadline per month named; a closing 底 / 最后一天 / 前 holds for the whole list.

    A range separator (至, —) between two items makes one window: 2023年1月1日至3月31日.
    """
    text, context = clause.text, clause.context
    items = [item for item in _MONTH.finditer(text, m.start(), m.end()) if item.group("m")]
    if not items:
        return []
    if _own_date(clause, m, items):
        return []
    printed = any(item.group("y") for item in items)
    if not printed and clause.recurring(m.start()):
        return []  # 每年花后(4月份), 12月至翌年1月: a time that comes round every year
    closing = items[-1]
    seps = {text[a.end() : b.start()].strip(" \t") for a, b in pairwise(items)}
    shared = (
        not seps & _RANGE_SEP
        and not any(i.group("part") or i.group("before") for i in items[:-1])
        and bool(closing.group("part") or closing.group("before"))
    )
    results: list[_Found] = []
    year = None if items[0].group("y") else clause.year_for(m.start())
    previous: _Found | None = None
    for item in items:
        if item.group("y"):
            year = int(item.group("y"))
        elif item.group("rel") == "明":
            year = context.year + 1 if context.year else None
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
        sep = text[previous.end : span[0]].strip(" \t") if previous else ""
        if previous and not shared and sep in _RANGE_SEP and when.due:
            # 3月至5月, 2023年1月1日至3月31日: one window from the first point to the last.
            opened = previous.when.start or previous.when.due
            results[-1] = _Found(previous.start, span[1], _When(when.due, opened))
            previous = None
            continue
        results.append(_Found(span[0], span[1], when))
        previous = results[-1]
    return results


def _month_when(year: int | None, month: int, part: str, before: str) -> _When | None:
    if year is None:
        return _When(None)
    last = _month_end(year, month)
    if part.endswith(("日", "号")):
        day = _count(part.rstrip("日号 \t")) or 0
        return _When(date(year, month, day)) if 1 <= day <= last.day else None
    if part in ("底", "末", "最后一天") or before:
        if part.endswith("旬") and before:
            return _When(_xun(year, month, part)[1])
        return _When(last)
    if part.endswith("旬"):
        first, end = _xun(year, month, part)
        return _When(end, first)
    return _When(last, date(year, month, 1))


def _cell_dates(clause: _Clause) -> Iterator[_Found]:
    """``2024.6`` or ``2024-06-30`` in a 完成时限 cell: a month's window or a day."""
    for cell in clause.cells:
        yield from _dotted(clause.text, cell)


def _dotted(text: str, cell: Cell) -> Iterator[_Found]:
    for m in _CELL_DATE.finditer(text, cell.start, cell.end):
        year, month = int(m.group("y")), int(m.group("m"))
        if not 1 <= month <= 12:
            continue
        last = _month_end(year, month)
        if m.group("d"):
            day = int(m.group("d"))
            if 1 <= day <= last.day:
                yield _Found(m.start(), m.end(), _When(date(year, month, day)))
            continue
        yield _Found(m.start(), m.end(), _When(last, date(year, month, 1)))


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


# The year a text opens with: 2012年起, 2023年, at the start of a line or a sentence.
_OPENING_YEAR = re.compile(rf"(?:^|[\n。;,:])[ \t]*((?:19|20)[0-9]{{2}}){_S}年", re.MULTILINE)


def opening_year(text: str) -> int | None:
    """The first year that opens a line or sentence: where ``N年内`` counts from when the
    metadata gives no plan year."""
    m = _OPENING_YEAR.search(text)
    return int(m.group(1)) if m else None
