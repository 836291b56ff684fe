"""OFD (GB/T 33190): a zip of XML pages whose text objects carry positioned glyphs.

Each page's ``TextObject``/``TextCode`` gives a run of characters with an origin (``X``/``Y``
inside the object's ``Boundary``) and the advance of each (``DeltaX``, with the ``g N v``
shorthand for N equal advances). From these glyphs ``planc.read.layout`` rebuilds lines and
paragraphs exactly as for a PDF, drops page numbers, and keeps the 版记 (抄送/印发) where it
stands, at the end. ``DocInfo`` and its ``CustomDatas`` give metadata hints.

Safety: XML is parsed without entities, DTDs or network; only the parts named by the document
are read (never fonts, images or seals), each in chunks against a budget of decompressed bytes
(``EXPANSION`` times the input limit), so a zip bomb stops at the budget.
"""

from __future__ import annotations

import io
import posixpath
import re
import struct
import zipfile
import zlib

from lxml import etree

from planc.errors import PlancError
from planc.read.document import Document
from planc.read.layout import (
    MAX_PAGES,
    MAX_TOTAL_CHARS,
    Glyph,
    Page,
    assemble,
    clean_char,
    drop_running_heads,
    group_lines,
    layout_meta,
    watermark_only,
)

EXPANSION = 4  # decompressed XML may be this many times the input limit, as for a .docx
CHUNK = 1 << 16
NO_TEXT = "has no text layer (a scanned image?): it needs OCR before planc can read it"
_PARSER_OPTIONS = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": False,
    "remove_comments": True,
}
_PARSER = etree.XMLParser(**_PARSER_OPTIONS)
# Custom data names offices use for the fields of a 公文 (matched by what the name contains).
_CUSTOM_FIELDS = (
    ("doc_number", ("文号", "发文字号", "DocNumber", "docno")),
    ("issuer", ("发文机关", "发文单位", "Issuer", "issuer")),
    ("issued", ("成文日期", "发文日期", "印发日期")),
    ("title", ("标题", "文件标题", "Title")),
)


# What zipfile raises on a damaged archive: bad headers, a broken deflate stream, a name that
# is not UTF-8 (ValueError), a member encrypted or compressed in a way it cannot read.
_BROKEN_ZIP = (
    zipfile.BadZipFile,
    zlib.error,
    struct.error,
    OSError,
    ValueError,
    EOFError,
    RuntimeError,
    NotImplementedError,
)


class _Budget:
    """Decompressed bytes still allowed."""

    def __init__(self, limit: int) -> None:
        self.left = limit


def read(data: bytes, name: str, max_bytes: int) -> Document:
    """Read an OFD's pages into paragraphs; metadata from DocInfo and the red header."""
    if len(data) > max_bytes:
        raise PlancError(f"is larger than {max_bytes} bytes", name)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except _BROKEN_ZIP:
        raise PlancError("is not a readable OFD file (a damaged zip)", name) from None
    budget = _Budget(max(max_bytes, 1 << 20) * EXPANSION)
    with archive:
        root = _xml(archive, "OFD.xml", name, budget)
        body = _child(root, "DocBody")
        doc_root = _text(_child(body, "DocRoot")) if body is not None else ""
        if not doc_root:
            raise PlancError("is not an OFD document (OFD.xml names no DocRoot)", name)
        meta = _doc_info(_child(body, "DocInfo")) if body is not None else {}
        doc_path = _resolve("", doc_root)
        document = _xml(archive, doc_path, name, budget)
        pages = _pages(archive, document, doc_path, name, budget)
    if not pages or watermark_only(pages):
        raise PlancError(NO_TEXT, name)
    hints = layout_meta(pages)
    hints.update(meta)  # what the document says of itself outranks what its layout suggests
    drop_running_heads(pages)
    doc = assemble(pages, "ofd", hints)
    if not doc.text.strip():
        raise PlancError(NO_TEXT, name)
    return doc


def _local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _child(element: etree._Element | None, local: str) -> etree._Element | None:
    if element is None:
        return None
    for child in element:
        if _local(child.tag) == local:
            return child
    return None


def _text(element: etree._Element | None) -> str:
    return (element.text or "").strip() if element is not None else ""


def _resolve(base_dir: str, location: str) -> str:
    """A part name in the zip from a location that may be absolute (``/Doc_0/…``) or relative."""
    if location.startswith("/"):
        return posixpath.normpath(location.lstrip("/"))
    return posixpath.normpath(posixpath.join(base_dir, location))


def _xml(archive: zipfile.ZipFile, part: str, name: str, budget: _Budget) -> etree._Element:
    try:
        return etree.fromstring(_part(archive, part, name, budget), _PARSER)
    except etree.XMLSyntaxError:
        raise PlancError(
            f"is a damaged OFD: the part {part} is not well-formed XML", name
        ) from None


def _part(archive: zipfile.ZipFile, part: str, name: str, budget: _Budget) -> bytes:
    try:
        info = archive.getinfo(part)
    except KeyError:
        # Producers differ in the case of part names (OFD.xml, ofd.xml, Doc_0/content.xml).
        folded = {entry.filename.lower(): entry for entry in archive.infolist()}
        if part.lower() not in folded:
            raise PlancError(f"is a damaged OFD: the part {part} is missing", name) from None
        info = folded[part.lower()]
    if info.file_size > budget.left:
        raise PlancError("is an OFD whose parts expand beyond the size limit", name)
    chunks: list[bytes] = []
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(CHUNK):
                budget.left -= len(chunk)
                if budget.left < 0:
                    raise PlancError("is an OFD whose parts expand beyond the size limit", name)
                chunks.append(chunk)
    except _BROKEN_ZIP:
        raise PlancError(f"is a damaged OFD: the part {part} cannot be read", name) from None
    return b"".join(chunks)


def _doc_info(info: etree._Element | None) -> dict[str, str]:
    meta: dict[str, str] = {}
    if info is None:
        return meta
    title = _text(_child(info, "Title"))
    if title:
        meta["title"] = title
    customs = _child(info, "CustomDatas")
    for custom in customs if customs is not None else ():
        key, value = custom.get("Name") or "", (custom.text or "").strip()
        if not value:
            continue
        for field, names in _CUSTOM_FIELDS:
            if any(part in key for part in names):
                meta[field] = value
                break
    return meta


def _box(value: str | None) -> tuple[float, float, float, float] | None:
    numbers = _numbers(value)
    return (numbers[0], numbers[1], numbers[2], numbers[3]) if len(numbers) == 4 else None


def _numbers(value: str | None) -> list[float]:
    out: list[float] = []
    for token in (value or "").split():
        try:
            out.append(float(token))
        except ValueError:
            return []
    return out


def _pages(
    archive: zipfile.ZipFile, document: etree._Element, doc_path: str, name: str, budget: _Budget
) -> list[Page]:
    base = posixpath.dirname(doc_path)
    common = _child(document, "CommonData")
    area = _box(_text(_child(_child(common, "PageArea"), "PhysicalBox"))) or (0, 0, 210, 297)
    listed = _child(document, "Pages")
    entries = [
        page for page in (listed if listed is not None else ()) if _local(page.tag) == "Page"
    ]
    if len(entries) > MAX_PAGES:
        raise PlancError(f"has {len(entries)} pages; planc reads at most {MAX_PAGES}", name)
    pages: list[Page] = []
    left = MAX_TOTAL_CHARS
    for number, entry in enumerate(entries, start=1):
        part = _resolve(base, entry.get("BaseLoc") or "")
        own_area, glyphs = _page(_part(archive, part, name, budget), part, name, left)
        box = own_area or area
        page = Page(number=number, width=box[2], height=box[3])
        left -= len(glyphs)
        if left < 0:
            raise PlancError(f"has more than {MAX_TOTAL_CHARS:,} characters", name)
        page.lines = group_lines(glyphs, number)
        pages.append(page)
    return pages


def _page(
    xml: bytes, part: str, name: str, most: int
) -> tuple[tuple[float, float, float, float] | None, list[Glyph]]:
    """A page's own area and its glyphs, stopping once there are more than ``most``. Streamed:
    each text object is dropped once read, so a page of 200 MB of XML is never a tree."""
    area = None
    glyphs: list[Glyph] = []
    events = etree.iterparse(
        io.BytesIO(xml), events=("end",), tag=("{*}Area", "{*}TextObject"), **_PARSER_OPTIONS
    )
    try:
        for _, element in events:
            if _local(element.tag) == "Area":
                parent = element.getparent()
                if area is None and parent is not None and parent.getparent() is None:
                    area = _box(_text(_child(element, "PhysicalBox")))
                continue
            _object_glyphs(element, glyphs)
            element.clear()
            while element.getprevious() is not None:
                del element.getparent()[0]
            if len(glyphs) > most:
                break
    except etree.XMLSyntaxError:
        raise PlancError(
            f"is a damaged OFD: the part {part} is not well-formed XML", name
        ) from None
    return area, glyphs


def _object_glyphs(obj: etree._Element, glyphs: list[Glyph]) -> None:
    """Append the glyphs of one TextObject."""
    boundary = _box(obj.get("Boundary"))
    if boundary is None:
        return
    size = _float(obj.get("Size"), 3.5)
    ctm = _numbers(obj.get("CTM"))
    a, b, c, d, e, f = ctm if len(ctm) == 6 else (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    scale = abs(a * d - b * c) ** 0.5 or 1.0
    red = _is_red(_child(obj, "FillColor"))
    x = y = 0.0
    for code in obj:
        if _local(code.tag) != "TextCode":
            continue
        # Text and the tails of any children: an unexpanded entity reference adds nothing.
        text = (code.text or "") + "".join(child.tail or "" for child in code)
        x = _float(code.get("X"), x)
        y = _float(code.get("Y"), y)
        dx, dy = _deltas(code.get("DeltaX"), len(text)), _deltas(code.get("DeltaY"), len(text))
        for i, ch in enumerate(text):
            if i:
                x += dx[i - 1] if i - 1 < len(dx) else size
                y += dy[i - 1] if i - 1 < len(dy) else 0.0
            if ch.isspace() or ord(ch) < 32:
                continue
            advance = dx[i] if i < len(dx) else size * (0.5 if ch.isascii() else 1.0)
            px, py = a * x + c * y + e + boundary[0], b * x + d * y + f + boundary[1]
            width, height = advance * scale, size * scale
            glyphs.append(
                Glyph(
                    clean_char(ch),
                    px,
                    px + width,
                    py - 0.88 * height,
                    py + 0.12 * height,
                    height,
                    red,
                )
            )
        if text:
            x += dx[len(text) - 1] if len(text) - 1 < len(dx) else size


def _float(value: str | None, default: float) -> float:
    try:
        return float(value) if value is not None else default
    except ValueError:
        return default


def _deltas(value: str | None, limit: int) -> list[float]:
    """DeltaX/DeltaY with GB/T 33190's ``g N v`` (N advances of v) expanded, up to ``limit``
    advances (one a character: a crafted ``g 99999999 1`` expands no further)."""
    tokens = (value or "").split()
    out: list[float] = []
    i = 0
    while i < len(tokens) and len(out) < limit:
        if tokens[i] == "g" and i + 2 < len(tokens):
            count, step = int(_float(tokens[i + 1], 0)), _float(tokens[i + 2], 0.0)
            out.extend([step] * max(0, min(count, limit - len(out))))
            i += 3
            continue
        out.append(_float(tokens[i], 0.0))
        i += 1
    return out


_HEX = re.compile(r"#([0-9a-fA-F]{1,2})")


def _is_red(colour: etree._Element | None) -> bool:
    if colour is None:
        return False
    value = colour.get("Value") or ""
    parts = [int(h, 16) for h in _HEX.findall(value)] if "#" in value else _numbers(value)
    if len(parts) != 3:
        return False
    red, green, blue = parts
    return red > 150 and green < 110 and blue < 110
