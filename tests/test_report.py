"""The HTML report of a plan, the diff side by side and the 新旧对照表 (docx, xlsx).

The browser checks (console, requests, scrolling, screenshots) are in test_report_browser.py;
these read the output as text, as python-docx and as openpyxl read it.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from planc.diff.command import compare
from planc.outputs import compile_file
from planc.report import plan_html, write_index
from planc.report.chardiff import char_diff, side
from planc.report.diff_view import render_docx, render_html, render_xlsx
from planc.report.plan_view import target_value

PLAN_2023 = """2023年某市卫生健康工作要点

一、强化公共卫生服务

1. 完善疾控体系。市卫生健康委牵头，市财政局配合，6月底前完成疾控机构改革，\
基层医疗卫生机构达标率达到90%以上。

2. 加强健康宣传。各县（市、区）负责，2023年10月至12月开展健康科普活动。

二、推进中医药发展

3. 建设中医馆。市中医院负责，年底前建成中医馆20个。
"""
PLAN_2024 = (
    PLAN_2023.replace("2023", "2024")
    .replace("6月底前", "9月底前")
    .replace("90%以上", "95%以上")
    .replace("市财政局配合", "市财政局、市医保局配合")
)


def run_planc(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from planc.cli import main; main()", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        check=False,
    )


@pytest.fixture
def editions(tmp_path: Path) -> tuple[Path, Path]:
    old, new = tmp_path / "old" / "plan.txt", tmp_path / "new" / "plan.txt"
    for path, text in ((old, PLAN_2023), (new, PLAN_2024)):
        path.parent.mkdir()
        path.write_text(text, encoding="utf-8")
    return old, new


def test_char_diff_folds_a_tiny_kept_run_into_the_change_around_it() -> None:
    runs = char_diff("持续推进中医药工作", "大力推动中医药发展")
    old = "".join(text for op, text in side(runs, "old") if op in "=-")
    new = "".join(text for op, text in side(runs, "new") if op in "=+")
    assert (old, new) == ("持续推进中医药工作", "大力推动中医药发展")
    # 推 alone is kept by difflib between 持续/大力 and 进/动: read as one rewritten phrase
    assert runs[0] == ("-", "持续推进") and runs[1] == ("+", "大力推动")
    assert ("=", "中医药") in runs


def test_char_diff_marks_one_changed_digit() -> None:
    assert char_diff("达到80%以上", "达到85%以上") == [
        ("=", "达到8"),
        ("-", "0"),
        ("+", "5"),
        ("=", "%以上"),
    ]


def test_plan_report_marks_every_item_with_its_normalised_value(tmp_path: Path) -> None:
    source = tmp_path / "plan.txt"
    source.write_text(PLAN_2023, encoding="utf-8")
    plan = compile_file(str(source), 10**6)
    page = plan_html(plan, today=date(2023, 7, 1))
    tips = re.findall(r'<mark class="(\w+)" tabindex="0" data-tip="([^"]*)">([^<]*)</mark>', page)
    assert ("deadline", "时限：截至 2023-06-30", "6月底前") in tips
    assert ("deadline", "时限：2023-10-01 至 2023-12-31", "2023年10月至12月") in tips
    assert ("target", "目标：基层医疗卫生机构达标率：≥ 90 %", "90%以上") in tips  # with its metric
    assert ("owner", "牵头单位：市卫生健康委", "市卫生健康委") in tips
    assert ("owner", "配合单位：市财政局", "市财政局") in tips
    items = sum(len(c.deadlines) + len(c.targets) + len(c.owners) for c in plan.walk())
    assert len(tips) == items
    # the outline links every clause, and every clause has its anchor
    for clause in plan.walk():
        assert f'href="#c-{clause.id}"' in page and f'id="c-{clause.id}"' in page
    # one mark per dated deadline; the one before 2023-07-01 is overdue, the others coming
    assert page.count('data-mark="deadline"') == 2 * 3  # drawn by section and by lead unit
    assert page.count('class="mark overdue"') == 2 and page.count('class="mark coming"') == 4
    assert 'data-mark="today"' in page
    assert (
        page.count('data-mark="owner-bar"') == 4
    )  # one per unit: 市卫生健康委, 市财政局, 各县（市、区）, 市中医院
    assert '<strong class="heading">完善疾控体系</strong>' in page


def test_plan_report_is_self_contained(tmp_path: Path) -> None:
    source = tmp_path / "plan.txt"
    source.write_text(PLAN_2023, encoding="utf-8")
    page = plan_html(compile_file(str(source), 10**6))
    assert "default-src 'none'" in page  # the browser itself refuses any request
    assert not re.search(r"""(?:src|href)\s*=\s*["'](?!#)""", page)
    assert not re.search(r"https?://", page)


def test_a_compiled_plan_away_from_its_source_still_marks_its_items(tmp_path: Path) -> None:
    source = tmp_path / "plan.txt"
    source.write_text(PLAN_2023, encoding="utf-8")
    plan = compile_file(str(source), 10**6)
    source.unlink()
    page = plan_html(plan)
    assert page.count('<mark class="deadline" tabindex="0"') == 3
    assert "未运行检查" in page


def test_plan_report_of_a_bundled_plan_links_each_finding_to_its_clause() -> None:
    from planc.check import check_plan
    from tests.conftest import SAMPLES

    plan = compile_file(str(SAMPLES["nanyang"]), 10**7)
    findings = check_plan(plan, SAMPLES["nanyang"].read_text(encoding="utf-8"))
    page = plan_html(plan)
    section = page[page.index('id="findings"') : page.index('id="text"')]
    assert section.count('<span class="sev ') == len(findings) > 0
    linked = re.findall(r'<a href="#c-([\d.]+)">', section)
    assert linked and all(f'id="c-{clause}"' in page for clause in linked)


def test_target_values_read_as_a_comparison() -> None:
    from planc.model import Span, Target

    span = Span(start=0, end=1, line=1, column=1, end_line=1, end_column=2)
    around = Target(text="3%左右", value=3, unit="%", cmp="~", metric="涨幅", span=span)
    between = Target(text="80至85万人", value=80, max=85, unit="万人", cmp="range", span=span)
    assert target_value(around) == "约 3 %"
    assert target_value(between) == "80–85 万人"


def test_report_command_writes_reports_and_an_index(tmp_path: Path) -> None:
    from tests.conftest import SAMPLES

    done = run_planc("report", *map(str, SAMPLES.values()), "-o", "out", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    index = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    for path in SAMPLES.values():
        page = (tmp_path / "out" / f"{path.stem}.html").read_text(encoding="utf-8")
        counts = re.search(r'name="planc-counts" content="(\d+) (\d+) (\d+) (\d+)"', page)
        assert counts is not None
        assert f'href="{path.stem}.html"' in index
        row = index[index.index(f'href="{path.stem}.html"') :].split("</tr>")[0]
        assert re.findall(r'<td class="num">(\d+)</td>', row) == list(counts.groups())
    single = run_planc("report", str(SAMPLES["nanyang"]), "-o", "one.html", cwd=tmp_path)
    assert single.returncode == 0 and (tmp_path / "one.html").is_file()


def test_report_command_says_what_is_wrong_in_one_line(tmp_path: Path) -> None:
    done = run_planc("report", "missing.txt", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith("planc: missing.txt:") and done.stderr.count("\n") == 1
    assert not list(tmp_path.iterdir())


def test_index_skips_pages_that_are_not_reports(tmp_path: Path) -> None:
    (tmp_path / "notes.html").write_text("<html><title>x</title></html>", encoding="utf-8")
    assert "notes.html" not in write_index(tmp_path).read_text(encoding="utf-8")


def test_diff_html_shows_both_sides_with_changes_by_character_and_badges(
    editions: tuple[Path, Path],
) -> None:
    report = compare(str(editions[0]), str(editions[1]), Path("sources"), 10**6)
    page = render_html(report)
    row = page[page.index('id="r-1.1"') :].split("</tr>")[0]
    assert "<del>6</del>" in row and "<ins>9</ins>" in row
    assert "<del>0</del>" in row and "<ins>5</ins>" in row
    assert "<ins>、市医保局</ins>" in row
    assert "时限推后：6月底前 → 9月底前" in row
    assert "新增单位：市医保局" in row
    assert "基层医疗卫生机构达标率提高：90%以上 → 95%以上" in row  # paired by metric


def test_docx_table_strikes_deletions_and_underlines_insertions(
    editions: tuple[Path, Path],
) -> None:
    from docx import Document

    report = compare(str(editions[0]), str(editions[1]), Path("sources"), 10**6)
    document = Document(io.BytesIO(render_docx(report)))
    table = document.tables[0]
    assert [cell.text for cell in table.rows[0].cells] == ["条款", "原文", "修改后", "修改类型"]
    assert len(table.rows) == 1 + len(report.pairs[0].clauses)
    rows = {row.cells[0].text: row.cells for row in table.rows[1:]}
    old, new, kind = rows["1.1"][1], rows["1.1"][2], rows["1.1"][3]
    assert old.text.startswith("1.完善疾控体系。") and "6月底前" in old.text
    assert "9月底前" in new.text and "市医保局" in new.text
    struck = [r.text for p in old.paragraphs for r in p.runs if r.font.strike]
    underlined = [r.text for p in new.paragraphs for r in p.runs if r.font.underline]
    assert struck == ["6", "0"] and underlined == ["、市医保局", "9", "5"]
    assert not any(r.font.underline for p in old.paragraphs for r in p.runs)
    assert kind.text.startswith("修改")
    unchanged = rows["1.2"]  # diff counts a clause whose years moved by a year as unchanged
    assert unchanged[3].text == "未变"
    assert unchanged[1].text.replace("2023", "2024") == unchanged[2].text


def test_xlsx_table_keeps_struck_and_underlined_rich_text(editions: tuple[Path, Path]) -> None:
    from openpyxl import load_workbook
    from openpyxl.cell.rich_text import CellRichText, TextBlock

    report = compare(str(editions[0]), str(editions[1]), Path("sources"), 10**6)
    sheet = load_workbook(io.BytesIO(render_xlsx(report)), rich_text=True).active
    assert sheet is not None
    assert [c.value for c in sheet[1]] == ["条款", "原文", "修改后", "修改类型", "说明"]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "1.1")
    old, new = row[1].value, row[2].value
    assert isinstance(old, CellRichText) and isinstance(new, CellRichText)
    assert [b.text for b in old if isinstance(b, TextBlock) and b.font.strike] == ["6", "0"]
    assert [b.text for b in new if isinstance(b, TextBlock) and b.font.u == "single"] == [
        "、市医保局",
        "9",
        "5",
    ]
    assert row[3].value == "修改"


def test_planc_starts_without_the_report_modules_or_jinja2() -> None:
    code = (
        "import sys, planc.cli\n"
        "loaded = [m for m in sys.modules if m.startswith(('jinja2', 'markupsafe', 'planc.report'))]\n"
        "print(loaded)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_diff_formats_dispatch_by_name(editions: tuple[Path, Path]) -> None:
    from planc.errors import PlancError
    from planc.report.diff_view import render_diff

    report = compare(str(editions[0]), str(editions[1]), Path("sources"), 10**6)
    assert str(render_diff(report, "html")).startswith("<!DOCTYPE html>")
    assert bytes(render_diff(report, "docx")).startswith(b"PK")
    assert bytes(render_diff(report, "xlsx")).startswith(b"PK")
    with pytest.raises(PlancError, match="unknown report format"):
        render_diff(report, "pdf")


def test_report_to_standard_output(tmp_path: Path) -> None:
    source = tmp_path / "plan.txt"
    source.write_text(PLAN_2023, encoding="utf-8")
    done = run_planc("report", "plan.txt", "-o", "-", cwd=tmp_path)
    assert done.returncode == 0
    assert done.stdout.startswith("<!DOCTYPE html>") and done.stdout.rstrip().endswith("</html>")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.txt"]
