"""Ruled tables of a PDF page: pdfplumber's table finder fed with PDFium's ruling lines.

pdfplumber finds tables well (edges snapped and joined, their crossings, the smallest cells,
cells grouped into tables) but gets its edges by parsing the whole page with pdfminer, a tenth
of a second or more a page. PDFium has already parsed the page: its path objects give the same
edges, so the finder runs on them alone. Paint a reader does not see (white boxes LibreOffice
puts behind paragraphs) is not a border.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

MAX_PATHS = 3000  # a page drawing more (a chart, a map) is not searched for tables
_AXIS = 0.5  # how far off horizontal or vertical a ruling line may lean


@dataclass(frozen=True, slots=True)
class _Page:
    """What ``TableFinder`` asks of a page when it finds tables by their lines."""

    edges: list[dict[str, Any]]
    bbox: tuple[float, float, float, float]


def find_tables(page: pdfium.PdfPage, width: float, height: float) -> list[Any]:
    """pdfplumber ``Table`` objects (``bbox``, ``rows`` of cell boxes) in top-down coordinates."""
    edges = ruling_edges(page, height)
    if len(edges) < 4:
        return []
    from pdfplumber.table import TableFinder  # only for pages with ruling lines

    finder = TableFinder(_Page(edges, (0.0, 0.0, width, height)))  # type: ignore[arg-type]
    return [t for t in finder.tables if t.rows and len(t.rows[0].cells) >= 2]


def ruling_edges(page: pdfium.PdfPage, height: float) -> list[dict[str, Any]]:
    """Every visible horizontal or vertical stretch of the page's paths, as pdfplumber edges."""
    raw = page.raw
    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
    matrix = pdfium_c.FS_MATRIX()
    x, y = ctypes.c_float(), ctypes.c_float()
    edges: list[dict[str, Any]] = []
    paths = 0
    for i in range(pdfium_c.FPDFPage_CountObjects(raw)):
        obj = pdfium_c.FPDFPage_GetObject(raw, i)
        if pdfium_c.FPDFPageObj_GetType(obj) != pdfium_c.FPDF_PAGEOBJ_PATH:
            continue
        paths += 1
        if paths > MAX_PATHS:
            return []
        if not pdfium_c.FPDFPath_GetDrawMode(obj, fill_mode, stroke) or not _seen(
            obj, bool(fill_mode.value), bool(stroke.value)
        ):
            continue
        if not pdfium_c.FPDFPageObj_GetMatrix(obj, matrix):
            continue
        points: list[tuple[float, float]] = []  # the current subpath
        for k in range(pdfium_c.FPDFPath_CountSegments(obj)):
            segment = pdfium_c.FPDFPath_GetPathSegment(obj, k)
            if not pdfium_c.FPDFPathSegment_GetPoint(segment, x, y):
                continue
            point = (
                matrix.a * x.value + matrix.c * y.value + matrix.e,
                height - (matrix.b * x.value + matrix.d * y.value + matrix.f),
            )
            kind = pdfium_c.FPDFPathSegment_GetType(segment)
            if kind == pdfium_c.FPDF_SEGMENT_MOVETO or not points:
                points = [point]
            else:
                _add_edge(edges, points[-1], point)
                points.append(point)
            if pdfium_c.FPDFPathSegment_GetClose(segment) and len(points) > 2:
                _add_edge(edges, points[-1], points[0])
    return edges


def _seen(obj: Any, filled: bool, stroked: bool) -> bool:
    """Whether the path leaves visible ink: a stroke or a fill that is not white or clear."""
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    has_stroke = stroked and pdfium_c.FPDFPageObj_GetStrokeColor(obj, r, g, b, a)
    if has_stroke and a.value and min(r.value, g.value, b.value) < 200:
        return True
    if filled and pdfium_c.FPDFPageObj_GetFillColor(obj, r, g, b, a):
        return bool(a.value and min(r.value, g.value, b.value) < 200)
    return False


def _add_edge(
    edges: list[dict[str, Any]], start: tuple[float, float], end: tuple[float, float]
) -> None:
    (x0, y0), (x1, y1) = start, end
    if abs(y1 - y0) <= _AXIS and abs(x1 - x0) > _AXIS:
        orientation, top, bottom = "h", (y0 + y1) / 2, (y0 + y1) / 2
    elif abs(x1 - x0) <= _AXIS and abs(y1 - y0) > _AXIS:
        orientation, top, bottom = "v", min(y0, y1), max(y0, y1)
        x0 = x1 = (x0 + x1) / 2
    else:
        return
    left, right = min(x0, x1), max(x0, x1)
    edges.append(
        {
            "object_type": "line",
            "orientation": orientation,
            "x0": left,
            "x1": right,
            "top": top,
            "bottom": bottom,
            "doctop": top,
            "width": right - left,
            "height": bottom - top,
        }
    )
