"""Word .docx as Word writes it, read with zipfile and lxml (not python-docx).

python-docx yields a spanned cell once per grid column (``gridSpan 2000000`` takes minutes),
recurses through vertical merges and loads the whole tree; here the body is streamed with
``iterparse`` and every block is dropped once it is read, so time and memory follow the size
of the text. What a reader of the printed page sees is what is kept: automatic numbering
rendered from numbering.xml (一、 （一） 1. （1） ①), tracked insertions (deletions dropped),
the contents of content controls, smart tags and hyperlinks, the result of a field (not its
instruction), nested tables, and a merged cell once. Text boxes and drawings are not read.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from lxml import etree

from planc import limits
from planc.errors import PlancError
from planc.read.document import Block, Document
from planc.read.package import Package

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# ISO strict documents name the same elements in another namespace: read as transitional.
_STRICT_NS = b"http://purl.oclc.org/ooxml/wordprocessingml/main"
_TRANSITIONAL_NS = b"http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_TRANSPARENT = frozenset({"sdt", "sdtContent", "customXml", "smartTag", "ins", "moveTo"})
_INLINE_CONTAINERS = _TRANSPARENT | {"hyperlink", "fldSimple", "dir", "bdo"}
_OFF = frozenset({"0", "false", "off"})


def read(data: bytes, name: str, max_bytes: int) -> Document:
    """The paragraphs and table rows of a .docx body, in order."""
    package = Package(data, name, max_bytes, ".docx")
    if "word/document.xml" not in package:
        raise PlancError("is a zip archive, not a .docx (no word/document.xml)", name)
    styles = _parse_part(package, "word/styles.xml", name)
    numbering = Numbering(_parse_part(package, "word/numbering.xml", name), styles)
    body = package.read("word/document.xml").replace(_STRICT_NS, _TRANSITIONAL_NS)
    body = _collapse_empty_paragraphs(body)
    writer = _Writer(name)
    reader = _BodyReader(numbering, writer)
    try:
        reader.read(body)
    except etree.XMLSyntaxError as exc:
        raise PlancError(f"is not a readable .docx (word/document.xml: {exc.msg})", name) from None
    except RecursionError:
        raise PlancError("is not a readable .docx (nested too deeply)", name) from None
    document = writer.document()
    if not document.text.strip():
        raise PlancError("has no text (empty .docx)", name)
    return document


def _collapse_empty_paragraphs(xml: bytes) -> bytes:
    """Runs of bare empty paragraphs (Word's spacing, or millions in a hostile file) as one,
    by replaces that each halve a run: it changes nothing read and costs a few copies. Empty
    paragraphs of other forms are skipped cheaply while parsing."""
    xml = xml.replace(b"<w:p></w:p>", b"<w:p/>")
    while b"<w:p/><w:p/>" in xml:
        xml = xml.replace(b"<w:p/><w:p/>", b"<w:p/>")
    return xml


def _parser_options() -> dict[str, bool]:
    """No entities, no DTD, no network, no huge trees: a .docx is data, not a program."""
    return {"resolve_entities": False, "no_network": True, "huge_tree": False, "load_dtd": False}


def _parse_part(package: Package, part: str, name: str) -> etree._Element | None:
    if part not in package:
        return None
    try:
        parser = etree.XMLParser(remove_comments=True, **_parser_options())
        return etree.fromstring(package.read(part).replace(_STRICT_NS, _TRANSITIONAL_NS), parser)
    except etree.XMLSyntaxError as exc:
        raise PlancError(f"is not a readable .docx ({part}: {exc.msg})", name) from None


def _local(element: etree._Element) -> str:
    """The local name of a WordprocessingML element; '' for anything else."""
    tag = element.tag
    try:
        return _LOCAL_NAMES[tag]
    except (KeyError, TypeError):  # a tag not seen yet, or a comment or processing instruction
        pass
    local = tag[len(_W) :] if isinstance(tag, str) and tag.startswith(_W) else ""
    if len(_LOCAL_NAMES) < 10_000:  # element names are few; a hostile file may invent many
        _LOCAL_NAMES[tag] = local
    return local


_LOCAL_NAMES: dict[object, str] = {}


def _child(element: etree._Element | None, local: str) -> etree._Element | None:
    """The first child named ``local`` (a loop beats ``find``, which parses a path)."""
    if element is None:
        return None
    tag = _W + local
    for child in element:
        if child.tag == tag:
            return child
    return None


def _val(element: etree._Element | None) -> str | None:
    return None if element is None else element.get(_W + "val")


def _on(element: etree._Element | None) -> bool:
    """A toggle property (``<w:vanish/>``, ``<w:vanish w:val="false"/>``)."""
    return element is not None and (_val(element) or "true").lower() not in _OFF


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


# --- numbering -------------------------------------------------------------------------------


@dataclass(slots=True)
class Level:
    """One level of a list definition: how its number is counted and printed."""

    start: int = 1
    fmt: str = "decimal"
    text: str = ""
    restart: int | None = None  # restarts after a use of a level above this (1-based); 0: never
    suffix: str = "tab"
    legal: bool = False  # every number in the label printed in decimal


def _level(element: etree._Element) -> Level:
    restart = _val(_child(element, "lvlRestart"))
    return Level(
        start=max(0, _int(_val(_child(element, "start")), 1)),
        fmt=_val(_child(element, "numFmt")) or "decimal",
        text=_val(_child(element, "lvlText")) or "",
        restart=None if restart is None else _int(restart, 0),
        suffix=_val(_child(element, "suff")) or "tab",
        legal=_on(_child(element, "isLgl")),
    )


@dataclass(slots=True)
class _List:
    """A ``w:num``: its levels (an abstract list with any overrides) and its counter key."""

    levels: dict[int, Level]
    key: str


class Numbering:
    """Word's automatic numbering, counted as Word counts it, paragraph by paragraph."""

    def __init__(self, root: etree._Element | None, styles: etree._Element | None) -> None:
        self.lists: dict[str, _List] = {}
        self.style_numbering: dict[str, tuple[str | None, int | None]] = {}
        self.style_parent: dict[str, str] = {}
        self.counters: dict[str, list[int | None]] = {}
        self.style_levels: dict[str, int] = {}  # a style named by a list level → that level
        if styles is not None:
            self._read_styles(styles)
        if root is not None:
            self._read_lists(root)

    def _read_styles(self, styles: etree._Element) -> None:
        for style in styles:
            if _local(style) != "style":
                continue
            style_id = style.get(_W + "styleId")
            if style_id is None:
                continue
            based_on = _val(_child(style, "basedOn"))
            if based_on:
                self.style_parent[style_id] = based_on
            num_pr = _child(_child(style, "pPr"), "numPr")
            if num_pr is not None:
                ilvl = _val(_child(num_pr, "ilvl"))
                self.style_numbering[style_id] = (
                    _val(_child(num_pr, "numId")),
                    None if ilvl is None else _int(ilvl, 0),
                )

    def _read_lists(self, root: etree._Element) -> None:
        abstracts: dict[str, dict[int, Level]] = {}
        style_links: dict[str, str] = {}  # abstract list → the numbering style it stands for
        for element in root:
            if _local(element) != "abstractNum":
                continue
            abstract_id = element.get(_W + "abstractNumId", "")
            levels: dict[int, Level] = {}
            for lvl in element:
                if _local(lvl) == "lvl":
                    ilvl = _int(lvl.get(_W + "ilvl"), 0)
                    if 0 <= ilvl < 9:
                        levels[ilvl] = _level(lvl)
                        style = _val(_child(lvl, "pStyle"))
                        if style:
                            self.style_levels[style] = ilvl
            abstracts[abstract_id] = levels
            linked = _val(_child(element, "numStyleLink"))
            if linked:
                style_links[abstract_id] = linked
        num_abstract = {
            element.get(_W + "numId", ""): _val(_child(element, "abstractNumId")) or ""
            for element in root
            if _local(element) == "num"
        }
        for element in root:
            if _local(element) != "num":
                continue
            num_id = element.get(_W + "numId", "")
            abstract_id = num_abstract[num_id]
            if abstract_id in style_links:  # a list defined by a numbering style: its levels
                style_num = self.style_numbering.get(style_links[abstract_id], (None, None))[0]
                abstract_id = num_abstract.get(style_num or "", abstract_id)
            levels = dict(abstracts.get(abstract_id, {}))
            restarted_any = False
            for override in element:
                if _local(override) != "lvlOverride":
                    continue
                ilvl = _int(override.get(_W + "ilvl"), 0)
                lvl = _child(override, "lvl")
                if lvl is not None:
                    levels[ilvl] = _level(lvl)
                start = _val(_child(override, "startOverride"))
                if start is not None and 0 <= ilvl < 9:
                    restarted = levels.get(ilvl, Level())
                    levels[ilvl] = replace(restarted, start=max(0, _int(start, 0)))
                    restarted_any = True
            # Lists of one abstract definition share their counters (Word continues the
            # numbering) unless one restarts it with a start override.
            key = f"num:{num_id}" if restarted_any else f"abstract:{abstract_id}"
            self.lists[num_id] = _List(levels, key)

    def _style_numbering(self, style: str | None) -> tuple[str | None, int | None]:
        seen: set[str] = set()
        while style and style not in seen:
            seen.add(style)
            if style in self.style_numbering:
                return self.style_numbering[style]
            style = self.style_parent.get(style)
        return None, None

    def label(self, p_pr: etree._Element | None) -> tuple[str, str] | None:
        """The label Word prints before this paragraph and its suffix (and counts it)."""
        if p_pr is None and not self.style_numbering:
            return None
        num_pr = _child(p_pr, "numPr")
        style = _val(_child(p_pr, "pStyle"))
        num_id = _val(_child(num_pr, "numId"))
        ilvl_text = _val(_child(num_pr, "ilvl"))
        ilvl = None if ilvl_text is None else _int(ilvl_text, 0)
        if num_id is None:
            num_id, style_ilvl = self._style_numbering(style)
            if ilvl is None:
                ilvl = style_ilvl
        if num_id is None or num_id == "0" or num_id not in self.lists:
            return None
        numbered = self.lists[num_id]
        if ilvl is None:
            ilvl = self.style_levels.get(style or "", 0)
        if not 0 <= ilvl < 9 or ilvl not in numbered.levels:
            return None
        label = self._count(numbered, ilvl)
        return None if label is None else (label, numbered.levels[ilvl].suffix)

    def _count(self, numbered: _List, ilvl: int) -> str | None:
        counters = self.counters.setdefault(numbered.key, [None] * 9)
        level = numbered.levels[ilvl]
        current = counters[ilvl]
        counters[ilvl] = level.start if current is None else current + 1
        for lower in range(ilvl + 1, 9):
            spec = numbered.levels.get(lower)
            restart_below = lower if spec is None or spec.restart is None else spec.restart
            if ilvl < restart_below:
                counters[lower] = None
        if level.fmt == "bullet":
            return None  # a bullet is a symbol, not a label
        return _LEVEL_REF.sub(lambda m: self._number(m, numbered, counters, level), level.text)

    @staticmethod
    def _number(
        match: re.Match[str], numbered: _List, counters: list[int | None], current: Level
    ) -> str:
        index = int(match.group(1)) - 1
        spec = numbered.levels.get(index, Level())
        value = counters[index]
        if value is None:
            value = spec.start
        return format_number(value, "decimal" if current.legal else spec.fmt)


_LEVEL_REF = re.compile(r"%([1-9])")
_CN_DIGITS = "〇一二三四五六七八九"
_CN_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_STEMS = "甲乙丙丁戊己庚辛壬癸"
_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"


def _chinese(number: int, digits: str = "零一二三四五六七八九", units: str = "十百千") -> str:
    """一, 十, 十一, 二十, 一百零一 … as Word's chineseCounting prints them (below 10,000)."""
    if number == 0:
        return digits[0]
    if number >= 10000:
        return str(number)
    parts: list[str] = []
    zero = False
    for power, unit in ((1000, units[2]), (100, units[1]), (10, units[0]), (1, "")):
        digit = number // power % 10
        if digit == 0:
            zero = bool(parts)
            continue
        if zero:
            parts.append(digits[0])
            zero = False
        if not (power == 10 and digit == 1 and not parts):  # 十一, not 一十一
            parts.append(digits[digit])
        parts.append(unit)
    return "".join(parts)


def _letters(number: int) -> str:
    """a … z, aa … zz: Word repeats the letter."""
    if number < 1:
        return str(number)
    return chr(ord("a") + (number - 1) % 26) * ((number - 1) // 26 + 1)


def _roman(number: int) -> str:
    if not 0 < number < 4000:
        return str(number)
    out = []
    for value, numeral in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"),
                           (90, "xc"), (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"),
                           (4, "iv"), (1, "i")):  # fmt: skip
        count, number = divmod(number, value)
        out.append(numeral * count)
    return "".join(out)


def _enclosed(number: int, first: int, last: int) -> str:
    return chr(first + number - 1) if 1 <= number <= last - first + 1 else str(number)


def format_number(number: int, fmt: str) -> str:
    """``number`` in a ``w:numFmt`` format; unknown formats fall back to decimal."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "koreanCounting"):
        return _chinese(number)
    if fmt in ("ideographDigital", "japaneseDigitalTenThousand"):
        return "".join(_CN_DIGITS[int(d)] for d in str(number))
    if fmt in ("chineseLegalSimplified", "ideographLegalTraditional", "japaneseLegal"):
        return _chinese(number, _CN_LEGAL, "拾佰仟")
    if fmt == "ideographTraditional":
        return _STEMS[number - 1] if 1 <= number <= 10 else str(number)
    if fmt == "ideographZodiac":
        return _BRANCHES[number - 1] if 1 <= number <= 12 else str(number)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese", "ideographEnclosedCircle"):
        return _enclosed(number, 0x2460, 0x2473)
    if fmt == "decimalEnclosedParen":
        return _enclosed(number, 0x2474, 0x2487)
    if fmt == "decimalEnclosedFullstop":
        return _enclosed(number, 0x2488, 0x249B)
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return "".join(chr(0xFF10 + int(d)) for d in str(number))
    if fmt == "decimalZero":
        return f"{number:02d}"
    if fmt == "lowerLetter":
        return _letters(number)
    if fmt == "upperLetter":
        return _letters(number).upper()
    if fmt == "lowerRoman":
        return _roman(number)
    if fmt == "upperRoman":
        return _roman(number).upper()
    if fmt == "none":
        return ""
    return str(number)


# --- the body --------------------------------------------------------------------------------


class _Writer:
    """Collects lines into the text and its blocks; runs of blank lines become one."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.lines_allowed = limits.lines_allowed()
        self.parts: list[str] = []
        self.blocks: list[Block] = []
        self.offset = 0
        self.blank = True  # no blank line at the start

    def paragraph(self, text: str) -> None:
        if not text.strip():
            if self.blank:
                return
            self.blank = True
        else:
            self.blank = False
        self._line(Block("paragraph", self.offset, self.offset + len(text)), text)

    def row(self, cells: list[str]) -> None:
        if not any(cell.strip() for cell in cells):
            return
        spans, start = [], self.offset
        for cell in cells:
            spans.append((start, start + len(cell)))
            start += len(cell) + 1
        line = "\t".join(cells)
        self.blank = False
        self._line(Block("row", self.offset, self.offset + len(line), tuple(spans)), line)

    def _line(self, block: Block, text: str) -> None:
        if self.lines_allowed is not None and len(self.blocks) >= self.lines_allowed:
            raise limits.too_many_lines(self.lines_allowed, self.name)
        self.blocks.append(block)
        self.parts.append(text)
        self.parts.append("\n")
        self.offset += len(text) + 1

    def document(self) -> Document:
        return Document(
            text="".join(self.parts), format="docx", encoding="utf-8", blocks=tuple(self.blocks)
        )


class _BodyReader:
    """Streams word/document.xml: each run of a top-level paragraph, and each top-level
    paragraph and table row, is read and dropped as soon as it ends, so a paragraph of
    millions of runs costs no more memory than its text."""

    def __init__(self, numbering: Numbering, writer: _Writer) -> None:
        self.numbering = numbering
        self.writer = writer
        self.fields: list[bool] = []  # open complex fields: True while in their instruction
        self.instructions = 0  # how many of them are in their instruction
        # Paragraphs whose runs are being read as they end: their label and text so far.
        self.streamed: dict[etree._Element, tuple[tuple[str, str] | None, list[str]]] = {}
        self.open: etree._Element | None = None  # the last of them
        self.open_text: list[str] = []

    def read(self, xml: bytes) -> None:
        events = etree.iterparse(
            io.BytesIO(xml),
            events=("end",),
            tag=[_W + local for local in ("r", "p", "tr", "tbl")],
            remove_comments=True,
            **_parser_options(),
        )
        allowed = self.writer.lines_allowed
        read = 0
        for _, element in events:
            local = _local(element)
            if local == "r":
                self._streamed_run(element)
                continue
            # Every paragraph and row, empty or nested in a cell, costs a step to read, and a
            # nested one is held until its top-level row ends: bound them as lines are bound.
            read += 1
            if allowed is not None and read > allowed:
                raise limits.too_many_blocks(allowed, self.writer.name)
            if local == "p" and len(element) == 0 and element not in self.streamed:  # bare
                if element.getparent() is not None and _local(element.getparent()) == "body":
                    self.writer.paragraph("")
                    _drop(element)
            elif local == "p" and self._top_level(element.getparent()):
                for line in self._paragraph_lines(element):
                    self.writer.paragraph(line)
            elif local == "tr" and self._top_level_table(element.getparent()):
                if not _row_deleted(element):
                    self.writer.row([self._cell_text(cell) for cell in _cells(element)])
            elif local != "tbl" or not self._top_level(element.getparent()):
                continue
            _drop(element)
            self.streamed.clear()
            self.open = None

    def _streamed_run(self, run: etree._Element) -> None:
        """Read a run of a top-level paragraph now, and drop it; leave any other run."""
        parent = run.getparent()
        deleted = False
        paragraph = parent
        while paragraph is not None and paragraph is not self.open:
            local = _local(paragraph)
            if local == "p":
                if paragraph not in self.streamed:
                    if not self._in_body(paragraph.getparent()):
                        return
                    self._open(paragraph)
                self.open, self.open_text = paragraph, self.streamed[paragraph][1]
                break
            if local in ("del", "moveFrom"):
                deleted = True
            elif local not in _INLINE_CONTAINERS:
                return  # a run Word does not show as text (alternate content, a drawing)
            paragraph = paragraph.getparent()
        if paragraph is None or parent is None:
            return
        if not deleted:
            self._run(run, self.open_text)
        run.clear()
        parent.remove(run)

    def _open(self, paragraph: etree._Element) -> None:
        """Start reading a paragraph: its label is counted here, in document order."""
        self.streamed[paragraph] = (self.numbering.label(_child(paragraph, "pPr")), [])

    @staticmethod
    def _in_body(parent: etree._Element | None) -> bool:
        """Whether a paragraph here is read: in the body or a table's cell, not a text box."""
        while parent is not None:
            local = _local(parent)
            if local == "body":
                return True
            if local not in _TRANSPARENT and local not in ("tbl", "tr", "tc"):
                return False
            parent = parent.getparent()
        return False

    @staticmethod
    def _top_level(parent: etree._Element | None) -> bool:
        while parent is not None:
            local = _local(parent)
            if local == "body":
                return True
            if local not in _TRANSPARENT:
                return False
            parent = parent.getparent()
        return False

    def _top_level_table(self, parent: etree._Element | None) -> bool:
        while parent is not None and _local(parent) in _TRANSPARENT:
            parent = parent.getparent()
        return (
            parent is not None and _local(parent) == "tbl" and self._top_level(parent.getparent())
        )

    def _paragraph_lines(self, paragraph: etree._Element) -> list[str]:
        """A paragraph's text, split where Word breaks the line, its label first."""
        if paragraph in self.streamed:  # its runs were read as they ended
            numbered, out = self.streamed.pop(paragraph)
            if paragraph is self.open:
                self.open = None
        else:
            numbered = self.numbering.label(_child(paragraph, "pPr"))
            out = []
            self._inline(paragraph, out)
        text = "".join(out).replace("\t", " ").replace("\r", "")
        if numbered and numbered[0]:
            label, suffix = numbered
            if text and not text[0].isspace():
                text = _separated(label, suffix) + text
            else:
                text = label + text
        return text.split("\n")

    def _inline(self, element: etree._Element, out: list[str]) -> None:
        for child in element:
            local = _local(child)
            if local == "r":
                self._run(child, out)
            elif local in _INLINE_CONTAINERS:
                self._inline(child, out)

    def _run(self, run: etree._Element, out: list[str]) -> None:
        hidden = _on(_child(_child(run, "rPr"), "vanish"))
        for child in run:
            local = _local(child)
            if local == "fldChar":
                self._field(_attr(child, "fldCharType"))
            elif hidden or self.instructions:
                continue
            elif local == "t":
                out.append(child.text or "")
            elif local in ("tab", "ptab"):
                out.append(" ")
            elif local in ("br", "cr"):
                if _attr(child, "type") in (None, "textWrapping"):
                    out.append("\n")
            elif local == "noBreakHyphen":
                out.append("-")

    def _field(self, kind: str | None) -> None:
        """Open fields, innermost last: True while in the instruction, False in the result."""
        if kind == "begin":
            self.fields.append(True)
            self.instructions += 1
        elif kind == "separate" and self.fields and self.fields[-1]:
            self.fields[-1] = False
            self.instructions -= 1
        elif kind == "end" and self.fields:
            self.instructions -= self.fields.pop()

    def _cell_text(self, cell: etree._Element) -> str:
        """A cell's paragraphs and nested tables on one line; a merged-on cell is empty."""
        v_merge = _child(_child(cell, "tcPr"), "vMerge")
        if v_merge is not None and (_val(v_merge) or "continue") == "continue":
            return ""
        pieces: list[str] = []
        for child in _blocks(cell):
            if _local(child) == "p":
                pieces.extend(self._paragraph_lines(child))
            else:
                for row in _rows(child):
                    if not _row_deleted(row):
                        pieces.extend(self._cell_text(inner) for inner in _cells(row))
        return " ".join(piece.strip() for piece in pieces if piece.strip())


def _separated(label: str, suffix: str) -> str:
    """The label and what Word puts after it: a tab is shown as a space, or as nothing
    after a label that ends in punctuation (一、 （一）), since a tab would split a cell."""
    if suffix == "nothing" or (suffix == "tab" and label and not label[-1].isalnum()):
        return label
    return label + " "


def _attr(element: etree._Element, local: str) -> str | None:
    return element.get(_W + local)


def _drop(element: etree._Element) -> None:
    """Free what has been read: the element's content and the siblings before it."""
    element.clear()
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def _flatten(element: etree._Element, wanted: str) -> Iterator[etree._Element]:
    """Children named ``wanted``, looking through content controls and custom XML."""
    for child in element:
        local = _local(child)
        if local == wanted:
            yield child
        elif local in _TRANSPARENT:
            yield from _flatten(child, wanted)


def _rows(table: etree._Element) -> Iterator[etree._Element]:
    return _flatten(table, "tr")


def _cells(row: etree._Element) -> Iterator[etree._Element]:
    return _flatten(row, "tc")


def _blocks(cell: etree._Element) -> Iterator[etree._Element]:
    for child in cell:
        local = _local(child)
        if local in ("p", "tbl"):
            yield child
        elif local in _TRANSPARENT:
            yield from _blocks(child)


def _row_deleted(row: etree._Element) -> bool:
    return _child(_child(row, "trPr"), "del") is not None
