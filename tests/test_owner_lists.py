"""Owner lists: brackets closing an item, the first-listed-leads note, task-table cells by
column, owner lines, the unit lexicon and its aliases, and linear time on dense input."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from planc.compile import compile_text
from planc.extract import Cell, Context
from planc.extract import owners as owners_module
from planc.extract.owners import find_owners, first_listed_leads, is_unit
from planc.extract.units import aliases, canonical, is_known, same_unit
from planc.textmap import fold
from tests.conftest import modules_loaded


def owners_of(text: str, **context: object) -> list[tuple[str, str]]:
    folded = fold(text)
    hits = find_owners(folded, Context(year=2023, **context))  # type: ignore[arg-type]
    for hit in hits:  # the name is what the span prints, brackets made full-width
        assert hit.fields["name"] == text[hit.start : hit.end].replace(" ", "").replace(
            "(", "（"
        ).replace(")", "）")
    return [(hit.fields["name"], hit.fields["role"]) for hit in hits]


BRACKETS: list[tuple[str, list[tuple[str, str]]]] = [
    # （X牵头，Y、Z按职责分工负责）
    ("加快推进政务数据共享。（国家发展改革委牵头，工业和信息化部、审计署按职责分工负责）",
     [("国家发展改革委", "lead"), ("工业和信息化部", "responsible"), ("审计署", "responsible")]),
    # a long list, names with 和, a name ending in 总局
    ("落实税费减免政策。（财政部、人力资源和社会保障部、文化和旅游部、税务总局、"
     "市场监管总局、国家医保局负责）",
     [("财政部", "responsible"), ("人力资源和社会保障部", "responsible"),
      ("文化和旅游部", "responsible"), ("税务总局", "responsible"),
      ("市场监管总局", "responsible"), ("国家医保局", "responsible")]),
    # guiding, and a unit that carries out
    ("开展试点。（生态环境部、住房城乡建设部指导，试点城市政府负责落实）",
     [("生态环境部", "guiding"), ("住房城乡建设部", "guiding"), ("试点城市政府", "responsible")]),
    ("建设示范区。（省发展改革委组织实施）", [("省发展改革委", "responsible")]),
    # 等有关部门和单位: the category after 等 is dropped
    ("扩大见习规模。（人力资源社会保障部、教育部等有关部门和单位负责）",
     [("人力资源社会保障部", "responsible"), ("教育部", "responsible")]),
    # a category alone is an owner; units without a role word continue the list
    ("稳定劳动关系。（各有关部门和单位，各省级人民政府按职责分工负责）",
     [("各有关部门和单位", "responsible"), ("各省级人民政府", "responsible")]),
    # X会同Y inside the bracket; a trailing remark is no unit
    ("开展试点。（国家发展改革委、财政部会同有关部门负责）",
     [("国家发展改革委", "responsible"), ("财政部", "responsible"), ("有关部门", "cooperating")]),
    ("做好宣传。（市委宣传部、市融媒体中心负责，长期坚持）",
     [("市委宣传部", "responsible"), ("市融媒体中心", "responsible")]),
    ("提升服务能力。（省卫生健康委、省医保局，各市、县（市、区）人民政府按职责分工负责）",
     [("省卫生健康委", "responsible"), ("省医保局", "responsible"),
      ("各市、县（市、区）人民政府", "responsible")]),
    # role labels in other dress
    ("推进改革。【牵头单位】市发展改革委【配合单位】市财政局、市商务局",
     [("市发展改革委", "lead"), ("市财政局", "cooperating"), ("市商务局", "cooperating")]),
    ("实施主体：各区政府；协同单位：市交通委", [("各区政府", "responsible"), ("市交通委", "cooperating")]),
    ("（承办单位：市文旅局）", [("市文旅局", "responsible")]),
    # a bracket that lists no owners
    ("推进“一网通办”（含移动端、自助终端）建设。", []),
    ("成立工作小组（以下简称小组）。", []),
]  # fmt: skip


@pytest.mark.parametrize(("sentence", "expected"), BRACKETS, ids=[b[0][:12] for b in BRACKETS])
def test_owner_brackets(sentence: str, expected: list[tuple[str, str]]) -> None:
    assert owners_of(sentence) == expected


def test_the_first_listed_unit_leads_where_the_document_says_so() -> None:
    sentence = "加大稳岗支持力度。（人力资源社会保障部、财政部负责。列第一位者为牵头单位，下同）"
    assert first_listed_leads(sentence)
    assert owners_of(sentence, first_listed_leads=True) == [
        ("人力资源社会保障部", "lead"),
        ("财政部", "responsible"),
    ]
    assert owners_of("（财政部、人民银行、银保监会负责）", first_listed_leads=True)[0] == (
        "财政部",
        "lead",
    )
    assert owners_of("（财政部、人民银行负责）") == [
        ("财政部", "responsible"),
        ("人民银行", "responsible"),
    ]
    labelled = "（责任单位：市卫健委、市医保局）"
    assert owners_of(labelled, first_listed_leads=True)[0] == ("市卫健委", "lead")
    assert first_listed_leads("责任单位中排在第一位的为牵头单位")
    assert first_listed_leads("注：第一个为牵头单位。")
    assert not first_listed_leads("由市卫健委牵头，各区负责。")


def test_the_note_holds_for_the_whole_document() -> None:
    text = (
        "关于做好就业工作的意见\n"
        "一、支持企业\n"
        "（一）加大稳岗支持力度。返还失业保险费。（人力资源社会保障部、财政部负责。"
        "列第一位者为牵头单位，下同）\n"
        "（二）支持小微企业。（财政部、工业和信息化部、人民银行负责）\n"
    )
    clauses = compile_text(text).clauses[0].children
    assert [(o.name, o.role) for o in clauses[1].owners] == [
        ("财政部", "lead"),
        ("工业和信息化部", "responsible"),
        ("人民银行", "responsible"),
    ]


OTHER_FORMS: list[tuple[str, list[tuple[str, str]]]] = [
    ("试点地区政府办公厅（室）对集约化工作负总责。", [("试点地区政府办公厅（室）", "responsible")]),
    ("市交通委负总责，各区配合。", [("市交通委", "responsible"), ("各区", "cooperating")]),
    # X会同Y: X keeps its role, Y cooperates
    ("市民政局会同市财政局制定补贴办法。", [("市民政局", "responsible"), ("市财政局", "cooperating")]),
    # one entry per unit, the strongest role
    ("市卫健委牵头制定方案，市医保局配合，市卫健委负责督导。",
     [("市卫健委", "lead"), ("市医保局", "cooperating")]),
    ("市卫健委、市医保局等有关部门负责落实。", [("市卫健委", "responsible"), ("市医保局", "responsible")]),
    ("各有关部门负责落实。", [("各有关部门", "responsible")]),
    # the same unit printed two ways is one owner
    ("市卫生健康委员会牵头，市财政局、市卫健委配合。",
     [("市卫生健康委员会", "lead"), ("市财政局", "cooperating")]),
    # members of a body the clause forms are not owners; the body that acts is
    ("由市发展改革委、市财政局组成联合工作组。", []),
    ("由市发展改革委、市财政局组成联合工作组（以下简称工作组），统筹推进改革。",
     [("联合工作组", "responsible")]),
    ("依托政府网站，建设统一平台。", []),
    # after a fronted time phrase; the subject of a comma clause under a duty
    ("2019年12月底前，试点地区完成集约化工作。", [("试点地区", "responsible")]),
    ("剩余用量另行采购，试点地区公立医疗机构应优先使用中选药品。",
     [("试点地区公立医疗机构", "responsible")]),
    ("各有关部门和医疗机构不得以费用控制为由影响合理使用。",
     [("各有关部门", "responsible"), ("医疗机构", "responsible")]),
    # a heading that names a unit owns the subject-less 负责 of its body
    ("监督组。负责对集中采购工作进行监督。", [("监督组", "responsible")]),
    ("由市住房城乡建设委牵头，会同市规划自然资源局等部门研究制定实施细则。",
     [("市住房城乡建设委", "lead"), ("市规划自然资源局", "cooperating")]),
    ("二是各县（市、区）要抓好落实。", [("各县（市、区）", "responsible")]),
    ("各省、自治区、直辖市人民政府要切实履行主体责任。",
     [("各省、自治区、直辖市人民政府", "responsible")]),
    ("各级党委和政府要把就业工作摆在突出位置。", [("各级党委和政府", "responsible")]),
    # 由其: the unit just named acts
    ("发现问题的，要及时移送市场监管部门，由其依法处罚。", [("市场监管部门", "responsible")]),
    ("由联合采购办公室对集中采购小组成员进行培训。", [("联合采购办公室", "responsible")]),
    # a collective opens the sentence before any verb; X、Y等单位 declares X and Y units
    ("提升养护水平\n各区调查区域内行道树生长现状。", [("各区", "responsible")]),
    ("各区域加快建设充电设施。", []),
    ("上海市园科院、上海植物园等单位发挥研究优势。",
     [("上海市园科院", "responsible"), ("上海植物园", "responsible")]),
    # short field words sharing one head stay one name
    ("医保、医疗、医药主管部门要各司其职。", [("医保、医疗、医药主管部门", "responsible")]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("sentence", "expected"), OTHER_FORMS, ids=[o[0][:12] for o in OTHER_FORMS]
)
def test_other_owner_forms(sentence: str, expected: list[tuple[str, str]]) -> None:
    assert owners_of(sentence) == expected


def _cells(text: str, *columns: tuple[str, str]) -> tuple[Cell, ...]:
    cells = []
    for printed, column in columns:
        start = text.index(printed)
        cells.append(Cell(start, start + len(printed), column))
    return tuple(cells)


def test_task_table_cells_are_read_by_column() -> None:
    text = "建设精品道路300条。\n设施养护处\n各相关部门和单位\n各行业主管部门、各区"
    cells = _cells(
        text,
        ("设施养护处", "牵头部门"),
        ("各相关部门和单位", "配合部门"),
        ("各行业主管部门、各区", "实施主体"),
    )
    assert owners_of(text, cells=cells) == [
        ("设施养护处", "lead"),
        ("各相关部门和单位", "cooperating"),
        ("各行业主管部门", "responsible"),
        ("各区", "responsible"),
    ]


def test_a_responsibility_cell_lists_every_unit() -> None:
    text = "推进走马塘片区规划研究\n区规划资源局、区建设管理委、市北高新集团\n2024年"
    cells = _cells(
        text, ("区规划资源局、区建设管理委、市北高新集团", "责任单位"), ("2024年", "完成时限")
    )
    expected = [("区规划资源局", "responsible"), ("区建设管理委", "responsible"),
                ("市北高新集团", "responsible")]  # fmt: skip
    assert owners_of(text, cells=cells) == expected
    # 第一个为牵头单位: the first unit of the cell leads
    assert owners_of(text, cells=cells, first_listed_leads=True)[0] == ("区规划资源局", "lead")
    # the note in the column's own header
    noted = (Cell(cells[0].start, cells[0].end, "责任单位（第一个为牵头单位）"),)
    assert owners_of(text, cells=noted)[:2] == [
        ("区规划资源局", "lead"),
        ("区建设管理委", "responsible"),
    ]
    # a unit in two cells keeps the stronger role
    two = "推进规划研究\n区规划资源局\n区规划资源局、区商务委"
    both = (Cell(7, 13, "配合单位"), Cell(14, 25, "责任单位"))
    assert owners_of(two, cells=both) == [
        ("区规划资源局", "responsible"),
        ("区商务委", "responsible"),
    ]


def test_owner_lines_of_a_row_without_cells() -> None:
    text = "全面完成旧房改造\n区“两旧”专班、区房管局、各相关街镇"
    assert owners_of(text) == [
        ("区“两旧”专班", "responsible"),
        ("区房管局", "responsible"),
        ("各相关街镇", "responsible"),
    ]
    assert owners_of(text, first_listed_leads=True)[0] == ("区“两旧”专班", "lead")
    assert owners_of("推进示范区建设  市发展改革委  2023年") == [("市发展改革委", "responsible")]
    assert owners_of("工作任务\n推进单位\n完成时限") == []  # column headers
    assert owners_of("附件：行动计划\n上海市绿化和市容管理局\n2024年7月4日") == []  # a signature


@pytest.mark.parametrize(
    ("name", "unit"),
    [("审计署", True), ("银保监会", True), ("工业和信息化部", True), ("区规划资源局", True),
     ("试点地区政府办公厅（室）", True), ("监督组", True), ("分组", False), ("网站", False),
     ("市场主体", False)],
)  # fmt: skip
def test_unit_words(name: str, unit: bool) -> None:
    assert is_unit(fold(name)) is unit


def test_the_lexicon_knows_one_unit_printed_two_ways() -> None:
    assert same_unit("市卫健委", "市卫生健康委员会")
    assert same_unit("国家发展改革委", "国家发展和改革委员会")
    assert same_unit("区规划资源局", "区规划和自然资源局")
    assert not same_unit("市卫健委", "区卫健委")
    assert canonical("人力资源社会保障部") == "人力资源和社会保障部"
    assert canonical("国家医保局") == "国家医疗保障局"
    assert "市场监管总局" in aliases("国家市场监督管理总局")
    assert "市卫健委" in aliases("市卫生健康委")
    assert is_known("静安区教育局") and is_known("国家药监局")
    assert not is_known("推进项目建设")
    assert canonical("某某协会") == "某某协会"  # unknown names are their own form


def test_dense_role_words_read_in_one_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    """，牵头 repeated: the sentence ends are found once per clause, not once per role word."""
    calls: list[int] = []
    real = owners_module._SENTENCE_END

    class Counting:
        def finditer(self, text: str) -> Iterator[re.Match[str]]:
            calls.append(len(text))
            return real.finditer(text)

    monkeypatch.setattr(owners_module, "_SENTENCE_END", Counting())
    text = fold("，牵头" * 200_000 + "。市卫健委牵头，各区负责。")
    assert owners_of(text) == [("市卫健委", "lead"), ("各区", "responsible")]
    assert len(calls) == 1


def test_no_tagger_is_loaded() -> None:
    """Owners are read from the lexicon and unit words: compiling never imports jieba."""
    program = (
        "from planc.compile import compile_text\n"
        "compile_text('一、加强领导\\n（一）市卫健委牵头，推动三级医院开展评审。\\n"
        "（二）联合采购办公室汇总用量信息。\\n')\n"
    )
    assert modules_loaded(program, "jieba") == []
