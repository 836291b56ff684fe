"""Plain text: decoded by detection, not assumption.

A BOM wins; then strict UTF-8; then UTF-16 without a BOM (recognised by its NUL bytes); then
GB18030, which covers GBK and GB2312.
"""

from __future__ import annotations

from planc.errors import PlancError
from planc.read.document import Block, Document

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


def read(data: bytes, name: str, max_bytes: int) -> Document:
    """A text file as a ``Document``.

    Its blocks are its lines and the text is already their serialisation, so they are not
    materialised here (a block object per line would cost hundreds of MB on 50 MB of dense
    input); ``blocks_of`` gives them to whoever needs them.
    """
    text, encoding = decode(data, name)
    if not text.strip():
        raise PlancError("has no text (empty or blank)", name)
    return Document(text=text, format="txt", encoding=encoding)


def blocks_of(text: str) -> tuple[Block, ...]:
    """A paragraph per line, a row per line with tabs (its cells between the tabs)."""
    blocks: list[Block] = []
    start = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        end = start + len(body)
        if "\t" in body:
            cells, cell_start = [], start
            for part in body.split("\t"):
                cells.append((cell_start, cell_start + len(part)))
                cell_start += len(part) + 1
            blocks.append(Block("row", start, end, tuple(cells)))
        else:
            blocks.append(Block("paragraph", start, end))
        start += len(line)
    return tuple(blocks)


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
        return check_text(text, name), "utf-8"
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
    return check_text(text.removeprefix("\ufeff"), name)


def check_text(text: str, name: str) -> str:
    """Refuse text that is really binary: NULs, or many control characters."""
    if "\x00" in text:
        raise PlancError("is a binary file, not plan text", name)
    controls = sum(1 for ch in text[:65536] if ch < " " and ch not in "\r\n\t\f\v")
    if controls * 50 > min(len(text), 65536):
        raise PlancError("is a binary file, not plan text", name)
    return text
