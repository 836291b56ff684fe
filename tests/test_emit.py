"""planc's own YAML writer and pydantic-core's JSON against what PyYAML and ``json`` wrote.

The writer must load back, through PyYAML's safe loader, to exactly the data it was given; on
real plans it must give the very bytes PyYAML gave (the golden files hold it to that too).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import assume, example, given
from hypothesis import strategies as st

from planc.compile import compile_text
from planc.emit import render, render_utf8, to_data, to_json, to_yaml
from planc.emit.pyyaml import dump as pyyaml_dump
from planc.emit.yamlwriter import _IMPLICIT, dump
from tests.conftest import SHARED, SOURCES
from tests.test_properties import plan_text

REAL_PLANS = sorted(SOURCES.rglob("*.txt")) + sorted((SHARED / "corpus").glob("*.txt"))

# Strings that sit on the edges of YAML's quoting rules.
AWKWARD = ["", " ", "a ", " a", "1", "1.2", "3.7.1", "1_000", "0x1F", "017", "+1", ".5", "1e5",
           "1.0e+5", "12:30", "1:20:30.5", ".inf", "-.Inf", ".NaN", "yes", "No", "ON", "off",
           "true", "False", "null", "Null", "~", "=", "<<", "2023-06-30", "2023-6-3 1:02:03",
           "2023-06-30T01:02:03Z", "a: b", "a:", "a:b", "- a", "-a", "-", "? a", "?a", ":a",
           "#a", "a #b", "a#b", "'a'", '"a"', "it's", "@a", "`a", "%a", "&a", "*a", "!a", "|a",
           ">a", "[a]", "{a}", "a, b", "---", "--- a", "...", "...a", "a\tb", "a\rb", "\x00",
           "\x7f", "\x85", "\u2028", "\u2029", "\ufeff", "\ue000", "\ufffe", "\U0010ffff",
           "中文：说明", "（一）", "1.", "①", "一、", "a\nb", "a\nb\n", "a\n\n", "\n", "\n\n",
           " a\nb", "\na", "a \nb", "a\n b", "a\nb ", "a\n\nb", "a\r\nb", "a\n\tb"]  # fmt: skip

json_value = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from(AWKWARD)
    | st.text(st.characters(exclude_categories=["Cs"]), max_size=12),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(st.characters(codec="ascii"), max_size=6), children, max_size=4)
    ),
    max_leaves=12,
)


def _span(start: int) -> dict[str, int]:
    return {"start": start, "end": start + 3, "line": 1, "column": start + 1, "end_line": 1,
            "end_column": start + 4}  # fmt: skip


@given(st.dictionaries(st.text(max_size=8), json_value, max_size=6))
@example({"k": AWKWARD})
@example({"span": _span(0), "spans": [_span(1), {}], "nested": [[1, [2, {"a": "b\nc"}]], []]})
def test_yaml_loads_back_to_the_data(data: dict[str, Any]) -> None:
    assert yaml.safe_load(dump(data)) == data


@given(st.dictionaries(st.sampled_from(["a", "text", "id"]), json_value, max_size=4))
@example({"k": [s for s in AWKWARD if not set("\x85\u2028\u2029") & set(s)]})
def test_yaml_is_what_pyyaml_writes(data: dict[str, Any]) -> None:
    """Byte for byte, short of strings long enough for PyYAML to fold (width 1000) and of
    strings with a Unicode line separator (PyYAML splits them over lines, the writer escapes)."""
    assume(not any(set("\x85\u2028\u2029") & set(s) for s in _strings(data)))
    assert dump(data) == pyyaml_dump(data)


def _strings(data: Any) -> list[str]:
    if isinstance(data, dict):
        return [*data, *(s for value in data.values() for s in _strings(value))]
    if isinstance(data, list):
        return [s for item in data for s in _strings(item)]
    return [data] if isinstance(data, str) else []


@given(st.text(st.characters(codec="ascii"), max_size=40) | st.sampled_from(AWKWARD))
def test_implicit_types_are_pyyamls(value: str) -> None:
    """A string the writer leaves unquoted is one PyYAML's resolver reads as a string."""
    assume(value and value[0] not in "!&*")  # indicators: never written plain anyway
    resolved = yaml.resolver.Resolver().resolve(yaml.ScalarNode, value, (True, False))
    assert (resolved != "tag:yaml.org,2002:str") == bool(_IMPLICIT.fullmatch(value))


@given(plan_text())
def test_generated_plans_load_back(text: str) -> None:
    plan = compile_text(text)
    data = plan.model_dump(mode="json")
    assert yaml.safe_load(to_yaml(plan)) == data
    assert json.loads(to_json(plan)) == data


@pytest.mark.parametrize("path", REAL_PLANS, ids=lambda p: Path(p).stem)
def test_real_plans_give_the_bytes_pyyaml_and_json_gave(path: Path) -> None:
    plan = compile_text(path.read_text(encoding="utf-8"), path=path.name)
    data = to_data(plan)
    assert to_yaml(plan) == pyyaml_dump(data)
    assert to_json(plan) == json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    for fmt in ("yaml", "json"):
        assert render_utf8(plan, fmt) == render(plan, fmt).encode("utf-8")


def test_a_long_plan_is_written_in_chunks_with_the_same_bytes() -> None:
    """Thousands of clauses: the writer joins its pieces as it goes; nothing is lost or doubled."""
    text = "".join(f"（{n}）到2025年底前完成80%以上的任务。\n" for n in range(1, 4001))
    plan = compile_text("某市工作要点\n一、重点任务\n" + text)
    assert to_yaml(plan) == pyyaml_dump(to_data(plan))
    assert render_utf8(plan, "yaml") == to_yaml(plan).encode("utf-8")


def test_a_block_that_keeps_its_line_breaks_ends_the_document() -> None:
    """libyaml marks the document's end after a ``|+`` block; the writer does the same."""
    data = {"text": "第一行\n\n", "after": 1}
    assert dump(data) == pyyaml_dump(data) == "text: |+\n  第一行\n\nafter: 1\n...\n"
