"""Paged text from positioned glyphs: lines, then paragraphs, running heads dropped, pages joined.

PDF and OFD both give characters with positions and nothing about paragraphs; a printed plan
wraps every paragraph at the page width and cuts it again at each page break. This module
rebuilds what the author typed from geometry alone: glyphs on one baseline form a line; a line
opens a paragraph when it is indented, when the line before it stopped short of the right
margin, when extra space or another type size sets it apart, or when it begins with a clause
label after a finished sentence. Page numbers and running headers/footers are recognised by
their place in the margin band and by repeating across pages, and dropped before pages join.

Coordinates are top-down (``top`` grows towards the foot of the page) in any unit.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from planc.read.document import Block, Document, Format

# Caps of the paged formats (PDF, OFD): a glyph costs some 20 µs to read and lay out, and plans
# run to tens of pages, so a file is refused past these rather than read for minutes.
MAX_PAGES = 2000
MAX_PAGE_CHARS = 100_000  # on one page (a dense A4 page holds about 3,000)
MAX_TOTAL_CHARS = 1_000_000  # some 330 dense pages: 20 s at most


@dataclass(slots=True)
class Glyph:
    """One character as placed on the page."""

    ch: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    red: bool = False
    spaced: bool = False  # the producer marks a word space before this glyph


@dataclass(slots=True)
class Line:
    """Glyphs sharing a baseline, left to right."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    red: bool
    page: int
    # Space glyphs the line starts and ends with: typed (an en-space indent, 　　), so kept.
    lead: str = ""
    trail: str = ""


@dataclass(slots=True)
class Row:
    """A table row as read: its cells' text, where it sits, and whether it ends its table."""

    cells: list[str]
    top: float
    bottom: float
    page: int
    first_of_table: bool = False
    last_of_table: bool = False


@dataclass(slots=True)
class Page:
    """One page's lines (outside tables) and table rows."""

    number: int  # 1-based
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)


# A clause label at the start of a line (GB/T 9704 levels 一、（一）1.（1）①).
LABEL = re.compile(
    r"[一二三四五六七八九十百]+[、．.]|[（(][一二三四五六七八九十百]+[）)]|\d{1,3}[.．、](?![\d])"
    r"|[（(]\d{1,3}[）)]|[①-⑳]|第[一二三四五六七八九十百]+[章节条部分]"
)
SENTENCE_END = "。；;：:！!？?）)”"
# Page numbers as printed: — 3 —, - 3 -, 第3页, 第 3 页 共 10 页, 3/10, a bare 3.
PAGE_NUMBER = re.compile(
    r"[—–\-－一~～·•\s]*\d{1,4}[—–\-－一~～·•\s]*"
    r"|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4}"
    r"|(?:page|Page|PAGE)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?"
)
MARGIN_BAND = 0.14  # running heads sit in the top or bottom 14% of the page
_DIGITS = re.compile(r"\d+")
_BREAKS = frozenset("\t\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")  # what splits a line
_RADICALS = re.compile("[\u2e80-\u2eff\u2f00-\u2fdf]")  # Kangxi radicals some fonts map CJK to


def clean_char(ch: str) -> str:
    """The character a reader means: Kangxi radicals as the ideographs they stand for."""
    if _RADICALS.match(ch):
        return unicodedata.normalize("NFKC", ch)
    return ch


def group_lines(glyphs: Sequence[Glyph], page: int) -> list[Line]:
    """Glyphs into lines: same baseline band, read left to right; wide gaps become one space."""
    ordered = sorted(glyphs, key=lambda g: ((g.top + g.bottom) / 2, g.x0))
    clusters: list[list[Glyph]] = []
    band_top = band_bottom = 0.0
    for glyph in ordered:
        middle = (glyph.top + glyph.bottom) / 2
        if clusters and band_top <= middle <= band_bottom:
            clusters[-1].append(glyph)
            band_top = min(band_top, glyph.top + (glyph.bottom - glyph.top) * 0.25)
            band_bottom = max(band_bottom, glyph.bottom - (glyph.bottom - glyph.top) * 0.25)
            continue
        clusters.append([glyph])
        height = glyph.bottom - glyph.top
        band_top, band_bottom = glyph.top + height * 0.25, glyph.bottom - height * 0.25
    lines = [_line(cluster, page) for cluster in clusters]
    return [line for line in lines if line.text]


def _line(cluster: list[Glyph], page: int) -> Line:
    cluster.sort(key=lambda g: g.x0)
    inked = [g for g in cluster if not g.ch.isspace()] or cluster
    size = sorted(g.size for g in inked)[len(inked) // 2]
    parts: list[str] = []
    last_x1: float | None = None
    for glyph in cluster:
        gap = glyph.x0 - last_x1 if last_x1 is not None else 0.0
        # Word sets a quarter-em between Latin and Han without a space character (autospace).
        mixed = parts and parts[-1][-1:].isascii() != glyph.ch.isascii()
        wide = gap > 0.6 * size or (glyph.spaced and not mixed and gap > 0.15 * size)
        if wide and parts and not parts[-1].isspace():
            parts.append(" ")
        # A space is kept as typed (en spaces, 　); one that would break the line is a space.
        parts.append(" " if glyph.ch in _BREAKS else glyph.ch)
        last_x1 = glyph.x1 if last_x1 is None else max(last_x1, glyph.x1)
    raw = "".join(parts)
    body = raw.lstrip()
    text = body.rstrip()
    reds = sum(g.red for g in inked)
    return Line(
        text=text,
        x0=inked[0].x0,
        x1=max(g.x1 for g in inked),
        top=min(g.top for g in inked),
        bottom=max(g.bottom for g in inked),
        size=size,
        red=reds * 2 > len(inked),
        page=page,
        lead=raw[: len(raw) - len(body)],
        trail=body[len(text) :],
    )


def _shape(text: str) -> str:
    """A line with its numbers blanked, so a running head with a page number repeats."""
    return _DIGITS.sub("#", text.replace(" ", ""))


def drop_running_heads(pages: Sequence[Page]) -> None:
    """Remove page numbers, and lines repeated in the margin band of several pages and set
    apart from the body, in place (before pages join, so a sentence runs on over the break)."""
    pitch = measure(pages).pitch
    bands = [_band_lines(page) for page in pages]
    counts: Counter[str] = Counter()
    for band in bands:
        counts.update({_shape(line.text) for line in band})
    needed = max(2, (len(pages) + 1) // 3)  # on a third of the pages (and at least two)
    for page, band in zip(pages, bands, strict=True):
        apart = {id(line) for line in _set_apart(page, band, pitch)}
        drop = {
            id(line)
            for line in band
            if PAGE_NUMBER.fullmatch(line.text)
            or (counts[_shape(line.text)] >= needed and id(line) in apart)
        }
        page.lines = [line for line in page.lines if id(line) not in drop]


def _set_apart(page: Page, band: list[Line], pitch: float) -> list[Line]:
    """The band lines a wider gap than the line pitch parts from the body (a running head is
    set in the margin; a body line that happens to open a page is not)."""
    lines = page.lines
    inside = {id(line) for line in band}
    out: list[Line] = []
    for i, line in enumerate(lines):
        if id(line) not in inside:
            continue
        below = lines[i + 1] if i + 1 < len(lines) else None
        above = lines[i - 1] if i else None
        head = line.bottom <= page.height / 2
        neighbour = below if head else above
        if (
            neighbour is None
            or id(neighbour) in inside
            or abs(neighbour.top - line.top) > 1.3 * pitch
        ):
            out.append(line)
    return out


def _placed(line: Line) -> tuple[str, int, int]:
    return _shape(line.text), round(line.top / 20), round(line.x0 / 20)


def _band_lines(page: Page) -> list[Line]:
    """The lines at the head and foot of a page (at most three each) inside the margin band."""
    if not page.lines:
        return []
    head = [line for line in page.lines[:3] if line.bottom <= page.height * MARGIN_BAND]
    foot = [line for line in page.lines[-3:] if line.top >= page.height * (1 - MARGIN_BAND)]
    # Nothing of the body may sit between a running head and the page edge.
    if page.rows:
        first_row, last_row = page.rows[0].top, page.rows[-1].bottom
        head = [line for line in head if line.bottom <= first_row]
        foot = [line for line in foot if line.top >= last_row]
    return head + foot


def watermark_only(pages: Sequence[Page]) -> bool:
    """True when the text layer holds nothing but a line repeated on every page (a scan's mark)."""
    # A mark is the same text at the same place on every page.
    texts = [[_placed(line) for line in page.lines] for page in pages]
    everywhere = set.intersection(*(set(t) for t in texts)) if len(texts) > 1 else set()
    rest = sum(len(t[0]) for lines in texts for t in lines if t not in everywhere)
    rest += sum(len("".join(row.cells)) for page in pages for row in page.rows)
    return rest < 20


@dataclass(slots=True)
class Metrics:
    """The body's measure: left and right margins, character width, line pitch."""

    left: float
    right: float
    char: float
    pitch: float


def measure(pages: Sequence[Page]) -> Metrics:
    lines = [line for page in pages for line in page.lines]
    if not lines:
        return Metrics(0.0, 1.0, 1.0, 1.0)
    sizes: Counter[float] = Counter()
    for line in lines:
        sizes[round(line.size, 1)] += len(line.text)
    char = sizes.most_common(1)[0][0] or 1.0
    needed = max(2, len(lines) // 10)
    left = _common_edge(sorted(line.x0 for line in lines), char, needed, lowest=True)
    right = _common_edge(sorted(line.x1 for line in lines), char, needed, lowest=False)
    steps: Counter[float] = Counter()
    for page in pages:
        for above, below in zip(page.lines, page.lines[1:], strict=False):
            step = below.top - above.top
            if 0.8 * char < step < 3.5 * char and abs(below.size - char) < 0.15 * char:
                steps[round(step * 2) / 2] += 1
    pitch = steps.most_common(1)[0][0] if steps else 1.5 * char
    return Metrics(left=left, right=right, char=char, pitch=pitch)


def _common_edge(values: list[float], char: float, needed: int, lowest: bool) -> float:
    """The outermost x that at least ``needed`` lines share (within a character)."""
    order = values if lowest else values[::-1]
    for value in order:
        low, high = (value, value + char) if lowest else (value - char, value)
        count = bisect_left(values, high + 1e-9) - bisect_left(values, low - 1e-9)
        if count >= needed:
            return value
    return order[0]


def _starts_label(text: str) -> bool:
    return LABEL.match(text) is not None


def opens_paragraph(prev: Line, cur: Line, m: Metrics, same_page: bool) -> bool:
    """Whether ``cur`` begins a new paragraph rather than continuing ``prev``."""
    char = m.char
    if abs(cur.size - prev.size) > 0.15 * max(cur.size, prev.size):
        return True
    if prev.red != cur.red:
        return True
    if same_page and cur.top - prev.top > m.pitch * 1.3 + 0.1 * char:
        return True
    if prev.x0 > m.left + 4.5 * char and not _centred(prev, m):
        return True  # a right-set line (signature, date) stands alone
    ends_sentence = prev.text[-1:] in SENTENCE_END
    short = m.right - prev.x1 > (1.2 if ends_sentence else 2.5) * char
    if short:
        return True
    indent = cur.x0 - m.left
    if 0.8 * char <= indent <= 4.5 * char:
        return not _hanging(prev, indent, m)
    if indent > 4.5 * char and not _centred(cur, m):
        return True
    return ends_sentence and _starts_label(cur.text)


def _hanging(prev: Line, indent: float, m: Metrics) -> bool:
    """A line set under the text after a lead-in (``附件：…`` wrapped to align after the colon)."""
    if prev.x0 - m.left > 0.3 * m.char:
        return False
    colon = next((i for i, ch in enumerate(prev.text[:8]) if ch in "：:"), None)
    return colon is not None and abs((colon + 1) * m.char - indent) <= 0.6 * m.char


def _centred(line: Line, m: Metrics) -> bool:
    return abs((line.x0 - m.left) - (m.right - line.x1)) <= 2 * m.char


def join_wrapped(prev: str, cur: str, trail: str = "") -> str:
    """Wrapped lines joined: Han text runs on; spaces the line ended with stay (a Latin word
    wrapped at its space keeps it, and so do spaces the author typed)."""
    return prev + trail + cur


@dataclass(slots=True)
class _Para:
    text: str
    page: int
    cells: list[str] | None = None  # a table row
    # offsets within ``text`` where a later page's lines begin: (page, offset)
    page_marks: list[tuple[int, int]] = field(default_factory=list)


def _row_continues(prev: Row, cur: Row) -> bool:
    """A table row cut by a page break: its continuation leaves the leading cells empty."""
    filled = sum(bool(cell) for cell in cur.cells)
    return not cur.cells[0] and filled * 2 < len(cur.cells)


def assemble(pages: Sequence[Page], fmt: Format, meta: dict[str, str]) -> Document:
    """Paragraphs and rows of all pages, in reading order, as one ``Document``."""
    m = measure(pages)
    paras: list[_Para] = []
    prev_line: Line | None = None
    prev_row: Row | None = None
    head: list[str] | None = None  # the first row of the table being read
    after_head = False  # a repeated header was just passed over
    for page in pages:
        items: list[Line | Row] = sorted(
            [*page.lines, *page.rows],
            key=lambda item: (item.top, item.x0 if isinstance(item, Line) else 0),
        )
        for item in items:
            last = paras[-1] if paras else None
            if isinstance(item, Row):
                carried = (  # the table of the page before goes on here
                    last is not None
                    and last.cells is not None
                    and prev_row is not None
                    and item.page != prev_row.page
                    and prev_row.last_of_table
                    and len(item.cells) == len(prev_row.cells)
                )
                if carried and item.first_of_table and item.cells == head:
                    # Word's 重复标题行: the header printed again atop the page, read once.
                    after_head = True
                    continue
                if carried and last is not None and last.cells is not None and prev_row is not None:
                    if (item.first_of_table or after_head) and _row_continues(prev_row, item):
                        last.cells = [
                            join_wrapped(a, b) if b else a
                            for a, b in zip(last.cells, item.cells, strict=True)
                        ]
                        prev_row, after_head = item, False
                        continue
                elif item.first_of_table:
                    head = item.cells
                after_head = False
                paras.append(_Para(text="", page=item.page, cells=list(item.cells)))
                prev_row, prev_line = item, None
                continue
            if (
                last is not None
                and last.cells is None
                and prev_line is not None
                and not opens_paragraph(prev_line, item, m, same_page=item.page == prev_line.page)
            ):
                if item.page != last.page and all(p != item.page for p, _ in last.page_marks):
                    last.page_marks.append((item.page, len(last.text)))
                last.text = join_wrapped(last.text, item.lead + item.text, prev_line.trail)
            else:
                paras.append(_Para(text=item.lead + item.text, page=item.page))
            prev_line, prev_row = item, None
    return _document(paras, len(pages), fmt, meta)


def _document(paras: list[_Para], page_count: int, fmt: Format, meta: dict[str, str]) -> Document:
    parts: list[str] = []
    blocks: list[Block] = []
    page_offsets: dict[int, int] = {}
    offset = 0
    for para in paras:
        page_offsets.setdefault(para.page, offset)
        if para.cells is not None:
            cells: list[tuple[int, int]] = []
            pos = offset
            for index, cell in enumerate(para.cells):
                if index:
                    pos += 1  # the tab between cells
                cells.append((pos, pos + len(cell)))
                pos += len(cell)
            line = "\t".join(para.cells)
            blocks.append(Block("row", offset, offset + len(line), tuple(cells), para.page))
        else:
            line = para.text
            for page, within in para.page_marks:
                page_offsets.setdefault(page, offset + within)
            blocks.append(Block("paragraph", offset, offset + len(line), (), para.page))
        parts.append(line)
        offset += len(line) + 1
    text = "\n".join(parts) + ("\n" if parts else "")
    starts: list[int] = []
    for number in range(1, page_count + 1):
        start = page_offsets.get(number, starts[-1] if starts else 0)
        starts.append(max(start, starts[-1]) if starts else 0)
    return Document(
        text=text,
        format=fmt,
        encoding="utf-8",
        blocks=tuple(blocks),
        meta=meta,
        page_starts=tuple(starts),
    )


# --- metadata the layout shows: the red header, the document number, the signature date ------

DOC_NUMBER = re.compile(
    r"[\u4e00-\u9fff]{1,16}\s*[〔\[［(（【]\s*\d{4}\s*[〕\]］)）】]\s*\d{1,5}\s*号"
)
DATE_LINE = re.compile(
    r"(?:\d{4}|[〇○零一二三四五六七八九]{4})\s*年\s*[\d一二三四五六七八九十]{1,3}\s*月"
    r"\s*[\d一二三四五六七八九十]{1,3}\s*日"
)


def layout_meta(pages: Sequence[Page]) -> dict[str, str]:
    """What the layout says, GB/T 9704's 版头 read by type: the issuer in red large type
    (``…文件`` less 文件), the 文号 under it, the title in the large type that follows them, and
    the signature date set off to the right. Only a page that opens with the red issuer or the
    文号 is read for a title: without a 版头, large type may be an issuer's name as well."""
    meta: dict[str, str] = {}
    if not pages:
        return meta
    m = measure(pages)
    first = pages[0].lines[:12]
    head_end = -1  # the last line of the 版头 block (red issuer, 文号)
    red = [i for i, line in enumerate(first[:6]) if line.red and line.size >= m.char * 1.2]
    if len(red) == 1:  # joint issuers (联合行文) stack several red names: the text says better
        issuer = re.sub(r"\s*文\s*件\s*$", "", first[red[0]].text).strip()
        if issuer:
            meta["issuer"] = issuer
            head_end = red[-1]
    for i, line in enumerate(first):
        found = DOC_NUMBER.fullmatch(line.text.replace(" ", ""))
        if found:
            meta["doc_number"] = found.group(0)
            head_end = max(head_end, i)
            break
    if head_end >= 0:
        run: list[Line] = []
        for line in first[head_end + 1 :]:
            if line.red or line.size < m.char * 1.15:
                if run:
                    break
                continue
            if run and abs(line.size - run[0].size) > 0.05 * run[0].size:
                break
            run.append(line)
        if run:
            meta["title"] = "".join(line.text for line in run).replace(" ", "")
    for page in pages:
        for line in page.lines:
            if DATE_LINE.fullmatch(line.text.replace(" ", "")) and line.x0 > m.left + 4 * m.char:
                meta["issued"] = line.text.replace(" ", "")
                return meta
    return meta
