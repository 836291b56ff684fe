"""Document shape, clause structure, task tables, back matter and metadata, form by form."""

from __future__ import annotations

import math
from datetime import date

from planc.compile import compile_text
from planc.labels import match_label
from planc.model import Plan
from planc.parse import Kind, classify, full_line_width, parse, split_lines
from planc.parse.meta import _title_groups, extract_meta
from planc.textmap import fold


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


def covered(plan: Plan, text: str) -> bool:
    """Front matter, clauses and back matter tile the text."""
    assert plan.back_matter is not None
    spans = [plan.front_matter.span, *(c.span for c in plan.walk()), plan.back_matter.span]
    cursor = 0
    for span in spans:
        if span.start != cursor or span.end < span.start:
            return False
        cursor = span.end
    return cursor == len(text)


# Text shape -------------------------------------------------------------------------------

PARAGRAPHS = (
    "2024年某区城市更新工作方案\n"
    "一、重点任务\n"
    "1.推进老旧小区改造，完成既有多层住宅加装电梯100台并同步推进小区管线和绿化的整体更新改造\n"
    "区建设管理委、区房管局、各街道办事处\n"
    "2.建设口袋公园，新建口袋公园5座。\n"
)


def test_paragraph_text_keeps_a_line_after_an_unfinished_one_apart() -> None:
    lines = split_lines(PARAGRAPHS)
    assert full_line_width(lines) == math.inf
    plan = compile_text(PARAGRAPHS)
    first, second = plan.clauses[0].children
    assert first.text.endswith("整体更新改造\n区建设管理委、区房管局、各街道办事处")
    assert first.heading.endswith("整体更新改造")
    assert second.heading == "建设口袋公园，新建口袋公园5座"


def test_a_page_end_inside_a_paragraph_is_joined_in_paragraph_text() -> None:
    text = (
        "2023年某市中医药工作要点\n一、重点任务\n"
        "1.加大医保支持力度。加强与医保部门协调合作，争取在新增中医药服务价格项目等方面有所突\n\n"
        "- 2 -\n\n破。与市医保局密切配合，探索付费新模式。\n"
    )
    (clause,) = compile_text(text).clauses[0].children
    assert "有所突破。与市医保局密切配合" in clause.text


def _wrapped_plan(columns: float, *paragraphs: str) -> str:
    filler = (
        "各地要加强组织领导，细化工作措施，明确责任分工，确保各项任务按时完成，"
        "并及时总结推广好经验好做法，形成一批可复制可推广的典型案例。"
    )
    body = ["2024年某市基层中医药服务能力提升工作方案", filler, filler, "一、重点任务"]
    lines = [line for paragraph in (*body, *paragraphs) for line in wrap(paragraph, columns)]
    return "\n".join(lines) + "\n"


RANGE_ITEM = (
    "1.建设基层中医馆。年底前每个乡镇卫生院建成中医馆1-2家，由各县（市、区）政府牵头，"
    "市卫健委配合，确保基层中医药服务全覆盖。"
)


def test_a_range_broken_by_the_page_width_is_one_range() -> None:
    text = _wrapped_plan(24.5, RANGE_ITEM)
    assert "中医馆1\n-2家" in text
    (clause,) = compile_text(text).clauses[0].children
    assert "中医馆1-2家" in clause.text
    assert [(t.value, t.max, t.unit, t.cmp) for t in clause.targets] == [(1, 2, "家", "range")]
    assert clause.targets[0].text == "1\n-2家"


def test_an_owner_broken_by_the_page_width_is_one_owner() -> None:
    text = _wrapped_plan(17.0, RANGE_ITEM)
    assert "（市、\n区）" in text
    (clause,) = compile_text(text).clauses[0].children
    assert ("各县（市、区）政府", "lead") in [(o.name, o.role) for o in clause.owners]


def test_wrapped_text_is_known_by_its_lines_of_one_width() -> None:
    lines = split_lines(_wrapped_plan(20, RANGE_ITEM))
    assert full_line_width(lines) == 19.5


# Labels -----------------------------------------------------------------------------------


def test_a_label_followed_by_a_year_is_a_label() -> None:
    for line, number in (("17.2025年1月25日至12月31日，免收通行费", 17), ("3. 2018年起实施", 3)):
        label = match_label(fold(line))
        assert label is not None and (label.level, label.number) == (3, number)
    assert match_label("1.5万元以上") is None
    text = (
        "2024年某市白玉兰推广应用行动计划\n一、计划安排\n"
        "1.2024年8月底前，各区绿化管理部门梳理绿化建设任务。\n"
        "2.2024年9月底前，制定专项推广应用方案。\n"
    )
    first, second = compile_text(text).clauses[0].children
    assert (first.label, first.heading) == ("1.", "2024年8月底前，各区绿化管理部门梳理绿化建设任务")
    assert [str(d.due) for d in second.deadlines] == ["2024-09-30"]


def test_an_attachment_list_of_a_covering_notice_is_front_matter() -> None:
    text = (
        "某市园林局关于印发《某市花推广应用三年行动计划》的通知\n"
        "各区园林局：\n现将有关文件印发给你们，请认真贯彻执行。\n"
        "附件：\n1.某市花推广应用三年行动计划（2024-2026年）\n2.栽植和养护技术要求\n"
        "某市园林局\n2024年7月4日\n"
        "附件1\n某市花推广应用三年行动计划（2024-2026年）\n"
        "一、总体原则\n坚持因地制宜。\n二、工作目标\n新增观赏点位100个。\n"
    )
    plan = compile_text(text)
    assert [c.id for c in plan.walk()] == ["1", "2"]
    assert "2.栽植和养护技术要求" in plan.front_matter.text
    assert plan.meta.title == "某市花推广应用三年行动计划（2024-2026年）"
    assert (plan.meta.issuer, plan.meta.issued, plan.meta.year) == (
        "某市园林局",
        date(2024, 7, 4),
        2024,
    )


# Task tables ------------------------------------------------------------------------------


def _rows(plan: Plan) -> list[tuple[str, str, str]]:
    return [(c.id, c.label, c.heading) for c in plan.walk() if c.level == 3]


def test_a_tab_separated_task_table_gives_a_clause_a_row_with_its_cells() -> None:
    text = (
        "2024年某市优化营商环境工作方案\n一、重点任务\n（一）压实工作责任\n"
        "附件：重点任务分工表\n"
        "序号\t重点任务\t具体措施\t责任单位\t完成时限\n"
        "行动一：提升政务服务效能\n"
        "1\t推进一网通办\t年底前实现高频事项全程网办率达到90%以上\t市政务服务中心\t2024年12月\n"
        "2\t优化企业开办\t压缩企业开办时间至1个工作日以内\t市市场监管局、市税务局\t6月底前\n"
    )
    plan = compile_text(text)
    assert _rows(plan) == [
        ("1.1.1", "1", "年底前实现高频事项全程网办率达到90%以上"),
        ("1.1.2", "2", "压缩企业开办时间至1个工作日以内"),
    ]
    parsed = parse(text)
    first, second = parsed.clauses[0].children[0].children
    assert [(c.column, first.body.text[c.start : c.end]) for c in first.cells] == [
        ("重点任务", "推进一网通办"),
        ("具体措施", "年底前实现高频事项全程网办率达到90%以上"),
        ("责任单位", "市政务服务中心"),
        ("完成时限", "2024年12月"),
    ]
    assert [c.column for c in second.cells][-2:] == ["责任单位", "完成时限"]
    assert "行动一" not in " ".join(c.heading for c in plan.walk())
    row = next(c for c in plan.walk() if c.id == "1.1.2")
    assert [str(d.due) for d in row.deadlines] == ["2024-06-30"]


def test_a_task_table_with_cells_parted_by_spaces() -> None:
    text = (
        "2024年某县农业农村工作要点\n一、重点工作\n"
        "序号  工作任务  牵头单位  配合单位\n"
        "1  新建高标准农田2万亩  县农业农村局  县财政局\n"
        "2  培训高素质农民300人  县农业农村局  县人社局\n"
    )
    parsed = parse(text)
    first, second = parsed.clauses[0].children
    assert (first.id, first.label, first.heading) == ("1.1", "1", "新建高标准农田2万亩")
    assert [c.column for c in second.cells] == ["工作任务", "牵头单位", "配合单位"]
    assert second.body.text[second.cells[2].start : second.cells[2].end] == "县人社局"


def test_a_serial_printed_after_a_group_cell() -> None:
    text = (
        "2024年某区文旅工作任务清单\n一、重点任务\n"
        "任务类型\t序号\t工作任务\t责任单位\n"
        "行动一：文旅融合\t1\t举办文化旅游节2场\t区文化旅游局\n"
        "\t2\t新建城市书房3家\t区文化旅游局、各街道\n"
    )
    plan = compile_text(text)
    assert _rows(plan) == [("1.1", "1", "举办文化旅游节2场"), ("1.2", "2", "新建城市书房3家")]
    assert covered(plan, text)


def test_a_task_table_one_cell_a_line_with_group_cells_and_bare_serials() -> None:
    text = (
        "某区城市更新行动方案（2023-2025年）\n一、保障措施\n（一）加强重点项目推进\n"
        "梳理形成重点任务清单。\n附件\n重点任务清单\n"
        "任务类型\n\n序号\n\n工作任务\n\n推进单位\n\n"
        "行动一：综合区域整体焕新\n\n1\n\n推进走马塘片区规划研究\n\n区规划资源局、区建设管理委\n\n"
        "旧区改造\n\n2\n\n全面完成零星旧里改造\n\n区房管局、各相关街镇\n\n"
        "旧住房更新改造\n\n3\n\n完成既有多层住宅加装电梯700台\n\n"
        "“美丽家园”建设\n\n4\n\n创建20个“美丽家园”示范小区。重点推进三个项目。\n"
    )
    plan = compile_text(text)
    assert _rows(plan) == [
        ("1.1.1", "1", "推进走马塘片区规划研究"),
        ("1.1.2", "2", "全面完成零星旧里改造"),
        ("1.1.3", "3", "完成既有多层住宅加装电梯700台"),
        ("1.1.4", "4", "创建20个“美丽家园”示范小区"),
    ]
    rows = parse(text).clauses[0].children[0].children
    assert [c.column for c in rows[0].cells] == ["工作任务", "推进单位"]
    # A line under 推进单位 that names no unit is the next row's group cell, not an owner.
    assert [c.column for c in rows[2].cells] == ["工作任务"]
    assert covered(plan, text)


def test_bare_numbers_outside_a_table_are_page_numbers() -> None:
    text = "2023年某市工作要点\n一、重点任务\n1.建设社区医院。\n\n2\n\n2.推进信息化。\n"
    lines = split_lines(text)
    classify(lines)
    assert [line.kind for line in lines if line.content == "2"] == [Kind.NOISE]


# Back matter ------------------------------------------------------------------------------


def test_signature_and_closing_paragraph_are_back_matter() -> None:
    text = (
        "国务院关于做好当前促进就业工作的若干意见\n国发〔2018〕39号\n"
        "各省、自治区、直辖市人民政府：\n为做好就业工作，现提出以下意见。\n"
        "一、支持企业稳定发展\n"
        "（一）加大稳岗支持力度。对不裁员的企业返还失业保险费的50%。\n"
        "（二）加大创业担保贷款支持。个人贷款最高额度提高至15万元。\n"
        "（三）指导企业履行社会责任。要引导困难企业与职工协商。\n"
        "各地要对现有补贴项目进行梳理，于年底前完成。\n"
        "国务院\n二○一八年十一月十六日\n（此件公开发布）\n"
    )
    plan = compile_text(text)
    last = plan.clauses[0].children[-1]
    assert last.text == "指导企业履行社会责任。要引导困难企业与职工协商。"
    assert last.deadlines == [] and last.owners == []
    assert plan.back_matter is not None
    assert plan.back_matter.text.startswith("各地要对现有补贴项目进行梳理")
    assert plan.back_matter.text.endswith("（此件公开发布）")
    assert covered(plan, text)
    assert (plan.meta.issuer, plan.meta.issued, plan.meta.year) == (
        "国务院",
        date(2018, 11, 16),
        2018,
    )


def test_a_paragraph_under_a_heading_alone_stays_in_its_clause() -> None:
    text = (
        "某试点工作方案\n一、总体要求\n坚持问题导向。\n二、工作安排\n"
        "联合采购办公室于2019年初开始执行采购结果。\n"
    )
    plan = compile_text(text)
    assert plan.clauses[-1].text == "工作安排\n联合采购办公室于2019年初开始执行采购结果。"
    assert plan.back_matter is not None and plan.back_matter.text == ""


def test_a_closing_paragraph_that_names_the_document_is_back_matter() -> None:
    text = (
        "某市稳增长若干措施\n一、扩大有效投资\n"
        "1.加快项目建设。年底前开工项目100个。\n"
        "推动项目早落地、早见效，各项目单位按月报送进度。\n"
        "2.加强要素保障。优先保障重点项目用地。\n"
        "本措施自印发之日起施行。\n"
    )
    plan = compile_text(text)
    assert plan.back_matter is not None
    assert plan.back_matter.text == "本措施自印发之日起施行。"
    assert plan.clauses[0].children[-1].text == "加强要素保障。优先保障重点项目用地。"


# Metadata ---------------------------------------------------------------------------------


def test_repository_header_lines_are_sources_not_the_title() -> None:
    text = (
        "---\n"
        "标题: 某区人民政府办公室关于转发《某区城市更新行动方案（2023-2025年）》的通知\n"
        "文号: 某府办发〔2023〕13号\n发布单位: 某区人民政府办公室\n发布日期: 2023-12-18\n"
        "---\n\n> 本文正文由脚本自官方公开页面提取，仅供检索查阅。\n\n"
        "# 某区人民政府办公室关于转发《某区城市更新行动方案（2023-2025年）》的通知\n\n"
        "各委、办、局：\n现转发给你们，请认真按照执行。\n\n某区人民政府办公室\n\n2023年12月12日\n\n"
        "某区城市更新行动方案（2023-2025年）\n\n一、总体要求\n到2025年，城市更新体系基本建立。\n"
    )
    meta = compile_text(text).meta
    assert meta.title == "某区城市更新行动方案（2023-2025年）"
    assert meta.doc_number == "某府办发〔2023〕13号"
    assert meta.issued == date(2023, 12, 12)  # 成文日期, not the site's 发布日期
    assert meta.issuer == "某区人民政府办公室"
    assert meta.year == 2023  # the first year of a multi-year plan


def test_a_site_header_table_gives_issuer_number_and_date() -> None:
    text = (
        "国务院关于促进就业的意见_政府信息公开专栏_中国政府网\n"
        "索引号\t000014349/2018-00186\t主题分类\t劳动、人事、监察\n"
        "发文机关\t国务院\t成文日期\t2018年11月16日\n"
        "标题\t国务院关于促进就业的意见\n"
        "发文字号\t国发〔2018〕39号\t发布日期\t2018年12月05日\n"
        "国务院关于促进就业的意见\n"
        "一、支持企业稳定发展\n（一）加大稳岗支持力度。\n"
    )
    meta = compile_text(text).meta
    assert (meta.title, meta.issuer, meta.doc_number) == (
        "国务院关于促进就业的意见",
        "国务院",
        "国发〔2018〕39号",
    )
    assert (meta.issued, meta.year) == (date(2018, 11, 16), 2018)


def test_a_date_in_chinese_numerals() -> None:
    text = (
        "某市人民政府\n二○一二年四月十日\n某市民生幸福工程实施意见\n一、总体目标\n做好民生工作。\n"
    )
    meta = compile_text(text).meta
    assert (meta.issuer, meta.issued, meta.year) == ("某市人民政府", date(2012, 4, 10), 2012)


def test_title_groups_take_linear_time_on_many_title_like_lines() -> None:
    # 40,000 short unpunctuated lines: a run re-joined for every line would take minutes.
    text = "\n".join(f"某市第{n}项重点工作任务清单" for n in range(40_000)) + "\n"
    lines = split_lines(text)
    classify(lines)
    assert _title_groups(lines, None) == []
    assert extract_meta(lines).title is None


def test_a_labelled_task_table_gives_its_rows_cells_by_column() -> None:
    text = (
        "某市交通精细化管理工作方案（2024-2026年）\n一、重点任务\n附件：任务清单\n"
        "任务\n\n分类\n\n重点任务\n\n2024年工作项目\n\n2025年计划\n\n牵头\n\n部门\n\n配合\n\n部门\n\n"
        "（一）\n\n提升设施品质\n\n"
        "（1）建设精品道路300条。\n\n建设精品道路100条。\n\n建设精品道路200条。\n\n"
        "设施养护处\n\n各区交通管理部门\n\n"
        "（2）推进慢行交通提升项目。\n\n完成项目110个。\n\n完成项目80个。\n\n"
        "设施运行处\n\n设施养护处\n\n各区交通管理部门\n\n"
        "（3）改造农村公路100公里。\n\n改造50公里。\n\n改造50公里。\n\n设施养护处\n\n"
        "各区交通管理部门\n\n"
    )
    parsed = parse(text)
    group = parsed.clauses[0].children[0]
    assert (group.id, group.cells) == ("1.1", ())  # a label alone on its line: a group cell
    first, second, third = group.children

    def columns(node: object) -> list[tuple[str, str]]:
        return [(c.column, node.body.text[c.start : c.end]) for c in node.cells]  # type: ignore[attr-defined]

    assert columns(first) == [
        ("重点任务", "建设精品道路300条。"),
        ("2024年工作项目", "建设精品道路100条。"),
        ("2025年计划", "建设精品道路200条。"),
        ("牵头部门", "设施养护处"),
        ("配合部门", "各区交通管理部门"),
    ]
    # More unit lines than unit columns: the first column (牵头) takes the rest.
    assert [c for c, _ in columns(second)][-3:] == ["牵头部门", "牵头部门", "配合部门"]
    # The repeated unit lines are cells, not running headers.
    assert "设施养护处" in third.body.text and "设施养护处" in first.body.text


def test_an_empty_cell_of_a_tab_separated_row_keeps_the_columns_after_it() -> None:
    text = (
        "2024年某市卫生健康工作任务分解表\n一、重点任务\n"
        "序号\t具体措施\t牵头单位\t配合单位\t完成时限\n"
        "1\t建成社区医院20家\t\t市财政局\t6月底前\n"
        "2\t培训全科医生100人\t市卫健委\t市人社局\t\n"
    )
    first, second = parse(text).clauses[0].children
    assert [(c.column, first.body.text[c.start : c.end]) for c in first.cells] == [
        ("具体措施", "建成社区医院20家"),
        ("配合单位", "市财政局"),
        ("完成时限", "6月底前"),
    ]
    assert [c.column for c in second.cells] == ["具体措施", "牵头单位", "配合单位"]
    assert first.heading == "建成社区医院20家"


def test_a_header_table_a_cell_a_line_and_a_year_in_chinese_numerals() -> None:
    text = (
        "索引号：\n11410000/2023-00012\n发文机关：\n某省人民政府办公厅\n成文日期：\n"
        "2023年04月10日\n发文字号：\n某政办〔2023〕12号\n"
        "二〇二三年某省数字政府建设工作要点\n一、总体要求\n推进数字政府建设。\n"
    )
    meta = compile_text(text).meta
    assert (meta.title, meta.issuer, meta.doc_number) == (
        "二〇二三年某省数字政府建设工作要点",
        "某省人民政府办公厅",
        "某政办〔2023〕12号",
    )
    assert (meta.issued, meta.year) == (date(2023, 4, 10), 2023)


def test_a_notice_that_asks_about_a_plan_names_it_and_the_plan_line_is_the_title() -> None:
    text = (
        "关于向社会公开征求《某市数据空间发展行动计划（2024—2028年）》意见的公告\n"
        "来源：某市数据局 发布时间：2024-10-19\n现向社会公开征求意见。\n"
        "某市数据局\n2024年10月18日\n附件\n某市数据空间发展行动计划（2024—2028年）\n"
        "（征求意见稿）\n一、总体目标\n到2028年建成数据空间10个以上。\n"
    )
    meta = compile_text(text).meta
    assert (meta.title, meta.issuer, meta.issued, meta.year) == (
        "某市数据空间发展行动计划（2024—2028年）",
        "某市数据局",
        date(2024, 10, 18),
        2024,
    )


def test_an_owner_line_with_commas_after_an_unfinished_paragraph_stays_apart() -> None:
    text = PARAGRAPHS.replace(
        "区建设管理委、区房管局、各街道办事处", "区建设管理委，区房管局，各街道办事处"
    )
    first = compile_text(text).clauses[0].children[0]
    assert first.text.endswith("整体更新改造\n区建设管理委，区房管局，各街道办事处")


def test_every_gold_plan_wrapped_at_the_page_width_keeps_its_tree_and_metadata() -> None:
    """As pdftotext prints a page (28 columns, page numbers, a running header): the same
    clauses, headings and metadata as the plan with a paragraph a line."""
    from tests.conftest import shared_path
    from tests.test_parse import pdf_pages

    gold = shared_path("gold")
    for name in sorted(path.stem for path in gold.glob("*.yaml")):
        folder = "seeds" if name.endswith("tcm-2023") else "corpus"
        text = shared_path(folder, f"{name}.txt").read_text(encoding="utf-8")
        plan = compile_text(text)
        wrapped = compile_text(pdf_pages(text, header="政府文件"))
        assert [(c.id, c.label, c.heading) for c in wrapped.walk()] == [
            (c.id, c.label, c.heading) for c in plan.walk()
        ], name
        assert wrapped.meta.model_dump(exclude={"spans"}) == plan.meta.model_dump(
            exclude={"spans"}
        ), name


def test_two_bodies_signing_together_stay_apart() -> None:
    text = (
        "2024—2026年某省农机购置补贴实施方案\n"
        "一、总体要求\n"
        "（一）加强领导。\n"
        "某省农业农村厅\u2002\u2002\u2002\u2002某省财政厅\n"
        "2024年7月1日\n"
    )
    meta = compile_text(text).meta
    assert meta.issuer == "某省农业农村厅 某省财政厅"
    assert meta.issued == date(2024, 7, 1)
