"""The fast paths of parse and extract give what the plain ways give.

Each shortcut taken for speed (text split in C, a code-point table for folding, a first look
before a regex, a cell told to be prose before its list is read) is held here to the plain
computation it replaces, on real plan text and on generated text.
"""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from planc.extract import Context, owners
from planc.parse.lines import _LINE, split_lines, width
from planc.parse.tables import SERIAL_HEADER, _is_header, header_like, squeeze
from planc.spans import _LINE_BREAK, Locator
from planc.textmap import _FOLD, MappedText, fold
from tests.conftest import SAMPLES, shared_path


def _real_texts() -> list[str]:
    texts = [path.read_text(encoding="utf-8") for path in SAMPLES.values()]
    corpus = shared_path("corpus")
    texts += [path.read_text(encoding="utf-8") for path in sorted(corpus.glob("*.txt"))]
    return texts


def _lines_by_regex(text: str) -> list[tuple[int, int, int, int, str, float]]:
    """``split_lines`` as it was: one regex match a line, the line break stripped after."""
    lines: list[tuple[int, int, int, int, str, float]] = []
    for number, m in enumerate(_LINE.finditer(text), start=1):
        start, next_start = m.start(), m.end()
        if start == next_start == len(text) and lines:
            break
        end = next_start
        while end > start and text[end - 1] in "\r\n":
            end -= 1
        content = text[start:end]
        lines.append((number, start, end, next_start, content, width(content)))
    return lines


LINE_TEXT = st.text(alphabet="一、（）1.2 \t\u3000\n\r中a", max_size=40)


@given(LINE_TEXT)
@example("")
@example("\n\n")
@example("一、做好工作。\r\n二、\r")
def test_split_lines_and_line_starts_match_the_regex(text: str) -> None:
    lines = [(ln.number, ln.start, ln.end, ln.next_start, ln.content, ln.width) for ln in
             split_lines(text)]  # fmt: skip
    assert lines == _lines_by_regex(text)
    assert Locator(text).line_starts == [0] + [m.end() for m in _LINE_BREAK.finditer(text)]


def test_split_lines_on_real_plans() -> None:
    for text in _real_texts():
        lines = [(ln.number, ln.start, ln.end, ln.next_start, ln.content, ln.width) for ln in
                 split_lines(text)]  # fmt: skip
        assert lines == _lines_by_regex(text)


@given(st.text(max_size=60))
@example("１２３％，（一）～\u3000\U0001f600")
def test_fold_is_the_dict_translation(text: str) -> None:
    long = text + "x" * 60_000  # past the length at which the table is built
    assert fold(long) == long.translate(_FOLD)
    assert fold(text) == text.translate(_FOLD)


@given(st.text(alphabet="（一）1.序号牵头单位 \u3000、：", min_size=1, max_size=12))
def test_header_like_is_the_first_step_of_a_header_run(text: str) -> None:
    text = text.strip(" \u3000") or "x"
    name = squeeze(text)
    assert header_like(text) == (_is_header(name) and name != SERIAL_HEADER)


def test_mapped_text_span_is_two_origins() -> None:
    body = MappedText.assemble([("市卫健委", 10), ("\n", 14), ("负责", 20), ("。", 22)])
    for start in range(len(body.text)):
        for end in range(start + 1, len(body.text) + 1):
            assert body.span(start, end) == (body.origin(start), body.origin(end - 1) + 1)


def _split_units_by_character(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``owners._split_units`` as it was: a look at every character."""
    items: list[tuple[int, int]] = []
    depth, item_start = 0, start
    for i in range(start, end + 1):
        ch = text[i] if i < end else "、"
        if ch == "(":
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
        elif depth == 0 and ch in "、，,":
            trimmed = owners._trim(text, item_start, i)
            if trimmed:
                items.append(trimmed)
            item_start = i + 1
    merged: list[tuple[int, int]] = []
    for index, item in enumerate(items):
        if merged and owners._shares_head(text[slice(*items[index - 1])], text[slice(*item)]):
            merged[-1] = (merged[-1][0], item[1])
        else:
            merged.append(item)
    return owners._shared_field_heads(text, merged)


UNIT_TEXT = st.text(alphabet="市区县卫健委医保局、，,()（）和等 \n5。部门", max_size=30)


@given(UNIT_TEXT)
@example("各区、县级市政府(市、区)和市医保局等")
@example("市卫健委、市医保局(2023")
def test_split_units_by_marks_is_by_character(text: str) -> None:
    assert owners._split_units(text, 0, len(text)) == _split_units_by_character(text, 0, len(text))


@given(UNIT_TEXT, st.sampled_from([None, "市政府", "市5局"]))
@example("市卫健委、市医保局(2023", None)
@example("2023年\n市卫健委", None)
def test_a_cell_told_as_prose_lists_no_units_only(text: str, issuer: str | None) -> None:
    if owners._names_no_unit(text, 0, len(text), issuer):
        items = [
            item for item in owners._list_items(text, 0, len(text)) if text[slice(*item)] != issuer
        ]
        assert not items or not all(owners._names_unit(text, *item) for item in items)


def test_owners_of_real_clauses_are_stable() -> None:
    """Spot values that the fast paths must keep (owner cells, brackets, role words)."""
    text = "做好监测工作（市卫健委牵头，市医保局、市财政局按职责分工负责）。\n市卫健委\n2023年底前完成。"
    names = [(hit.fields["name"], hit.fields["role"]) for hit in owners.find_owners(
        fold(text), Context())]  # fmt: skip
    assert ("市卫健委", "lead") in names
    assert ("市医保局", "responsible") in names
    assert ("市财政局", "responsible") in names
