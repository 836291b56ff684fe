"""Readers: every format gives the same plan (issue #12), and hostile .docx stays bounded (#14)."""

from __future__ import annotations

import importlib.util
import io
import shutil
import struct
import zipfile
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

from planc.compile import compile_document, compile_text
from planc.errors import PlancError
from planc.read import read, read_path, sniff
from planc.read.docx import format_number
from tests.conftest import SHARED, shared_path
from tests.renders import W, as_docx, as_web_page, package

FIELDS = ("meta", "structure", "heading", "deadlines", "targets", "owners")


def _score_module() -> ModuleType:
    path = shared_path("tools", "score.py")
    spec = importlib.util.spec_from_file_location("planc_score", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def gold_plans() -> list[str]:
    names = sorted(p.stem for p in (SHARED / "gold").glob("*.yaml"))
    return names or ["(no ../shared/gold)"]


def _plan_text(name: str) -> str:
    for folder in ("seeds", "corpus"):
        path = SHARED / folder / f"{name}.txt"
        if path.exists():
            return path.read_text(encoding="utf-8")
    pytest.skip(f"needs the text of {name} in ../shared/seeds or ../shared/corpus")


def _scores(name: str, parsed: dict[str, Any]) -> dict[str, float]:
    gold = yaml.safe_load(shared_path("gold", f"{name}.yaml").read_text(encoding="utf-8"))
    result = _score_module().score(gold, parsed)
    return {field: result[field].f1 for field in FIELDS}


def _docx(text: str) -> bytes:
    return as_docx(text)


@pytest.mark.parametrize("name", gold_plans())
@pytest.mark.parametrize("fmt", ["docx", "html"])
def test_every_gold_plan_scores_the_same_from_docx_and_html(name: str, fmt: str) -> None:
    text = _plan_text(name)
    plain = compile_text(text, path=f"{name}.txt")
    if fmt == "docx":
        data = as_docx(text)
    else:
        found = plain.meta.model_dump(mode="json")
        data = as_web_page(text, {k: v for k, v in found.items() if isinstance(v, str)})
    document = read(data, f"{name}.{fmt}")
    assert document.format == fmt
    want = _scores(name, plain.model_dump(mode="json"))
    got = _scores(name, compile_document(document, path=f"{name}.{fmt}").model_dump(mode="json"))
    for field in FIELDS:
        assert abs(got[field] - want[field]) <= 0.01, (field, got, want)


def test_docx_numbering_is_rendered_as_word_prints_it() -> None:
    text = "某市2024年工作要点\n一、总体要求\n（一）强化组织。\n（二）压实责任。\n1.建立台账。\n2.按月调度。\n二、重点任务\n（一）推进项目。\n"
    document = read(as_docx(text), "plan.docx")
    assert document.text == text
    assert [b.kind for b in document.blocks] == ["paragraph"] * 8


def test_number_formats() -> None:
    assert [format_number(n, "chineseCounting") for n in (1, 10, 11, 20, 21, 100, 105)] == [
        "一", "十", "十一", "二十", "二十一", "一百", "一百零五"
    ]  # fmt: skip
    assert format_number(10, "ideographDigital") == "一〇"
    assert format_number(3, "decimalEnclosedCircle") == "③"
    assert format_number(3, "decimalEnclosedParen") == "⑶"
    assert format_number(4, "upperRoman") == "IV"
    assert format_number(28, "lowerLetter") == "bb"


def _body(xml: str, numbering: str | None = None) -> bytes:
    parts: dict[str, str | bytes] = {
        "word/document.xml": f"<w:document {W}><w:body>{xml}</w:body></w:document>"
    }
    if numbering is not None:
        parts["word/numbering.xml"] = f"<w:numbering {W}>{numbering}</w:numbering>"
    return package(parts)


def _r(text: str) -> str:
    return f"<w:r><w:t>{text}</w:t></w:r>"


def test_docx_reads_what_word_shows() -> None:
    xml = (
        f"<w:p>{_r('一、')}<w:ins>{_r('加强')}</w:ins><w:del><w:r><w:delText>删去</w:delText>"
        f"</w:r></w:del>{_r('组织领导')}</w:p>"
        f"<w:sdt><w:sdtPr/><w:sdtContent><w:p>{_r('（一）控件里的段落。')}</w:p></w:sdtContent></w:sdt>"
        f'<w:p>{_r("截至")}<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText> DATE \\@ "yyyy" </w:instrText></w:r>'
        f'<w:r><w:fldChar w:fldCharType="separate"/></w:r>{_r("2024")}'
        f'<w:r><w:fldChar w:fldCharType="end"/></w:r>{_r("年底")}'
        f'<w:smartTag w:uri="u" w:element="date">{_r("完成")}</w:smartTag>'
        f'<w:hyperlink r:id="rId9" xmlns:r="r">{_r("链接")}</w:hyperlink>'
        f"<w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r></w:p>"
        "<w:tbl><w:tr>"
        f'<w:tc><w:tcPr><w:gridSpan w:val="3"/><w:vMerge w:val="restart"/></w:tcPr><w:p>{_r("牵头")}</w:p></w:tc>'
        f"<w:tc><w:p>{_r('外')}</w:p><w:tbl><w:tr><w:tc><w:p>{_r('内')}</w:p></w:tc>"
        f"<w:tc><w:p>{_r('表')}</w:p></w:tc></w:tr></w:tbl></w:tc>"
        "</w:tr><w:tr>"
        f"<w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p>{_r('牵头')}</w:p></w:tc><w:tc><w:p>{_r('二')}</w:p></w:tc>"
        "</w:tr></w:tbl>"
    )
    document = read(_body(xml), "plan.docx")
    assert (
        document.text
        == "一、加强组织领导\n（一）控件里的段落。\n截至2024年底完成链接\n牵头\t外 内 表\n\t二\n"
    )
    row = document.blocks[-2]
    assert row.kind == "row" and [document.text[s:e] for s, e in row.cells] == ["牵头", "外 内 表"]


def test_docx_numbering_restarts_and_level_text() -> None:
    numbering = (
        '<w:abstractNum w:abstractNumId="7">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>'
        '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/>'
        '<w:lvlRestart w:val="0"/></w:lvl>'
        '</w:abstractNum><w:num w:numId="3"><w:abstractNumId w:val="7"/></w:num>'
    )

    def item(level: int, text: str) -> str:
        return (
            f'<w:p><w:pPr><w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="3"/></w:numPr></w:pPr>'
            f"{_r(text)}</w:p>"
        )

    xml = "".join(
        [
            item(0, "总体要求"),
            item(1, "目标"),
            item(2, "甲"),
            item(1, "原则"),
            item(0, "任务"),
            item(1, "项目"),
            item(2, "乙"),
        ]
    )
    document = read(_body(xml, numbering), "plan.docx")
    # （N） restarts under each 一、; 1. never restarts (lvlRestart 0): it goes on to 2.
    assert (
        document.text == "一、总体要求\n（一）目标\n1.甲\n（二）原则\n二、任务\n（一）项目\n2.乙\n"
    )


# --- issue #14, cases 1-4: small crafted files that would take minutes or gigabytes -------------


def _cli(tmp_path: Path, name: str, data: bytes, *args: str) -> tuple[int, str, str]:
    from tests.test_parse import run_planc

    path = tmp_path / name
    path.write_bytes(data)
    result = run_planc("parse", str(path), "--format", "json", *args)
    return result.returncode, result.stdout.decode(), result.stderr.decode()


def test_a_cell_spanning_two_million_columns_is_read_once(tmp_path: Path) -> None:
    cell = (
        '<w:tc><w:tcPr><w:gridSpan w:val="2000000"/></w:tcPr>'
        f"<w:p>{_r('1.建成示范中医馆')}</w:p></w:tc>"
    )
    xml = f"<w:p>{_r('一、重点任务')}</w:p><w:tbl><w:tr>{cell}<w:tc><w:p>{_r('市卫健委')}</w:p></w:tc></w:tr></w:tbl>"
    data = _body(xml)
    assert read(data, "span.docx").text == "一、重点任务\n1.建成示范中医馆\t市卫健委\n"
    code, out, _ = _cli(tmp_path, "span.docx", data)
    assert code == 0 and '"label": "1."' in out


def test_vertical_merges_are_read_without_recursion(tmp_path: Path) -> None:
    first = f"<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p>{_r('续')}</w:p></w:tc><w:tc><w:p>{_r('首行')}</w:p></w:tc></w:tr>"
    merged = f'<w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p>{_r("市发改委")}</w:p></w:tc><w:tc><w:p>{_r("1.任务")}</w:p></w:tc></w:tr>'
    rest = f"<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc><w:tc><w:p>{_r('2.任务')}</w:p></w:tc></w:tr>"
    data = _body(f"<w:p>{_r('一、工作')}</w:p><w:tbl>{first}{merged}{rest * 3000}</w:tbl>")
    document = read(data, "merge.docx")
    lines = document.text.splitlines()
    assert lines[:4] == ["一、工作", "\t首行", "市发改委\t1.任务", "\t2.任务"]
    assert len(lines) == 3003 and document.text.count("市发改委") == 1
    code, _, err = _cli(tmp_path, "merge.docx", data)
    assert code == 0, err


def test_millions_of_empty_paragraphs_are_one_blank(tmp_path: Path) -> None:
    xml = (
        f"<w:p>{_r('一、总体要求')}</w:p>"
        + "<w:p/>" * 3_500_000
        + f"<w:p>{_r('二、保障措施')}</w:p>"
    )
    data = _body(xml)
    assert len(data) < 100_000
    assert read(data, "empty.docx").text == "一、总体要求\n\n二、保障措施\n"
    code, out, err = _cli(tmp_path, "empty.docx", data)
    assert code == 0 and '"label": "二、"' in out, err


def test_a_part_that_inflates_past_what_it_declares_is_refused(tmp_path: Path) -> None:
    honest = _body("<w:p><w:r><w:t>" + "一" * 100 + "</w:t></w:r></w:p>" + " " * 40_000_000)
    lying = bytearray(honest)
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):  # uncompressed size
        at = -1
        while (at := lying.find(signature, at + 1)) >= 0:
            name_length = struct.unpack_from("<H", lying, at + (26 if offset == 22 else 28))[0]
            start = at + (30 if offset == 22 else 46)
            if lying[start : start + name_length] == b"word/document.xml":
                struct.pack_into("<I", lying, at + offset, 1000)
    with zipfile.ZipFile(io.BytesIO(bytes(lying))) as archive:
        assert archive.getinfo("word/document.xml").file_size == 1000
    code, out, err = _cli(tmp_path, "bomb.docx", bytes(lying))
    assert (code, out) == (2, "") and err.count("\n") == 1 and "bomb.docx" in err
    # Declared honestly, the same part is refused at the limit, before it is inflated.
    code, _, err = _cli(tmp_path, "big.docx", honest, "--max-bytes", "1000000")
    assert code == 2 and "over the 4,000,000-byte limit" in err


def test_a_docx_stops_reading_at_the_line_cap(tmp_path: Path) -> None:
    """200 MB of table rows took a minute to read (nested in a cell, hours): the reader stops
    at the cap on lines."""
    row = f"<w:tr><w:tc><w:p>{_r('（一）建成示范中医馆')}</w:p></w:tc><w:tc><w:p>{_r('市卫健委')}</w:p></w:tc></w:tr>"
    data = _body(f"<w:p>{_r('一、重点任务')}</w:p><w:tbl>{row * 250}</w:tbl>")
    code, _, err = _cli(tmp_path, "rows.docx", data, "--max-clauses", "300")
    assert code == 0, err
    code, out, err = _cli(tmp_path, "rows.docx", data, "--max-clauses", "10")
    assert (code, out) == (2, "")
    assert err.endswith(
        "rows.docx: has more than the 200 paragraphs and table rows allowed "
        "(20 per clause of --max-clauses)\n"
    )
    # Lines broken inside one paragraph count as lines.
    broken = _body(
        f"<w:p>{_r('一、任务')}" + "<w:r><w:br/><w:t>第二行</w:t></w:r>" * 300 + "</w:p>"
    )
    code, _, err = _cli(tmp_path, "broken.docx", broken, "--max-clauses", "10")
    assert code == 2
    assert err.endswith("has more than the 200 lines allowed (20 per clause of --max-clauses)\n")


def test_deep_nesting_is_one_line(tmp_path: Path) -> None:
    xml = "<w:sdt><w:sdtContent>" * 5000 + "<w:p/>" + "</w:sdtContent></w:sdt>" * 5000
    code, _, err = _cli(tmp_path, "deep.docx", _body(xml))
    assert code == 2 and err.count("\n") == 1 and "Traceback" not in err


# --- dispatch by content -------------------------------------------------------------------------


def test_formats_are_known_by_content() -> None:
    assert sniff(b"%PDF-1.7\n") == "pdf"
    assert sniff(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100)) == "doc"
    assert sniff(_body("<w:p/>")) == "docx"
    assert sniff(b"\n<!-- saved -->\n<!DOCTYPE html><html>") == "html"
    assert sniff('<meta charset="gbk">一、总体要求'.encode()) == "html"
    assert sniff("一、总体要求\n（一）<b>不是网页</b>".encode()) == "txt"
    with pytest.raises(PlancError, match="zip archive"):
        sniff(package({"xl/workbook.xml": "<workbook/>"}), "book.xlsx")


def test_a_web_page_with_only_an_attachment_link_is_refused() -> None:
    page = (
        '<html><head><meta charset="utf-8"></head><body><div class="TRS_Editor">'
        "<p>附件：<a href='/files/P020240105.pdf'>关于印发2024年工作要点的通知.pdf</a></p>"
        "<p>相关文件下载请点击上方链接。</p></div></body></html>"
    )
    with pytest.raises(PlancError, match=r"only a link to an attachment: /files/P020240105\.pdf"):
        read(page.encode(), "page.html")


def test_a_page_nested_too_deep_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    """The HTML tree builder is quadratic in nesting depth (100,000 <div>s took 20 s)."""
    article = "<p>一、总体要求</p><p>（一）到2025年底，建成示范中医馆30个以上。</p>"
    wrapped = '<div class="TRS_Editor">' + "<div>" * 500 + article + "</div>" * 501
    page = f"<html><head><meta charset='utf-8'></head><body>{wrapped}</body></html>"
    assert read(page.encode(), "deep.html").text.startswith("一、总体要求\n（一）到2025年底")
    hostile = page.replace("<div>" * 500, "<div>" * 100_000).replace("</div>" * 501, "")
    code, out, err = _cli(tmp_path, "hostile.html", hostile.encode())
    assert (code, out) == (2, "")
    assert (
        err
        == f"planc: {tmp_path / 'hostile.html'}: is a web page nested more than 1,000 elements deep\n"
    )


def test_a_page_too_large_to_parse_is_refused_by_its_tags(tmp_path: Path) -> None:
    """A 50 MB table of 1.5 million rows took a minute and 2.5 GB before it was refused."""
    row = "<tr><td>（一）</td><td>建成示范中医馆</td><td>市卫健委</td></tr>"
    page = f"<html><body><div class='TRS_Editor'><p>一、任务</p><table>{row * 600}</table></div>"
    code, _, err = _cli(tmp_path, "table.html", page.encode(), "--max-clauses", "1000")
    assert code == 0, err
    code, _, err = _cli(tmp_path, "table.html", page.encode(), "--max-clauses", "10")
    assert code == 2 and "is a web page of more than 2,000 elements, the limit" in err
    # Under the tag cap, the rows read stop at the cap on lines.
    fewer = page.replace(row * 600, row * 300)
    code, _, err = _cli(tmp_path, "table.html", fewer.encode(), "--max-clauses", "10")
    assert code == 2
    assert err.endswith("has more than the 200 lines allowed (20 per clause of --max-clauses)\n")


def test_a_large_page_without_an_article_container_is_refused() -> None:
    """trafilatura, the fallback for a page without a container, takes 2.5 GB on 50 MB."""
    page = "<html><body>" + "<span>推进各项工作落实</span>" * 250_000 + "</body></html>"
    with pytest.raises(PlancError, match="too large for its fallback extractor"):
        read(page.encode(), "big.html")


def test_a_web_page_in_gbk_with_its_metadata_table() -> None:
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
        "</head><body><table><tr><td>发文机关：</td><td>某市人民政府办公室</td>"
        "<td>发文字号：</td><td>某政办〔2024〕3号</td></tr><tr><td>成文日期：</td>"
        "<td>2024年01月05日</td></tr></table><div id='zoom'><p>一、总体要求</p>"
        "<p>（一）到2024年底，新建<span>口袋公园</span>20个。</p><p>【打印本页】【关闭窗口】</p>"
        "</div></body></html>"
    )
    document = read(page.encode("gb18030"), "page.html")
    assert document.text == "一、总体要求\n（一）到2024年底，新建口袋公园20个。\n"
    assert document.meta == {
        "issuer": "某市人民政府办公室",
        "doc_number": "某政办〔2024〕3号",
        "issued": "2024年01月05日",
    }
    plan = compile_document(document, "page.html")
    assert (plan.meta.issuer, plan.meta.doc_number, str(plan.meta.issued)) == (
        "某市人民政府办公室",
        "某政办〔2024〕3号",
        "2024-01-05",
    )
    assert plan.source.format == "html" and "page" not in plan.clauses[0].span.model_dump()


# --- the real files of ../shared/corpus/formats --------------------------------------------------


def _clauses(path: Path) -> list[Any]:
    return list(compile_document(read_path(str(path)), str(path)).walk())


@pytest.mark.parametrize(
    ("name", "count"),
    [
        ("cpc-sc-2026-no1-document-rural-revitalization.docx", 33),
        ("nda-2024-trusted-data-space-action-plan-draft.docx", 45),
    ],
)
def test_real_docx_files_compile_to_clauses(name: str, count: int) -> None:
    clauses = _clauses(shared_path("corpus", "formats", name))
    assert len(clauses) == count
    assert [c.label for c in clauses[:2]] == ["一、", "（一）"] or clauses[0].label == "一、"


def test_the_real_web_page_gives_its_clauses_and_metadata() -> None:
    path = shared_path(
        "corpus", "formats", "nea-huabei-2019-spot-trade-revenue-allocation-plan.page.html"
    )
    document = read_path(str(path))
    for chrome in ("扫一扫", "网站地图", "字体", "打印"):
        assert chrome not in document.text
    plan = compile_document(document, str(path))
    assert [(c.label, c.heading) for c in plan.clauses] == [
        ("一、", "差额收益的计量"),
        ("二、", "管理方式"),
        ("三、", "分配原则"),
    ]
    assert plan.meta.doc_number == "华北监能市场〔2019〕228号"
    assert str(plan.meta.issued) == "2019-08-02"


@pytest.mark.skipif(
    shutil.which("antiword") is None, reason="needs antiword (apt-get install antiword)"
)
def test_the_real_doc_file_is_read_through_antiword() -> None:
    path = shared_path("corpus", "formats", "hainan-2024-agri-machinery-subsidy-impl-plan.doc")
    plan = compile_document(read_path(str(path)), str(path))
    assert plan.source.format == "doc"
    assert [c.label for c in plan.clauses] == [
        "一、",
        "二、",
        "三、",
        "四、",
        "五、",
        "六、",
        "七、",
    ]
    assert str(plan.meta.issued) == "2024-07-01"


def test_without_a_tool_a_doc_is_one_line_naming_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda _: None)
    with pytest.raises(PlancError, match="install antiword"):
        read(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "plan.wps")


# --- properties: any body XML reads or fails in one line; spans name their page ------------------

_ELEMENTS = ["p", "r", "t", "tbl", "tr", "tc", "ins", "del", "sdt", "sdtContent", "hyperlink",
             "fldSimple", "smartTag", "pPr", "numPr", "tcPr", "vMerge", "gridSpan", "br", "tab",
             "delText", "instrText"]  # fmt: skip
_FIELD_CHARS = ['<w:r><w:fldChar w:fldCharType="begin"/></w:r>',
                '<w:r><w:fldChar w:fldCharType="separate"/></w:r>',
                '<w:r><w:fldChar w:fldCharType="end"/></w:r>']  # fmt: skip


def _xml_fragments() -> Any:
    from hypothesis import strategies as st

    text = st.text(alphabet="一、（）1.总体要求<&", max_size=6).map(
        lambda s: s.replace("&", "&amp;").replace("<", "&lt;")
    )
    leaf = st.one_of(text, st.sampled_from(_FIELD_CHARS), st.just("<w:p/>"))

    def wrap(children: Any) -> Any:
        return st.builds(
            lambda name, inner, attr: f"<w:{name}{attr}>{''.join(inner)}</w:{name}>",
            st.sampled_from(_ELEMENTS),
            st.lists(children, max_size=4),
            st.sampled_from(["", ' w:val="0"', ' w:val="restart"', ' w:val="99999999"']),
        )

    return st.recursive(leaf, wrap, max_leaves=40)


def _reads_or_fails_cleanly(fragments: list[str]) -> None:
    data = _body("".join(fragments))
    try:
        document = read(data, "fuzz.docx")
    except PlancError as error:
        assert "\n" not in str(error)
        return
    assert document.text.endswith("\n")
    for block in document.blocks:
        assert "\n" not in document.text[block.start : block.end]
    compile_document(document, "fuzz.docx")


def test_any_body_xml_reads_or_fails_in_one_line() -> None:
    from hypothesis import given
    from hypothesis import strategies as st

    given(st.lists(_xml_fragments(), max_size=6))(_reads_or_fails_cleanly)()


@pytest.mark.fuzz
def test_fuzz_docx_body_xml() -> None:
    from hypothesis import given
    from hypothesis import strategies as st

    given(st.lists(_xml_fragments(), max_size=20))(_reads_or_fails_cleanly)()


def test_spans_of_a_paged_document_name_their_page() -> None:
    from planc.read.document import Document

    text = "某市工作要点\n一、总体要求\n（一）年底前完成。\n二、保障措施\n（一）加强领导。\n"
    document = Document(text, "pdf", "utf-8", page_starts=(0, text.index("二、")))
    plan = compile_document(document, "plan.pdf")
    pages = [(c.label, c.span.page) for c in plan.walk()]
    assert pages == [("一、", 1), ("（一）", 1), ("二、", 2), ("（一）", 2)]
    assert plan.clauses[0].children[0].deadlines[0].span.page == 1
    assert '"page":2' in plan.model_dump_json()


def test_a_list_defined_by_a_numbering_style_and_a_heading_style() -> None:
    lvl = '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
    numbering = (
        f'<w:abstractNum w:abstractNumId="1"><w:styleLink w:val="PlanList"/>{lvl}</w:abstractNum>'
        '<w:abstractNum w:abstractNumId="2"><w:numStyleLink w:val="PlanList"/></w:abstractNum>'
        '<w:num w:numId="5"><w:abstractNumId w:val="1"/></w:num>'
        '<w:num w:numId="6"><w:abstractNumId w:val="2"/></w:num>'
    )
    styles = (
        f"<w:styles {W}>"
        '<w:style w:type="numbering" w:styleId="PlanList"><w:pPr><w:numPr><w:numId w:val="5"/>'
        "</w:numPr></w:pPr></w:style>"
        '<w:style w:type="paragraph" w:styleId="Heading1"><w:pPr><w:numPr><w:numId w:val="6"/>'
        "</w:numPr></w:pPr></w:style></w:styles>"
    )
    heading = '<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr>{}</w:p>'
    xml = (
        heading.format(_r("总体要求"))
        + f"<w:p>{_r('正文。')}</w:p>"
        + heading.format(_r("保障措施"))
    )
    data = package(
        {
            "word/document.xml": f"<w:document {W}><w:body>{xml}</w:body></w:document>",
            "word/numbering.xml": f"<w:numbering {W}>{numbering}</w:numbering>",
            "word/styles.xml": styles,
        }
    )
    assert read(data, "plan.docx").text == "一、总体要求\n正文。\n二、保障措施\n"


def test_a_paragraph_of_many_runs_is_read_run_by_run() -> None:
    """Runs are read and dropped as they end: memory follows the text, not the XML tree."""
    runs = "".join(f"<w:r><w:t>{ch}</w:t></w:r>" for ch in "年底前完成") * 40_000
    xml = (
        f'<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>{runs}'
        "<w:moveFrom><w:r><w:t>移走</w:t></w:r></w:moveFrom></w:p>"
    )
    numbering = (
        '<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
        '<w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl></w:abstractNum>'
        '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
    )
    text = read(_body(xml, numbering), "runs.docx").text
    assert text == "一、" + "年底前完成" * 40_000 + "\n"


def test_a_page_without_a_known_container_falls_back_to_trafilatura() -> None:
    lines = [
        "一、总体要求",
        "到2025年底，全市新建口袋公园20个，改造提升老旧小区50个，各项工作取得明显成效。",
        "二、重点任务",
        "（一）推进城市更新。由市住建局牵头，各区政府配合，2024年6月底前完成方案编制。",
        "打印",
    ]
    page = (
        "<html><head><meta charset='utf-8'><title>t</title></head><body><nav><a>首页</a>"
        "<a>政务公开</a></nav><div class='main'><div class='body'>"
        + "<br>".join(lines)
        + "</div></div><footer>版权所有</footer></body></html>"
    )
    assert read(page.encode(), "page.html").text == "\n".join(lines[:4]) + "\n"
