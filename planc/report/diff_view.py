"""``planc diff`` as people read it: side by side in HTML, and the 新旧对照表 in docx and xlsx.

These renderers read only the public diff model (``planc.diff.model``). A ``ClauseChange``
carries texts only where they changed, so the clause texts are read again from the two
editions the diff names (compiled now, or loaded if compiled); when an edition cannot be read,
a row shows what the change itself carries. Changes are marked by character, cleaned up
(``planc.report.chardiff``), not by jieba word: that is how a reader marks Chinese by hand.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date

from planc.diff.model import ClauseChange, DiffReport, FieldChange, PlanDiff, Segment
from planc.errors import PlancError
from planc.model import Clause, Plan
from planc.report.chardiff import Run, char_diff, side
from planc.source import DEFAULT_MAX_BYTES

KIND_NAMES = {
    "unchanged": "未变",
    "changed": "修改",
    "renumbered": "重新编号",
    "moved": "移动",
    "added": "新增",
    "removed": "删除",
    "split": "拆分",
    "merged": "合并",
}
FIELD_NAMES = {"target": "目标", "deadline": "时限", "owner": "单位"}
FIELD_KINDS = {
    "raised": "提高",
    "lowered": "降低",
    "earlier": "提前",
    "later": "推后",
    "changed": "变更",
    "added": "新增",
    "dropped": "删除",
}


@dataclass(slots=True)
class Badge:
    text: str
    css: str


@dataclass(slots=True)
class Row:
    """One aligned clause: the old and new texts marked by character, and what changed."""

    kind: str
    old_ids: list[str]
    new_ids: list[str]
    old: list[Run]
    new: list[Run]
    badges: list[Badge] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return "r-" + "-".join(self.new_ids or [f"old{i}" for i in self.old_ids])

    @property
    def ids(self) -> str:
        old, new = "、".join(self.old_ids), "、".join(self.new_ids)
        if old == new or not old:
            return new
        return old if not new else f"{old} → {new}"


def _plan(path: str) -> Plan | None:
    from planc.report.command import load_any

    try:
        return load_any(path, DEFAULT_MAX_BYTES)
    except (PlancError, OSError):
        return None


def _by_id(plan: Plan | None) -> dict[str, Clause]:
    return {c.id: c for c in plan.walk()} if plan else {}


def clause_text(clause: Clause) -> str:
    """A clause as a 对照表 prints it: label and heading, then its own text."""
    if clause.text.startswith(clause.heading):  # the body repeats a heading that ends in 。
        return f"{clause.label}{clause.text}"
    return f"{clause.label}{clause.heading}\n{clause.text}"


def _from_segments(change: ClauseChange, which: str) -> str:
    """A side's text rebuilt from the change's own word diff, when the edition is unreadable."""

    def rebuilt(segments: list[Segment]) -> str:
        kept = "-" if which == "old" else "+"
        return "".join(
            (s.old_text or s.text) if s.op == "=" and which == "old" else s.text
            for s in segments
            if s.op in ("=", kept)
        )

    heading = change.old_heading if which == "old" else change.new_heading
    head = rebuilt(change.heading_diff) if change.heading_diff else heading or ""
    body = rebuilt(change.text_diff)
    return f"{head}\n{body}" if body else head


def _side_text(change: ClauseChange, which: str, clauses: dict[str, Clause]) -> str:
    ids = change.old_ids if which == "old" else change.new_ids
    if not ids:
        return ""
    found = [clauses[i] for i in ids if i in clauses]
    if len(found) == len(ids):
        return "\n".join(clause_text(c) for c in found)
    return _from_segments(change, which)


def _metric(text: str | None, clauses: list[Clause]) -> str | None:
    for clause in clauses:
        for target in clause.targets:
            if target.text == text and target.metric:
                return target.metric
    return None


def _badge(item: FieldChange, old: list[Clause], new: list[Clause]) -> Badge:
    what = FIELD_NAMES[item.field]
    verb = FIELD_KINDS[item.kind]
    if item.field == "target":
        metric = _metric(item.new, new) or _metric(item.old, old)
        what = metric or what
    if item.field == "owner":
        name = item.new or item.old or ""
        if item.kind in ("added", "dropped"):
            return Badge(f"{verb}{what}：{name}", f"owner-{item.kind}")
        return Badge(
            f"{what}{verb}：{name}{'（' + item.detail + '）' if item.detail else ''}", "owner"
        )
    if item.kind == "added":
        return Badge(f"新增{what}：{item.new}", "added")
    if item.kind == "dropped":
        return Badge(f"删除{what}：{item.old}", "dropped")
    detail = f"（{item.detail}）" if item.detail and item.field == "deadline" else ""
    return Badge(f"{what}{verb}：{item.old} → {item.new}{detail}", item.kind)


def _row(change: ClauseChange, old: dict[str, Clause], new: dict[str, Clause]) -> Row:
    old_text = _side_text(change, "old", old)
    new_text = _side_text(change, "new", new)
    runs = char_diff(old_text, new_text)
    row = Row(change.kind, change.old_ids, change.new_ids, side(runs, "old"), side(runs, "new"))
    row.badges.append(Badge(KIND_NAMES[change.kind], f"kind-{change.kind}"))
    if change.kind in ("moved",) and change.old_parent != change.new_parent:
        row.badges.append(
            Badge(
                f"从 {change.old_parent or '顶层'} 移到 {change.new_parent or '顶层'}", "kind-moved"
            )
        )
    if change.reworded and change.kind in ("renumbered", "moved"):
        row.badges.append(Badge("文字有改动", "kind-changed"))
    old_clauses = [old[i] for i in change.old_ids if i in old]
    new_clauses = [new[i] for i in change.new_ids if i in new]
    row.badges.extend(_badge(item, old_clauses, new_clauses) for item in change.fields)
    return row


@dataclass(slots=True)
class PairView:
    pair: PlanDiff
    rows: list[Row]
    index: int

    @property
    def title(self) -> str:
        return self.pair.new_title or self.pair.old_title or self.pair.new

    @property
    def counts(self) -> list[tuple[str, int]]:
        summary = self.pair.summary.model_dump()
        return [(KIND_NAMES[kind], n) for kind, n in summary.items() if n]


def pair_views(report: DiffReport) -> list[PairView]:
    views: list[PairView] = []
    for index, pair in enumerate(report.pairs):
        old, new = _by_id(_plan(pair.old)), _by_id(_plan(pair.new))
        views.append(PairView(pair, [_row(c, old, new) for c in pair.clauses], index))
    return views


def render_html(result: DiffReport, today: date | None = None) -> str:
    """The diff side by side, old left and new right, one self-contained HTML page."""
    from planc.report.render import render_template

    return render_template(
        "diff.html.j2",
        {
            "report": result,
            "views": pair_views(result),
            "today": today or date.today(),
            "kind_names": KIND_NAMES,
        },
    )


def _cell_runs(paragraph: object, runs: list[Run]) -> None:
    from docx.text.paragraph import Paragraph

    assert isinstance(paragraph, Paragraph)
    for op, text in runs:
        run = paragraph.add_run(text)
        if op == "-":
            run.font.strike = True
        elif op == "+":
            run.font.underline = True


def _east_asian(document: object, font: str) -> None:
    """Name a Chinese font for the document's text, as Word needs it (w:eastAsia)."""
    from docx.document import Document
    from docx.oxml.ns import qn

    assert isinstance(document, Document)
    style = document.styles["Normal"]
    style.font.name = font
    rpr = style.element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), font)


def render_docx(result: DiffReport) -> bytes:
    """The 新旧对照表: 条款 | 原文 | 修改后 | 修改类型; deletions struck, insertions underlined."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt

    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for margin in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, margin, Cm(1.8))
    _east_asian(document, "宋体")
    document.styles["Normal"].font.size = Pt(10.5)
    for view in pair_views(result):
        document.add_heading(f"{view.title} 新旧对照表", level=1)
        document.add_paragraph(
            f"原文：{view.pair.old}　修改后：{view.pair.new}　"
            + "，".join(f"{name} {n}" for name, n in view.counts)
        )
        table = document.add_table(rows=1, cols=4)
        table.style = "Table Grid"
        widths = (Cm(2.0), Cm(11.0), Cm(11.0), Cm(2.8))
        for cell, title, width in zip(
            table.rows[0].cells, ("条款", "原文", "修改后", "修改类型"), widths, strict=True
        ):
            cell.width = width
            cell.paragraphs[0].add_run(title).bold = True
        for row in view.rows:
            cells = table.add_row().cells
            for cell, width in zip(cells, widths, strict=True):
                cell.width = width
            cells[0].paragraphs[0].add_run(row.ids)
            _cell_runs(cells[1].paragraphs[0], row.old)
            _cell_runs(cells[2].paragraphs[0], row.new)
            cells[3].paragraphs[0].add_run(row.badges[0].text)
            for badge in row.badges[1:]:
                cells[3].add_paragraph(badge.text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _rich(runs: list[Run]) -> object:
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    struck, underlined = (
        InlineFont(strike=True, color="B3261E"),
        InlineFont(u="single", color="1E6B34"),
    )
    parts: list[str | TextBlock] = []
    for op, text in runs:
        if op == "=":
            parts.append(text)
        else:
            parts.append(TextBlock(struck if op == "-" else underlined, text))
    return CellRichText(*parts) if parts else ""


def render_xlsx(result: DiffReport) -> bytes:
    """The 新旧对照表 as a workbook, one sheet per plan, struck and underlined rich text."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    wrap = Alignment(wrap_text=True, vertical="top")
    for view in pair_views(result):
        sheet = workbook.create_sheet(f"对照表{view.index + 1}")
        sheet.append(["条款", "原文", "修改后", "修改类型", "说明"])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in view.rows:
            sheet.append(
                [
                    row.ids,
                    _rich(row.old),
                    _rich(row.new),
                    row.badges[0].text,
                    "\n".join(b.text for b in row.badges[1:]),
                ]
            )
        for line in sheet.iter_rows(min_row=2):
            for cell in line:
                cell.alignment = wrap
        for column, width in zip("ABCDE", (10, 60, 60, 12, 30), strict=True):
            sheet.column_dimensions[column].width = width
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


DIFF_FORMATS = ("html", "docx", "xlsx")


def render_diff(result: DiffReport, fmt: str) -> str | bytes:
    """``planc diff --format html|docx|xlsx``: one call for the diff command to dispatch to."""
    if fmt == "html":
        return render_html(result)
    if fmt == "docx":
        return render_docx(result)
    if fmt == "xlsx":
        return render_xlsx(result)
    raise PlancError(f"unknown report format {fmt!r} (choose from {', '.join(DIFF_FORMATS)})")
