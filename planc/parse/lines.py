"""Parse, stage one: every line becomes a token — blank, noise (page numbers, running
headers), label or text — with the document's shape decided once, from all its lines.

The shape is whether its lines are wrapped at the page width (as pdftotext prints them) or
hold a paragraph each; ``planc.parse.tree`` builds the clause tree from the tokens.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from enum import Enum

from planc.parse.labels import Label, match_label
from planc.parse.tables import (
    SERIAL_HEADER,
    Table,
    header_column,
    header_like,
    header_row,
    labelled_header,
    serial_cell,
)
from planc.textmap import fold

_LINE = re.compile(r"([^\r\n]*)(?:\r\n|\r|\n)?")
EDGE_SPACE = " \t\f\v\u3000\u00a0\u200b\u200c\u200d\u2060\ufeff"
_PAGE_NUMBER = re.compile(
    r"[-—–‐―_~]+ *\d{1,4} *[-—–‐―_~]+|第 *\d{1,4} *页(?: *[,/，] *共 *\d{1,4} *页)?"
    r"|\d{1,4} */ *\d{1,4}|\d{1,3}"
)
# A line that ends one of these is complete; otherwise the next line continues its sentence.
SENTENCE_END = frozenset('。！？；：!?;:…)）】》」』”’"')
TERMINAL = frozenset("。！？；：!?;:…")
# Text wrapped at the page width: at least this share of its lines (and this many) run within
# _WRAP_SLACK characters of the widest. In paragraph text a few lines at most share a width.
_WRAPPED_SHARE = 0.3
_MIN_FULL_LINES = 3
_WRAP_SLACK = 1.5  # half-width digits and a closing punctuation mark make full lines uneven


# A covering notice (关于印发…的通知) and the list of what it sends (附件：1.… 2.…).
_NOTICE_TITLE = re.compile(r"关于(?:印发|下发|转发|发布|公布)[^。；]*的?(?:通 *知|通 *告|函)")
_MAX_HEADER_LINE = 16  # characters: a longer line is no column header
_RECENT = 120  # characters of the front matter searched for the notice title
_ATTACHMENTS = re.compile(r"附 *件 *\d{0,2} *[:：]")


class Kind(Enum):
    BLANK = "blank"
    NOISE = "noise"  # page numbers and running headers: kept in spans, left out of text
    LABEL = "label"
    TEXT = "text"


@dataclass(slots=True)
class Line:
    """One physical line: ``start``/``end`` bound its content (end of line excluded)."""

    number: int  # 1-based
    start: int
    end: int
    next_start: int  # where the following line begins
    content: str
    width: float  # of ``content``, see ``width``: asked for often, so measured once
    kind: Kind = Kind.TEXT
    label: Label | None = None
    table: Table | None = None  # for a task-table row: the table whose 序号 it prints


def split_lines(text: str) -> list[Line]:
    if "\r" not in text:
        return _split_at_newlines(text)
    lines: list[Line] = []
    size = len(text)
    for number, m in enumerate(_LINE.finditer(text), start=1):
        start, end = m.span(1)
        next_start = m.end()
        if start == next_start == size and lines:
            break
        content = m.group(1)
        # ``width`` inlined: a blank line (of which there may be a great many) measures 0
        measure = len(content) - 0.5 * len(content.encode("ascii", "ignore")) if content else 0.0
        lines.append(Line(number, start, end, next_start, content, measure))
    return lines


def _split_at_newlines(text: str) -> list[Line]:
    """``split_lines`` of text whose lines all end in ``\n``: split in C, offsets summed."""
    contents = text.split("\n")
    if len(contents) > 1 and not contents[-1]:
        contents.pop()  # the text ends with a line break: no line follows it
    lines: list[Line] = []
    size = len(text)
    start = 0
    for number, content in enumerate(contents, start=1):
        end = start + len(content)
        next_start = end + 1 if end < size else end
        measure = len(content) - 0.5 * len(content.encode("ascii", "ignore")) if content else 0.0
        lines.append(Line(number, start, end, next_start, content, measure))
        start = next_start
    return lines


def width(text: str) -> float:
    """Printed width in Chinese characters: a Latin letter or a digit takes half of one."""
    ascii_count = len(text.encode("ascii", "ignore"))  # counted in C: drop all but ASCII
    return len(text) - 0.5 * ascii_count


def full_line_width(lines: list[Line]) -> float:
    """How wide a line runs before the page width breaks it: the bar for a broken sentence.

    Decided once for the whole document, from the widths of all its lines. In text wrapped at
    the page width (as pdftotext prints it) most lines are full, all of nearly one width;
    in text with a paragraph a line (a .docx, a web page, text copied with its breaks kept)
    widths scatter and no line is broken by a page: the bar is then infinite, and only a line
    that stops where no sentence can stop (a comma, an open bracket, inside a number) is joined.
    """
    widths = sorted(line.width for line in lines if line.width)
    if not widths:
        return math.inf
    page = widths[len(widths) - 1 - len(widths) // 50]  # the page width, a stray line aside
    full = len(widths) - bisect_left(widths, page - _WRAP_SLACK)
    if full < _MIN_FULL_LINES or full < _WRAPPED_SHARE * len(widths):
        return math.inf
    return max(8.0, page - 0.5)  # a half-wide digit may leave a full line half short


def classify(lines: list[Line], full_line: float = math.inf) -> None:
    """Give every line its kind; running headers are short lines repeated three times or more."""
    stripped = [line.content.strip(EDGE_SPACE) for line in lines]
    repeats = Counter(s for s in stripped if 0 < len(s) <= 40)
    expected: dict[int, int] = {}
    seen: set[str] = set()
    previous_text, previous_width = "", 0.0
    after_break = True  # the line follows a blank line, a page number or the start
    page_ended = False  # only blank lines since a page number or a form feed
    notice = attachments = False  # a covering notice printed; its attachment list running
    recent = ""
    table: Table | None = None  # the task table whose rows are running
    labelled: Table | None = None  # a table whose rows are labelled clauses (（1）…)
    scanned = 0  # lines before this were looked at as column headers already
    blank = Kind.BLANK  # looked up once: blank lines may be most of the lines
    for index, (line, text) in enumerate(zip(lines, stripped, strict=True)):
        starts_block, after_break = after_break, False
        after_page, page_ended = page_ended or "\f" in line.content, False
        if not text:
            line.kind = blank
            after_break = True
            page_ended = after_page
            continue
        if SERIAL_HEADER in text:
            header = header_row(line.content) or header_column(stripped, index)
            if header:  # column headers are no clause; the rows that follow are
                table = header
                seen.add(text)
                previous_text, previous_width = text, line.width
                continue
        if (
            labelled is None
            and table is None
            and index >= scanned
            and len(text) <= _MAX_HEADER_LINE
            and header_like(text)  # else no run of headers starts here: skip the look
        ):
            labelled, scanned = labelled_header(stripped, index)
        if table is not None:
            serial = serial_cell(table, line.content)
            if serial:
                start, end, number = serial
                line.kind, line.table = Kind.LABEL, table
                line.label = Label(3, number, start, end)
                table.next_serial = number + 1
                expected[3] = number + 1
                previous_text, previous_width = text, line.width
                continue
        folded_start = fold(line.content.lstrip(EDGE_SPACE))  # one fold a line: fold is costly
        folded = folded_start[: len(text)]  # fold maps one character to one
        if _PAGE_NUMBER.fullmatch(folded):
            line.kind = Kind.NOISE
            after_break = page_ended = True
            continue
        label = match_label(folded_start)
        if not expected:  # still in the front matter
            recent = (recent + text)[-_RECENT:]  # a notice title may run over lines
            notice = notice or bool(_NOTICE_TITLE.search(recent))
            if notice and _ATTACHMENTS.match(folded):
                attachments = True  # 附件：1.… under 关于印发…的通知: a list, not clauses
            elif not (label and label.level == 3):
                attachments = False
            if attachments and label:
                label = None
        broken = bool(previous_text) and previous_width >= full_line
        if label and _plausible(label, previous_text, broken, expected):
            if label.level < 3:
                table = None  # a section label: the table has ended
            if label.level == 1:
                labelled = None
            elif labelled is not None:
                line.table = labelled  # a labelled row of a table: its cells are read
            offset = len(line.content) - len(folded_start)  # the edge spaces stripped
            if offset:
                label = Label(label.level, label.number, label.start + offset, label.end + offset)
            line.label = label
            line.kind = Kind.LABEL
            expected[label.level] = label.number + 1
        elif (
            repeats[text] >= 3
            and starts_block
            # In a table a unit repeats down its column: a cell, unless a page ends above it.
            and (after_page or (table is None and labelled is None))
            and (text in seen or expected)
            and not _has_punctuation(folded)
        ):
            # A running header: a repeated line at the top of a block. Its first showing
            # before the body is the title itself.
            line.kind = Kind.NOISE
            after_break = True
            continue
        seen.add(text)
        previous_text, previous_width = text, line.width


def _plausible(label: Label, previous_text: str, broken: bool, expected: dict[int, int]) -> bool:
    """A label after a line broken mid-sentence is text unless it is the expected ordinal
    (numbering runs on across sections, or restarts at 1)."""
    if not broken or previous_text[-1] in SENTENCE_END:
        return True
    return label.number in (1, expected.get(label.level, 1))


def _has_punctuation(text: str) -> bool:
    """Sentence punctuation: a running header (a title) has none; brackets it may have."""
    return any(ch in "。，、；：！？,.;:!?" for ch in text)


_INNER_SPACE = re.compile(r"[ \t\u3000\u00a0]+")


def squeeze_spaces(text: str) -> str:
    """Drop spaces the PDF put between Chinese characters; keep one between Latin words."""

    def keep(m: re.Match[str]) -> str:
        before = text[m.start() - 1] if m.start() else ""
        after = text[m.end()] if m.end() < len(text) else ""
        latin = before.isascii() and before.isalnum() and after.isascii() and after.isalnum()
        return " " if latin else ""

    return _INNER_SPACE.sub(keep, text)
