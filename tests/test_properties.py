"""Properties of the core on generated plan-like text: whatever comes in, the output holds up.

Generated texts mix clause labels, Chinese prose, metadata lines, digits, page numbers, every
kind of line end, full-width forms, zero-width and odd spaces, and characters from other
encodings. For each: no exception but ``PlancError``; the front matter and the clauses tile the
text; every span lies inside the text with line/column matching its offsets; extracted items
print as their span; ids are unique; compiling again (from the same bytes) gives the same plan;
the emitted YAML and JSON read back to the same plan. ``make test`` runs a few dozen examples
each; ``make fuzz`` runs the tests marked ``fuzz`` with thousands.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Iterator

import pytest
import yaml
from hypothesis import example, given
from hypothesis import strategies as st

from planc.compile import compile_text
from planc.emit import to_json, to_yaml
from planc.errors import PlancError
from planc.labels import match_label
from planc.load import plan_from_data
from planc.model import Clause, Deadline, Owner, Plan, Span, Target
from planc.parse import parse
from planc.source import decode
from planc.textmap import MappedText
from tests.conftest import SAMPLES

LABELS = ["一、", "十三、", "五十五、", "（一）", "(五十五)", "（ 二 ）", "1.", "34．", "7、", "1 .",
          "（1）", "(2)", "①", "⑩", "⒈", "⑴", "零、", "0.", "1000.", "一百零二、"]  # fmt: skip
PROSE = ["推进中医药综合改革", "5年内", "明年底前", "2099年底前", "各县（市、区）政府负责", "5 月底前完成", "年底前", "上半年",
         "80%以上", "培养高层次人才100人、仲景灸师1000人", "2-3家", "至少1所", "分别达到73%和83%",
         "牵头单位：市卫健委", "（市医保局、市财政局负责）", "配合单位：各盟市", "9月下旬",
         "2024年6月底前", "3月、6月、9月、12月最后一天", "到2015年", "2012－2015年",
         "增长5%左右", "780万人以上", "第六届", "65岁以上", "持续推进“万名中医师家庭签约服务”"]  # fmt: skip
META = ["宛中发办〔2023〕4号", "2023年4月10日", "二〇二三年四月十日", "关于印发《工作要点》的通知",
        "南阳市中医药发展工作委员会办公室", "某某市人民政府文件", "各县（市、区）人民政府：",
        "2023年南阳市中医药工作要点", "——2023年4月10日", "九九九九年一月一日", "〇〇〇一年二月三十日"]  # fmt: skip
NOISE = ["- 3 -", "— 12 —", "第 3 页", "第3页，共9页", "3/9", "7", "内部资料 注意保存"]
PUNCT = list("。，、；：！？…“”（）《》【】%％.,;:!?()-—~～·/")
ODD = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u3000", "\u00a0", "\u2002", "\t",
       "\f", "\v", "\x85", "\u2028", "\u2029", "\x1c", "Ã©", "ï»¿", "锟斤拷", "\ufffd", "Ａ１２３",
       "１２．", "（１）", "\U00020000", "é", "ß", "ａｂｃ"]  # fmt: skip
BREAKS = ["\n", "\r\n", "\r", "\n\n", "\r\n\r\n", "\n \n"]

fragment = st.one_of(
    st.sampled_from(LABELS),
    st.sampled_from(PROSE),
    st.sampled_from(META),
    st.sampled_from(NOISE),
    st.sampled_from(PUNCT),
    st.sampled_from(ODD),
    st.sampled_from(BREAKS),
    st.integers(0, 10**6).map(str),
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=6),
)


@st.composite
def plan_text(draw: st.DrawFn, max_lines: int = 40) -> str:
    """Lines that often open with a label, as plans do, joined by assorted line ends."""
    lines = draw(
        st.lists(
            st.tuples(
                st.one_of(st.just(""), st.sampled_from(LABELS)),
                st.lists(fragment, max_size=8).map("".join),
                st.sampled_from(BREAKS),
            ),
            max_size=max_lines,
        )
    )
    return "".join(label + body + end for label, body, end in lines)


BREAK = re.compile(r"\r\n|\r|\n")


def items(clause: Clause) -> list[Deadline | Target | Owner]:
    return [*clause.deadlines, *clause.targets, *clause.owners]


def spans_of(plan: Plan) -> Iterator[tuple[str, Span, str | None]]:
    """Every span in the plan, with what it belongs to and, for items, their printed text."""
    yield "front_matter", plan.front_matter.span, None
    if plan.back_matter is not None:
        yield "back_matter", plan.back_matter.span, None
    for key, span in plan.meta.spans.items():
        yield f"meta.{key}", span, None
    for clause in plan.walk():
        yield clause.id, clause.span, None
        if clause.heading_span:
            yield f"{clause.id}.heading", clause.heading_span, None
        for item in items(clause):
            yield f"{clause.id}.{type(item).__name__}", item.span, item.text


def line_starts(text: str) -> list[int]:
    """Where each line begins: after every CRLF, CR or LF (as planc.spans should count)."""
    return [0, *(m.end() for m in BREAK.finditer(text))]


def position(starts: list[int], offset: int) -> tuple[int, int]:
    """(line, column) of ``offset``."""
    line = bisect_right(starts, offset)
    return line, offset - starts[line - 1] + 1


def check_plan(text: str) -> Plan:
    """Compile ``text`` and assert every property the output promises."""
    try:
        plan = compile_text(text)
    except PlancError:  # planc's own error is an acceptable answer; anything else is a bug
        return Plan.model_construct()
    n = len(text)

    # Lossless cover: front matter, clauses in document order, back matter tile [0, n).
    cursor = 0
    back = [plan.back_matter.span] if plan.back_matter is not None else []
    for span in [plan.front_matter.span, *(c.span for c in plan.walk()), *back]:
        assert span.start == cursor, (span, cursor)
        assert span.end >= span.start
        cursor = span.end
    assert cursor == n

    starts = line_starts(text)
    for where, span, printed in spans_of(plan):
        assert 0 <= span.start <= span.end <= n, where
        for offset in (span.start, span.end):
            assert not (0 < offset < n and text[offset - 1 : offset + 1] == "\r\n"), where
        assert (span.line, span.column) == position(starts, span.start), where
        assert (span.end_line, span.end_column) == position(starts, span.end), where
        if printed is not None:
            assert text[span.start : span.end] == printed, where
            assert printed, where

    for clause in plan.walk():  # items and headings lie inside their own clause
        inner = [clause.heading_span] if clause.heading_span else []
        inner += [item.span for item in items(clause)]
        for span in inner:
            assert clause.span.start <= span.start <= span.end <= clause.span.end, clause.id

    ids = [clause.id for clause in plan.walk()]
    assert len(ids) == len(set(ids)), ids
    return plan


@given(plan_text())
@example("（一）\n" * 50)
@example("一、\r\n\r\n1.\r- 3 -\r\n①")
@example("\ufeff\u200b一、总体要求\u2028二、\x85（一）")
@example("一、" + "中" * 40 + "\n1." + "\n2." * 3)
def test_compiled_plans_hold_their_promises(text: str) -> None:
    plan = check_plan(text)
    again = compile_text(text)
    assert again == plan  # a second parse of the same text gives the same plan


@given(plan_text(max_lines=15))
def test_same_bytes_same_plan_and_output_reads_back(text: str) -> None:
    data = text.encode("utf-8")
    try:
        decoded, encoding = decode(data)
    except PlancError:  # NULs or mostly control characters: refused as binary
        return
    assert (decoded, encoding) == (text.removeprefix("\ufeff").removeprefix("\ufeff"), "utf-8")
    plan = compile_text(decoded, path="p.txt", encoding=encoding)
    assert compile_text(decode(data)[0], path="p.txt", encoding=encoding) == plan
    assert plan_from_data(yaml.safe_load(to_yaml(plan))) == plan
    assert plan_from_data(json.loads(to_json(plan))) == plan


@given(st.lists(fragment, max_size=30).map("".join))
def test_any_fragment_soup_compiles(text: str) -> None:
    check_plan(text)


@given(st.text(max_size=40))
def test_labels_are_found_inside_the_line(line: str) -> None:
    label = match_label(line)
    if label is not None:
        assert 0 <= label.start < label.end <= len(line)
        assert label.number >= 1 and 1 <= label.level <= 5


@given(plan_text(max_lines=20))
def test_clause_text_is_made_of_the_original(text: str) -> None:
    """Every character of a clause body is the original character at its mapped offset,
    or a joiner that stands for a line break."""
    parsed = parse(text)
    bodies: list[MappedText] = [parsed.front_matter, parsed.back_matter]
    stack = list(parsed.clauses)
    while stack:
        node = stack.pop()
        bodies.append(node.body)
        stack.extend(node.children)
    for body in bodies:
        for index, char in enumerate(body.text):
            origin = body.origin(index)
            assert 0 <= origin < len(text)
            assert char == text[origin] or char in "\n ", (index, char, text[origin])


@given(st.binary(max_size=200))
def test_any_bytes_decode_or_fail_cleanly(data: bytes) -> None:
    try:
        text, _ = decode(data, "x.txt")
    except PlancError as error:
        assert str(error).startswith("x.txt: ") and "\n" not in str(error)
        return
    check_plan(text)


SAMPLE_TEXTS = [path.read_text(encoding="utf-8") for path in SAMPLES.values()]


@st.composite
def edited_sample(draw: st.DrawFn, max_edits: int = 6) -> str:
    """A real plan after careless edits: cuts, pasted fragments, duplicated or swapped lines,
    converted line ends."""
    text = draw(st.sampled_from(SAMPLE_TEXTS))
    for _ in range(draw(st.integers(1, max_edits))):
        at = draw(st.integers(0, len(text)))
        edit = draw(st.sampled_from(["cut", "paste", "duplicate", "crlf", "cr", "truncate"]))
        if edit == "cut":
            text = text[:at] + text[at + draw(st.integers(1, 400)) :]
        elif edit == "paste":
            text = text[:at] + draw(st.lists(fragment, max_size=6).map("".join)) + text[at:]
        elif edit == "duplicate":
            start = text.rfind("\n", 0, at) + 1
            end = text.find("\n", at) + 1 or len(text)
            text = text[:end] + text[start:end] + text[end:]
        elif edit == "crlf":
            text = text.replace("\n", "\r\n")
        elif edit == "cr":
            text = text[:at] + text[at:].replace("\n", "\r")
        else:
            text = text[:at]
    return text


@given(edited_sample())
def test_carelessly_edited_plans_hold_their_promises(text: str) -> None:
    check_plan(text)


ENCODINGS = ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16", "utf-16-le", "big5", "latin-1"]


@given(plan_text(max_lines=12), st.sampled_from(ENCODINGS), st.sampled_from(ENCODINGS))
def test_mixed_encodings_decode_or_fail_cleanly(text: str, first: str, second: str) -> None:
    """Half the text in one encoding, half in another (a paste from another file)."""
    half = len(text) // 2
    data = text[:half].encode(first, "replace") + text[half:].encode(second, "replace")
    try:
        decoded, _ = decode(data, "mixed.txt")
    except PlancError as error:
        assert str(error).startswith("mixed.txt: ") and "\n" not in str(error)
        return
    check_plan(decoded)
    whole = text.encode(first, "replace")
    if data == whole and first in ("utf-8", "utf-8-sig", "utf-16"):  # these say what they are
        assert decoded == whole.decode(first).removeprefix("\ufeff")


# Long runs for `make fuzz`: the same properties, wider input, thousands of examples.


@pytest.mark.fuzz
@given(plan_text(max_lines=120))
def test_fuzz_compiled_plans_hold_their_promises(text: str) -> None:
    check_plan(text)


@pytest.mark.fuzz
@given(st.text(st.characters(exclude_categories=["Cs"]), max_size=400))
def test_fuzz_any_text_compiles(text: str) -> None:
    check_plan(text)


@pytest.mark.fuzz
@given(st.binary(max_size=2000))
def test_fuzz_any_bytes_decode_or_fail_cleanly(data: bytes) -> None:
    test_any_bytes_decode_or_fail_cleanly.hypothesis.inner_test(data)  # type: ignore[attr-defined]


@pytest.mark.fuzz
@given(edited_sample(max_edits=20))
def test_fuzz_carelessly_edited_plans(text: str) -> None:
    check_plan(text)


@pytest.mark.fuzz
@given(plan_text(max_lines=60))
def test_fuzz_output_reads_back(text: str) -> None:
    test_same_bytes_same_plan_and_output_reads_back.hypothesis.inner_test(text)  # type: ignore[attr-defined]
