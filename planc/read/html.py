"""Web pages of government sites: the article body, not the site around it.

The body is the content container of the site's CMS (``.TRS_Editor``, ``#UCAP-CONTENT`` …),
else the element that holds the most paragraph text, else what trafilatura extracts. It is
walked block by block: a line ends only at a block element or ``<br>``, inline runs join, and a
table row is one line of tab-separated cells. The page's metadata table (索引号, 发文机关,
发文字号, 成文日期, 标题) goes to ``Document.meta``, never into the body.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from selectolax.lexbor import LexborHTMLParser, LexborNode

from planc import limits
from planc.errors import PlancError
from planc.read import txt
from planc.read.document import Block, Document

# Content containers of the CMSs government sites run on (TRS, UCAP, and common templates).
CONTAINERS = (
    "#UCAP-CONTENT",
    ".TRS_Editor",
    ".TRS_UEDITOR",
    "#zoom",
    "#Zoom",
    ".pages_content",
    ".article_con",
    ".article-content",
    ".article_content",
    "#article_content",
    ".view.TRS_UEDITOR",
    "#content .content",
    ".zw",
    "#zwnr",
)
_BLOCKS = frozenset(
    [
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "section",
        "article",
        "blockquote",
        "pre",
        "center",
        "address",
        "hr",
        "main",
        "aside",
        "figure",
        "figcaption",
        "caption",
        "tbody",
        "thead",
        "tfoot",
        "tr",
    ]
)
_SKIP = frozenset(
    [
        "script",
        "style",
        "noscript",
        "template",
        "head",
        "title",
        "meta",
        "link",
        "nav",
        "header",
        "footer",
        "form",
        "button",
        "select",
        "option",
        "textarea",
        "iframe",
        "object",
        "embed",
        "svg",
        "canvas",
        "input",
        "label",
    ]
)
# Labels of a page's metadata table, and the ``Meta`` field each fills.
_META_LABELS = {
    "发文机关": "issuer",
    "发布机构": "issuer",
    "发文单位": "issuer",
    "发文字号": "doc_number",
    "文号": "doc_number",
    "成文日期": "issued",
    "成文时间": "issued",
    "标题": "title",
    "索引号": "index",
}
_LABEL = re.compile(r"^\s*([\u4e00-\u9fff][\u4e00-\u9fff \u3000]{1,8}?)\s*[:：]\s*(.*)$", re.S)
# What each field's value looks like: a label's neighbour that does not is not its value.
_VALUE_SHAPES = {
    "issuer": re.compile(r"^[\u4e00-\u9fff（）()、， \u3000]{2,80}$"),
    "doc_number": re.compile(r"\d+\s*号"),
    "issued": re.compile(r"(?:19|20)\d\d\D{1,3}\d{1,2}\D{1,3}\d{1,2}"),
    "title": re.compile(r"[\u4e00-\u9fff]{4}"),
    "index": re.compile(r"."),
}
# Page chrome that sits inside some content containers: a line made only of these is dropped.
_CHROME = re.compile(
    r"^(?:[\s【】\[\]|｜/]|打印(?:本页|此页)?|关闭(?:窗口|本页)?|分享(?:到)?|收藏|扫一扫(?:在手机打开当前页)?"
    r"|字[体号][:：]?|[大中小]|返回顶部|[【\[]?纠错[】\]]?)+$"
)
_ATTACHMENT = re.compile(r"\.(?:pdf|docx?|wps|ofd|xlsx?|zip|rar)(?:$|[?#])", re.I)
_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w:.-]+)", re.I)
_SPACE_RUN = re.compile(r"[ \t\r\n\f\v]+")
_CJK = r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]"
_CJK_BREAK = re.compile(rf"(?<={_CJK})[ \t\r\n\f\v]*\n[ \t\r\n\f\v]*(?={_CJK})")


def read(data: bytes, name: str, max_bytes: int) -> Document:
    """The article of a web page as paragraphs and rows; its metadata table as hints."""
    html = _decode(data, name)
    lines_allowed = limits.lines_allowed()
    if lines_allowed is not None:
        elements = html.count("<") - html.count("</")  # an upper bound, counted in C
        if elements > ELEMENTS_PER_LINE * lines_allowed:
            raise PlancError(
                f"is a web page of more than {ELEMENTS_PER_LINE * lines_allowed:,} elements, "
                f"the limit ({ELEMENTS_PER_LINE} per line of --max-clauses allowed)",
                name,
            )
    if _nested_deeper_than(html, MAX_DEPTH):
        raise PlancError(f"is a web page nested more than {MAX_DEPTH:,} elements deep", name)
    page = LexborHTMLParser(html)
    meta = _metadata(page)
    container = _container(page)
    lines: list[str | list[str]] = []
    if container is not None:
        for line in _walk(container):
            if _kept(line):
                lines.append(line)
                if lines_allowed is not None and len(lines) > lines_allowed:
                    raise limits.too_many_lines(lines_allowed, name)
        _refuse_attachment_only(container, lines, name)
    if not _has_text(lines):
        if len(html) > FALLBACK_MAX_CHARS:
            raise PlancError(
                "has no article body planc can find, and is too large for its fallback "
                f"extractor (over {FALLBACK_MAX_CHARS:,} characters)",
                name,
            )
        lines = _fallback(page)
    if not _has_text(lines):
        raise PlancError("has no text (no article body found in the web page)", name)
    article_title = page.css_first('meta[name="ArticleTitle"]')
    if article_title is not None and "title" not in meta:
        title = (article_title.attributes.get("content") or "").strip()
        if title:
            meta["title"] = title
    meta.pop("index", None)
    return _document(lines, meta)


# The HTML tree builder looks down the stack of open elements at each start tag (is a <p> open
# in button scope?), so parsing is quadratic in the depth: 100,000 nested <div>s take 20 s,
# 50 MB of them hours. Browsers stop nesting at a few hundred; no page nests a thousand deep.
MAX_DEPTH = 1_000
# The tree of a 50 MB table of 1.5 million rows takes 2.5 GB and a minute to build and walk; a
# page is refused before parsing when its tags could not fit the lines a plan may have.
ELEMENTS_PER_LINE = 10
# trafilatura, for a page without a known container, builds its own trees: 50 MB take 2.5 GB.
FALLBACK_MAX_CHARS = 5_000_000  # a government page is some 20,000-200,000
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)[^<>]*?(/?)>")
# Elements that never close or whose end tags are optional do not count: the depth counted is
# an upper bound as long as those are left out.
_NO_DEPTH = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
        "basefont",
        "bgsound",
        "frame",
        "keygen",
        "p",
        "li",
        "dt",
        "dd",
        "option",
        "optgroup",
        "tr",
        "td",
        "th",
        "thead",
        "tbody",
        "tfoot",
        "colgroup",
        "rb",
        "rt",
        "rp",
        "rtc",
    ]
)


def _nested_deeper_than(html: str, limit: int) -> bool:
    """Whether the tags of ``html`` open more than ``limit`` deep; a scan, no tree built."""
    depth = 0
    for tag in _TAG.finditer(html):
        if tag[2].lower() in _NO_DEPTH or tag[3]:
            continue
        if tag[1]:
            depth = max(0, depth - 1)
        else:
            depth += 1
            if depth > limit:
                return True
    return False


def _decode(data: bytes, name: str) -> str:
    """The page's declared charset first (a meta tag near the top), else detection."""
    if not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        declared = _CHARSET.search(data[:4096])
        if declared:
            charset = declared.group(1).decode("ascii", "replace").lower()
            if charset in ("gb2312", "gbk"):
                charset = "gb18030"  # their superset: pages often say gb2312 and use GBK
            try:
                return data.decode(charset)
            except (LookupError, UnicodeDecodeError):
                pass
    return txt.decode(data, name)[0]


def _text(node: LexborNode) -> str:
    """An element's text on one line: whitespace as HTML shows it (none across CJK breaks)."""
    raw = node.text(deep=True, separator="")
    return _SPACE_RUN.sub(" ", _CJK_BREAK.sub("", raw.replace("\xa0", " "))).strip()


def _metadata(page: LexborHTMLParser) -> dict[str, str]:
    """The labelled values of the page's metadata table (``发文机关：国务院``, or a cell
    ``发文机关`` beside a cell ``国务院``); a value must look like its field."""
    found: dict[str, str] = {}
    for cell in page.css("td, th, li, span, p, div, dt, dd, b, strong, label, em, font"):
        own = _SPACE_RUN.sub(" ", cell.text(deep=False).replace("\xa0", " ")).strip()
        if len(own) > 200:
            continue
        match = _LABEL.match(own)
        if match:
            label, value = _no_spaces(match.group(1)), match.group(2).strip()
        elif cell.tag in ("td", "th", "dt"):  # a table's label cell may have no colon
            label, value = _no_spaces(own), ""
        else:
            continue
        key = _META_LABELS.get(label)
        if key is None or key in found:
            continue
        if not value:
            value = _text_after(cell)
        if value and len(value) <= 200 and _VALUE_SHAPES[key].search(value):
            found[key] = value
    return found


def _no_spaces(text: str) -> str:
    return re.sub(r"[ \u3000]+", "", text)


def _text_after(node: LexborNode) -> str:
    """The text of the element after a label: its next sibling, or its parent's."""
    for start in (node, node.parent):
        sibling = start.next if start is not None else None
        while sibling is not None and not sibling.is_element_node:
            if (sibling.text_content or "").strip():
                return _SPACE_RUN.sub(" ", sibling.text_content or "").strip()
            sibling = sibling.next
        if sibling is not None:
            text = _text(sibling)
            if len(text) <= 200:
                return text
    return ""


def _is_meta_table(node: LexborNode) -> bool:
    labels = 0
    for cell in node.css("td, th, li, span, dt"):
        match = _LABEL.match(_text(cell)[:20])
        if match and _no_spaces(match.group(1)) in _META_LABELS:
            labels += 1
            if labels >= 2:
                return True
    return False


def _container(page: LexborHTMLParser) -> LexborNode | None:
    for selector in CONTAINERS:
        for node in page.css(selector):
            if _text(node):
                return node
    body = page.body
    if body is None:
        return None
    # Else the element whose own paragraphs hold the most text (a readability-style guess).
    weight: dict[int, tuple[int, LexborNode]] = {}
    for paragraph in body.css("p"):
        parent = paragraph.parent
        if parent is None:
            continue
        length = len(_text(paragraph))
        previous = weight.get(parent.mem_id, (0, parent))[0]
        weight[parent.mem_id] = (previous + length, parent)
    if not weight:
        return None
    best_weight, best = max(weight.values(), key=lambda pair: pair[0])
    return best if best_weight >= 50 else None


def _walk(root: LexborNode) -> Iterator[str | list[str]]:
    """Lines of ``root``: a string per paragraph, a list of cells per table row; an empty
    ``<p>`` (an editor's blank line) is an empty string."""
    line: list[str] = []
    emitted = 0
    stack: list[tuple[LexborNode, int | None]] = [(root, None)]
    while stack:
        node, entered_at = stack.pop()
        tag = node.tag
        if entered_at is not None:  # leaving the element
            if tag in _BLOCKS:
                for text in _flush(line):
                    emitted += 1
                    yield text
            if tag == "p" and emitted == entered_at:
                yield ""
            continue
        if tag == "-text":
            line.append(node.text_content or "")
            continue
        if tag in _SKIP or not node.is_element_node:
            continue
        if tag in ("br", "table") or tag in _BLOCKS:
            for text in _flush(line):
                emitted += 1
                yield text
        if tag == "br":
            continue
        if tag == "table":
            if not _is_meta_table(node):
                for row in _rows(node):
                    emitted += 1
                    yield row
            continue
        stack.append((node, emitted))
        children = list(node.iter(include_text=True))
        stack.extend((child, None) for child in reversed(children))
    yield from _flush(line)


def _flush(line: list[str]) -> Iterator[str]:
    if line:
        text = _SPACE_RUN.sub(" ", _CJK_BREAK.sub("", "".join(line).replace("\xa0", " ")))
        line.clear()
        text = text.strip(" \u3000")
        if text:
            yield text


def _rows(table: LexborNode) -> Iterator[str | list[str]]:
    """The rows of ``table`` (not of tables nested in its cells) as lists of cell texts."""
    for row in table.css("tr"):
        owner = row.parent
        while owner is not None and owner.tag != "table":
            owner = owner.parent
        if owner is None or owner.mem_id != table.mem_id:
            continue
        cells = [_text(cell).replace("\t", " ") for cell in row.iter() if cell.tag in ("td", "th")]
        if len(cells) == 1:
            if cells[0]:
                yield cells[0]
        elif any(cells):
            yield cells


def _kept(line: str | list[str]) -> bool:
    return isinstance(line, list) or not _CHROME.match(line)


def _has_text(lines: list[str | list[str]]) -> bool:
    return any(line if isinstance(line, str) else any(line) for line in lines)


def _refuse_attachment_only(container: LexborNode, lines: list[str | list[str]], name: str) -> None:
    """A page whose body is only a link to the plan's file names that file, not a plan."""
    links = [
        a.attributes.get("href") or ""
        for a in container.css("a")
        if _ATTACHMENT.search(a.attributes.get("href") or "")
    ]
    if not links:
        return
    link_text = sum(len(_text(a)) for a in container.css("a"))
    body = sum(len(line) if isinstance(line, str) else len("".join(line)) for line in lines)
    if body - link_text < 100:
        raise PlancError(
            f"is a web page whose body is only a link to an attachment: {links[0]} "
            "(download that file and compile it)",
            name,
        )


def _fallback(page: LexborHTMLParser) -> list[str | list[str]]:
    """trafilatura's main-text extraction, tables left out (their cells would lose columns)."""
    import trafilatura

    for chrome in page.css("nav, header, footer, aside, form, script, style, noscript, iframe"):
        chrome.decompose()  # trafilatura would keep a menu it cannot tell from the text
    html = page.html or ""
    extracted = trafilatura.extract(html, include_tables=False, include_comments=False)
    if not extracted:
        return []
    lines: list[str | list[str]] = [line.strip() for line in extracted.splitlines()]
    return [line for line in lines if line and _kept(line)]


def _document(lines: list[str | list[str]], meta: dict[str, str]) -> Document:
    parts: list[str] = []
    blocks: list[Block] = []
    offset = 0
    blank = True  # runs of blank lines as one, none at the start
    for line in lines:
        if isinstance(line, str) and not line:
            if blank:
                continue
            blank = True
        else:
            blank = False
        if isinstance(line, str):
            text = line.replace("\t", " ")
            blocks.append(Block("paragraph", offset, offset + len(text)))
        else:
            spans, start = [], offset
            for cell in line:
                spans.append((start, start + len(cell)))
                start += len(cell) + 1
            text = "\t".join(line)
            blocks.append(Block("row", offset, offset + len(text), tuple(spans)))
        parts.append(text + "\n")
        offset += len(text) + 1
    return Document(
        text="".join(parts), format="html", encoding="utf-8", blocks=tuple(blocks), meta=meta
    )
