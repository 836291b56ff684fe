"""Deadlines: each form the guide names and the forms real plans use, one sentence each."""

from __future__ import annotations

from datetime import date

import pytest

from planc.compile import compile_text
from planc.extract import Cell, Context
from planc.extract.deadlines import find_deadlines
from planc.textmap import fold

D = date.fromisoformat
ISSUED = {2018: date(2018, 11, 16)}  # the issue date of the 2018 cases' plan

# (sentence, plan year, [(text, due, start)])
CASES = [
    ("5 月底前市级将组织初评,7 月底前按程序上报", 2023,
     [("5 月底前", "2023-05-31", None), ("7 月底前", "2023-07-31", None)]),
    ("力争5月底完成验收。", 2023, [("5月底", "2023-05-31", None)]),
    ("争取年底 80%以上县(市、区)通过省级评审。", 2023, [("年底", "2023-12-31", None)]),
    ("年底前完成主体工程。", 2023, [("年底前", "2023-12-31", None)]),
    ("年内完成全部改造任务。", 2023, [("年内", "2023-12-31", None)]),
    ("上半年完成试点评估。", 2023, [("上半年", "2023-06-30", "2023-01-01")]),
    ("下半年全面推开。", 2023, [("下半年", "2023-12-31", "2023-07-01")]),
    ("第三季度召开现场推进会。", 2023, [("第三季度", "2023-09-30", "2023-07-01")]),
    ("一季度完成摸底调查。", 2023, [("一季度", "2023-03-31", "2023-01-01")]),
    ("确保 5 月份一期开园。", 2023, [("5 月份", "2023-05-31", "2023-05-01")]),
    ("9 月下旬举办第十六届张仲景医药文化节。", 2023,
     [("9 月下旬", "2023-09-30", "2023-09-21")]),
    ("5 月中上旬举办第六届中国艾产业发展大会。", 2023,
     [("5 月中上旬", "2023-05-20", "2023-05-01")]),
    ("2024年6月底前完成验收。", 2023, [("2024年6月底前", "2024-06-30", None)]),
    ("6月30日前报送自评报告。", 2023, [("6月30日前", "2023-06-30", None)]),
    ("五月底前完成方案制定。", 2023, [("五月底前", "2023-05-31", None)]),
    ("十二月底前形成总结报告。", 2023, [("十二月底前", "2023-12-31", None)]),
    ("3月至5月开展集中督查。", 2023, [("3月至5月", "2023-05-31", "2023-03-01")]),
    ("明年3月底前全面完成。", 2023, [("明年3月底前", "2024-03-31", None)]),
    ("各盟市于3月、6月、9月、12月最后一天报送季度工作进展。", 2023, [
        ("3月、6月、9月、12月最后一天", "2023-03-31", None),
        ("3月、6月、9月、12月最后一天", "2023-06-30", None),
        ("3月、6月、9月、12月最后一天", "2023-09-30", None),
        ("3月、6月、9月、12月最后一天", "2023-12-31", None)]),
    ("今年3月份和11月份开展督查,年中和年底进行考核。", 2023, [
        ("今年3月份", "2023-03-31", "2023-03-01"), ("11月份", "2023-11-30", "2023-11-01"),
        ("年中", "2023-06-30", None), ("年底", "2023-12-31", None)]),
    # A year printed with the expression wins over the plan year.
    ("到2015年,全市基本建成公共服务体系。", 2012, [("到2015年", "2015-12-31", None)]),
    ("2014年前建成“智慧社保”信息系统。", 2012, [("2014年前", "2014-12-31", None)]),
    ("2013年3月前,完成26个试点。", 2012, [("2013年3月前", "2013-03-31", None)]),
    ("到2012年底,全市行政村卫生站实施基本药物制度。", 2012,
     [("到2012年底", "2012-12-31", None)]),
    ("2012年,将廉租住房保障收入线标准提高。", 2012, [("2012年", "2012-12-31", None)]),
    ("2012－2015年,城镇年均新增就业人数24万以上。", 2012,
     [("2012－2015年", "2015-12-31", "2012-01-01")]),
    ("2012~2015年,共募集社会捐赠5亿元以上。", 2012,
     [("2012~2015年", "2015-12-31", "2012-01-01")]),
    ("制定2030年前碳排放达峰行动方案。", 2021, [("2030年前", "2030-12-31", None)]),
    # N年内 counts from the plan's start year.
    ("5年内实现全覆盖。", 2012, [("5年内", "2016-12-31", None)]),
    ("确保1年内完成合同用量。", 2019, [("1年内", "2019-12-31", None)]),
    ("在2—3年内调整到位。", 2019, [("2—3年内", "2021-12-31", None)]),
    # Written the year being unknown: the expression is found, its date is not guessed.
    ("年底前完成主体工程。", None, [("年底前", None, None)]),
    ("5 月底前完成初评。", None, [("5 月底前", None, None)]),
    # Each time point once per clause, at the first place it is printed.
    ("年底前建成示范馆,年底前建成 20 家灸疗中心。", 2023, [("年底前", "2023-12-31", None)]),
    # Not deadlines: labels, frequencies, spans since a past year, past dates, durations.
    ("争取将其他4所医院列入2023年中央预算内投资计划。", 2023, []),
    ("完成2023年各项工作目标和任务。", 2023, []),
    ("推动内蒙古自治区2023年内蒙医药工作。", 2023, []),
    ("每年制订并推广应用至少5个特色康复方案。", 2023, []),
    ("建立月动态监测机制和季度调度制度,定期通报。", 2023, []),
    ("每季度通报一次。", 2023, []),
    ("2013年以来新增的涉税信息。", 2021, []),
    ("2022年底前已完成的项目继续运营。", 2023, []),
    ("去年年底完成摸底。", 2023, []),
    ("0-36个月儿童健康管理率达到83%。", 2023, []),
    ("持续推进“十四五”规划实施。", 2023, []),
    ("《2023年南阳市中医药工作要点》印发实施。", 2023, []),
    # Spans of dates are one window; 至 + a full date is one date.
    ("2019年1月1日至12月31日,对不裁员的企业返还失业保险费。", 2018,
     [("2019年1月1日至12月31日", "2019-12-31", "2019-01-01")]),
    ("2023年1月1日—3月31日在本市新购汽车给予补贴。", 2023,
     [("2023年1月1日—3月31日", "2023-03-31", "2023-01-01")]),
    ("2025年7月至2025年12月,新增观赏点位30个。", 2024,
     [("2025年7月至2025年12月", "2025-12-31", "2025-07-01")]),
    ("补足保证金期限延至2023年3月31日。", 2023, [("2023年3月31日", "2023-03-31", None)]),
    ("在政策出台至2023年4月30日期间购房的,给予补贴。", 2023,
     [("2023年4月30日", "2023-04-30", None)]),
    ("至2026年金山铁路全天开行列车38对。", 2024, [("至2026年", "2026-12-31", None)]),
    # A window opened before the plan year only says which loans qualify.
    ("对2022年6月—2023年3月期间新增的贷款给予贴息。", 2023, []),
    # 从…起: the date the measure takes effect; a year起 is that year's window.
    ("从2019年1月1日起,将失业保险费率降至1%。", 2018, [("2019年1月1日", "2019-01-01", None)]),
    ("2016年起逐步推开。", 2015, [("2016年起", "2016-12-31", "2016-01-01")]),
    # Counted from the issue date.
    ("各地要在本意见印发之日起30日内制定实施办法。", 2018,
     [("印发之日起30日内", "2018-12-16", None)]),
    # 年初, X月末, the end of a five-year plan period.
    ("于2019年初开始执行集中采购结果。", 2019, [("2019年初", "2019-03-31", "2019-01-01")]),
    ("年初完成摸底排查。", 2023, [("年初", "2023-03-31", "2023-01-01")]),
    ("小微企业贷款余额较年初增加1500亿元以上。", 2025, []),
    ("2025年3月末贷款余额增加1500亿元。", 2025, [("2025年3月末", "2025-03-31", None)]),
    ("到“十三五”末基本建成。", 2016, [("十三五”末", "2020-12-31", None)]),
    ("今年底前全面完成,明年内全面推开。", 2023,
     [("今年底前", "2023-12-31", None), ("明年内", "2024-12-31", None)]),
    ("前三季度完成投资的75%。", 2023, [("前三季度", "2023-09-30", "2023-01-01")]),
    # A bare year or 全年 saying when work happens; a year naming a thing is not a deadline.
    ("大力实施“四个倍增”,2023年新增市场主体2万户。", 2023, [("2023年", "2023-12-31", None)]),
    ("力争2023年普惠型小微企业贷款余额中信用贷款占比提高。", 2023,
     [("2023年", "2023-12-31", None)]),
    ("全年完成年度投资330亿元。", 2023, [("全年", "2023-12-31", None)]),
    ("带动全年完成工业投资135亿元以上。", 2023, [("全年", "2023-12-31", None)]),
    ("努力完成全年目标任务。", 2023, []),
    ("组织签订2023年电煤中长期合同。", 2023, []),
    ("高效推进2025年提前批专项债券发行使用。", 2025, []),
    ("对列入2025年度国际性展会推荐名录的展会给予补贴。", 2025, []),
    ("2025年计划\n2026年计划", 2024, []),
    ("2022年政府工作任务\n今年经济社会发展的主要预期目标是:", 2022, []),
    ("2023年新增市场主体2万户\n(责任单位:市市场监管局)", 2023, [("2023年", "2023-12-31", None)]),
    # A year printed in the sentence wins over the plan year; one that gives its year yields.
    ("2025年,上半年完成评估,下半年全面推开。", 2024,
     [("上半年", "2025-06-30", "2025-01-01"), ("下半年", "2025-12-31", "2025-07-01")]),
    ("确保2025年提前批项目第一季度全部开工。", 2024,
     [("第一季度", "2025-03-31", "2025-01-01")]),
    ("2024年8月底前完成调研,9月底前制定方案。", 2024,
     [("2024年8月底前", "2024-08-31", None), ("9月底前", "2024-09-30", None)]),
    # N年内 counted from an event is not counted from the plan; 2—3年内 takes the upper end.
    ("种植后2年内需注意树干保水。", 2024, []),
    # Recurring and seasonal times; dates that qualify a thing; the document's own dates.
    ("白玉兰每年花后(4月份)追肥一次。", 2024, []),
    ("冬季休眠期(12月-翌年1月)施基肥一次。", 2024, []),
    ("一般应在12月份至来年1月份种植。", 2024, []),
    ("每年3月底前报送上年度工作总结。", 2023, []),
    ("于每月10日前将当月救助资金发放到位。", 2023, []),
    ("对2023年3月31日前到期的小微企业贷款实行延期还本付息。", 2023, []),
    ("形成合力。\n国务院\n2018年11月16日", 2018, []),
    ("2023年4月10日印发", 2023, []),
    ("《行动计划(2024-2026年)》重点任务清单(2024-2026年)", 2024, []),
    ("结合2026年市花命名40周年开展宣传。", 2024, []),
    ("2023年是全面贯彻党的二十大精神的开局之年。", 2023, []),
    ("2024年、2025年分别完成30%、60%。", 2023,
     [("2024年", "2024-12-31", None), ("2025年", "2025-12-31", None)]),
    ("与2020年相比下降13.5%。", 2023, []),
    ("2022年以来累计建成5G基站2万个。", 2023, []),
    ("春节前后开展走访慰问。", 2023, []),
    ("2024年春节前完成欠薪清零。", 2023, []),
    ("二〇二三年底前完成全部改造。", 2023, [("二〇二三年底前", "2023-12-31", None)]),
    ("二〇二四年三月十五日前报送。", 2023, [("二〇二四年三月十五日前", "2024-03-15", None)]),
    ("形成合力。\n二〇二三年四月十日", 2023, []),
]  # fmt: skip


@pytest.mark.parametrize(("sentence", "year", "expected"), CASES)
def test_deadline_forms(
    sentence: str, year: int | None, expected: list[tuple[str, str | None, str | None]]
) -> None:
    text = fold(sentence)
    hits = find_deadlines(text, Context(year=year, issued=ISSUED.get(year or 0)))
    got = [(sentence[h.start : h.end], h.fields["due"], h.fields["start"]) for h in hits]
    want = [(t, due and D(due), start and D(start)) for t, due, start in expected]
    assert got == want


def test_offsets_index_the_folded_text() -> None:
    sentence = "各县(市、区)政府牵头,5 月底前市级将组织初评。"
    text = fold(sentence)
    (hit,) = find_deadlines(text, Context(year=2023))
    assert text[hit.start : hit.end] == "5 月底前"
    assert sentence[hit.start : hit.end] == "5 月底前"


def test_counted_from_the_issue_date_needs_it() -> None:
    text = fold("本意见印发之日起3个月内出台细则。")
    (known,) = find_deadlines(text, Context(year=2018, issued=date(2018, 11, 30)))
    assert known.fields["due"] == date(2019, 2, 28)
    (later,) = find_deadlines(fold("本通知印发后15天内报送。"), Context(issued=date(2018, 11, 30)))
    assert later.fields["due"] == date(2018, 12, 15)
    (unknown,) = find_deadlines(text, Context(year=2018))
    assert unknown.fields["due"] is None


def test_within_years_counts_from_the_opening_year_without_metadata() -> None:
    text = fold("5年内实现全覆盖。")
    (hit,) = find_deadlines(text, Context(opening_year=2012))
    assert hit.fields["due"] == date(2016, 12, 31)


def test_a_date_alone_on_a_line_is_the_signature_unless_the_issue_date_differs() -> None:
    text = fold("形成合力。\n2018年12月31日")
    assert find_deadlines(text, Context(year=2018, issued=date(2018, 11, 16)))
    assert not find_deadlines(text, Context(year=2018, issued=date(2018, 12, 31)))


def _row(cells: list[tuple[str, str]]) -> tuple[str, Context]:
    """A task-table row as the parser hands it over: the cells one a line, each with its column."""
    text, found = "", []
    for column, cell in cells:
        found.append(Cell(len(text), len(text) + len(cell), column))
        text += cell + "\n"
    return fold(text), Context(year=2024, cells=tuple(found))


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("6月", [("2024-06-30", "2024-06-01")]),
        ("2025年", [("2025-12-31", None)]),
        ("2024.10", [("2024-10-31", "2024-10-01")]),
        ("2025-06-30", [("2025-06-30", None)]),
        ("2024年12月31日", [("2024-12-31", None)]),
        ("2024年底前", [("2024-12-31", None)]),
        ("长期坚持", []),
        ("每季度", []),
    ],
)
def test_a_deadline_cell_is_read_by_its_column(
    cell: str, expected: list[tuple[str, str | None]]
) -> None:
    text, context = _row([("具体措施", "完善白玉兰养护标准"), ("完成时限", cell)])
    hits = find_deadlines(text, context)
    assert [(str(h.fields["due"]), h.fields["start"] and str(h.fields["start"])) for h in hits] == [
        (due, start) for due, start in expected
    ]


def test_years_outside_a_deadline_cell_follow_the_sentence_rules() -> None:
    text, context = _row([("2025年计划", "持续推进系统建设"), ("责任单位", "市交通委")])
    assert find_deadlines(text, context) == []
    text, context = _row([("2025年计划", "年底前完成系统建设"), ("责任单位", "市交通委")])
    (hit,) = find_deadlines(text, context)
    assert hit.fields["due"] == date(2025, 12, 31)  # the column's year, not the plan's


@pytest.mark.parametrize(
    ("sentence", "due", "start"),
    [
        ("9—10月开展集中整治。", "2023-10-31", "2023-09-01"),
        ("2024年年中完成中期评估。", "2024-06-30", None),
        ("力争在2024年建成投用。", "2024-12-31", None),
        ("于2024年完成全部改造任务。", "2024-12-31", None),
        ("建设智慧养老平台(完成时限:2024年)", "2024-12-31", None),
        ("完成时间为2025年。", "2025-12-31", None),
    ],
)
def test_more_forms_of_real_plans(sentence: str, due: str, start: str | None) -> None:
    text = fold(sentence)
    (hit,) = find_deadlines(text, Context(year=2023))
    assert (hit.fields["due"], hit.fields["start"]) == (D(due), start and D(start))


def test_compile_gives_the_extractor_the_issue_date_and_skips_only_looking_back() -> None:
    text = (
        "国务院办公厅关于印发政府网站集约化试点工作方案的通知\n国办函〔2018〕71号\n"
        "国务院办公厅\n2018年10月27日\n政府网站集约化试点工作方案\n一、工作安排\n"
        "（一）总结经验做法。试点地区要于2019年12月底前进行总结。\n"
        "（二）制定办法。各地要在本方案印发之日起30日内制定实施办法。\n"
        "二、2017年工作回顾\n（一）年底前完成了改版。\n"
    )
    plan = compile_text(text)
    assert [(c.id, [(d.text, d.due) for d in c.deadlines]) for c in plan.walk()] == [
        ("1", []),
        ("1.1", [("2019年12月底前", date(2019, 12, 31))]),
        ("1.2", [("印发之日起30日内", date(2018, 11, 26))]),
        ("2", []),
        ("2.1", []),
    ]


def test_a_plan_without_a_year_counts_years_from_the_year_its_text_opens_with() -> None:
    text = (
        "某市养老服务体系建设实施意见\n2012年起，全市全面推进养老服务体系建设。\n一、主要任务\n"
        "1. 5年内实现社区养老服务全覆盖，年底前完成摸底。\n"
    )
    plan = compile_text(text)
    assert plan.meta.year is None
    (item,) = plan.clauses[0].children
    assert [(d.text, d.due) for d in item.deadlines] == [
        ("5年内", date(2016, 12, 31)),
        ("年底前", None),  # which year's end the text does not say
    ]
