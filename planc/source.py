"""Input, as the commands that want text see it: ``read_source`` reads any format planc reads.

The readers live in ``planc.read`` (one module per format); this module keeps the entry point
that ``check`` and older callers use, and the text decoding they import.
"""

from __future__ import annotations

from dataclasses import dataclass

from planc.read import DEFAULT_MAX_BYTES, read, read_path
from planc.read.document import Document, Format
from planc.read.txt import decode

__all__ = ["DEFAULT_MAX_BYTES", "Source", "decode", "docx_text", "read_source"]


@dataclass(frozen=True, slots=True)
class Source:
    """A read plan: ``text`` is what every span's offsets index into."""

    name: str
    text: str
    encoding: str
    format: Format
    document: Document


def read_source(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Source:
    """Read ``path`` (``-`` is standard input) in its format; raise ``PlancError`` on bad input."""
    document = read_path(path, max_bytes)
    return Source(path, document.text, document.encoding, document.format, document)


def docx_text(data: bytes, name: str, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """The text of a .docx: paragraphs a line each, table rows as tab-separated cells."""
    return read(data, name, max_bytes).text
