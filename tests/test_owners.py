"""Owners: each form the guide names, on sentences as real plans print them, and the scores."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planc.compile import compile_text
from planc.extract import Context
from planc.extract.owners import find_owners, is_unit
from planc.model import Clause
from planc.textmap import fold

from .conftest import SAMPLES, shared_path

CASES: list[tuple[str, list[tuple[str, str]]]] = [
    # explicit role labels
    ("牵头单位：市卫生健康委；责任单位：各县（市、区）政府、市医保局",
     [("市卫生健康委", "lead"), ("各县（市、区）政府", "responsible"), ("市医保局", "responsible")]),
    ("（牵头单位：市国土房管局，配合单位：市农业局，各区、县级市政府）",
     [("市国土房管局", "lead"), ("市农业局", "cooperating"), ("各区、县级市政府", "cooperating")]),
    ("（牵头单位：市民政局，配合单位：市公安消防局，各有关区、县级市政府）",
     [("市民政局", "lead"), ("市公安消防局", "cooperating"), ("各有关区、县级市政府", "cooperating")]),
    # X牵头, X配合, X负责, X指导
    ("（市卫生健康委牵头，市财政局、市医保局配合）",
     [("市卫生健康委", "lead"), ("市财政局", "cooperating"), ("市医保局", "cooperating")]),
    ("创建示范市。各县（市、区）政府牵头组织示范县（市、区）创建工作。",
     [("各县（市、区）政府", "lead")]),
    ("完善养老服务。市民政局负责建立健全养老服务评估制度。", [("市民政局", "responsible")]),
    ("（生态环境部指导，试点城市政府负责落实）",
     [("生态环境部", "guiding"), ("试点城市政府", "responsible")]),
    ("入围标准的具体指标由联合采购办公室负责拟定。", [("联合采购办公室", "responsible")]),
    # a unit opening a sentence and acting
    ("实施名院战略。市级中医医院选择 2-3 个优势专科，与国内医院建立合作关系。",
     [("市级中医医院", "responsible")]),
    ("持续推进示范市创建。各盟市积极申报“全国基层中医药工作示范市县”。",
     [("各盟市", "responsible")]),
    ("能力提升。4所民族医医院启动实施综合服务能力提升项目。", [("民族医医院", "responsible")]),
    ("推动方案落实，各地结合实际制定本地区实施方案。", [("各地", "responsible")]),
    ("强化监督。试点工作小组办公室对集中采购全过程进行监督。",
     [("试点工作小组办公室", "responsible")]),
    ("（一）制定实施方案。试点地区要结合实际制定实施方案。", [("试点地区", "responsible")]),
    ("各试点城市要制定配套政策。", [("各试点城市", "responsible")]),
    ("联合采购办公室汇总用量信息。", [("联合采购办公室", "responsible")]),
    ("国务院办公厅将于2020年4月底前组织验收。", [("国务院办公厅", "responsible")]),
    ("工作安排\n联合采购办公室汇总试点地区公立医疗机构的药品用量信息。",
     [("联合采购办公室", "responsible")]),
    ("二是各地要结合实际制定实施方案。", [("各地", "responsible")]),
    # a subject-less 负责 belongs to the unit opening the sentence; 由X承担 …
    ("试点工作小组办公室设在国家医保局，由国家医保局选派人员参加，具体负责组织开展试点。",
     [("试点工作小组办公室", "responsible")]),
    ("由上海市医药集中招标采购事务管理所承担日常工作并负责具体实施。",
     [("上海市医药集中招标采购事务管理所", "responsible")]),
    ("集中采购小组。由联合采购办公室对集中采购小组成员进行培训。",
     [("联合采购办公室", "responsible")]),
    # guiding: X进行指导监督, X负责指导
    ("试点工作小组办公室对集中采购和使用全过程进行指导监督。",
     [("试点工作小组办公室", "guiding")]),
    ("国家医保局负责指导各地医保部门做好医保支付工作。", [("国家医保局", "guiding")]),
    # 配合X, 与X密切配合, 与X紧密协作, 依托X, 联合X, 会同X
    ("呼和浩特市政府负责落实建设用地。", [("呼和浩特市政府", "responsible")]),
    ("配合复建办，在学科筹建等方面发挥作用。", [("复建办", "cooperating")]),
    ("与市医保局密切配合，探索 DIP 付费模式下的政策。", [("市医保局", "cooperating")]),
    ("加强与省、市医保部门协调合作，争取新增服务价格项目。", [("省、市医保部门", "cooperating")]),
    ("加强与望京医院紧密协作，建立双向转诊平台。", [("望京医院", "cooperating")]),
    ("依托自治区中医医院，建设平疫结合的中医疫病防治综合区。", [("自治区中医医院", "cooperating")]),
    ("依托市中医院，建设中医疫病防治综合区。", [("市中医院", "cooperating")]),
    ("一是依托市中医院开展中医疫病防治。", [("市中医院", "cooperating")]),
    ("联合各级工会，举办中医职工职业技能大赛。", [("各级工会", "cooperating")]),
    ("会同市财政局制定补助办法。", [("市财政局", "cooperating")]),
    ("配合市委组织部做好人才引进工作。", [("市委组织部", "cooperating")]),
    # not owners
    ("配合推动张仲景国医大学复建工作。", []),
    ("加强党的思想建设。落实党建工作主体责任，把握正确政治方向。", []),
    ("推进市中医院新院建设，完成在建工程施工。", []),
    ("拟建立与国家中医药管理局协作机制，加强沟通协调。", []),
    ("成立联合采购办公室。", []),
    ("依托政府管理平台和社会组织，建设综合服务中心。", []),
    ("每所盟市级以上综合医院研究制定实施3-5个诊疗方案。", []),
    ("执行党委领导下的院长负责制。", []),
    ("以清廉医院创建为抓手，持续推动行风建设。", []),
    ("积极协调呼和浩特市政府落实建设用地。", []),
    ("协调呼和浩特市政府落实建设用地。", []),
    ("自治区中医医院门诊楼完成地下、地上框架工程。", []),
    ("与联建社区常态化开展文明城市巩固行动。", []),
    ("中西医联合攻关，立项 5-8 家市级中医重点专科。", []),
    ("75%基层医疗卫生机构中医馆达到优质型。", []),
    ("国家医保局承担制定试点方案的职责，指导各地医保部门做好结算工作。",
     [("国家医保局", "responsible")]),
    ("主任人选由试点地区推举确定，各试点地区代表作为副主任。", []),
    ("超出支付标准的部分由患者自付。", []),
    ("由于试点地区情况不同，负责部门可适当调整。", []),
    ("中西医联合攻关，负责建设5个重点专科。", []),
]  # fmt: skip


def owners_of(text: str, issuer: str | None = None) -> list[tuple[str, str]]:
    folded = fold(text)
    hits = find_owners(folded, Context(year=2023, issuer=issuer))
    for hit in hits:  # the name is what the span prints, brackets made full-width
        assert hit.fields["name"] == text[hit.start : hit.end].replace(" ", "")
    return [(hit.fields["name"], hit.fields["role"]) for hit in hits]


@pytest.mark.parametrize(("sentence", "expected"), CASES, ids=[c[0][:14] for c in CASES])
def test_owner_forms(sentence: str, expected: list[tuple[str, str]]) -> None:
    assert owners_of(sentence) == expected


def test_the_issuer_is_listed_where_a_clause_names_it() -> None:
    sentence = "南阳市卫生健康委员会负责统筹推进，市财政局配合。"
    expected = [("南阳市卫生健康委员会", "responsible"), ("市财政局", "cooperating")]
    assert owners_of(sentence) == expected
    assert owners_of(sentence, issuer="南阳市卫生健康委员会") == expected
    # but the issuer's name alone on a line is its signature
    assert owners_of("各地要及时报送有关情况。\n国务院\n", issuer="国务院") == [
        ("各地", "responsible")
    ]


def test_each_unit_is_listed_once_per_clause() -> None:
    text = "强化落实。各盟市结合实际细化任务。各盟市于3月、6月最后一天报送进展。"
    assert owners_of(text) == [("各盟市", "responsible")]


@pytest.mark.parametrize(
    ("name", "unit"),
    [("市医保局", True), ("各县（市、区）政府", True), ("各区", True), ("组织", False),
     ("全国布局", False), ("全部", False), ("每个盟市", False), ("75%医院", False)],
)  # fmt: skip
def test_what_reads_as_a_unit(name: str, unit: bool) -> None:
    assert is_unit(fold(name)) is unit


def _owners(clauses: list[Clause]) -> list:
    return [o for c in clauses for o in [*c.owners, *_owners(c.children)]]


@pytest.mark.parametrize("sample", sorted(SAMPLES))
def test_owner_spans_print_their_text(sample: str, sample_texts: dict[str, str]) -> None:
    original = sample_texts[sample]
    owners = _owners(compile_text(original).clauses)
    assert owners
    for owner in owners:
        assert original[owner.span.start : owner.span.end] == owner.text
        assert owner.name == owner.text.replace(" ", "").replace("(", "（").replace(")", "）")


@given(
    st.text(
        alphabet="市县区各局委院办政府中心负责牵头配合与依托联合会同单位:：、，。（）() 1级",
        max_size=80,
    )
)
def test_any_text_gives_owners_inside_it(text: str) -> None:
    for hit in find_owners(fold(text), Context()):
        assert 0 <= hit.start < hit.end <= len(text)
        assert hit.fields["role"] in {"lead", "responsible", "cooperating", "guiding"}


SCORED = [
    ("nanyang-tcm-2023", SAMPLES["nanyang"], 0.80),
    ("neimenggu-tcm-2023", SAMPLES["neimenggu"], 0.80),
    ("gz-2012-livelihood-happiness-project-impl-opinion", None, 0.85),
]


@pytest.mark.parametrize(("gold_name", "source", "bar"), SCORED, ids=[s[0] for s in SCORED])
def test_owner_scores_against_gold(gold_name: str, source: Path | None, bar: float,
                                   tmp_path: Path) -> None:  # fmt: skip
    gold = shared_path("gold", f"{gold_name}.yaml")
    scorer = shared_path("tools", "score.py")
    source = source or shared_path("corpus", f"{gold_name}.txt")
    planc = Path(sys.executable).with_name("planc")
    if not planc.exists():
        pytest.skip(f"needs the planc command beside {sys.executable}")
    parsed = tmp_path / "parsed.json"
    output = subprocess.run([planc, "parse", source, "--format", "json", "-o", parsed],
                            capture_output=True, text=True)  # fmt: skip
    assert output.returncode == 0, output.stderr
    score = subprocess.run([sys.executable, scorer, gold, parsed, f"--min-owners={bar}", "-v"],
                           capture_output=True, text=True)  # fmt: skip
    assert score.returncode == 0, score.stdout + score.stderr
