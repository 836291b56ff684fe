"""Input: read a plan from a file, a .docx or standard input, and decode it.

Encodings are detected, not assumed: a BOM wins; then strict UTF-8; then UTF-16 without a BOM
(recognised by its NUL bytes); then GB18030, which covers GBK and GB2312.
"""

from __future__ import annotations

import io
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from planc.errors import PlancError

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
DOCX_UNPACK_RATIO = 4  # a .docx may unpack to this many times --max-bytes (zip bombs may not)
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)

_NOT_TEXT = (  # files that plans often arrive as, and that planc does not read
    (b"%PDF-", "is a PDF, not text (copy its text out first, e.g. with pdftotext)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "is an old Word .doc (save it as .docx)"),
    (b"{\\rtf", "is an RTF document (save it as .docx or .txt)"),
)


@dataclass(frozen=True, slots=True)
class Source:
    """A decoded plan: ``text`` is what every span's offsets index into."""

    name: str
    text: str
    encoding: str


def read_source(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Source:
    """Read and decode ``path`` (``-`` is standard input); raise ``PlancError`` on bad input."""
    data = _read_bytes(path, max_bytes)
    if data[:4] == b"PK\x03\x04":  # a zip: a .docx, whatever its name says
        if not _is_docx(data):
            raise PlancError("is a zip archive, not a .docx or a text file", path)
        return Source(path, docx_text(data, path, DOCX_UNPACK_RATIO * max_bytes), "docx")
    if path != "-" and path.lower().endswith(".docx"):
        raise PlancError("is not a .docx (no zip package inside)", path)
    for magic, what in _NOT_TEXT:
        if data.startswith(magic):
            raise PlancError(what, path)
    text, encoding = decode(data, path)
    if not text.strip():
        raise PlancError("has no text (empty or blank)", path)
    return Source(path, text, encoding)


def _read_bytes(path: str, max_bytes: int) -> bytes:
    if path == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
    else:
        p = Path(path)
        if not path:
            raise PlancError("an empty path names no file")
        try:
            if p.is_dir():
                raise PlancError("is a directory, not a plan file", path)
            if p.exists() and not p.is_file():  # a FIFO or a device would never end
                raise PlancError("is not a regular file", path)
            with p.open("rb") as handle:
                data = handle.read(max_bytes + 1)
        except FileNotFoundError:
            raise PlancError("no such file", path) from None
        except PermissionError:
            raise PlancError("permission denied", path) from None
        except OSError as exc:
            raise PlancError(f"cannot read: {exc.strerror or exc}", path) from None
    if len(data) > max_bytes:
        raise PlancError(f"larger than the {max_bytes:,}-byte limit (see --max-bytes)", path)
    if not data:
        raise PlancError("is empty", path)
    return data


def decode(data: bytes, name: str = "<input>") -> tuple[str, str]:
    """Decode plan bytes; return the text and the encoding that decoded it."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strict(data, encoding, name), encoding.replace("-sig", "")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return _check_text(text, name), "utf-8"
    utf16 = _utf16_without_bom(data)
    if utf16:
        return _strict(data, utf16, name), utf16
    return _strict(data, "gb18030", name), "gb18030"


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 shows in its line ends and its ASCII: one byte of each pair is NUL."""
    if len(data) % 2:
        return None
    even_nuls, odd_nuls = data[0::2].count(0), data[1::2].count(0)
    if odd_nuls > max(4 * even_nuls, len(data) // 200):
        return "utf-16-le"
    if even_nuls > max(4 * odd_nuls, len(data) // 200):
        return "utf-16-be"
    return None


def _strict(data: bytes, encoding: str, name: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        raise PlancError(
            "cannot be decoded as UTF-8, UTF-16 or GB18030 (binary, or an unknown encoding)",
            name,
        ) from None
    return _check_text(text.removeprefix("\ufeff"), name)


def _check_text(text: str, name: str) -> str:
    if "\x00" in text:
        raise PlancError("is a binary file, not plan text", name)
    controls = sum(1 for ch in text[:65536] if ch < " " and ch not in "\r\n\t\f\v")
    if controls * 50 > min(len(text), 65536):
        raise PlancError("is a binary file, not plan text", name)
    return text


def docx_text(data: bytes, name: str, max_unpacked: int | None = None) -> str:
    """Paragraphs and table cells of a .docx in document order, one paragraph a line."""
    limit = DOCX_UNPACK_RATIO * DEFAULT_MAX_BYTES if max_unpacked is None else max_unpacked
    unpacked = _unpacked_size(data)
    if unpacked > limit:
        raise PlancError(f"unpacks to {unpacked:,} bytes, over the {limit:,}-byte limit", name)
    try:
        import docx  # python-docx: imported only when a .docx is read
        from docx.document import Document as DocumentObject
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document: DocumentObject = docx.Document(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise PlancError("is not a readable .docx (a damaged zip package)", name) from None
    except (KeyError, ValueError, OSError) as exc:
        reason = str(exc).split(" at 0x")[0] if " at 0x" not in str(exc) else type(exc).__name__
        raise PlancError(f"is not a readable .docx ({reason})", name) from None
    except Exception as exc:  # python-docx raises assorted errors on damaged packages
        raise PlancError(f"is not a readable .docx ({type(exc).__name__})", name) from None
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(block.text)
        elif isinstance(block, Table):
            for row in block.rows:
                cells: list[str] = []
                for cell in row.cells:
                    if not cells or cell.text != cells[-1]:  # merged cells repeat their text
                        cells.append(cell.text.replace("\n", " "))
                lines.append("\t".join(cells))
    text = "\n".join(lines)
    if not text.strip():
        raise PlancError("has no text (empty .docx)", name)
    return text + "\n"


def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return True  # a damaged package: let python-docx say what is wrong with it


def _unpacked_size(data: bytes) -> int:
    """The total size a zip archive's members declare (reading stops there); 0 if no zip."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return 0  # python-docx says what is wrong with it
