"""The PDF reader: gold plans printed as GB/T 9704 lays them out, and the real PDFs of ../shared."""

from __future__ import annotations

import functools
import importlib.util
import io
import shutil
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from planc.compile import compile_document, compile_text
from planc.errors import PlancError
from planc.model import Plan
from planc.read import pdf, read_path
from planc.read.document import Document
from tests.conftest import SHARED, shared_path

FONT = "STSong-Light"
MM = 72 / 25.4
PAGE_W, PAGE_H = 210 * MM, 297 * MM
LEFT, TOP = 28 * MM, 37 * MM  # GB/T 9704: 28 mm left margin, 37 mm top margin
COLUMNS, ROWS = 28, 22  # characters a line, lines a page
BODY_W, BODY_H = 156 * MM, 225 * MM
SIZE = BODY_W / COLUMNS  # 3号 type set solid, 28 to the line
PITCH = BODY_H / ROWS
NO_LINE_START = "。，、；：？！）》」』”’…—%"
FIELDS = ("meta", "structure", "heading", "deadlines", "targets", "owners")


def gold_plans() -> list[str]:
    """The stems of the gold files, when ../shared is there (the tests skip otherwise)."""
    return sorted(p.stem for p in (SHARED / "gold").glob("*.yaml")) if SHARED.exists() else []


def plan_text(stem: str) -> Path:
    for folder in ("seeds", "corpus"):
        path = SHARED / folder / f"{stem}.txt"
        if path.exists():
            return path
    return shared_path("seeds", f"{stem}.txt")


def _canvas(buffer: io.BytesIO, **options: Any) -> Any:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return canvas.Canvas(buffer, pagesize=(PAGE_W, PAGE_H), **options)


def _wrap(paragraph: str) -> list[str]:
    """The paragraph's lines: two characters of indent, then 28 characters a line."""
    from reportlab.pdfbase import pdfmetrics

    lines: list[str] = []
    line, used = "", 2 * SIZE  # the first line starts after the indent
    for ch in paragraph:
        width = pdfmetrics.stringWidth(ch, FONT, SIZE)
        if used + width > BODY_W + 0.01:
            carried = ""
            if ch in NO_LINE_START and len(line) > 1:  # 避头尾: a stop never opens a line
                line, carried = line[:-1], line[-1]
            lines.append(line)
            line, used = carried, pdfmetrics.stringWidth(carried, FONT, SIZE)
        line += ch
        used += width
    return [*lines, line] if line else lines


def render_gbt9704(text: str, header: str, footer: str = "— {n} —", **options: Any) -> bytes:
    """The plan printed as GB/T 9704 sets it: a running header, `— N —` at the foot."""
    buffer = io.BytesIO()
    pdf_canvas = _canvas(buffer, **options)
    lines: list[tuple[bool, str]] = []
    for paragraph in text.split("\n"):
        if paragraph.strip():
            lines += [(i == 0, line) for i, line in enumerate(_wrap(paragraph.strip()))]
    pages = [lines[i : i + ROWS] for i in range(0, len(lines), ROWS)]
    for number, page in enumerate(pages, start=1):
        pdf_canvas.setFont(FONT, 10.5)
        pdf_canvas.drawCentredString(PAGE_W / 2, PAGE_H - 20 * MM, header.format(n=number))
        pdf_canvas.line(LEFT, PAGE_H - 22 * MM, LEFT + BODY_W, PAGE_H - 22 * MM)
        pdf_canvas.setFont(FONT, SIZE)
        for row, (first, line) in enumerate(page):
            baseline = PAGE_H - TOP - SIZE - row * PITCH
            pdf_canvas.drawString(LEFT + (2 * SIZE if first else 0), baseline, line)
        pdf_canvas.setFont(FONT, 14)
        pdf_canvas.drawCentredString(PAGE_W / 2, 20 * MM, footer.format(n=number))
        pdf_canvas.showPage()
    pdf_canvas.save()
    return buffer.getvalue()


@pytest.fixture(scope="session")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every gold plan as a PDF, made once a session."""
    folder = tmp_path_factory.mktemp("gbt9704")
    out: dict[str, Path] = {}
    for stem in gold_plans():
        text = plan_text(stem).read_text(encoding="utf-8")
        path = folder / f"{stem}.pdf"
        path.write_bytes(render_gbt9704(text, header=f"{stem[:12]} 政府信息公开"))
        out[stem] = path
    return out


def _scorer() -> ModuleType:
    path = shared_path("tools", "score.py")
    spec = importlib.util.spec_from_file_location("planc_gold_score_pdf", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read_pdf(path: Path) -> Document:
    doc = pdf.read(path.read_bytes(), str(path), 64 << 20)
    check_shape(doc)
    return doc


def check_shape(doc: Document) -> None:
    """The text is its blocks, one a line, in order; a row's cells are its tab-separated parts."""
    assert doc.text.endswith("\n")
    lines = doc.text[:-1].split("\n")
    assert len(lines) == len(doc.blocks)
    offset = 0
    for line, block in zip(lines, doc.blocks, strict=True):
        assert (block.start, block.end) == (offset, offset + len(line))
        offset += len(line) + 1
        if block.kind == "row":
            assert [doc.text[a:b] for a, b in block.cells] == line.split("\t")
        else:
            assert not block.cells and "\t" not in line and line == line.rstrip() and line.strip()
        assert block.page is not None and doc.page_at(block.start) <= block.page


@pytest.mark.parametrize("stem", gold_plans())
def test_a_gold_plan_printed_to_pdf_scores_as_its_text(
    stem: str, rendered: dict[str, Path]
) -> None:
    gold = yaml.safe_load(shared_path("gold", f"{stem}.yaml").read_text(encoding="utf-8"))
    scorer = _scorer()
    text = plan_text(stem).read_text(encoding="utf-8")
    from_text = scorer.score(gold, compile_text(text).model_dump(mode="json"))
    # What any reader gives: the typed paragraphs, one a line (the .txt also has blank lines).
    paragraphs = "".join(f"{line.strip()}\n" for line in text.split("\n") if line.strip())
    from_paragraphs = scorer.score(gold, compile_text(paragraphs).model_dump(mode="json"))
    doc = read_pdf(rendered[stem])
    from_pdf = scorer.score(gold, compile_document(doc).model_dump(mode="json"))
    for field in FIELDS:
        got = from_pdf[field].f1
        assert got == pytest.approx(from_paragraphs[field].f1, abs=0.01), (
            field,
            from_pdf[field].misses,
        )
        # Never worse than the .txt (one plan, sh-jtw-2024, scores higher without blank lines).
        assert got >= from_text[field].f1 - 0.01, (field, from_pdf[field].misses)
    # Page numbers and the running header are gone; every page starts somewhere in the text.
    assert "— 1 —" not in doc.text and "政府信息公开" not in doc.text
    assert len(doc.page_starts) == len(pdf.pdfium.PdfDocument(rendered[stem].read_bytes()))
    assert list(doc.page_starts) == sorted(doc.page_starts)


def test_paragraphs_are_the_typed_ones_and_know_their_page() -> None:
    clause = (
        "（一）建设城市数据资源体系。年底前完成全市公共数据目录编制，归集数据"
        "不少于1.5亿条，由市数据局牵头，各区政府配合，按季度报送进展情况。\n"
    )
    text = "2024年某市数据工作要点\n一、夯实数据基础\n" + clause * 9
    doc = pdf.read(render_gbt9704(text, header="某市人民政府公报"), "plan.pdf", 1 << 24)
    paragraphs = [doc.text[b.start : b.end] for b in doc.blocks]
    assert paragraphs == [line for line in text.split("\n") if line]
    assert doc.format == "pdf" and doc.page_starts[0] == 0 and len(doc.page_starts) == 2
    # The paragraph cut by the page break belongs to the page it starts on, the next to page 2.
    assert [b.page for b in doc.blocks][-1] == 2
    assert doc.page_at(doc.page_starts[1]) == 2


def test_a_number_broken_across_pages_is_joined() -> None:
    filler = "（一）推进数据要素市场化配置改革，完善数据产权制度和收益分配制度。\n" * 10
    # The last paragraph fills page 1 to its final character and carries on over the page.
    tail = "（二）建设数据基础设施。" + "建" * 67 + "全年新建5G基站12000个。\n"
    doc = pdf.read(render_gbt9704(filler + tail, header="某市公报"), "plan.pdf", 1 << 24)
    assert "全年新建5G基站12000个。" in doc.text
    plan = compile_text(doc.text)
    assert any(t.value == 12000 for c in plan.walk() for t in c.targets)


def test_a_slanted_watermark_is_not_read_and_a_turned_page_is() -> None:
    buffer = io.BytesIO()
    pdf_canvas = _canvas(buffer)
    lines = [
        "2024年某市数据工作要点",
        "一、夯实数据基础",
        "（一）年底前完成公共数据目录编制，由市数据局牵头。",
        "（二）建成城市数据资源平台1个。",
    ]
    for turned in (False, True):
        pdf_canvas.saveState()
        pdf_canvas.setFont(FONT, 40)
        pdf_canvas.setFillColorRGB(0.8, 0.8, 0.8)
        pdf_canvas.translate(PAGE_W / 4, PAGE_H / 3)
        pdf_canvas.rotate(50)
        pdf_canvas.drawString(0, 0, "征求意见稿 内部资料")
        pdf_canvas.restoreState()
        pdf_canvas.saveState()
        if turned:  # a table page set on its side: text runs up the page
            pdf_canvas.translate(PAGE_W, 0)
            pdf_canvas.rotate(90)
        pdf_canvas.setFont(FONT, SIZE)
        for row, line in enumerate(lines[:2] if not turned else lines[2:]):
            pdf_canvas.drawString(LEFT, (PAGE_W if turned else PAGE_H) - TOP - row * PITCH, line)
        pdf_canvas.restoreState()
        pdf_canvas.showPage()
    pdf_canvas.save()
    doc = pdf.read(buffer.getvalue(), "marked.pdf", 1 << 24)
    assert doc.text == "".join(f"{line}\n" for line in lines)
    assert [b.page for b in doc.blocks] == [1, 1, 2, 2]


def test_a_browsers_header_and_footer_are_dropped() -> None:
    clauses = [
        f"{n}.建设第{n}个城市数据资源平台，年底前完成公共数据目录编制。\n" for n in range(40)
    ]
    text = "某市数据工作要点\n一、夯实数据基础\n" + "".join(clauses)
    data = render_gbt9704(
        text,
        header="2024/3/5 10:3{n} 某市数据工作要点_某市人民政府门户网站",
        footer="https://www.example.gov.cn/zwgk/2024/0305/content_1{n}.html {n}/3",
    )
    doc = pdf.read(data, "printed.pdf", 1 << 24)
    assert doc.text == "".join(f"{line}\n" for line in text.split("\n") if line)


@pytest.mark.skipif(shutil.which("antiword") is None, reason="needs antiword on PATH")
def test_the_libreoffice_pdf_compiles_as_its_doc() -> None:
    folder = ("corpus", "formats")
    doc_path = shared_path(*folder, "hainan-2024-agri-machinery-subsidy-impl-plan.doc")
    pdf_path = shared_path(*folder, "hainan-2024-agri-machinery-subsidy-impl-plan.libreoffice.pdf")
    from_doc = compile_document(read_path(str(doc_path)), str(doc_path))
    from_pdf = compile_document(read_pdf(pdf_path), str(pdf_path))
    assert len(from_pdf.clauses) == 7
    assert _flat(from_pdf) == _flat(from_doc)
    assert from_pdf.meta.recipients == from_doc.meta.recipients
    assert (from_pdf.meta.title, from_pdf.meta.issued) == (
        from_doc.meta.title,
        from_doc.meta.issued,
    )


@pytest.mark.parametrize(
    "footer", ["— {n} —", "- {n} -", "第{n}页", "第 {n} 页 共 3 页", "{n}/3", "{n}", "Page {n}"]
)
def test_page_numbers_as_offices_print_them_are_dropped(footer: str) -> None:
    clauses = [f"{n}.推进第{n}批政务数据共享，年内完成接口改造{n}0个。\n" for n in range(1, 50)]
    text = "某市数据共享工作方案\n" + "".join(clauses)
    doc = pdf.read(render_gbt9704(text, header="", footer=footer), "numbered.pdf", 1 << 24)
    assert doc.text == text
    assert len(doc.page_starts) == 3


def _ruled_table(pdf_canvas: Any, top: float, rows: list[list[str]], widths: list[float]) -> None:
    """Draw ``rows`` as a ruled table from ``top`` down, 22 pt a text line, cells wrapped."""
    y = top
    xs = [LEFT]
    for width in widths:
        xs.append(xs[-1] + width)
    for row in rows:
        height = 22 * max(len(cell.split("\n")) for cell in row)
        for x, cell in zip(xs, row, strict=False):
            for k, part in enumerate(cell.split("\n")):
                pdf_canvas.drawString(x + 3, y - 16 - 22 * k, part)
        pdf_canvas.line(xs[0], y, xs[-1], y)
        for x in xs:
            pdf_canvas.line(x, y, x, y - height)
        y -= height
    pdf_canvas.line(xs[0], y, xs[-1], y)


@pytest.mark.parametrize("header_repeated", [False, True])
def test_a_table_row_cut_by_the_page_break_is_one_row(header_repeated: bool) -> None:
    buffer = io.BytesIO()
    pdf_canvas = _canvas(buffer)
    pdf_canvas.setFont(FONT, 12)
    pdf_canvas.drawString(LEFT, PAGE_H - TOP, "附件：重点任务分解表")
    widths = [40.0, 150.0, 250.0]
    head = [["序号", "任务", "牵头单位和完成时限"]]
    filler = [[str(n), f"完成第{n}项任务", "市数据局，2024年底前"] for n in range(1, 26)]
    cut = [["26", "建设城市数据平台", "市数据局牵头，"]]
    _ruled_table(pdf_canvas, PAGE_H - TOP - 20, head + filler + cut, widths)
    pdf_canvas.showPage()
    pdf_canvas.setFont(FONT, 12)
    rest = [
        ["", "", "市财政局配合，2024年6月底前"],
        ["27", "开放公共数据集", "市数据局，2024年底前"],
    ]
    _ruled_table(pdf_canvas, PAGE_H - TOP, (head if header_repeated else []) + rest, widths)
    pdf_canvas.showPage()
    pdf_canvas.save()
    doc = pdf.read(buffer.getvalue(), "table.pdf", 1 << 24)
    rows = [doc.text[b.start : b.end].split("\t") for b in doc.blocks if b.kind == "row"]
    assert rows[0] == head[0] and len(rows) == 1 + 25 + 1 + 1
    assert rows[-2] == ["26", "建设城市数据平台", "市数据局牵头，市财政局配合，2024年6月底前"]
    assert rows[-1] == rest[1]
    assert [b.page for b in doc.blocks if b.kind == "row"][-2:] == [1, 2]


def test_a_page_shown_turned_reads_in_its_own_order() -> None:
    buffer = io.BytesIO()
    pdf_canvas = _canvas(buffer)
    pages = [
        ["附件", "重点任务分解表", "一、年底前建成社区医院20家，由市卫健委牵头。"],
        ["二、年底前培训全科医生100人，由市人社局负责。"],
    ]
    for number, lines in enumerate(pages, start=1):
        pdf_canvas.setPageRotation(90)  # landscape media, shown turned
        pdf_canvas.setFont(FONT, 10.5)
        pdf_canvas.drawCentredString(PAGE_H / 2, PAGE_W - 12 * MM, "某市人民政府公报")
        pdf_canvas.setFont(FONT, 12)
        for row, line in enumerate(lines):
            pdf_canvas.drawString(LEFT, PAGE_W - TOP - row * 24, line)
        pdf_canvas.drawCentredString(PAGE_H / 2, 12 * MM, f"— {number} —")
        pdf_canvas.showPage()
    pdf_canvas.save()
    doc = pdf.read(buffer.getvalue(), "landscape.pdf", 1 << 24)
    assert doc.text == "".join(f"{line}\n" for lines in pages for line in lines)


def _scan_like(marks: int) -> bytes:
    buffer = io.BytesIO()
    pdf_canvas = _canvas(buffer)
    for _ in range(marks):
        pdf_canvas.setFont(FONT, 9)
        pdf_canvas.drawString(PAGE_W - 40 * MM, 10 * MM, "扫描全能王 创建")
        pdf_canvas.showPage()
    pdf_canvas.save()
    return buffer.getvalue()


@pytest.mark.parametrize("pages", [1, 3])
def test_a_pdf_with_only_a_watermark_needs_ocr(pages: int) -> None:
    with pytest.raises(PlancError, match=r"no text layer.*OCR"):
        pdf.read(_scan_like(pages), "scan.pdf", 1 << 24)


def test_text_its_fonts_do_not_map_needs_ocr() -> None:
    buffer = io.BytesIO()
    pdf_canvas = _canvas(buffer)
    pdf_canvas.setFont(FONT, 12)
    for row in range(10):  # what a font without a ToUnicode map reads as: private-use codes
        pdf_canvas.drawString(LEFT, PAGE_H - TOP - row * 20, "\ue001\ue002\ue003 一、" * 5)
    pdf_canvas.showPage()
    pdf_canvas.save()
    with pytest.raises(PlancError, match="no ToUnicode"):
        pdf.read(buffer.getvalue(), "garbled.pdf", 1 << 24)


def test_the_real_scan_is_refused_with_the_ocr_message() -> None:
    path = shared_path(
        "corpus", "formats", "moa-2025-agri-machinery-subsidy-youji-opinion.scan.pdf"
    )
    with pytest.raises(PlancError, match=r"no text layer.*OCR") as caught:
        read_pdf(path)
    assert "\n" not in str(caught.value)


def test_encrypted_and_damaged_pdfs_are_refused_in_one_line() -> None:
    from reportlab.lib.pdfencrypt import StandardEncryption

    locked = render_gbt9704(
        "一、总体要求\n", header="公报", encrypt=StandardEncryption("secret", canPrint=0)
    )
    with pytest.raises(PlancError, match="encrypted"):
        pdf.read(locked, "locked.pdf", 1 << 24)
    whole = render_gbt9704("一、总体要求\n", header="公报")
    for bad in (whole[: len(whole) // 3], b"%PDF-1.7\n" + b"\x00" * 200):
        with pytest.raises(PlancError, match="damaged"):
            pdf.read(bad, "bad.pdf", 1 << 24)
    with pytest.raises(PlancError, match="not a PDF"):
        pdf.read(b"plain text", "x.pdf", 1 << 24)
    with pytest.raises(PlancError, match="larger than"):
        pdf.read(whole, "big.pdf", 100)


def test_a_ruled_table_is_read_as_rows_of_cells() -> None:
    buffer = io.BytesIO()
    pdf_canvas = _canvas(buffer)
    pdf_canvas.setFont(FONT, 12)
    pdf_canvas.drawString(LEFT, PAGE_H - TOP, "2024年重点任务分解表")
    rows = [
        ("序号", "任务", "牵头单位", "完成时限"),
        ("1", "建成社区医院20家", "市卫健委", "2024年6月底前"),
    ]
    xs = [LEFT, LEFT + 40, LEFT + 230, LEFT + 330, LEFT + 440]
    top = PAGE_H - TOP - 20
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            pdf_canvas.drawString(xs[c] + 4, top - 20 * r - 15, cell)
    for r in range(len(rows) + 1):
        pdf_canvas.line(xs[0], top - 20 * r, xs[-1], top - 20 * r)
    for x in xs:
        pdf_canvas.line(x, top, x, top - 20 * len(rows))
    pdf_canvas.showPage()
    pdf_canvas.save()
    doc = pdf.read(buffer.getvalue(), "table.pdf", 1 << 24)
    assert (
        doc.text
        == "2024年重点任务分解表\n序号\t任务\t牵头单位\t完成时限\n1\t建成社区医院20家\t市卫健委\t2024年6月底前\n"
    )
    row = doc.blocks[-1]
    assert row.kind == "row" and row.page == 1
    assert [doc.text[a:b] for a, b in row.cells] == list(rows[1])


def test_a_red_header_gives_issuer_number_title_and_date() -> None:
    buffer = io.BytesIO()
    pdf_canvas = _canvas(buffer)
    pdf_canvas.setFillColorRGB(0.9, 0.1, 0.1)
    pdf_canvas.setFont(FONT, 30)
    pdf_canvas.drawCentredString(PAGE_W / 2, PAGE_H - TOP, "某市人民政府办公室文件")
    pdf_canvas.setFillColorRGB(0, 0, 0)
    pdf_canvas.setFont(FONT, SIZE)
    pdf_canvas.drawCentredString(PAGE_W / 2, PAGE_H - TOP - 60, "某政办〔2024〕12号")
    pdf_canvas.setFont(FONT, 22)
    pdf_canvas.drawCentredString(PAGE_W / 2, PAGE_H - TOP - 110, "关于印发某市数据工作要点的通知")
    pdf_canvas.setFont(FONT, SIZE)
    body = ["各区人民政府，市政府各部门：", "现将《某市数据工作要点》印发给你们，请认真贯彻执行。"]
    for i, line in enumerate(body):
        pdf_canvas.drawString(LEFT + (2 * SIZE if i else 0), PAGE_H - TOP - 160 - i * PITCH, line)
    pdf_canvas.drawString(LEFT + 16 * SIZE, PAGE_H - TOP - 160 - 4 * PITCH, "2024年3月5日")
    pdf_canvas.showPage()
    pdf_canvas.save()
    doc = pdf.read(buffer.getvalue(), "notice.pdf", 1 << 24)
    assert doc.meta == {
        "issuer": "某市人民政府办公室",
        "doc_number": "某政办〔2024〕12号",
        "title": "关于印发某市数据工作要点的通知",
        "issued": "2024年3月5日",
    }


# --- the real files of ../shared/corpus/formats -------------------------------------------------


def _flat(plan: Plan) -> list[tuple[Any, ...]]:
    return [
        (
            c.id,
            c.label,
            c.heading,
            sorted(str((d.due, d.start)) for d in c.deadlines),
            sorted(str((t.value, t.max, t.unit)) for t in c.targets),
            sorted(o.name for o in c.owners),
        )
        for c in plan.walk()
    ]


def test_the_word_export_pdf_compiles_as_its_docx() -> None:
    folder = ("corpus", "formats")
    docx_path = shared_path(*folder, "nda-2024-trusted-data-space-action-plan-draft.docx")
    pdf_path = shared_path(*folder, "nda-2024-trusted-data-space-action-plan-draft.word-export.pdf")
    from_docx = compile_document(read_path(str(docx_path)), str(docx_path))
    doc = read_pdf(pdf_path)
    from_pdf = compile_document(doc, str(pdf_path))
    assert len(from_pdf.clauses) == 5
    assert _flat(from_pdf) == _flat(from_docx)
    assert from_pdf.meta.model_dump(exclude={"spans"}) == from_docx.meta.model_dump(
        exclude={"spans"}
    )
    assert from_pdf.source.format == "pdf"
    # The task table spans pages 8 to 10; the row cut at page 8's foot is one row again.
    rows = [b for b in doc.blocks if b.kind == "row"]
    assert len(rows) == 15 and [b.page for b in rows][:3] == [8, 8, 9]
    assert doc.text[rows[1].start : rows[1].end].endswith("进行规范性审查。")
    # A span knows its page: the table's first deadline-free clause text sits on page 8.
    assert from_pdf.clauses[0].span.page == doc.page_at(from_pdf.clauses[0].span.start)


def test_the_libreoffice_pdf_gives_the_plan_clauses() -> None:
    path = shared_path(
        "corpus", "formats", "hainan-2024-agri-machinery-subsidy-impl-plan.libreoffice.pdf"
    )
    doc = read_pdf(path)
    # Invisible white boxes behind the text are not tables; the page break inside 收获|机 joins.
    assert not any(b.kind == "row" for b in doc.blocks)
    assert "履带式收获机补贴额" in doc.text
    plan = compile_text(doc.text)
    headings = [c.heading for c in plan.clauses]
    assert headings[:7] == [
        "总体要求",
        "实施重点",
        "补贴范围和补贴机具",
        "补贴对象和补贴标准",
        "资金分配和使用",
        "操作实施流程",
        "实施要求",
    ]
    assert doc.meta["issued"] == "2024年7月1日"


def test_the_browser_print_joins_sentences_across_pages() -> None:
    path = shared_path("corpus", "formats", "cpc-2017-19th-congress-report.browser-print.pdf")
    doc = read_pdf(path)
    assert len(doc.page_starts) == 29
    assert "粮食生产能力达到一万二千亿斤" in doc.text
    # A page break ends a paragraph only where the paragraph ends: after a stop or a heading.
    for start in doc.page_starts[1:]:
        block = next(b for b in doc.blocks if b.start <= start <= b.end + 1)
        if block.end < start:
            before = doc.text[block.start : block.end]
            assert before[-1] in "。！？：；”）" or len(before) < 40, before
    assert compile_text(doc.text).clauses[0].heading == "过去五年的工作和历史性变革"


@functools.cache
def small_pdf() -> bytes:
    """Two pages: text, and a ruled table (so pdfplumber is asked too)."""
    buffer = io.BytesIO()
    pdf_canvas = _canvas(buffer)
    pdf_canvas.setFont(FONT, 12)
    pdf_canvas.drawString(
        LEFT, PAGE_H - TOP, "一、重点任务：年底前建成社区医院20家，由市卫健委牵头。"
    )
    pdf_canvas.showPage()
    pdf_canvas.setFont(FONT, 12)
    rows = [["序号", "任务", "牵头单位"], ["1", "建成社区医院20家", "市卫健委"]]
    _ruled_table(pdf_canvas, PAGE_H - TOP, rows, [40.0, 200.0, 150.0])
    pdf_canvas.showPage()
    pdf_canvas.save()
    return buffer.getvalue()


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_a_damaged_pdf_is_read_or_refused_never_a_crash(data: st.DataObject) -> None:
    whole = small_pdf()
    cut = data.draw(st.integers(min_value=0, max_value=len(whole)))
    flips = data.draw(st.lists(st.integers(min_value=0, max_value=len(whole) - 1), max_size=8))
    damaged = bytearray(whole[:cut] + whole[cut:] if data.draw(st.booleans()) else whole[:cut])
    for at in flips:
        if at < len(damaged):
            damaged[at] ^= 0x5A
    try:
        doc = pdf.read(bytes(damaged), "damaged.pdf", 1 << 24)
    except PlancError as error:
        assert "\n" not in str(error)
    else:
        assert doc.format == "pdf" and doc.text.strip()
