"""Time and peak memory of `planc parse` on hostile .docx, PDF, web-page and OFD files (issue 14:
no input up to the default --max-bytes may take more than 2 GB or 60 s, in any format).

Each file is built here, at the size that hurt before or at the readers' own caps (the unpack
budget of a zip package, the page and character caps of a PDF or OFD), and compiled by one
`planc parse` in a fresh process, as a user runs it. Not a test: `make bench` runs it.

    .venv/bin/python bench/bench_hostile_formats.py
    .venv/bin/python bench/bench_hostile_formats.py --only docx
"""

from __future__ import annotations

import io
import struct
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_hostile import row, run  # noqa: E402

from planc.read.layout import MAX_PAGES, MAX_TOTAL_CHARS  # noqa: E402
from planc.read.package import UNPACK_RATIO  # noqa: E402
from planc.source import DEFAULT_MAX_BYTES  # noqa: E402
from tests.test_fuzz_docx import CONTENT_TYPES, RELS, W  # noqa: E402
from tests.test_read_ofd import make_ofd, text_object  # noqa: E402
from tests.test_read_pdf import FONT, PAGE_H, TOP, _canvas, _ruled_table  # noqa: E402

SAMPLE = ROOT / "sources" / "2023" / "nanyang-tcm-2023.txt"
BUDGET = UNPACK_RATIO * DEFAULT_MAX_BYTES  # what a .docx may unpack to


def _r(text: str) -> str:
    return f"<w:r><w:t>{text}</w:t></w:r>"


def docx(body: Callable[[], Iterator[bytes]], declared: int | None = None) -> bytes:
    """A .docx whose document.xml is streamed from ``body``; ``declared`` overwrites the size
    its headers give (a part that lies about what it inflates to)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            part.write(f'<w:document xmlns:w="{W}"><w:body>'.encode())
            for chunk in body():
                part.write(chunk)
            part.write(b"</w:body></w:document>")
    data = bytearray(buffer.getvalue())
    if declared is not None:
        _declare(data, b"word/document.xml", declared)
    return bytes(data)


def _declare(data: bytearray, part: bytes, size: int) -> None:
    """Write ``size`` as the uncompressed size of ``part`` in its local and central headers
    (and in their zip64 extra fields, where the real size is kept)."""
    for signature, size_at, name_at, header in (
        (b"PK\x03\x04", 22, 26, 30),
        (b"PK\x01\x02", 24, 28, 46),
    ):
        at = -1
        while (at := data.find(signature, at + 1)) >= 0:
            name_length, extra_length = struct.unpack_from("<HH", data, at + name_at)
            start = at + header
            if data[start : start + name_length] != part:
                continue
            struct.pack_into("<I", data, at + size_at, size)
            extra = start + name_length
            end = extra + extra_length
            while extra + 4 <= end:  # zip64: tag 1, then the uncompressed size first
                tag, length = struct.unpack_from("<HH", data, extra)
                if tag == 1 and length >= 8:
                    struct.pack_into("<Q", data, extra + 4, size)
                extra += 4 + length


def repeat(piece: str, count: int, head: str = "", tail: str = "") -> Callable[[], Iterator[bytes]]:
    def chunks() -> Iterator[bytes]:
        yield head.encode()
        block = piece.encode() * max(1, min(count, 1 << 16))
        left = count
        while left > 0:
            take = min(left, 1 << 16)
            yield block if take == 1 << 16 else piece.encode() * take
            left -= take
        yield tail.encode()

    return chunks


def inflating(size: int) -> Callable[[], Iterator[bytes]]:
    """One paragraph, then ``size`` bytes of spaces: a zip bomb, compressed a thousandfold."""
    return repeat(" " * (1 << 20), size >> 20, f"<w:p>{_r('一、总体要求')}</w:p>")


def sample_paragraphs(size: int) -> Callable[[], Iterator[bytes]]:
    """The sample plan's lines as paragraphs, over and over, to about ``size`` bytes of XML."""
    lines = [line for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line.strip()]
    xml = "".join(f"<w:p>{_r(line)}</w:p>" for line in lines)
    return repeat(xml, size // len(xml.encode()))


SPAN = (
    f"<w:p>{_r('一、重点任务')}</w:p><w:tbl><w:tr><w:tc><w:tcPr>"
    '<w:gridSpan w:val="200000000"/></w:tcPr>'
    f"<w:p>{_r('1.建成示范中医馆')}</w:p></w:tc><w:tc><w:p>{_r('市卫健委')}</w:p></w:tc></w:tr></w:tbl>"
)
MERGED_ROW = (
    "<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc>"
    f"<w:tc><w:p>{_r('落实任务')}</w:p></w:tc></w:tr>"
)
TASK_ROW = (
    f"<w:tr><w:tc><w:p>{_r('（一）')}</w:p></w:tc><w:tc><w:p>{_r('到2025年底建成示范中医馆30个以上')}"
    f"</w:p></w:tc><w:tc><w:p>{_r('市卫健委')}</w:p></w:tc><w:tc><w:p>{_r('12月底前')}</w:p></w:tc></w:tr>"
)
EMPTY_ROW = "<w:tr><w:tc><w:p/></w:tc><w:tc><w:p/></w:tc></w:tr>"
MERGE_HEAD = (
    f'<w:p>{_r("一、工作")}</w:p><w:tbl><w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/>'
    f"</w:tcPr><w:p>{_r('市发改委')}</w:p></w:tc><w:tc><w:p>{_r('1.任务')}</w:p></w:tc></w:tr>"
)


def pdf_pages(pages: int, characters: int, ruled: bool = False) -> bytes:
    """``pages`` pages of plan text, ``characters`` a page (a ruled task table on each if
    ``ruled``), in reportlab's built-in STSong-Light."""
    text = SAMPLE.read_text(encoding="utf-8").replace("\n", "")
    buffer = io.BytesIO()
    canvas = _canvas(buffer)
    per_line = 40
    for page in range(pages):
        if ruled:
            rows = [["序号", "任务", "牵头单位"]] + [
                [str(n), f"完成第{n}项任务", "市卫健委"] for n in range(1, 16)
            ]
            _ruled_table(canvas, TOP, rows, [40, 300, 120])
        else:
            start = page * characters % max(1, len(text) - characters)
            body = text[start : start + characters]
            canvas.setFont(FONT, 10)
            for line in range(0, len(body), per_line):
                canvas.drawString(
                    40, PAGE_H - 40 - 12 * (line // per_line), body[line : line + per_line]
                )
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def ofd_pages(pages: int, lines: int) -> bytes:
    text = SAMPLE.read_text(encoding="utf-8").splitlines()
    return make_ofd(
        [
            [text_object(20, 20 + 6 * n, text[(page + n) % len(text)][:30]) for n in range(lines)]
            for page in range(pages)
        ]
    )


def html_page(body: str) -> bytes:
    return f"<html><head><meta charset='utf-8'><title>方案</title></head><body>{body}</body></html>".encode()


def nested_divs(depth: int) -> bytes:
    return html_page("<div>" * depth + "一、总体要求<p>（一）做好工作。</p>" + "</div>" * depth)


def table_page(size: int, rows: int = 0) -> bytes:
    row = "<tr><td>（一）</td><td>到2025年底建成示范中医馆30个以上</td><td>市卫健委</td></tr>"
    return html_page("<table>" + row * (rows or size // len(row.encode())) + "</table>")


def paragraphs_page(size: int) -> bytes:
    lines = [line for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line.strip()]
    unit = "".join(f"<p>{line}</p>" for line in lines)
    return html_page(unit * (size // len(unit.encode())))


FULL = DEFAULT_MAX_BYTES - 1_000
CASES: dict[str, tuple[str, Callable[[], bytes]]] = {  # name: (suffix, file)
    "docx: a cell spanning 200,000,000 columns": (
        "docx",
        lambda: docx(lambda: iter([SPAN.encode()])),
    ),
    "docx: 60,000 rows merged vertically": (
        "docx",
        lambda: docx(repeat(MERGED_ROW, 60_000, MERGE_HEAD, "</w:tbl>")),
    ),
    "docx: a merge continuing nothing, in the first row": (
        "docx",
        lambda: docx(repeat(MERGED_ROW, 10, "<w:tbl>", "</w:tbl>")),
    ),
    "docx: 31 million empty paragraphs": (
        "docx",
        lambda: docx(repeat("<w:p/>", 31_000_000, f"<w:p>{_r('一、总体要求')}</w:p>")),
    ),
    "docx: a part declaring 1,000 bytes, inflating to 3 GB": (
        "docx",
        lambda: docx(inflating(3 << 30), declared=1_000),
    ),
    "docx: 195 MB of plan paragraphs (the unpack budget)": (
        "docx",
        lambda: docx(sample_paragraphs(BUDGET - 5_000_000)),
    ),
    "pdf: 2,000 pages of 500 characters (the caps)": ("pdf", lambda: pdf_pages(2_000, 500)),
    "pdf: 1,001 pages of 1,000 characters": ("pdf", lambda: pdf_pages(1_001, 1_000)),
    "docx: 195 MB of task-table rows (the unpack budget)": (
        "docx",
        lambda: docx(
            repeat(TASK_ROW, (BUDGET - 5_000_000) // len(TASK_ROW.encode()), "<w:tbl>", "</w:tbl>")
        ),
    ),
    "docx: 195 MB of empty table rows": (
        "docx",
        lambda: docx(
            repeat(EMPTY_ROW, (BUDGET - 5_000_000) // len(EMPTY_ROW), "<w:tbl>", "</w:tbl>")
        ),
    ),
    "docx: 195 MB of rows nested in one cell": (
        "docx",
        lambda: docx(
            repeat(
                TASK_ROW,
                (BUDGET - 5_000_000) // len(TASK_ROW.encode()),
                "<w:tbl><w:tr><w:tc><w:tbl>",
                "</w:tbl><w:p/></w:tc></w:tr></w:tbl>",
            )
        ),
    ),
    "pdf: 2,000 pages with a ruled table each": ("pdf", lambda: pdf_pages(2_000, 0, ruled=True)),
    "pdf: 2,001 pages": ("pdf", lambda: pdf_pages(2_001, 10)),
    "html: 50 MB of paragraphs": ("html", lambda: paragraphs_page(FULL)),
    "html: 100,000 nested divs": ("html", lambda: nested_divs(100_000)),
    "html: a 50 MB task table": ("html", lambda: table_page(FULL)),
    "html: a task table of 1,990,000 elements (the cap)": ("html", lambda: table_page(0, 497_000)),
    "html: the same in a CMS container": (
        "html",
        lambda: table_page(0, 497_000).replace(b"<table>", b"<div class='TRS_Editor'><table>"),
    ),
    "ofd: 2,000 pages of 40 lines": ("ofd", lambda: ofd_pages(2_000, 40)),
    "ofd: one page of 195 MB": ("ofd", lambda: ofd_pages(1, (BUDGET - 5_000_000) // 420)),
}


def main() -> int:
    only = sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv else ""
    print(
        f"(caps: a PDF or OFD has at most {MAX_PAGES:,} pages and {MAX_TOTAL_CHARS:,} "
        f"characters; a .docx or OFD unpacks to at most {BUDGET:,} bytes)"
    )
    print("| input | MB | exit | seconds | peak MB | outcome |")
    print("|---|---:|---:|---:|---:|---|")
    with tempfile.TemporaryDirectory() as folder:
        for index, (name, (suffix, make)) in enumerate(CASES.items()):
            if only not in name:
                continue
            source = Path(folder) / f"case{index}.{suffix}"
            source.write_bytes(make())
            result = run("parse", str(source), "-f", "json", "-o", str(Path(folder) / "out.json"))
            row(f"parse: {name}", source.stat().st_size / 1e6, result)
            source.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
