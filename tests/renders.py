"""Plan text rendered as other formats publish it, for the readers' tests.

``as_docx`` writes the package Word writes for a plan numbered automatically: every printed
label (一、 （一） 1. （1） ①) moves into numbering.xml and is counted again by the reader.
``as_web_page`` writes a government CMS page: navigation, a metadata table, the body in
``.TRS_Editor`` with inline spans, and share/print chrome.
"""

from __future__ import annotations

import io
import re
import zipfile
from html import escape
from xml.sax.saxutils import escape as xml_escape

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f'xmlns:w="{W_NS}"'

# The five GB/T 9704 label forms as Word list levels: (pattern of the printed label, numFmt,
# lvlText). Only the forms printed exactly as Word would print them move into numbering.
LEVELS = (
    (re.compile(r"([一二三四五六七八九十]{1,3})、"), "chineseCounting", "%1、"),
    (re.compile(r"（([一二三四五六七八九十]{1,3})）"), "chineseCounting", "（%2）"),
    (re.compile(r"(\d{1,2})\.(?!\d)"), "decimal", "%3."),
    (re.compile(r"（(\d{1,2})）"), "decimal", "（%4）"),
    (re.compile(r"([①-⑳])"), "decimalEnclosedCircle", "%5"),
)
_CN = "一二三四五六七八九"


def _chinese(number: int) -> str:
    tens, ones = divmod(number, 10)
    return (
        ("" if tens < 2 else _CN[tens - 1])
        + ("十" if tens else "")
        + (_CN[ones - 1] if ones else "")
    )


def _value(level: int, token: str) -> int | None:
    if level in (0, 1):
        for number in range(1, 100):
            if _chinese(number) == token:
                return number
        return None
    if level == 4:
        return ord(token) - 0x2460 + 1
    return int(token)


def split_label(line: str) -> tuple[int, int, str] | None:
    """(level, number, rest) when ``line`` opens with a label Word's numbering can print."""
    for level, (pattern, _, _) in enumerate(LEVELS):
        match = pattern.match(line)
        if match and line[match.end() :].strip():
            number = _value(level, match.group(1))
            if number:
                return level, number, line[match.end() :]
    return None


class _Lists:
    """Word's counters, simulated: a label Word would not count to starts a new list whose
    level starts at the printed number (a ``startOverride``), as Word's "set value" does."""

    def __init__(self) -> None:
        self.overrides: list[dict[int, int]] = [{}]  # per num (numId = index + 1)
        self.counters: list[list[int | None]] = [[None] * 5]

    def num_for(self, level: int, number: int) -> int:
        current = len(self.overrides) - 1
        counters = self.counters[current]
        value = counters[level]
        expected = self.overrides[current].get(level, 1) if value is None else value + 1
        if expected != number:
            self.overrides.append({level: number})
            self.counters.append([None] * 5)
            current += 1
            counters = self.counters[current]
        counters[level] = number
        for lower in range(level + 1, 5):
            counters[lower] = None
        return current + 1


def _run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{xml_escape(text)}</w:t></w:r>'


def as_docx(text: str) -> bytes:
    """``text`` as a .docx: labels as automatic numbering, tab-separated lines as table rows."""
    lists = _Lists()
    body: list[str] = []
    rows: list[str] = []

    def end_table() -> None:
        if rows:
            body.append("<w:tbl><w:tblPr/>" + "".join(rows) + "</w:tbl>")
            rows.clear()

    for line in text.splitlines():
        if "\t" in line:
            cells = "".join(f"<w:tc><w:p>{_run(cell)}</w:p></w:tc>" for cell in line.split("\t"))
            rows.append(f"<w:tr>{cells}</w:tr>")
            continue
        end_table()
        labelled = split_label(line.strip())
        if labelled is None:
            body.append(f"<w:p>{_run(line)}</w:p>" if line.strip() else "<w:p/>")
            continue
        level, number, rest = labelled
        num_id = lists.num_for(level, number)
        number_pr = f'<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'
        body.append(f"<w:p><w:pPr>{number_pr}</w:pPr>{_run(rest)}</w:p>")
    end_table()
    levels = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{lvl_text}"/><w:suff w:val="nothing"/></w:lvl>'
        for i, (_, fmt, lvl_text) in enumerate(LEVELS)
    )
    nums = "".join(
        f'<w:num w:numId="{i + 1}"><w:abstractNumId w:val="0"/>'
        + "".join(
            f'<w:lvlOverride w:ilvl="{lvl}"><w:startOverride w:val="{start}"/></w:lvlOverride>'
            for lvl, start in overrides.items()
        )
        + "</w:num>"
        for i, overrides in enumerate(lists.overrides)
    )
    numbering = f'<w:numbering {W}><w:abstractNum w:abstractNumId="0">{levels}</w:abstractNum>{nums}</w:numbering>'
    document = f"<w:document {W}><w:body>{''.join(body)}<w:sectPr/></w:body></w:document>"
    return package({"word/document.xml": document, "word/numbering.xml": numbering})


def package(parts: dict[str, str | bytes]) -> bytes:
    """A .docx package with the given parts (and the boilerplate Word always writes)."""
    boilerplate = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>'
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in {**boilerplate, **parts}.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def as_web_page(text: str, meta: dict[str, str]) -> bytes:
    """``text`` as a government CMS page, with ``meta`` in its header table."""
    body: list[str] = []
    rows: list[str] = []

    def end_table() -> None:
        if rows:
            body.append("<table>" + "".join(rows) + "</table>")
            rows.clear()

    for line in text.splitlines():
        if "\t" in line:
            rows.append(
                "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in line.split("\t")) + "</tr>"
            )
            continue
        end_table()
        if not line.strip():
            body.append("<p><br/></p>")
            continue
        half = len(line) // 2  # inline runs inside a sentence, as editors leave them
        body.append(
            f'<p style="text-indent:2em"><span class="s1">{escape(line[:half])}</span>'
            f'<span style="font-family:仿宋">{escape(line[half:])}</span></p>'
        )
    end_table()
    labels = {"issuer": "发文机关", "doc_number": "发文字号", "issued": "成文日期"}
    cells = "".join(
        f"<tr><td><b>{labels[key]}：</b></td><td>{escape(value)}</td></tr>"
        for key, value in meta.items()
        if key in labels
    )
    page = f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>政策文件 - 某市人民政府</title>
<script>var nav = "首页";</script><style>.TRS_Editor p {{ margin: 0 }}</style></head>
<body>
<div class="header"><ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a>
</li><li><a href="/hd/">互动交流</a></li></ul></div>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政策文件</a></div>
<table class="xxgk"><tr><td><b>索引号：</b></td><td>000014349/2023-00012</td></tr>{cells}</table>
<div class="article">
<div class="TRS_Editor">
{"".join(body)}
</div>
<div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a> 【<a href="#">打印</a>】
【<a href="#">关闭</a>】</div>
<div class="qr">扫一扫在手机打开当前页</div>
</div>
<div class="footer">主办单位：某市人民政府办公室 网站标识码：1234567890</div>
</body></html>"""
    return page.encode("utf-8")
