"""Generated .docx packages through the public reader entry, ``planc.source.read_source``.

The body XML is built from the WordprocessingML a plan uses (paragraphs, runs, tabs, breaks,
tables with ``gridSpan`` and ``vMerge``, nested tables, numbering references) with hostile
values mixed in (spans of millions, ``continue`` merges with nothing above, empty paragraphs by
the thousand, attributes that are not numbers). Whatever comes in, the reader gives text or a
one-line ``PlancError``: never another exception. ``make test`` runs a few tame examples;
``make fuzz`` runs thousands, hostile values included.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planc.errors import PlancError
from planc.source import read_source

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)

WORDS = st.sampled_from(
    [
        "一、总体要求",
        "（一）",
        "1.",
        "（1）",
        "①",
        "6月底前完成",
        "80%以上",
        "市卫健委牵头",
        "",
        " ",
    ]
)


def tame_numbers() -> st.SearchStrategy[str]:
    return st.integers(0, 4).map(str)


def hostile_numbers() -> st.SearchStrategy[str]:
    return st.one_of(
        st.integers(-3, 6).map(str),
        st.sampled_from(["2000000", "200000000", "99999999999999999999", "x", "", "1.5"]),
    )


def run(text: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.builds(
        lambda t, kind: {
            "text": f'<w:r><w:t xml:space="preserve">{escape(t)}</w:t></w:r>',
            "tab": "<w:r><w:tab/></w:r>",
            "break": "<w:r><w:br/></w:r>",
        }[kind],
        text,
        st.sampled_from(["text", "text", "tab", "break"]),
    )


def paragraph(numbers: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    numbering = st.builds(
        lambda level, num: (
            f'<w:pPr><w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num}"/></w:numPr></w:pPr>'
        ),
        numbers,
        numbers,
    )
    return st.builds(
        lambda props, runs: f"<w:p>{props}{''.join(runs)}</w:p>",
        st.one_of(st.just(""), numbering),
        st.lists(run(WORDS), max_size=4),
    )


def cell(
    numbers: st.SearchStrategy[str], inner: st.SearchStrategy[str], merges: list[str]
) -> st.SearchStrategy[str]:
    span = st.one_of(st.just(""), numbers.map(lambda n: f'<w:gridSpan w:val="{n}"/>'))
    return st.builds(
        lambda s, m, blocks: f"<w:tc><w:tcPr>{s}{m}</w:tcPr>{''.join(blocks) or '<w:p/>'}</w:tc>",
        span,
        st.sampled_from(merges),
        st.lists(inner, max_size=2),
    )


# A continued merge may have nothing above it (issue 14: python-docx failed on it).
MERGES = ["", '<w:vMerge w:val="restart"/>', '<w:vMerge w:val="continue"/>', "<w:vMerge/>"]


def table(
    numbers: st.SearchStrategy[str], inner: st.SearchStrategy[str], merges: list[str]
) -> st.SearchStrategy[str]:
    row = st.lists(cell(numbers, inner, merges), min_size=0, max_size=3).map(
        lambda cells: f"<w:tr>{''.join(cells)}</w:tr>"
    )
    return st.lists(row, max_size=4).map(
        lambda rows: f"<w:tbl><w:tblGrid><w:gridCol/></w:tblGrid>{''.join(rows)}</w:tbl>"
    )


def body(
    numbers: st.SearchStrategy[str], empties: int, merges: list[str]
) -> st.SearchStrategy[str]:
    block = st.recursive(
        paragraph(numbers),
        lambda inner: table(numbers, inner, merges),
        max_leaves=12,
    )
    many_empty = st.integers(0, empties).map(lambda n: "<w:p/>" * n)
    return st.builds(lambda blocks, empty: "".join(blocks) + empty, st.lists(block), many_empty)


def package(xml_body: str) -> bytes:
    document = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body>'
    document += xml_body + "</w:body></w:document>"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("word/document.xml", document)
    return buffer.getvalue()


def reads_or_fails_cleanly(tmp_path: Path, xml_body: str) -> None:
    path = tmp_path / "plan.docx"
    path.write_bytes(package(xml_body))
    try:
        source = read_source(str(path))
    except PlancError as error:
        assert str(error).startswith(f"{path}: ") and "\n" not in str(error)
        return
    assert isinstance(source.text, str) and source.text.strip()


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=30)
@given(xml_body=body(tame_numbers(), empties=3, merges=MERGES))
def test_generated_docx_reads_or_fails_cleanly(tmp_path: Path, xml_body: str) -> None:
    reads_or_fails_cleanly(tmp_path, xml_body)


@pytest.mark.fuzz
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(xml_body=body(hostile_numbers(), empties=50_000, merges=MERGES))
def test_fuzz_hostile_docx_reads_or_fails_cleanly(tmp_path: Path, xml_body: str) -> None:
    reads_or_fails_cleanly(tmp_path, xml_body)
