"""Task tables (分工表, 任务清单) as they come out of Word, PDF and web pages as text.

Two shapes: one row a line with its cells parted by tabs or runs of spaces (what the readers
of .docx, PDF and HTML print), or one cell a line. A table announces itself by its column
headers, among them 序号; each row with its own 序号 is a clause (a bare number is a level-3
label), and its cells are handed to the extractors with the header of their column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SERIAL_HEADER = "序号"
# Cells of one row a line: a tab, or a run of two or more spaces, parts two cells.
_CELL_GAP = re.compile(r"[ \u3000\u00a0]*\t[ \t\u3000\u00a0]*|[ \u3000\u00a0]{2,}")
_EDGE = " \t\u3000\u00a0"
_SPACES = re.compile(r"[ \t\u3000\u00a0]+")
_SERIAL = re.compile(r"(\d{1,3})[.、．]?")
# A column header is a short name: no sentence punctuation, no label, no number alone.
_HEADER_PUNCT = re.compile(r"[，,。；;：:、！？!?]")
_MAX_HEADER = 16
# Columns whose cells name units, and the words a unit's name ends in (with a bracketed
# office after it: 市交通委（货运处）). A line under such a column that names no unit is a
# group cell of the next row, printed before its 序号.
_OWNER_COLUMN = re.compile(r"单位|部门|主体|责任|牵头|配合|负责")
_UNIT_END = re.compile(
    r"(?:局|委|办|厅|部|署|院|行|会|中心|政府|街道|街镇|镇|乡|集团|公司|专班|处|所|站|队|社|校|"
    r"部门|单位|机构|组|室|科|馆|台|区|市|县)(?:[（(][^（）()]*[）)])?$"
)
_UNIT_SEPARATORS = re.compile(r"[、，,；;/ ]+")
_TASK_COLUMNS = (re.compile(r"具体"), re.compile(r"任务|措施|内容|事项|项目"))


@dataclass(slots=True)
class Table:
    """The column headers of a table, and the 序号 its next row should print."""

    columns: tuple[str, ...]
    serial: int  # the index of the 序号 column; -1 when rows are labelled (（1）…) instead
    next_serial: int = 1

    def task_column(self) -> int | None:
        """The column that gives a row's heading: 具体措施/具体任务, else 任务/措施/内容."""
        for pattern in _TASK_COLUMNS:
            for index, name in enumerate(self.columns):
                if index != self.serial and pattern.search(name):
                    return index
        return None


def squeeze(text: str) -> str:
    return _SPACES.sub("", text)


def split_cells(content: str) -> list[tuple[int, int]]:
    """The ``(start, end)`` of each non-empty cell of a row printed on one line."""
    cells: list[tuple[int, int]] = []
    start = 0
    for gap in [*_CELL_GAP.finditer(content), None]:
        end = gap.start() if gap else len(content)
        a, b = start, end
        while a < b and content[a] in _EDGE:
            a += 1
        while b > a and content[b - 1] in _EDGE:
            b -= 1
        if a < b:
            cells.append((a, b))
        start = gap.end() if gap else len(content)
    return cells


def cells_after(rest: str) -> list[tuple[int, int]]:
    """The cells of a row after its 序号 cell (``rest`` starts where that cell ends).

    Parted by tabs, as the readers print table rows, an empty cell keeps its place (an empty
    span) so that the cells after it keep their columns; parted by spaces, none can be seen.
    """
    if "\t" not in rest:
        return split_cells(rest)
    cells: list[tuple[int, int]] = []
    position = 0
    for index, part in enumerate(rest.split("\t")):
        a, b = position, position + len(part)
        position = b + 1
        if index == 0:
            continue  # what is left of the 序号's own cell
        while a < b and rest[a] in _EDGE:
            a += 1
        while b > a and rest[b - 1] in _EDGE:
            b -= 1
        cells.append((a, b))
    return cells


def header_row(content: str) -> Table | None:
    """A row of column headers on one line (序号, 重点任务, 责任单位 …), else None."""
    if SERIAL_HEADER not in squeeze(content):
        return None
    names = tuple(squeeze(content[a:b]) for a, b in split_cells(content))
    if len(names) < 3 or SERIAL_HEADER not in names:
        return None
    if not all(_is_header(name) for name in names):
        return None
    return Table(names, names.index(SERIAL_HEADER))


def header_column(stripped: list[str], index: int) -> Table | None:
    """Column headers one a line around a line 序号 at ``index``, else None."""
    if squeeze(stripped[index]) != SERIAL_HEADER:
        return None
    before = _header_run(stripped, index, -1)
    after = _header_run(stripped, index, 1)
    if not before and not after:
        return None
    names = (*reversed(before), SERIAL_HEADER, *after)
    return Table(names, len(before))


# A column name wrapped in a narrow cell comes out in pieces, one a line: 牵头 / 部门.
_NAME_TAIL = re.compile(r"部门|单位|主体|分类|时限|时间|任务|措施|内容|方向")
_MIN_LABELLED_HEADERS = 4


def labelled_header(stripped: list[str], index: int) -> tuple[Table | None, int]:
    """Column headers one a line, with no 序号, starting at ``index``: a table whose rows are
    labelled clauses (（1）…). It names an owner column, so its cells are worth reading.
    Also the index where the run of header-like lines ends: no line before it starts one."""
    names, end = _header_run_to(stripped, index - 1, 1)
    merged: list[str] = []
    for name in names:
        if merged and len(merged[-1]) <= 2 and _NAME_TAIL.fullmatch(name):
            merged[-1] += name
        else:
            merged.append(name)
    if len(merged) < _MIN_LABELLED_HEADERS or not any(is_owner_column(n) for n in merged):
        return None, end
    return Table(tuple(merged), -1), end


def labelled_row_cells(table: Table, lines: list[str]) -> list[tuple[int, str]]:
    """The column of each cell of a labelled row: ``lines`` are its cells, the first on the
    label's line. Owner cells (lists of units) stand last, aligned to the owner columns from
    the right (more units than columns: the first column takes the rest, as 牵头 cells list
    two units); the other cells end where the owner columns begin."""
    owner_columns = [i for i, n in enumerate(table.columns) if is_owner_column(n)]
    if not owner_columns or len(lines) < 2:
        return []
    first_owner = owner_columns[0]
    owners = 0
    while owners < len(lines) - 1 and looks_like_units(lines[len(lines) - 1 - owners]):
        owners += 1
    middle = len(lines) - owners
    cells: list[tuple[int, str]] = []
    start_column = first_owner - middle
    if start_column < 0:
        return []
    for j in range(middle):
        cells.append((j, table.columns[start_column + j]))
    owner_cells = list(range(middle, len(lines)))
    count = len(owner_cells)
    if count <= len(owner_columns):
        tail = owner_columns[len(owner_columns) - count :]
    else:  # more units than columns: the first column takes the rest
        tail = [owner_columns[0]] * (count - len(owner_columns) + 1) + owner_columns[1:]
    for j, column in zip(owner_cells, tail, strict=True):
        cells.append((j, table.columns[column]))
    return cells


def _header_run(stripped: list[str], index: int, step: int) -> list[str]:
    return _header_run_to(stripped, index, step)[0]


def _header_run_to(stripped: list[str], index: int, step: int) -> tuple[list[str], int]:
    """The header-like lines from ``index + step`` on, and the index where they stop."""
    names: list[str] = []
    i = index + step
    while 0 <= i < len(stripped):
        text = squeeze(stripped[i])
        if text:
            if not _is_header(text) or text == SERIAL_HEADER:
                break
            names.append(text)
        i += step
    return names, i


def header_like(text: str) -> bool:
    """Whether a line (stripped, not blank) may open a run of column headers."""
    if text[0] in "（(":
        return False  # a label, never a header (the text opens on no space)
    name = squeeze(text)
    return _is_header(name) and name != SERIAL_HEADER


def _is_header(name: str) -> bool:
    return (
        0 < len(name) <= _MAX_HEADER
        and not _HEADER_PUNCT.search(name)
        and not _SERIAL.fullmatch(name)
        and not name.startswith(("（", "(", "一、"))
    )


def serial_cell(table: Table, content: str) -> tuple[int, int, int] | None:
    """The 序号 of a row: ``(start, end, number)`` of its cell in ``content``, else None.

    A 序号 may follow cells of its row (a group cell that spans rows is printed on the row
    where it starts), so it is looked for among the cells up to the 序号 column.
    """
    cells = split_cells(content)
    for a, b in cells[: table.serial + 1]:
        m = _SERIAL.fullmatch(content[a:b])
        if m:
            number = int(m.group(1))
            if number in (table.next_serial, 1) and number:
                return a, b, number
    return None


def looks_like_units(cell: str) -> bool:
    """Whether a cell is a list of units (区规划资源局、区建设管理委、各相关街镇)."""
    names = [n for n in _UNIT_SEPARATORS.split(cell.strip(" 。.")) if n]
    return bool(names) and all(_UNIT_END.search(name) for name in names)


def columns_after_serial(table: Table) -> tuple[str, ...]:
    """The columns of the cells that follow a row's 序号, in order."""
    return table.columns[table.serial + 1 :]


def is_owner_column(name: str) -> bool:
    return bool(_OWNER_COLUMN.search(name))
