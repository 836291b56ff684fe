"""planc diff on real plans: alignment, field changes, outputs, pairing and errors."""

from __future__ import annotations

import itertools
import json
import re
import sys
from datetime import date
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from planc import cli
from planc.compile import compile_text
from planc.diff.align import diff_plans
from planc.diff.assign import best_pairs
from planc.diff.command import compare
from planc.diff.fields import field_changes
from planc.diff.load import Edition, pair_editions, series
from planc.diff.model import DiffReport, PlanDiff, diff_schema_text
from planc.diff.tokens import tokenize, word_diff
from planc.model import Clause, Deadline, Owner, Span, Target
from tests.conftest import ROOT, SAMPLES, SOURCES, modules_loaded, shared_path

SPAN = Span(start=0, end=1, line=1, column=1, end_line=1, end_column=2)


def run_cli(args: list[str], monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(sys, "argv", ["planc", *args])
    with pytest.raises(SystemExit) as exit_info:
        cli.main()
    return int(exit_info.value.code or 0)


def by_old(diff: PlanDiff) -> dict[tuple[str, ...], tuple[str, tuple[str, ...]]]:
    return {tuple(c.old_ids): (c.kind, tuple(c.new_ids)) for c in diff.clauses if c.old_ids}


# --- the same plan ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_a_plan_against_itself_is_the_same(name: str) -> None:
    plan = compile_text(SAMPLES[name].read_text(encoding="utf-8"), str(SAMPLES[name]))
    diff = diff_plans(plan, plan)
    assert diff.same
    assert {c.kind for c in diff.clauses} == {"unchanged"}
    assert len(diff.clauses) == sum(1 for _ in plan.walk())


def test_years_that_move_with_the_edition_are_no_change() -> None:
    old = compile_text(
        "2023年某县卫生工作要点\n一、2023年工作回顾\n1. 力争2023年底前完成建设任务。\n"
    )
    new = compile_text(
        "2024年某县卫生工作要点\n一、2024年工作回顾\n1. 力争2024年底前完成建设任务。\n"
    )
    assert (old.meta.year, new.meta.year) == (2023, 2024)
    diff = diff_plans(old, new)
    assert diff.same, [c for c in diff.clauses if c.kind != "unchanged"]
    # ... but a year that does not move with the edition is a change.
    moved = compile_text(
        "2024年某县卫生工作要点\n一、2024年工作回顾\n1. 力争2025年底前完成建设任务。\n"
    )
    change = next(c for c in diff_plans(old, moved).clauses if c.old_ids == ["1.1"])
    assert change.kind == "changed" and change.reworded
    assert [(s.op, s.text) for s in change.text_diff if s.op != "="] == [
        ("-", "2023"),
        ("+", "2025"),
    ]


# --- the marks: by unit, numbers whole, cleaned up for reading ------------------------------


def _marked(old: str, new: str) -> str:
    segments = word_diff(tokenize(old, None), tokenize(new, None))
    return "".join(s.text if s.op == "=" else f"[{s.op}{s.text}]" for s in segments)


def test_numbers_and_latin_words_are_marked_whole() -> None:
    assert _marked("争取年底80%以上县通过评审", "争取年底85%以上县通过评审") == (
        "争取年底[-80%][+85%]以上县通过评审"
    )
    assert _marked("探索DIP付费模式", "探索DRG付费模式") == "探索[-DIP][+DRG]付费模式"


def test_a_short_kept_run_between_changes_is_part_of_the_change() -> None:
    # 选择2-3个 → 3-5个: the kept "-" alone would shred one change into two.
    assert _marked("市级中医医院选择2-3个优势专科", "市级中医医院选择3-5个优势专科") == (
        "市级中医医院选择[-2-3][+3-5]个优势专科"
    )


def test_an_inserted_sentence_starts_and_ends_at_punctuation() -> None:
    old = "提供远程医疗服务。推动三级医院完成互联网医院建设。"
    new = "提供远程医疗服务。推进互联网医院建设。推动三级医院完成互联网医院建设。"
    assert _marked(old, new) == (
        "提供远程医疗服务。[+推进互联网医院建设。]推动三级医院完成互联网医院建设。"
    )


def test_diff_needs_no_dictionary() -> None:
    """Units and bigrams need no word list: ``diff`` never imports jieba (most of a second)."""
    program = (
        "from planc.compile import compile_text\n"
        "from planc.diff.align import diff_plans\n"
        "old = compile_text('一、加强领导\\n（一）市卫健委牵头，推动三级医院开展评审。\\n')\n"
        "new = compile_text('一、加强领导\\n（一）市卫健委牵头，推进三级医院开展评审。\\n')\n"
        "assert not diff_plans(old, new).same\n"
    )
    assert modules_loaded(program, "jieba") == []


# --- an edited copy: every change at the right ids, nothing else ------------------------------


def _edited_nanyang() -> str:
    """The 2023 Nanyang plan edited as an office would: see the asserts for what changed."""
    text = SAMPLES["nanyang"].read_text(encoding="utf-8")
    text = text.replace("5 月底前市级将组织初评", "6 月底前市级将组织初评")  # 1.1 deadline later
    text = text.replace("争取年底 80%以上县", "争取年底 85%以上县")  # 1.1 target raised
    text = text.replace("与市医保局密切配合", "与市医保局、市财政局密切配合")  # 1.2 owner added
    text = text.replace(  # 2.3 split in two
        "重点人群管理等服务。持续开展中医药适宜技术遴选和推广，",
        "重点人群管理等服务。\n\n3-2. 推广中医药适宜技术。持续开展中医药适宜技术遴选和推广，",
    )
    item6 = re.search(r"\n6\. 抓好中西医协同机制。.*?\n", text, re.S)
    assert item6
    text = text.replace(item6.group(0), "\n")  # 2.6 moved to the end of section 三
    text = text.replace(
        "立项 5-8 家市级中医重点（特色）专科。\n",
        "立项 5-8 家市级中医重点（特色）专科。\n" + item6.group(0),
    )
    text = text.replace(  # 7.18 and 7.19 merged
        "传播到海内外。\n\n19. 推进国家中医药特色服务出口基地建设。",
        "传播到海内外。推进国家中医药特色服务出口基地建设，",
    )
    counter = itertools.count(1)
    return re.sub(r"\n\d+(?:-\d+)?\. ", lambda _: f"\n{next(counter)}. ", text)


def test_an_edited_copy_reports_every_change_at_the_right_ids() -> None:
    old = compile_text(SAMPLES["nanyang"].read_text(encoding="utf-8"))
    new = compile_text(_edited_nanyang())
    diff = diff_plans(old, new)
    expected = {
        ("1.1",): ("changed", ("1.1",)),
        ("1.2",): ("changed", ("1.2",)),
        ("2.3",): ("split", ("2.3", "2.4")),
        ("2.6",): ("moved", ("3.9",)),
        ("7.18", "7.19"): ("merged", ("7.19",)),
    }
    found = by_old(diff)
    for old_ids, outcome in expected.items():
        assert found[old_ids] == outcome, old_ids
    # Everything else is unchanged, or only renumbered: same words, no field change.
    for change in diff.clauses:
        if tuple(change.old_ids) in expected:
            continue
        assert change.kind in ("unchanged", "renumbered"), change
        assert not change.reworded and not change.fields and not change.heading_diff
        assert (change.kind == "renumbered") == (change.old_ids != change.new_ids)
    # The split pushes 2.4, 2.5 and 4.9 … 6.17 down one; the merge takes 8.20 … back to itself.
    assert diff.summary.renumbered == 11
    assert diff.summary.added == diff.summary.removed == 0


def test_field_changes_of_the_edited_copy() -> None:
    """Waits on the target, deadline and owner extractors."""
    old = compile_text(SAMPLES["nanyang"].read_text(encoding="utf-8"))
    diff = diff_plans(old, compile_text(_edited_nanyang()))
    changes = {c.old_ids[0]: c for c in diff.clauses if c.old_ids}
    fields = {(f.field, f.kind, f.old, f.new) for f in changes["1.1"].fields}
    assert fields == {
        ("target", "raised", "80%以上", "85%以上"),
        ("deadline", "later", "5 月底前", "6 月底前"),
    }
    assert [(f.field, f.kind, f.new) for f in changes["1.2"].fields] == [
        ("owner", "added", "市财政局")
    ]


# --- real editions: the 政府工作报告 of 2021 and 2022 -----------------------------------------


@pytest.fixture(scope="module")
def gov_report_diff() -> PlanDiff:
    old = shared_path("corpus", "gov-work-report-2021.txt")
    new = shared_path("corpus", "gov-work-report-2022.txt")
    return diff_plans(compile_text(old.read_text(encoding="utf-8"), str(old)),
                      compile_text(new.read_text(encoding="utf-8"), str(new)))  # fmt: skip


def test_gov_report_task_clauses_are_aligned(gov_report_diff: PlanDiff) -> None:
    """三、2022年政府工作任务 (一)…(九) against 三、2021年重点工作 (一)…(八), read by hand.

    2021 (一) 宏观政策 covered fiscal, tax, monetary and jobs policy; 2022 splits it into
    (一) 稳定宏观经济大盘 and (二) 稳市场主体保就业. Each later 2021 task moves down one.
    """
    found = by_old(gov_report_diff)
    assert found[("3.1",)] == ("split", ("3.1", "3.2"))
    for n in range(2, 9):
        assert found[(f"3.{n}",)] == ("renumbered", (f"3.{n + 1}",)), n
    # 一、2020年工作回顾 is 一、2021年工作回顾: the year moved with the edition.
    review = next(c for c in gov_report_diff.clauses if c.old_ids == ["1"])
    assert review.new_ids == ["1"] and not review.heading_diff
    # The 2021 targets (in 三、) went to 二、 of 2022 and its tasks to 三、.
    assert found[("3",)] == ("split", ("2", "3"))
    assert found[("2",)] == ("removed", ())


def test_gov_report_target_changes(gov_report_diff: PlanDiff) -> None:
    """Waits on the target extractor: the GDP growth target, 6%以上 → 5.5%左右."""
    tasks = next(c for c in gov_report_diff.clauses if c.old_ids == ["3"])
    targets = {(f.kind, f.old, f.new) for f in tasks.fields if f.field == "target"}
    assert ("lowered", "6%以上", "5.5%左右") in targets
    assert ("changed", "5.5%左右", "5.5%以内") in targets  # 城镇调查失业率


# --- field changes on the model, independent of the extractors --------------------------------


def _clause(text: str, targets: list[Target] = (), deadlines: list[Deadline] = (),
            owners: list[Owner] = ()) -> Clause:  # type: ignore[assignment]  # fmt: skip
    return Clause(id="1", label="1.", level=3, number=1, heading=text[:6], text=text, span=SPAN,
                  targets=list(targets), deadlines=list(deadlines), owners=list(owners))  # fmt: skip


def _target(text: str, value: float, unit: str, cmp: str = "=", top: float | None = None) -> Target:
    return Target(text=text, value=value, max=top, unit=unit, cmp=cmp, span=SPAN)  # type: ignore[arg-type]


def test_targets_raised_lowered_added_and_dropped() -> None:
    old = _clause("建成2-3家定制药园，国内生产总值增长6%以上，新建10个站点。",
                  targets=[_target("2-3家", 2, "家", "range", 3), _target("6%以上", 6, "%", ">="),
                           _target("10个", 10, "个")])  # fmt: skip
    new = _clause("建成3-5家定制药园，国内生产总值增长5.5%左右，培训500人。",
                  targets=[_target("3-5家", 3, "家", "range", 5), _target("5.5%左右", 5.5, "%", "~"),
                           _target("500人", 500, "人")])  # fmt: skip
    changes = [(c.field, c.kind, c.old, c.new) for c in field_changes([old], [new], 0)]
    assert changes == [
        ("target", "raised", "2-3家", "3-5家"),
        ("target", "lowered", "6%以上", "5.5%左右"),
        ("target", "dropped", "10个", None),
        ("target", "added", None, "500人"),
    ]


def test_deadlines_move_with_the_edition_unless_moved() -> None:
    def deadline(text: str, due: date) -> Deadline:
        return Deadline(text=text, due=due, start=None, span=SPAN)

    old = _clause("5月底前完成初评，年底前完成建设。",
                  deadlines=[deadline("5月底前", date(2023, 5, 31)), deadline("年底前", date(2023, 12, 31))])  # fmt: skip
    new = _clause("4月底前完成初评，年底前完成建设。",
                  deadlines=[deadline("4月底前", date(2024, 4, 30)), deadline("年底前", date(2024, 12, 31))])  # fmt: skip
    changes = [(c.kind, c.old, c.new, c.detail) for c in field_changes([old], [new], 1)]
    assert changes == [("earlier", "5月底前", "4月底前", "2023-05-31 → 2024-04-30")]


def test_owners_added_dropped_and_changed_role() -> None:
    def owner(name: str, role: str) -> Owner:
        return Owner(name=name, role=role, text=name, span=SPAN)  # type: ignore[arg-type]

    old = _clause("x", owners=[owner("市医保局", "cooperating"), owner("市卫健委", "lead")])
    new = _clause("x", owners=[owner("市医保局", "lead"), owner("市财政局", "cooperating")])
    changes = [(c.kind, c.old, c.new, c.detail) for c in field_changes([old], [new], 1)]
    assert changes == [
        ("changed", "市医保局", "市医保局", "cooperating → lead"),
        ("dropped", "市卫健委", None, "lead"),
        ("added", None, "市财政局", "cooperating"),
    ]


# --- the optimal assignment ---------------------------------------------------------------


def test_assignment_is_optimal_where_greedy_is_not() -> None:
    # Greedy takes (0, 0) = 0.9 first and leaves (1, 1) = 0.1: 1.0 in all; optimal is 1.65.
    assert best_pairs([[0.9, 0.8], [0.85, 0.1]], 0.3) == [(0, 1), (1, 0)]


@given(st.lists(st.lists(st.floats(0, 1), min_size=3, max_size=3), min_size=1, max_size=5))
def test_assignment_matches_brute_force(scores: list[list[float]]) -> None:
    threshold = 0.3
    pairs = best_pairs(scores, threshold)
    assert len({i for i, _ in pairs}) == len({j for _, j in pairs}) == len(pairs)
    rows, columns = len(scores), 3
    best = 0.0
    for chosen in itertools.permutations(range(max(rows, columns)), rows):
        total = sum(scores[i][j] for i, j in enumerate(chosen)
                    if j < columns and scores[i][j] >= threshold)  # fmt: skip
        best = max(best, total)
    assert sum(scores[i][j] for i, j in pairs) == pytest.approx(best)


# --- years, pairing, outputs and errors -----------------------------------------------------


def test_years_of_bundled_samples_pair_by_series(tmp_path: Path) -> None:
    report = compare("2023", "2024", SOURCES, 10**7)
    pairs = [(Path(p.old).name, Path(p.new).name) for p in report.pairs]
    assert pairs == [("nanyang-tcm-2023.txt", "nanyang-tcm-2024.txt"),
                     ("neimenggu-tcm-2023.txt", "neimenggu-tcm-2024.txt")]  # fmt: skip
    assert not report.only_old and not report.only_new and not report.same


def test_plans_without_a_title_pair_by_file_name_without_years() -> None:
    speech = "各位代表：\n\n一、{}年工作回顾\n\n过去一年，各项工作稳步推进。\n"
    old = [Edition(f"a/report-{y}.txt", compile_text(speech.format(y)), y) for y in (2021,)]
    new = [Edition(f"b/{n}-2022.txt", compile_text(speech.format(2022)), 2022)
           for n in ("report", "budget")]  # fmt: skip
    assert old[0].plan.meta.title is None
    assert series(old[0]) == series(new[0]) == "report"
    pairs, only_old, only_new = pair_editions(old, new)
    assert [(a.path, b.path) for a, b in pairs] == [("a/report-2021.txt", "b/report-2022.txt")]
    assert not only_old and [e.path for e in only_new] == ["b/budget-2022.txt"]


def test_cli_exit_codes_and_json_against_the_schema(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    nanyang = str(SAMPLES["nanyang"])
    assert run_cli(["diff", nanyang, nanyang], monkeypatch) == 0
    out = tmp_path / "diff.json"
    assert (
        run_cli(["diff", "2023", "2024", "--sources", str(SOURCES), "-o", str(out)], monkeypatch)
        == 1
    )
    data = json.loads(out.read_text(encoding="utf-8"))
    schema = json.loads((ROOT / "schemas" / "diff.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    assert DiffReport.model_validate(data).pairs[0].summary.split == 1


def test_committed_schema_is_current() -> None:
    committed = (ROOT / "schemas" / "diff.schema.json").read_text(encoding="utf-8")
    assert committed == diff_schema_text(), "schemas/diff.schema.json is stale: run `make schema`"


def test_markdown_table_marks_changed_words(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["diff", "2023", "2024", "--sources", str(SOURCES), "--format", "markdown"]
    assert run_cli(args, monkeypatch) == 1
    text = capsys.readouterr().out
    assert "| 条款 | 变化 | 2023年（旧） | 2024年（新） |" in text
    assert "<del>80%</del>" in text and "<ins>85%</ins>" in text
    assert "| 1.1 | 修改" in text
    assert "| 2.4 → 2.5 | 重新编号 |" in text  # renumbered only: shown, by heading
    assert "| 3.7 |" not in text  # unchanged and not renumbered: left out ...
    assert run_cli([*args, "--all"], monkeypatch) == 1
    assert "| 3.7 | 未变" in capsys.readouterr().out  # ... unless --all


def test_plain_text_view_marks_words(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_cli(["diff", "2023", "2024", "--sources", str(SOURCES)], monkeypatch) == 1
    text = capsys.readouterr().out
    assert "\x1b[" not in text  # not a terminal: no colour
    assert "target raised  80%以上 → 85%以上" in text
    assert "[-5-]{+6+}" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["1999", "2024"], "no plans for 1999"),
        (["nope.txt", "2024"], "nope.txt: no such file, folder or year"),
        (["2023", "2024", "--format", "pdf"], "unknown format 'pdf'"),
    ],
)
def test_bad_arguments_are_one_line_and_exit_2(
    args: list[str], message: str, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    assert run_cli(["diff", *args, "--sources", str(SOURCES)], monkeypatch) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_compiled_plan_with_a_wrong_field_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = compile_text(SAMPLES["nanyang"].read_text(encoding="utf-8"))
    data = plan.model_dump(mode="json")
    data["clauses"][0]["level"] = "high"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    good = tmp_path / "good.yaml"
    good.write_text("!!python/object:os.system {}\n", encoding="utf-8")
    assert run_cli(["diff", str(bad), str(SAMPLES["nanyang"])], monkeypatch) == 2
    assert "clauses[0].level: Input should be a valid integer" in capsys.readouterr().err
    assert run_cli(["diff", str(good), str(SAMPLES["nanyang"])], monkeypatch) == 2
    assert "is not valid YAML" in capsys.readouterr().err
