"""planc readers: one module per input format, each returning a ``Document``.

The format is known by content (magic bytes, then a sniff for HTML), never by the file's name:
a .docx saved as plan.txt is still read as a .docx. Each reader module exposes
``read(data, name, max_bytes) -> Document`` and raises ``PlancError`` on bad input.
"""

from __future__ import annotations

import importlib
import os
import re
import stat
import sys
import zipfile
from io import BytesIO
from pathlib import Path

from planc.errors import PlancError
from planc.read.document import Block, Document, Format

__all__ = ["DEFAULT_MAX_BYTES", "Block", "Document", "read", "read_bytes", "read_path", "sniff"]

DEFAULT_MAX_BYTES = 50 * 1024 * 1024

_REFUSED = (  # formats plans arrive in that planc does not read
    (b"{\\rtf", "is an RTF document (save it as .docx or .txt)"),
)
_NAMES = {"pdf": "a PDF", "ofd": "an OFD file", "doc": "an old Word .doc", "docx": "a .docx",
          "html": "a web page", "txt": "text"}  # fmt: skip
# A web page shows itself in its first kilobytes, whatever comes before (BOM, comments, blanks).
_HTML = re.compile(rb"<(?:!doctype\s+html|html[\s>]|head[\s>]|meta\s|body[\s>]|title>)", re.I)


def read_path(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read ``path`` (``-`` is standard input) in whatever format its content is."""
    return read(read_bytes(path, max_bytes), path, max_bytes)


def read(data: bytes, name: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """The ``Document`` in ``data``, by the reader its content calls for."""
    for magic, what in _REFUSED:
        if data.startswith(magic):
            raise PlancError(what, name)
    fmt = sniff(data, name)
    if fmt == "txt" and name != "-" and name.lower().endswith(".docx"):
        raise PlancError("is not a .docx (no zip package inside)", name)
    try:
        reader = importlib.import_module(f"planc.read.{fmt}")
    except ModuleNotFoundError as exc:  # a reader not built into this planc
        if exc.name != f"planc.read.{fmt}":
            raise
        raise PlancError(f"is {_NAMES[fmt]}, which this planc has no reader for", name) from None
    document: Document = reader.read(data, name, max_bytes)
    return document


def sniff(data: bytes, name: str = "<input>") -> Format:
    """The format of ``data`` by its content; text when nothing else fits."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):  # OLE2: .doc and .wps alike
        return "doc"
    if data.startswith(b"PK\x03\x04"):
        return _zip_format(data, name)
    head = data[:4096]
    if b"%PDF-" in data[:1024]:  # a PDF may have junk before its header
        return "pdf"
    if _HTML.search(head.replace(b"\x00", b"")):
        return "html"
    return "txt"


def _zip_format(data: bytes, name: str) -> Format:
    """A zip is a .docx (word/document.xml) or an OFD (OFD.xml); anything else is refused."""
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return "docx"  # a damaged package: the .docx reader says what is wrong with it
    if "word/document.xml" in names:
        return "docx"
    if "OFD.xml" in names or any(n.lower() == "ofd.xml" for n in names):
        return "ofd"
    raise PlancError("is a zip archive, not a .docx, an OFD or a text file", name)


def read_bytes(path: str, max_bytes: int) -> bytes:
    """The bytes of ``path`` (``-``: standard input), refused past ``max_bytes``."""
    if path == "-":
        return _checked(sys.stdin.buffer.read(max_bytes + 1), path, max_bytes)
    data, _, _ = read_file(path, max_bytes)
    return data


def read_file(path: str, max_bytes: int) -> tuple[bytes, os.stat_result, os.stat_result]:
    """The bytes of the file ``path``, and its status just before and just after the read
    (``build`` records them only when they agree: a file changed mid-read is hashed again)."""
    p = Path(path)
    if not path:
        raise PlancError("an empty path names no file")
    try:
        if p.is_dir():
            raise PlancError("is a directory, not a plan file", path)
        if p.exists() and not p.is_file():  # a FIFO or a device would never end
            raise PlancError("is not a regular file", path)
        with p.open("rb") as handle:
            before = os.fstat(handle.fileno())
            if not stat.S_ISREG(before.st_mode):  # swapped since the check above
                raise PlancError("is not a regular file", path)
            data = handle.read(max_bytes + 1)
            after = os.fstat(handle.fileno())
    except FileNotFoundError:
        raise PlancError("no such file", path) from None
    except PermissionError:
        raise PlancError("permission denied", path) from None
    except OSError as exc:
        raise PlancError(f"cannot read: {exc.strerror or exc}", path) from None
    return _checked(data, path, max_bytes), before, after


def _checked(data: bytes, path: str, max_bytes: int) -> bytes:
    if len(data) > max_bytes:
        raise PlancError(f"larger than the {max_bytes:,}-byte limit (see --max-bytes)", path)
    if not data:
        raise PlancError("is empty", path)
    return data
