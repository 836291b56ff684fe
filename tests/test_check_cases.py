"""Every rule against its data file in tests/check_cases/: failing snippets give exactly the
expected findings (line, column, message fragment), passing snippets give none.

A case may set a clause's ``deadlines``, ``targets`` and ``owners`` under ``items`` (by clause
id); the runner clears what the extractors found and puts those in, each located at the first
place its ``text`` is printed in the clause, so commitment rules are tested on their own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from planc.check import REGISTRY, all_rules, check_plan
from planc.compile import compile_text
from planc.model import Clause, Deadline, Owner, Plan, Target
from planc.spans import Locator

CASES = Path(__file__).parent / "check_cases"
ITEM_TYPES: dict[str, Any] = {"deadlines": Deadline, "targets": Target, "owners": Owner}


def _load() -> list[Any]:
    params = []
    for path in sorted(CASES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for kind in ("fail", "pass"):
            for case in data.get(kind, []):
                params.append(
                    pytest.param(
                        data["rule"], kind, case, id=f"{data['rule']}-{kind}-{case['name']}"
                    )
                )
    return params


def _with_items(plan: Plan, text: str, items: dict[str, dict[str, list[dict[str, Any]]]]) -> Plan:
    """The plan with extracted items replaced by the case's own."""
    locator = Locator(text)

    def rebuild(clause: Clause) -> Clause:
        given = items.get(clause.id, {})
        fields: dict[str, Any] = {}
        for key, model in ITEM_TYPES.items():
            built = []
            for item in given.get(key, []):
                start = text.find(item["text"], clause.span.start, clause.span.end)
                assert start >= 0, f"{item['text']!r} is not printed in clause {clause.id}"
                span = locator.span(start, start + len(item["text"]))
                built.append(model(span=span, **item))
            fields[key] = built
        children = [rebuild(child) for child in clause.children]
        return clause.model_copy(update={**fields, "children": children})

    return plan.model_copy(update={"clauses": [rebuild(c) for c in plan.clauses]})


@pytest.mark.parametrize(("rule_id", "kind", "case"), _load())
def test_rule_case(rule_id: str, kind: str, case: dict[str, Any]) -> None:
    text = case["text"]
    plan = compile_text(text, "case.txt")
    plan = _with_items(plan, text, case.get("items", {}))
    findings = check_plan(plan, text, [REGISTRY[rule_id]])
    got = [(f.line, f.column, f.message) for f in findings]
    if kind == "pass":
        assert got == []
        return
    expected = case["findings"]
    assert [(line, col) for line, col, _ in got] == [(line, col) for line, col, _ in expected]
    for (_, _, message), (_, _, fragment) in zip(got, expected, strict=True):
        assert fragment in message
    assert all(f.rule == rule_id for f in findings)


def test_every_rule_has_failing_and_passing_cases() -> None:
    covered: dict[str, set[str]] = {}
    for param in _load():
        rule_id, kind, _ = param.values
        covered.setdefault(rule_id, set()).add(kind)
    for rule in all_rules():
        assert covered.get(rule.id) == {"fail", "pass"}, f"{rule.id} needs fail and pass cases"


@pytest.mark.parametrize("rule", [r for r in all_rules() if not r.needs_extraction], ids=str)
def test_documented_examples(rule: Any) -> None:
    """What `planc rules` shows is true: the bad example fails, the good one passes."""
    bad = [f for f in check_plan(compile_text(rule.bad), rule.bad, [rule])]
    good = [f for f in check_plan(compile_text(rule.good), rule.good, [rule])]
    assert bad, f"{rule.id}: the failing example gives no finding"
    assert good == [], f"{rule.id}: the passing example gives {good}"
