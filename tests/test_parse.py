"""The clause tree, metadata and spans on real plans, and the input forms that must agree."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from planc.compile import compile_text
from planc.errors import PlancError
from planc.model import Clause, Plan
from planc.outputs import plan_schema
from planc.source import decode, docx_text, read_source
from tests.conftest import ROOT, SAMPLES, shared_path

GOLD = {
    "nanyang": ("nanyang-tcm-2023.yaml", SAMPLES["nanyang"]),
    "neimenggu": ("neimenggu-tcm-2023.yaml", SAMPLES["neimenggu"]),
}


def flat(clauses: list[Any]) -> list[Any]:
    out: list[Any] = []
    for clause in clauses:
        out.append(clause)
        out.extend(
            flat(clause.get("children") or [] if isinstance(clause, dict) else clause.children)
        )
    return out


def tree(plan: Plan) -> list[tuple[str, str, int, str, str]]:
    return [(c.id, c.label, c.level, c.heading, c.text) for c in plan.walk()]


def gold_cases() -> list[tuple[str, Path, Path]]:
    return [
        ("nanyang", Path("gold/nanyang-tcm-2023.yaml"), SAMPLES["nanyang"]),
        ("neimenggu", Path("gold/neimenggu-tcm-2023.yaml"), SAMPLES["neimenggu"]),
        (
            "gz-2012",
            Path("gold/gz-2012-livelihood-happiness-project-impl-opinion.yaml"),
            Path("corpus/gz-2012-livelihood-happiness-project-impl-opinion.txt"),
        ),
    ]


@pytest.mark.parametrize(("name", "gold_file", "plan_file"), gold_cases(), ids=lambda v: str(v))
def test_structure_headings_and_meta_match_gold(
    name: str, gold_file: Path, plan_file: Path
) -> None:
    gold = yaml.safe_load(shared_path(*gold_file.parts).read_text(encoding="utf-8"))
    path = plan_file if plan_file.is_absolute() else shared_path(*plan_file.parts)
    plan = compile_text(path.read_text(encoding="utf-8"))
    got = [(c.id, c.label, c.heading) for c in plan.walk()]
    want = [(c["id"], c["label"], c["heading"]) for c in flat(gold["clauses"])]
    assert got == want
    for key, value in gold["meta"].items():
        mine = getattr(plan.meta, key)
        assert (mine.isoformat() if hasattr(mine, "isoformat") else mine) == (
            value.isoformat() if hasattr(value, "isoformat") else value
        ), key


def test_nanyang_runs_numbering_on_and_repairs_page_breaks(sample_texts: dict[str, str]) -> None:
    plan = compile_text(sample_texts["nanyang"])
    clauses = {c.id: c for c in plan.walk()}
    assert [c.id for c in plan.clauses[2].children] == ["3.7", "3.8"]
    assert "有所突破。与市医保局密切配合" in clauses["1.2"].text
    assert "新建 15-20 家名老中医药专家传承工作室" in clauses["5.12"].text
    assert clauses["1"].text == "推动中医药综合改革创新"  # children are not in the parent's text
    assert plan.meta.recipients[0] == "各县（市、区）中医药发展局（卫生健康委）"


def test_neimenggu_restarts_numbering_under_section_13(sample_texts: dict[str, str]) -> None:
    plan = compile_text(sample_texts["neimenggu"])
    last = plan.clauses[-1]
    assert (last.id, last.heading) == ("13", "组织保障")
    assert [c.id for c in last.children] == ["13.1", "13.2", "13.3"]
    assert plan.clauses[11].heading == "深化对外交流合作行动"


def check_cover(plan: Plan, text: str) -> None:
    """Front matter, clause spans and back matter tile the text: no gap, no overlap."""
    spans = [plan.front_matter.span] + [c.span for c in plan.walk()]
    if plan.back_matter is not None:
        spans.append(plan.back_matter.span)
    position = 0
    for span in spans:
        assert span.start == position
        assert span.end >= span.start
        position = span.end
    assert position == len(text)


def corpus_texts() -> list[Path]:
    return sorted(SAMPLES.values()) + [
        Path("corpus") / name
        for name in (
            "gov-2018-gov-website-consolidation-pilot.txt",
            "gov-2019-drug-central-procurement-pilot.txt",
            "gov-work-report-2021.txt",
            "gov-work-report-2022.txt",
            "gz-2012-livelihood-happiness-project-impl-opinion.txt",
        )
    ]


@pytest.mark.parametrize("path", corpus_texts(), ids=lambda p: p.name)
def test_spans_cover_the_whole_text_and_point_at_what_they_name(path: Path) -> None:
    file = path if path.is_absolute() else shared_path(*path.parts)
    text = read_source(str(file)).text
    plan = compile_text(text)
    check_cover(plan, text)
    for clause in plan.walk():
        assert text[clause.span.start :].lstrip().startswith(clause.label)
        if clause.heading_span:
            printed = text[clause.heading_span.start : clause.heading_span.end]
            assert "".join(printed.split()) == "".join(clause.heading.split())
    for key, span in plan.meta.spans.items():
        printed = "".join(text[span.start : span.end].split())
        value = getattr(plan.meta, key)
        if key in ("title", "issuer"):
            assert value in printed
    ids = [c.id for c in plan.walk()]
    assert len(ids) == len(set(ids))


def test_line_and_column_agree_with_offsets(sample_texts: dict[str, str]) -> None:
    text = sample_texts["nanyang"]
    lines = text.split("\n")
    for clause in compile_text(text).walk():
        span = clause.span
        assert sum(len(line) + 1 for line in lines[: span.line - 1]) + span.column - 1 == span.start


def test_page_numbers_running_headers_and_full_width_labels() -> None:
    text = (
        "某市2024年工作要点\n\n一、总体安排\n１．加强组织领导，健全工作机制，落实各项重点任务，确保年内完成全部建设\n\n"
        "- 3 -\n\n某市2024年工作要点\n\n任务。\n２．强化督查\n\n— 4 —\n\n某市2024年工作要点\n"
        "（１）按月调度。\n"
    )
    plan = compile_text(text)
    check_cover(plan, text)
    clauses = {c.id: c for c in plan.walk()}
    assert (
        clauses["1.1"].text
        == "加强组织领导，健全工作机制，落实各项重点任务，确保年内完成全部建设任务。"
    )
    assert clauses["1.2"].label == "２．"
    assert clauses["1.2.1"].heading == "按月调度"
    assert plan.meta.year == 2024


def encoded_variants(text: str) -> dict[str, bytes]:
    return {
        "gb18030": text.encode("gb18030"),
        "utf-16": text.encode("utf-16"),
        "utf-16-be": text.encode("utf-16-be"),
        "utf-8-bom": text.encode("utf-8-sig"),
        "crlf": text.replace("\n", "\r\n").encode("utf-8"),
    }


@pytest.mark.parametrize("sample", sorted(SAMPLES))
@pytest.mark.parametrize("variant", sorted(encoded_variants("")))
def test_encodings_and_line_ends_compile_to_the_same_tree(sample: str, variant: str) -> None:
    text = SAMPLES[sample].read_text(encoding="utf-8")
    data = encoded_variants(text)[variant]
    decoded, _ = decode(data)
    assert tree(compile_text(decoded)) == tree(compile_text(text))


@pytest.mark.parametrize("sample", sorted(SAMPLES))
def test_docx_compiles_to_the_same_tree(sample: str, tmp_path: Path) -> None:
    import docx

    text = SAMPLES[sample].read_text(encoding="utf-8")
    document = docx.Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    path = tmp_path / f"{sample}.docx"
    document.save(str(path))
    source = read_source(str(path))
    assert source.format == "docx"
    assert tree(compile_text(source.text)) == tree(compile_text(text))


def test_docx_tables_are_read_in_order(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("一、重点任务")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "1.建成示范中医馆"
    table.cell(0, 1).text = "市卫健委"
    buffer = io.BytesIO()
    document.save(buffer)
    assert docx_text(buffer.getvalue(), "t.docx") == "一、重点任务\n1.建成示范中医馆\t市卫健委\n"


def run_planc(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "planc", *args], input=stdin, capture_output=True, cwd=ROOT
    )


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d / "missing.txt", "no such file"),
        (lambda d: d, "is a directory"),
        (lambda d: write(d / "empty.txt", b""), "is empty"),
        (lambda d: write(d / "blank.txt", b" \n\n"), "has no text"),
        (lambda d: write(d / "x.bin", bytes(range(256)) * 8), "binary"),
        (lambda d: write(d / "bad.docx", b"PK\x03\x04junk"), ".docx"),
    ],
    ids=["missing", "directory", "empty", "blank", "binary", "broken-docx"],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, make: Any, message: str) -> None:
    path = make(tmp_path)
    result = run_planc("parse", str(path))
    err = result.stderr.decode()
    assert result.returncode == 2
    assert err.count("\n") == 1 and message in err and str(path) in err
    assert "Traceback" not in err


def test_undecodable_bytes_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes("一、总体要求".encode("gb18030") + b"\xff\xfe\xfd\x80\x80")
    with pytest.raises(PlancError, match="cannot be decoded"):
        read_source(str(path))


def test_unknown_format_is_a_usage_error() -> None:
    result = run_planc("parse", str(SAMPLES["nanyang"]), "--format", "toml")
    assert result.returncode == 2
    assert "unknown format" in result.stderr.decode()


def test_failed_parse_leaves_the_previous_output_intact(tmp_path: Path) -> None:
    out = tmp_path / "plan.yaml"
    out.write_text("previous\n", encoding="utf-8")
    result = run_planc("parse", str(tmp_path / "nope.txt"), "-o", str(out))
    assert result.returncode == 2
    assert out.read_text(encoding="utf-8") == "previous\n"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.yaml"]


def test_json_output_stdin_and_folder_output(tmp_path: Path) -> None:
    data = SAMPLES["neimenggu"].read_bytes()
    result = run_planc("parse", "-", "--format", "json", stdin=data)
    assert result.returncode == 0, result.stderr
    parsed = json.loads(result.stdout)
    assert parsed["meta"]["year"] == 2023
    assert "“管行业必须管行风”" in result.stdout.decode()  # Chinese is not escaped
    result = run_planc("parse", *map(str, SAMPLES.values()), "-o", str(tmp_path))
    assert result.returncode == 0, result.stderr
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == ["nanyang-tcm-2023.yaml", "neimenggu-tcm-2023.yaml"]
    loaded = yaml.safe_load((tmp_path / "nanyang-tcm-2023.yaml").read_text(encoding="utf-8"))
    assert Plan.model_validate(loaded).meta.doc_number == "宛中发办〔2023〕4号"


def test_committed_schema_is_current() -> None:
    committed = json.loads((ROOT / "schemas" / "plan.schema.json").read_text(encoding="utf-8"))
    assert committed == plan_schema(), "schemas/plan.schema.json is stale: run `make schema`"


def test_output_validates_against_the_schema(sample_texts: dict[str, str]) -> None:
    import jsonschema

    plan = compile_text(sample_texts["nanyang"])
    data = json.loads(plan.model_dump_json())
    jsonschema.validate(data, plan_schema())
    assert isinstance(flat(data["clauses"])[1], dict)


def test_clause_model_rejects_unknown_fields() -> None:
    with pytest.raises(ValueError):
        Clause.model_validate({"id": "1", "surprise": True})


def test_output_that_is_an_input_is_refused(tmp_path: Path) -> None:
    plan = tmp_path / "plan.txt"
    plan.write_bytes(SAMPLES["neimenggu"].read_bytes())
    result = run_planc("parse", str(plan), "-o", str(plan))
    assert result.returncode == 2
    assert "refusing to overwrite" in result.stderr.decode()
    assert plan.read_bytes() == SAMPLES["neimenggu"].read_bytes()


def test_a_path_with_a_newline_still_gives_one_line() -> None:
    assert str(PlancError("no such file", "a\nb.txt")) == "'a\\nb.txt': no such file"


@pytest.mark.parametrize("kind", ["plan", "diff"])
def test_schema_command_prints_the_committed_schema(kind: str) -> None:
    result = run_planc("schema", kind)
    assert result.returncode == 0
    committed = (ROOT / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8")
    assert json.loads(result.stdout) == json.loads(committed)
    assert run_planc("schema", "ledger").returncode == 2


def wrap(paragraph: str, columns: float) -> list[str]:
    """Break a paragraph where it reaches the page width (a digit or letter is half wide)."""
    lines, line, used = [], "", 0.0
    for ch in paragraph:
        step = 0.5 if ch.isascii() else 1.0
        if used + step > columns:
            lines.append(line)
            line, used = "", 0.0
        line += ch
        used += step
    return [*lines, line] if line else lines


def pdf_pages(text: str, header: str, columns: float = 28, lines_per_page: int = 22) -> str:
    """The plan as pdftotext prints it: every paragraph wrapped at the page width, a page
    number and the running header between pages."""
    lines = [line for paragraph in text.split("\n") for line in wrap(paragraph.strip(), columns)]
    pages = [lines[i : i + lines_per_page] for i in range(0, len(lines), lines_per_page)]
    out: list[str] = []
    for number, page in enumerate(pages, start=1):
        if number > 1:
            out += ["", header, ""]
        out += [*page, "", f"- {number} -", "\f"]
    return "\n".join(out)


def summary(plan: Plan) -> list[tuple[object, ...]]:
    return [
        (
            c.id,
            c.heading,
            "".join(c.text.split()),
            [(t.value, t.max, t.unit, t.cmp) for t in c.targets],
            [(d.due, d.start) for d in c.deadlines],
            [(o.name, o.role) for o in c.owners],
        )
        for c in plan.walk()
    ]


@pytest.mark.parametrize("path", corpus_texts(), ids=lambda p: p.name)
def test_text_wrapped_at_the_page_width_compiles_to_the_same_plan(path: Path) -> None:
    file = path if path.is_absolute() else shared_path(*path.parts)
    text = read_source(str(file)).text
    plan = compile_text(text)
    wrapped = pdf_pages(text, header=plan.meta.title or "政府文件")
    rewrapped = compile_text(wrapped)
    check_cover(rewrapped, wrapped)
    assert summary(rewrapped) == summary(plan)
    assert rewrapped.meta.model_dump(exclude={"spans"}) == plan.meta.model_dump(exclude={"spans"})


def test_a_number_broken_across_a_page_end_is_whole_again() -> None:
    text = (
        "2023年某市卫生健康工作要点\n一、重点任务\n1.建设社区医院。年底前建成社区医院2\n\n- 3 -\n\n"
        "0家，由市卫健委牵头。\n2.推进信息化（牵头单位：\n\n市卫健委）。\n"
    )
    first, second = compile_text(text).clauses[0].children
    assert first.text == "建设社区医院。年底前建成社区医院20家，由市卫健委牵头。"
    assert [(t.value, t.unit) for t in first.targets] == [(20, "家")]
    assert first.targets[0].text == "2\n\n- 3 -\n\n0家"  # as printed, page number and all
    assert second.text == "推进信息化（牵头单位：市卫健委）。"
    assert [(o.name, o.role) for o in second.owners] == [("市卫健委", "lead")]


def test_a_task_table_in_a_docx_gives_one_clause_a_row(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("2023年某市卫生健康工作任务分解表")
    document.add_paragraph("一、重点任务")
    table = document.add_table(rows=2, cols=4)
    rows = [
        ("1.", "建成20家社区医院", "市卫健委牵头", "6月底前"),
        ("2.", "培训医生100人", "市人社局负责", "年底前"),
    ]
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            table.cell(i, j).text = value
    path = tmp_path / "分解表.docx"
    document.save(str(path))
    first, second = compile_text(read_source(str(path)).text).clauses[0].children
    assert first.heading == "建成20家社区医院"
    assert [(t.value, t.unit) for t in first.targets] == [(20, "家")]
    assert [str(d.due) for d in first.deadlines] == ["2023-06-30"]
    assert [(o.name, o.role) for o in first.owners] == [("市卫健委", "lead")]
    assert [(o.name, o.role) for o in second.owners] == [("市人社局", "responsible")]


def test_a_section_that_looks_back_commits_to_nothing() -> None:
    text = (
        "2024年某市政府工作报告\n一、2023年工作回顾\n全市地区生产总值增长6%，年末城镇调查失业率5.2%。\n"
        "二、2024年主要目标\n地区生产总值增长5%左右，年底前新建学校10所。\n"
    )
    review, goals = compile_text(text).clauses
    assert (review.targets, review.deadlines) == ([], [])
    assert [t.text for t in goals.targets] == ["5%左右", "10所"]
    assert [str(d.due) for d in goals.deadlines] == ["2024-12-31"]


def test_a_docx_is_known_by_its_content_and_other_zips_are_refused(tmp_path: Path) -> None:
    import zipfile

    import docx

    document = docx.Document()
    document.add_paragraph("一、加强组织领导")
    misnamed = tmp_path / "plan.txt"
    document.save(str(misnamed))
    assert read_source(str(misnamed)).format == "docx"
    sheet = tmp_path / "book.xlsx"
    with zipfile.ZipFile(sheet, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(PlancError, match=r"zip archive, not a \.docx"):
        read_source(str(sheet))


def test_a_fifo_is_refused_not_waited_on(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "plan.txt"
    os.mkfifo(fifo)
    with pytest.raises(PlancError, match="not a regular file"):
        read_source(str(fifo))


def test_folder_output_is_made_and_never_loses_a_plan(tmp_path: Path) -> None:
    one, two = tmp_path / "a", tmp_path / "b"
    one.mkdir(), two.mkdir()
    for folder in (one, two):
        (folder / "plan.txt").write_bytes(SAMPLES["neimenggu"].read_bytes())
    result = run_planc(
        "parse", str(one / "plan.txt"), str(two / "plan.txt"), "-o", f"{tmp_path}/out/"
    )
    assert result.returncode == 2
    assert "same plan.yaml" in result.stderr.decode()
    assert not (tmp_path / "out").exists()
    result = run_planc("parse", str(one / "plan.txt"), "-o", f"{tmp_path}/out/")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "plan.yaml").exists()


def test_max_bytes_must_be_positive() -> None:
    result = run_planc("parse", str(SAMPLES["nanyang"]), "--max-bytes", "-5")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr.decode()
    result = run_planc("parse", str(SAMPLES["nanyang"]), "--max-bytes", "100")
    assert result.returncode == 2 and "100-byte limit" in result.stderr.decode()


@pytest.mark.parametrize(
    ("args", "must_not_load"),
    [
        (
            ["parse", "sources/2023/nanyang-tcm-2023.txt"],
            ["jieba", "openpyxl", "rich", "docx", "yaml", "numpy"],
        ),
        (
            ["parse", "sources/2023/neimenggu-tcm-2023.txt", "-f", "json"],
            ["openpyxl", "rich", "yaml", "numpy"],
        ),
        (["schema"], ["jieba", "openpyxl", "rich", "docx", "icalendar", "yaml"]),
        (["build", "--help"], ["jieba", "rich", "yaml", "planc.compile", "planc.outputs"]),
    ],
    ids=["parse-yaml", "parse-json", "schema", "build-help"],
)
def test_a_command_imports_only_what_it_needs(args: list[str], must_not_load: list[str]) -> None:
    probe = (
        "import sys, runpy; sys.argv = ['planc', *sys.argv[1:]]\n"
        "try:\n    runpy.run_module('planc', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "sys.stderr.write(' '.join(sorted({*sys.modules, *(m.split('.')[0] for m in sys.modules)})))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, *args], capture_output=True, cwd=ROOT, text=True
    )
    loaded = set(result.stderr.split())
    assert "planc" in loaded
    assert not loaded & set(must_not_load), sorted(loaded & set(must_not_load))
