"""The OFD reader: the real red-header sample of ../shared and small OFDs made here."""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planc.compile import compile_document
from planc.errors import PlancError
from planc.read import ofd
from tests.conftest import shared_path
from tests.test_read_pdf import check_shape

NS = "http://www.ofdspec.org/2016"
OFD_XML = f"""<?xml version="1.0" encoding="UTF-8"?>
<ofd:OFD xmlns:ofd="{NS}" Version="1.0" DocType="OFD"><ofd:DocBody>
<ofd:DocInfo><ofd:DocID>x</ofd:DocID>{{info}}</ofd:DocInfo>
<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"""
DOCUMENT_XML = f"""<?xml version="1.0" encoding="UTF-8"?>
<ofd:Document xmlns:ofd="{NS}"><ofd:CommonData><ofd:MaxUnitID>9</ofd:MaxUnitID>
<ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea></ofd:CommonData>
<ofd:Pages>{{pages}}</ofd:Pages></ofd:Document>"""


def text_object(x: float, y: float, text: str, size: float = 5.6, colour: str = "0 0 0") -> str:
    advances = " ".join(f"{size / 2 if ch.isascii() else size:g}" for ch in text[:-1])
    return (
        f'<ofd:TextObject ID="1" Font="1" Size="{size}" Boundary="{x} {y} 160 {size * 1.3:g}">'
        f'<ofd:FillColor Value="{colour}"/>'
        f'<ofd:TextCode X="0" Y="{size:g}" DeltaX="{advances}">{text}</ofd:TextCode></ofd:TextObject>'
    )


def make_ofd(pages: list[list[str]], info: str = "", prolog: str = "") -> bytes:
    """An OFD of ``pages``, each a list of TextObject elements (in the order given)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("OFD.xml", OFD_XML.format(info=info))
        entries = "".join(
            f'<ofd:Page ID="{i}" BaseLoc="Pages/Page_{i}/Content.xml"/>' for i in range(len(pages))
        )
        archive.writestr("Doc_0/Document.xml", DOCUMENT_XML.format(pages=entries))
        for i, objects in enumerate(pages):
            archive.writestr(
                f"Doc_0/Pages/Page_{i}/Content.xml",
                f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<ofd:Page xmlns:ofd="{NS}">'
                f'<ofd:Content><ofd:Layer ID="2">{"".join(objects)}</ofd:Layer></ofd:Content></ofd:Page>',
            )
    return buffer.getvalue()


def test_the_real_red_header_sample_gives_number_issuer_and_date() -> None:
    path = shared_path("corpus", "formats", "luqiao-2011-health-bureau-redhead-reply.sample.ofd")
    doc = ofd.read(path.read_bytes(), str(path), 1 << 24)
    check_shape(doc)
    assert doc.format == "ofd" and len(doc.page_starts) == 2
    assert doc.meta == {
        "issuer": "测试符路桥区卫生局",
        "doc_number": "路卫发〔2011〕76号",
        "title": "关于同意张阿三同志辞职的批复",
        "issued": "2011年3月10日",
    }
    lines = doc.text.splitlines()
    assert lines[:3] == [
        "测试符路桥区卫生局文件",
        "路卫发〔2011〕76号",
        "关于同意张阿三同志辞职的批复",
    ]
    # The page numbers are gone; the 版记 stays last; a sentence cut by the line width is whole.
    assert "— 1 —" not in doc.text and "— 2 —" not in doc.text
    assert lines[-1] == "测试符路桥区卫生局办公室 2011年3月10日印发"
    assert "2011年3月1日该同志向医院递交辞职报告" in doc.text
    assert doc.blocks[-1].page == 2 and doc.page_at(doc.text.index("2011年3月10日\n")) == 2
    plan = compile_document(doc, str(path))
    meta = plan.meta
    assert (meta.issuer, meta.doc_number, str(meta.issued), meta.title) == (
        "测试符路桥区卫生局",  # the red header's, as the container's word
        "路卫发〔2011〕76号",
        "2011-03-10",
        "关于同意张阿三同志辞职的批复",
    )
    assert plan.source.format == "ofd" and meta.spans["issued"].page == 2


def test_lines_follow_the_page_not_the_file_order_and_paragraphs_rejoin() -> None:
    body = "各区卫生健康局要在年底前完成社区医院建设20家，并按季度报送进展情况。"
    objects = [
        text_object(28, 120, "一、重点任务"),
        text_object(28 + 11.2, 130, body[:26]),  # indented: a paragraph begins
        text_object(28, 140, body[26:]),  # its wrapped tail
        text_object(
            28, 100, "2024年某市卫生健康工作要点", size=7.7
        ),  # first on the page, last in the file
        text_object(100, 270, "— 1 —", size=4.9),
    ]
    doc = ofd.read(make_ofd([objects]), "plan.ofd", 1 << 20)
    assert doc.text == f"2024年某市卫生健康工作要点\n一、重点任务\n{body}\n"
    assert [b.kind for b in doc.blocks] == ["paragraph"] * 3


def test_deltax_shorthand_and_custom_data() -> None:
    code = (
        '<ofd:TextObject ID="1" Font="1" Size="5" Boundary="28 40 150 7">'
        '<ofd:TextCode X="0" Y="5" DeltaX="g 23 5">某市数据工作要点：年底前建成城市数据资源平台一个</ofd:TextCode></ofd:TextObject>'
    )
    info = (
        "<ofd:Title>某市数据工作要点</ofd:Title><ofd:CustomDatas>"
        '<ofd:CustomData Name="发文字号">某数发〔2024〕3号</ofd:CustomData>'
        '<ofd:CustomData Name="发文机关">某市数据局</ofd:CustomData>'
        '<ofd:CustomData Name="成文日期">2024年5月6日</ofd:CustomData>'
        '<ofd:CustomData Name="os.name">Windows 7</ofd:CustomData></ofd:CustomDatas>'
    )
    doc = ofd.read(make_ofd([[code]], info=info), "meta.ofd", 1 << 20)
    assert doc.text == "某市数据工作要点：年底前建成城市数据资源平台一个\n"
    assert doc.meta == {
        "title": "某市数据工作要点",
        "doc_number": "某数发〔2024〕3号",
        "issuer": "某市数据局",
        "issued": "2024年5月6日",
    }


def test_bad_ofds_are_refused_in_one_line() -> None:
    cases = {
        b"PK\x03\x04 not really a zip": "damaged zip",
        make_ofd([[]]): "no text layer",
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("OFD.xml", f'<ofd:OFD xmlns:ofd="{NS}"><ofd:DocBody/></ofd:OFD>')
    cases[buffer.getvalue()] = "names no DocRoot"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("OFD.xml", "<ofd:OFD")
    cases[buffer.getvalue()] = "not well-formed"
    for data, reason in cases.items():
        with pytest.raises(PlancError, match=reason) as caught:
            ofd.read(data, "bad.ofd", 1 << 20)
        assert "\n" not in str(caught.value)


def test_a_zip_bomb_stops_at_the_budget() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("OFD.xml", b"<a>" + b" " * (50 << 20) + b"</a>")
    data = buffer.getvalue()
    assert len(data) < 1 << 20
    with pytest.raises(PlancError, match="expand beyond"):
        ofd.read(data, "bomb.ofd", 1 << 20)


def test_entities_are_not_expanded() -> None:
    prolog = '<!DOCTYPE p [<!ENTITY secret SYSTEM "file:///etc/hostname"><!ENTITY w "某市">]>'
    objects = [
        '<ofd:TextObject ID="1" Size="5" Boundary="28 40 150 7"><ofd:TextCode X="0" Y="5">'
        "&w;&secret;数据工作要点，全年建成5G基站2000个，由市通信管理局牵头。</ofd:TextCode></ofd:TextObject>"
    ]
    doc = ofd.read(make_ofd([objects], prolog=prolog), "xxe.ofd", 1 << 20)
    assert "某市" not in doc.text and "数据工作要点" in doc.text


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_a_damaged_ofd_is_read_or_refused_never_a_crash(data: st.DataObject) -> None:
    body = "各区卫生健康局要在年底前完成社区医院建设20家，并按季度报送进展情况。"
    whole = make_ofd([[text_object(28, 120, body)]])
    cut = data.draw(st.integers(min_value=0, max_value=len(whole)))
    flips = data.draw(st.lists(st.integers(min_value=0, max_value=len(whole) - 1), max_size=6))
    damaged = bytearray(whole if data.draw(st.booleans()) else whole[:cut])
    for at in flips:
        if at < len(damaged):
            damaged[at] ^= data.draw(st.integers(min_value=1, max_value=255))
    try:
        doc = ofd.read(bytes(damaged), "damaged.ofd", 1 << 20)
    except PlancError as error:
        assert "\n" not in str(error)
    else:
        assert doc.format == "ofd"


def test_characters_past_the_cap_are_refused_while_the_page_is_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A page of 200 MB of XML is streamed, object by object, and stops at the cap."""
    page = [text_object(20, 20 + 6 * n, "到2025年底建成示范中医馆30个以上") for n in range(40)]
    monkeypatch.setattr(ofd, "MAX_TOTAL_CHARS", 500)
    with pytest.raises(PlancError, match=r"^dense\.ofd: has more than 500 characters$"):
        ofd.read(make_ofd([page]), "dense.ofd", 1 << 20)
    monkeypatch.setattr(ofd, "MAX_TOTAL_CHARS", 5_000)
    assert ofd.read(make_ofd([page]), "dense.ofd", 1 << 20).text.count("示范中医馆") == 40
