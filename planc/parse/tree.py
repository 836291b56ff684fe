"""Parse, stage two: the clause tree from the line tokens, losslessly.

As markdown-it does, the tree is built from the label tokens. A clause owns the lines from its
label to the next label, so the front matter, the clauses and the back matter tile the
original with no gap and no overlap. Clause text is rebuilt from its lines with PDF page-break
damage repaired, through a ``MappedText`` that keeps every character's origin.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from planc.extract import Cell
from planc.parse.labels import Label
from planc.parse.lines import (
    EDGE_SPACE,
    SENTENCE_END,
    TERMINAL,
    Kind,
    Line,
    classify,
    full_line_width,
    split_lines,
    squeeze_spaces,
    width,
)
from planc.parse.tables import (
    Table,
    cells_after,
    columns_after_serial,
    is_owner_column,
    labelled_row_cells,
    looks_like_units,
)
from planc.textmap import EMPTY, MappedText, fold

_HEADING_END = re.compile(r"[。！？；!?;\n\t]")  # a tab parts the cells of a table row
_HEADING_TRIM = " \t\u3000，,、：:。．.！？；!?;"


@dataclass(slots=True)
class Node:
    """A clause as parsed, before extraction: what ``planc.compile`` turns into a ``Clause``."""

    level: int
    number: int
    label: str
    label_start: int
    start: int
    end: int
    body: MappedText
    heading: str
    heading_span: tuple[int, int] | None
    id: str = ""
    children: list[Node] = field(default_factory=list)
    row: bool = False  # a task-table row: a child of the last clause before its table
    cells: tuple[Cell, ...] = ()  # a row's cells within ``body``, with their columns
    paragraphs: tuple[int, ...] = ()  # the line (from the label's) each paragraph starts on


@dataclass(slots=True)
class Parsed:
    full_line: float  # the width at which a line is taken to be broken by the page
    lines: list[Line]
    front_lines: list[Line]
    front_matter: MappedText
    front_end: int
    clauses: list[Node]
    back_lines: list[Line]  # the signature, 抄送/印发 lines and a closing paragraph
    back_matter: MappedText
    back_start: int


def parse(text: str) -> Parsed:
    """Split ``text`` into front matter, the clause tree and back matter."""
    lines = split_lines(text)
    full_line = full_line_width(lines)
    classify(lines, full_line)
    label = Kind.LABEL  # looked up once, not once a line
    label_indexes = [i for i, line in enumerate(lines) if line.kind is label]
    front_end_index = label_indexes[0] if label_indexes else len(lines)
    front_lines = lines[:front_end_index]
    front_end = lines[front_end_index].start if label_indexes else len(text)
    front_matter = _join(text, front_lines, None, full_line)
    back_index = _signature_start(lines, label_indexes[-1]) if label_indexes else len(lines)

    roots: list[Node] = []
    stack: list[Node] = []
    printed: dict[str, int] = {}  # how often each id was printed (parents' ids are unique)
    node: Node | None = None
    for n, index in enumerate(label_indexes):
        stop = label_indexes[n + 1] if n + 1 < len(label_indexes) else back_index
        end = lines[stop].start if stop < len(lines) else len(text)
        node = _node(text, lines[index:stop], end, full_line)
        if node.row:  # a row belongs to the last clause printed before its table
            while stack and stack[-1].row:
                stack.pop()
        else:
            while stack and stack[-1].level >= node.level:
                stack.pop()
        siblings = stack[-1].children if stack else roots
        prefix = stack[-1].id + "." if stack else ""
        node.id = prefix + str(node.number)
        count = printed[node.id] = printed.get(node.id, 0) + 1
        if count > 1:  # the n-th sibling printing the same ordinal gets -n
            node.id = f"{node.id}-{count}"
        siblings.append(node)
        stack.append(node)
    if node is not None:
        parent = stack[-2].children if len(stack) > 1 else roots
        closing = _closing_paragraph(node, parent, label_indexes[-1], back_index)
        if closing is not None:  # the last clause ends where the closing paragraph begins
            back_index = closing
            end = lines[back_index].start
            last = _node(text, lines[label_indexes[-1] : back_index], end, full_line)
            node.end, node.body, node.heading = last.end, last.body, last.heading
            node.heading_span, node.cells = last.heading_span, last.cells
            node.paragraphs = last.paragraphs
    back_lines = lines[back_index:] if label_indexes else []
    back_start = lines[back_index].start if back_lines else len(text)
    back_matter = _join(text, back_lines, None, full_line)
    return Parsed(
        full_line,
        lines,
        front_lines,
        front_matter,
        front_end,
        roots,
        back_lines,
        back_matter,
        back_start,
    )


# The signature block after the last clause: issuer and date lines, （此件公开发布）, and the
# 抄送/印发 lines of the printed copy. Dates may be printed in Chinese numerals (二〇二三年).
_CN_DATE = "〇○零一二三四五六七八九十"
_DATE_LINE = re.compile(
    rf"[(（]?(?:(?:19|20)\d\d|[{_CN_DATE}]{{4}}) *年 *[\d{_CN_DATE}]{{1,3}} *月"
    rf" *[\d{_CN_DATE}]{{1,3}} *日[)）]?(?: *印发)?"
)
_PUBLICATION_NOTE = re.compile(r"[(（]此件[^()（）]{1,12}[)）]")
_DISTRIBUTION = re.compile(r"(?:抄 *送|抄 *报|分 *送|发 *送|印 *发)[:：]|.*印发$")
_SIGNER = re.compile(r"[^，,。；;：:！？!?]{2,40}")
_MAX_SIGNERS = 3  # joint issuers print a line each above the date


def _signature_start(lines: list[Line], last_label: int) -> int:
    """The first line of the signature block at the end, or ``len(lines)`` if none."""
    start = len(lines)
    signers = 0
    dated = False
    for i in range(len(lines) - 1, last_label, -1):
        line = lines[i]
        if line.kind in (Kind.BLANK, Kind.NOISE):
            continue
        if line.kind is not Kind.TEXT:
            break
        text = squeeze_spaces(fold(line.content.strip(EDGE_SPACE)))
        if _DATE_LINE.fullmatch(text):
            dated, signers = True, 0
        elif _PUBLICATION_NOTE.fullmatch(text) or _DISTRIBUTION.match(text):
            pass
        elif dated and signers < _MAX_SIGNERS and _SIGNER.fullmatch(text):
            signers += 1
        else:
            break
        start = i
    while start < len(lines) and lines[start].kind is not Kind.TEXT and start > last_label:
        start += 1  # blank lines between the clause and the signature belong to the clause
    return start


# A closing paragraph may name the document itself (本方案自印发之日起施行) or all of its
# addressees (各地区、各部门要…).
_SELF_REFERENCE = re.compile(
    r"本(?:方案|意见|措施|计划|办法|通知|规定|细则|要点|政策)|各地区?[、，,]\s*各(?:有关)?部门"
)


def _closing_paragraph(node: Node, siblings: list[Node], first: int, stop: int) -> int | None:
    """The line where a closing paragraph after the last clause begins, else None.

    A paragraph printed after the last clause, when every clause beside it is one paragraph,
    speaks to the whole document, not to that clause; so does a last paragraph that names the
    document itself. A clause whose label line is its heading alone keeps its paragraph.
    """
    if node.row or node.children:
        return None
    starts = node.paragraphs
    if len(starts) < 2 or starts[0] != 0:
        return None  # a heading alone on the label line: the paragraph after it is its body
    first_paragraph = node.body.text[: node.body.text.index("\n")]
    if first_paragraph[-1:] not in SENTENCE_END:
        return None
    others = [sibling for sibling in siblings if sibling is not node]
    if len(others) >= 2 and all("\n" not in s.body.text.strip() for s in others):
        return first + starts[1]
    if _SELF_REFERENCE.match(node.body.text[node.body.text.rindex("\n") + 1 :]):
        return first + starts[-1]
    return None


def _node(text: str, lines: list[Line], end: int, full_line: float) -> Node:
    first = lines[0]
    label = first.label
    assert label is not None
    label_start = first.start + label.start
    label_text = text[label_start : first.start + label.end].rstrip(" \t\u3000")
    bounds: list[tuple[int, int, int]] = []
    serial_row = first.table is not None and first.table.serial >= 0
    body = _join(text, lines, label, full_line, bounds, table=serial_row)
    cells: tuple[Cell, ...] = ()
    heading, heading_span = _heading(body)
    if first.table is not None and not serial_row:
        cells = _labelled_cells(first.table, body.text, bounds)
    elif first.table is not None:
        rest_at = first.start + label.end
        rest = text[rest_at : first.end]
        cells = _row_cells(first.table, body, bounds, rest, rest_at)
        task = first.table.task_column()
        task_name = first.table.columns[task] if task is not None else None
        for cell in cells:
            if cell.column == task_name:  # the 具体措施/任务 cell gives the heading
                heading, heading_span = _heading(body, cell.start, cell.end)
                break
    # Positional, in the order of Node's fields: keywords and a default factory took twice
    # as long, once a clause.
    return Node(
        label.level,
        label.number,
        label_text,
        label_start,
        first.start,
        end,
        body,
        heading,
        heading_span,
        "",  # id: ``parse`` gives it, knowing the clause's parents
        [],  # children
        serial_row,  # row
        cells,
        _paragraphs(body.text, bounds),
    )


def _paragraphs(body: str, bounds: list[tuple[int, int, int]]) -> tuple[int, ...]:
    """The line (from the label's) each paragraph of ``body`` starts on."""
    if len(bounds) <= 1:  # no piece, or one: it starts the only paragraph
        return (bounds[0][0],) if bounds else ()
    return tuple(i for i, a, _ in bounds if a == 0 or body[a - 1] == "\n")


def _labelled_cells(
    table: Table, body: str, bounds: list[tuple[int, int, int]]
) -> tuple[Cell, ...]:
    """The cells of a labelled row (（1）… with a cell a line after it), by column."""
    if not bounds or bounds[0][0] != 0:
        return ()  # a label alone on its line: a group cell, not a row
    texts = [body[a:b] for _, a, b in bounds]
    return tuple(
        Cell(bounds[j][1], bounds[j][2], column) for j, column in labelled_row_cells(table, texts)
    )


def _row_cells(
    table: Table, body: MappedText, bounds: list[tuple[int, int, int]], rest: str, rest_at: int
) -> tuple[Cell, ...]:
    """The cells after a row's 序号, each with its column: on the 序号's line (``rest``, which
    starts at original offset ``rest_at``) when the row is one a line; else one a line after
    it, up to the last column. A line under a column of units that names none is the group
    cell of the next row, printed before its 序号."""
    columns = columns_after_serial(table)
    spans: list[tuple[int, int]] = []
    if bounds and bounds[0][0] == 0:  # cells on the line of the 序号
        a = bounds[0][1]
        shift = a + rest_at - body.origin(a)  # from an offset in ``rest`` into ``body``
        spans = [(x + shift, y + shift) if y > x else (0, 0) for x, y in cells_after(rest)]
    else:
        spans = [(a, b) for _, a, b in bounds]
    cells: list[Cell] = []
    for (a, b), column in zip(spans, columns, strict=False):
        if b <= a:
            continue  # an empty cell
        if is_owner_column(column) and not looks_like_units(body.text[a:b]):
            break
        cells.append(Cell(a, b, column))
    return tuple(cells)


def _join(
    text: str,
    lines: list[Line],
    first_label: Label | None,
    full_line: float,
    bounds: list[tuple[int, int, int]] | None = None,
    table: bool = False,
) -> MappedText:
    """Rebuild running text from lines: drop noise, join sentences broken across lines.

    ``bounds`` collects ``(line index, start, end)`` of each line's content in the result.
    In a table row (``table``) a line is a cell: only a break no cell can end on is joined.
    """
    if len(lines) == 1:  # a clause of one line (the most common): nothing to join
        return _one_line(text, lines[0], first_label, bounds)
    pieces: list[tuple[str, int]] = []
    previous = ""
    previous_width = 0.0
    length = 0
    depth = 0  # brackets and title marks opened and not yet closed in this paragraph
    kept = (Kind.TEXT, Kind.LABEL)  # built once, not once a line
    for i, line in enumerate(lines):
        if line.kind not in kept:
            continue
        start, end = line.start, line.end
        if i == 0 and first_label is not None:
            start = line.start + first_label.end
        while start < end and text[start] in EDGE_SPACE:
            start += 1
        while end > start and text[end - 1] in EDGE_SPACE:
            end -= 1
        if start == end:
            continue
        content = text[start:end]
        if previous:
            broken = previous_width >= full_line or (
                full_line == math.inf and not table and _paragraph_goes_on(previous, content)
            )
            joiner = _joiner(previous, content, broken=broken, inside=depth > 0)
            if joiner == "\n":
                depth = 0  # a new paragraph: brackets left open before it stay open
            if joiner:
                # A joiner stands for the line break it replaces.
                pieces.append((joiner, pieces[-1][1] + len(pieces[-1][0])))
                length += len(joiner)
        pieces.append((content, start))
        if bounds is not None:
            bounds.append((i, length, length + len(content)))
        length += len(content)
        previous = content
        depth += _bracket_depth(content)
        previous_width = line.width  # indentation and trailing spaces fill the line
    return MappedText.assemble(pieces)


def _one_line(
    text: str, line: Line, first_label: Label | None, bounds: list[tuple[int, int, int]] | None
) -> MappedText:
    """``_join`` of a single line."""
    if line.kind is not Kind.TEXT and line.kind is not Kind.LABEL:
        return EMPTY
    start, end = line.start, line.end
    if first_label is not None:
        start += first_label.end
    while start < end and text[start] in EDGE_SPACE:
        start += 1
    while end > start and text[end - 1] in EDGE_SPACE:
        end -= 1
    if start == end:
        return EMPTY
    if bounds is not None:
        bounds.append((0, 0, end - start))
    return MappedText(text[start:end], (0,), (start,))


_OPEN_END = frozenset("（(《“‘【「『〔、，,-－~～")  # no line is complete ending on these
_NUMBER_END = frozenset("0123456789.．０１２３４５６７８９")
_NUMBER_START = frozenset("0123456789.%．％０１２３４５６７８９")
_RANGE_MARK = frozenset("-－~～—–")  # 1⏎-2 家: a range goes on after the break
_PROSE = re.compile(r"[，,。；;]")
_CELL_KEY = re.compile(r"[^，,。；;：:]{1,10}[：:]")  # 责任单位：… opens a line of its own
_PARAGRAPH = 30  # characters: a shorter line is a heading, a title or a table cell


def _paragraph_goes_on(previous: str, following: str) -> bool:
    """In text with a paragraph a line, a page end still breaks a paragraph mid-sentence
    (``…等方面有所突`` / ``破。与市医保局…``): prose on both sides, the first half long and
    open. A heading, a title, a table cell or a ``责任单位：`` line is no such half.
    """
    return (
        previous[-1] not in SENTENCE_END
        and width(previous) >= _PARAGRAPH
        and bool(_PROSE.search(previous))
        and bool(_PROSE.search(following))
        and not _CELL_KEY.match(following)
        and following[0] not in "（(【〔[「"
        and "\t" not in previous + following  # a table row
        and not looks_like_units(following)  # an owner line: 区建设管理委，区房管局
    )


def _bracket_depth(text: str) -> int:
    opened = text.count("（") + text.count("(") + text.count("《")
    return opened - text.count("）") - text.count(")") - text.count("》")


def _joiner(previous: str, following: str, broken: bool, inside: bool = False) -> str:
    """What replaces a line break: nothing inside a broken sentence, else a newline.

    A PDF breaks a sentence where the line runs the full page width (``broken``); a short
    unterminated line is a heading or a title, complete in itself. A line that stops on an
    opening bracket, a comma or in the middle of a number is broken whatever its width.
    """
    last, first = previous[-1], following[0]
    if last in _OPEN_END or (last in _NUMBER_END and first in _NUMBER_START):
        return ""
    if last.isdigit() and first in _RANGE_MARK and following[1:2].isdigit():
        return ""
    if last in "：:" and _unclosed_bracket(previous):
        return ""  # （牵头单位： at a page end: the unit is on the next line
    if inside and last not in TERMINAL:
        return ""  # （PM⏎2.5⏎）, 《…的建议⏎》: no paragraph ends inside brackets
    if not broken or last in TERMINAL:
        return "\n"  # a closing bracket or quote at the full width is mid-sentence
    if last.isascii() and last.isalpha() and first.isascii() and first.isalpha():
        return " "
    return ""


def _unclosed_bracket(text: str) -> bool:
    return text.count("（") + text.count("(") > text.count("）") + text.count(")")


def _heading(
    body: MappedText, begin: int = 0, stop: int | None = None
) -> tuple[str, tuple[int, int] | None]:
    """The first sentence of the body (or of its cell ``[begin, stop)``), without trailing
    punctuation or inner spaces."""
    stop = len(body.text) if stop is None else stop
    if begin >= stop:
        return "", None  # a label alone on its line
    m = _HEADING_END.search(body.text, begin, stop)
    cut = m.start() if m else stop
    raw = body.text[begin:cut]
    lead = len(raw) - len(raw.lstrip(_HEADING_TRIM))
    stripped = raw.strip(_HEADING_TRIM)
    if not stripped:
        return "", None
    start = begin + lead
    return squeeze_spaces(stripped), body.span(start, start + len(stripped))
