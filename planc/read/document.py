"""The one shape every reader returns: the text that spans index into, its blocks, provenance.

A reader (one module per input format) turns bytes into a ``Document``. Its ``text`` is a
serialisation of the blocks: one paragraph a line, a table row as its cells joined by tabs, so
the parser meets a task table read from a .docx, a PDF or a web page as the same text. Every
span planc prints indexes into ``text``; ``blocks`` say where each piece came from.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Literal

Format = Literal["txt", "docx", "pdf", "html", "ofd", "doc"]
BlockKind = Literal["paragraph", "row"]


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph or a table row: ``start``/``end`` are offsets into ``Document.text``."""

    kind: BlockKind
    start: int
    end: int
    cells: tuple[tuple[int, int], ...] = ()  # a row's cells, as (start, end) into the text
    page: int | None = None  # 1-based, for paged formats (PDF, OFD)


@dataclass(frozen=True, slots=True)
class Document:
    """A plan as read: text, blocks and what the container says about the document."""

    text: str
    format: Format
    encoding: str  # of a text file; the container's own for others ("utf-8" for XML)
    blocks: tuple[Block, ...] = ()
    # Metadata the container gives apart from the body (a web page's 发文机关/文号/成文日期 table,
    # an OFD's custom data, a PDF's red header): keys are ``Meta`` field names, values as printed.
    meta: dict[str, str] = field(default_factory=dict)
    # Where each page starts in ``text`` (ascending), for paged formats; empty otherwise.
    page_starts: tuple[int, ...] = ()

    def page_at(self, offset: int) -> int | None:
        """The 1-based page that ``offset`` falls on, or None for unpaged formats."""
        if not self.page_starts:
            return None
        return max(1, bisect_right(self.page_starts, offset))
