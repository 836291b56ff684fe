"""PDF: characters with their positions (pypdfium2), tables, paragraphs from layout.

pypdfium2 (PDFium, BSD/Apache) gives every character's box, size, angle and colour fast, a
hundred pages a second or more here, and the page's ruling lines, which pdfplumber's (MIT) table
finder turns into tables (``planc.read.pdf_tables``). pdfplumber also reads again the rare text
objects PDFium's text page leaves out. Paragraphs, running heads and page joins are
``planc.read.layout``'s work, shared with OFD.

Limits: a PDF of more than ``MAX_PAGES`` pages, a page of more than ``MAX_PAGE_CHARS`` characters
or more than ``MAX_TOTAL_CHARS`` in all is refused, which bounds the time a file can take
(some 20 s at the very most, a second for a long plan). Text set at a slant (a
watermark) is not read. Tables are looked for on at most ``MAX_TABLE_PAGES`` pages (later
pages keep their cells' text as lines); a page drawing more than ``pdf_tables.MAX_PATHS``
paths (a chart, a map) is not searched for them.
"""

from __future__ import annotations

import ctypes
import io
import math
from collections import Counter
from collections.abc import Callable
from typing import Any, TypeVar

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from planc.errors import PlancError
from planc.read.document import Document
from planc.read.layout import (
    MAX_PAGE_CHARS,
    MAX_PAGES,
    MAX_TOTAL_CHARS,
    Glyph,
    Page,
    Row,
    assemble,
    clean_char,
    drop_running_heads,
    group_lines,
    join_wrapped,
    layout_meta,
    watermark_only,
)
from planc.read.pdf_tables import find_tables

MAX_TABLE_PAGES = 500
Box = tuple[float, float, float, float]  # x0, top, x1, bottom
NO_UNICODE = "has text its fonts map to no characters (no ToUnicode): it needs OCR"
NO_TEXT = "has no text layer (a scanned image?): it needs OCR before planc can read it"


def read(data: bytes, name: str, max_bytes: int) -> Document:
    """Read a PDF's text layer into paragraphs and table rows; refuse scans and locked files."""
    if len(data) > max_bytes:
        raise PlancError(f"is larger than {max_bytes} bytes", name)
    if b"%PDF-" not in data[:1024]:  # PDF readers allow some junk before the header
        raise PlancError("is not a PDF file", name)
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if "password" in str(error).lower():
            raise PlancError(
                "is an encrypted PDF (it needs a password); planc cannot read it", name
            ) from None
        raise PlancError("is a PDF, but damaged: it cannot be opened", name) from None
    try:
        count = len(pdf)
        if count == 0:
            raise PlancError("is a PDF, but damaged: it has no pages", name)
        if count > MAX_PAGES:
            raise PlancError(f"has {count} pages; planc reads at most {MAX_PAGES}", name)
        pages = _pages(pdf, data, count, name)
    finally:
        pdf.close()
    if watermark_only(pages):
        raise PlancError(NO_TEXT, name)
    if _unmapped(pages):
        raise PlancError(NO_UNICODE, name)
    meta = layout_meta(pages)
    drop_running_heads(pages)
    doc = assemble(pages, "pdf", meta)
    if not doc.text.strip():
        raise PlancError(NO_TEXT, name)
    return doc


def _unmapped(pages: list[Page]) -> bool:
    """True when most characters are ones a font maps to no text (private-use codes, U+FFFD):
    fonts embedded without a ToUnicode map print well and read as nonsense."""
    text = "".join(line.text for page in pages for line in page.lines)
    text += "".join(cell for page in pages for row in page.rows for cell in row.cells)
    inked = [ch for ch in text if not ch.isspace()]
    odd = sum(1 for ch in inked if ch == "\ufffd" or "\ue000" <= ch <= "\uf8ff")
    return odd * 2 > len(inked)


def _pages(pdf: pdfium.PdfDocument, data: bytes, count: int, name: str) -> list[Page]:
    pages: list[Page] = []
    plumber: Any = None
    total = 0
    asked = False  # pdfplumber opened (or found unable to parse the file) once, not a page
    table_pages = 0
    try:
        for index in range(count):
            try:
                page = pdf[index]
            except pdfium.PdfiumError:
                raise PlancError(
                    f"is a PDF, but damaged: page {index + 1} cannot be read", name
                ) from None
            width, height = page.get_size()
            if page.get_rotation() in (90, 270):  # the size as shown; text is in page space
                width, height = height, width
            found, skipped = _glyphs(page, height, index == 0, name)
            total += len(found)
            if total > MAX_TOTAL_CHARS:  # bounds the work: some 20 s at most
                raise PlancError(f"has more than {MAX_TOTAL_CHARS:,} characters", name)
            tables: list[Any] = []
            if table_pages < MAX_TABLE_PAGES:
                tables = _guarded([], find_tables, page, width, height)
            page.close()
            if skipped and not asked:
                asked, plumber = True, _plumber(data)
            if skipped and plumber is not None:
                kept = [g for g, _ in found]
                found += _guarded([], _recover, plumber, index, skipped, kept)
            turn, glyphs = _upright(found, (width, height))
            if turn % 2:
                width, height = height, width
            result = Page(number=index + 1, width=width, height=height)
            if tables and glyphs and turn == 0:
                table_pages += 1
                glyphs = _tables(tables, glyphs, result)
            result.lines = group_lines(glyphs, index + 1)
            pages.append(result)
    finally:
        if plumber is not None:
            _guarded(None, plumber.close)
    return pages


T = TypeVar("T")


def _plumber(data: bytes) -> Any:
    """pdfplumber on the same bytes, or None when pdfminer cannot parse what PDFium could."""
    import pdfplumber  # slow: only for pages that need it

    opened: Any = None
    return _guarded(opened, pdfplumber.open, io.BytesIO(data))


def _guarded(fallback: T, work: Callable[..., T], *args: Any) -> T:
    """pdfminer raises whatever a damaged file provokes in it (``KeyError``, ``TypeError``,
    its own syntax errors); pdfplumber's help is optional, so a failure means doing without."""
    try:
        return work(*args)
    except Exception:
        return fallback


def _glyphs(
    page: pdfium.PdfPage, height: float, with_colour: bool, name: str
) -> tuple[list[tuple[Glyph, float]], list[Box]]:
    """The page's characters with the angle each is set at (PDFium's, clockwise), and the
    boxes of text objects PDFium gave no characters for; top-down page coordinates."""
    textpage = page.get_textpage()
    raw = textpage.raw
    rect = pdfium_c.FS_RECTF()
    red, green, blue, alpha = (ctypes.c_uint() for _ in range(4))
    found: list[tuple[Glyph, float]] = []
    seen: set[int | None] = set()  # the text objects the text page took characters from
    spaced = False  # PDFium put a word space here (it sees the gap and the font's space width)
    current: int | None = None
    size, angle, is_red = 0.0, 0.0, False
    try:
        count = pdfium_c.FPDFText_CountChars(raw)
        if count > MAX_PAGE_CHARS:
            raise PlancError(f"has a page of more than {MAX_PAGE_CHARS:,} characters", name)
        for i in range(count):
            code = pdfium_c.FPDFText_GetUnicode(raw, i)
            # PDFium generates the spaces and line ends it infers; a real space is kept.
            if (code < 32 or code in (0xFFFE, 0xFFFF)) or (
                code == 32 and pdfium_c.FPDFText_IsGenerated(raw, i) == 1
            ):
                spaced = spaced or code == 32
                continue
            if not pdfium_c.FPDFText_GetLooseCharBox(raw, i, rect):
                continue
            ch = clean_char(chr(code)) if code < 0x110000 else "\ufffd"
            # Size, angle and colour belong to the text object: asked once a run, not a glyph.
            obj = ctypes.cast(pdfium_c.FPDFText_GetTextObject(raw, i), ctypes.c_void_p).value
            if obj != current or obj is None:
                current = obj
                seen.add(obj)
                size = pdfium_c.FPDFText_GetFontSize(raw, i)
                angle = pdfium_c.FPDFText_GetCharAngle(raw, i)
                is_red = False
                if with_colour and pdfium_c.FPDFText_GetFillColor(raw, i, red, green, blue, alpha):
                    is_red = red.value > 150 and green.value < 110 and blue.value < 110
            glyph = Glyph(
                ch,
                rect.left,
                rect.right,
                height - rect.top,
                height - rect.bottom,
                size,
                is_red,
                spaced,
            )
            found.append((glyph, angle))
            spaced = False
        skipped = _skipped(page, seen, height)
    finally:
        textpage.close()
    return found, skipped


def _upright(
    found: list[tuple[Glyph, float]], size: tuple[float, float]
) -> tuple[int, list[Glyph]]:
    """Keep the glyphs set at the body's angle (a slanted watermark is not the body), turn
    their boxes so that lines run left to right and down the page, and say by how many
    quarter turns (0 on nearly every page, 1 or 3 for a table page set on its side)."""
    quarter = math.pi / 2
    turns = Counter(round(angle / quarter) % 4 for _, angle in found if angle >= 0)
    turn = turns.most_common(1)[0][0] if turns else 0
    width, height = size
    glyphs: list[Glyph] = []
    for glyph, angle in found:
        off = abs(angle - turn * quarter) % (2 * math.pi)
        if angle < 0 or min(off, 2 * math.pi - off) > 0.05:
            continue
        left, right, top, bottom = glyph.x0, glyph.x1, glyph.top, glyph.bottom
        if turn == 3:  # text running up the page (PDFium measures angles clockwise)
            box = (height - bottom, height - top, left, right)
        elif turn == 2:
            box = (width - right, width - left, height - bottom, height - top)
        elif turn == 1:  # running down the page
            box = (top, bottom, width - right, width - left)
        else:
            box = (left, right, top, bottom)
        glyph.x0, glyph.x1, glyph.top, glyph.bottom = box
        glyphs.append(glyph)
    return turn, glyphs


def _skipped(page: pdfium.PdfPage, seen: set[int | None], height: float) -> list[Box]:
    """The boxes of text objects PDFium's text page leaves out.

    PDFium drops a text object that repeats the one before it (its guard against fake bold)
    and a line holding a lone stop; a task table repeating 市卫健委 down a column would lose
    rows. pdfplumber reads those boxes again (see ``_recover``).
    """
    boxes: list[Box] = []
    left, bottom, right, top, size = (ctypes.c_float() for _ in range(5))
    for i in range(pdfium_c.FPDFPage_CountObjects(page.raw)):
        obj = pdfium_c.FPDFPage_GetObject(page.raw, i)
        if pdfium_c.FPDFPageObj_GetType(obj) != pdfium_c.FPDF_PAGEOBJ_TEXT:
            continue
        # Objects PDFium gives no extent to are spaces (Word and LibreOffice write many).
        if not pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
            continue
        if max(right.value - left.value, top.value - bottom.value) <= 0.5:
            continue
        if ctypes.cast(obj, ctypes.c_void_p).value in seen:
            continue
        em = (size.value if pdfium_c.FPDFTextObj_GetFontSize(obj, size) else 0.0) or 10.0
        # A skipped object's box may be flat (its baseline, from first to last glyph origin):
        # widen it by a type size, less below than above the baseline.
        boxes.append(
            (
                left.value - em / 2,
                height - top.value - 1.2 * em,
                right.value + em,
                height - bottom.value + 0.5 * em,
            )
        )
    return boxes


def _recover(plumbed: Any, boxes: list[Box], glyphs: list[Glyph]) -> list[tuple[Glyph, float]]:
    """pdfplumber's characters inside ``boxes`` that no glyph already stands for."""
    taken: dict[str, list[tuple[float, float, float]]] = {}
    for g in glyphs:
        taken.setdefault(g.ch, []).append(((g.x0 + g.x1) / 2, (g.top + g.bottom) / 2, g.size))
    out: list[tuple[Glyph, float]] = []
    for char in plumbed.chars:
        cx, cy = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
        if not any(
            x0 - 1 <= cx <= x1 + 1 and top - 1 <= cy <= bottom + 1 for x0, top, x1, bottom in boxes
        ):
            continue
        text = clean_char(char["text"][:1] or " ")
        if text.isspace() or any(
            abs(x - cx) < size / 2 and abs(y - cy) < size / 2 for x, y, size in taken.get(text, ())
        ):
            continue  # a glyph PDFium has (fake bold draws a run twice, a hair apart)
        size = float(char.get("size") or (char["bottom"] - char["top"]))
        a, b = (char.get("matrix") or (1, 0))[:2]
        angle = -math.atan2(b, a) % (2 * math.pi)  # clockwise, as PDFium gives it
        out.append((Glyph(text, char["x0"], char["x1"], char["top"], char["bottom"], size), angle))
    return out


def _tables(tables: list[Any], glyphs: list[Glyph], page: Page) -> list[Glyph]:
    """Read the page's ruled tables into rows of cells; return the glyphs outside them."""
    outside: list[Glyph] = []
    inside: list[list[Glyph]] = [[] for _ in tables]
    for glyph in glyphs:
        cx, cy = (glyph.x0 + glyph.x1) / 2, (glyph.top + glyph.bottom) / 2
        for k, table in enumerate(tables):
            x0, top, x1, bottom = table.bbox
            if x0 <= cx <= x1 and top <= cy <= bottom:
                inside[k].append(glyph)
                break
        else:
            outside.append(glyph)
    read: list[Row] = []  # the page takes them only once every table is read
    for table, members in zip(tables, inside, strict=True):
        rows: list[Row] = []
        for row in table.rows:
            cells = [_cell_text(members, bbox, page.number) if bbox else "" for bbox in row.cells]
            if any(cells):
                x0, top, x1, bottom = row.bbox
                rows.append(Row(cells=cells, top=top, bottom=bottom, page=page.number))
        if rows:
            rows[0].first_of_table = True
            rows[-1].last_of_table = True
            read.extend(rows)
    page.rows = sorted(read, key=lambda row: row.top)
    return outside


def _cell_text(glyphs: list[Glyph], bbox: tuple[float, float, float, float], page: int) -> str:
    x0, top, x1, bottom = bbox
    members = [
        g
        for g in glyphs
        if x0 <= (g.x0 + g.x1) / 2 <= x1 and top <= (g.top + g.bottom) / 2 <= bottom
    ]
    text, trail = "", ""
    for line in group_lines(members, page):
        text = join_wrapped(text, line.text, trail) if text else line.text
        trail = line.trail
    return text.replace("\t", " ")
