"""The extractors against the hand-made gold files, scored by ../shared/tools/score.py."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

from planc.compile import compile_text
from tests.conftest import SAMPLES, shared_path

# (plan text, gold file): the two samples and one plan the rules were not written from.
PLANS = {
    "nanyang": (SAMPLES["nanyang"], "nanyang-tcm-2023.yaml"),
    "neimenggu": (SAMPLES["neimenggu"], "neimenggu-tcm-2023.yaml"),
    "gz-2012": (
        Path("corpus", "gz-2012-livelihood-happiness-project-impl-opinion.txt"),
        "gz-2012-livelihood-happiness-project-impl-opinion.yaml",
    ),
}


def _scorer() -> ModuleType:
    path = shared_path("tools", "score.py")
    spec = importlib.util.spec_from_file_location("planc_gold_score", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _source(path: Path) -> Path:
    return path if path.is_absolute() else shared_path(*path.parts)


@pytest.mark.parametrize("name", sorted(PLANS))
def test_deadlines_and_targets_meet_the_bars(name: str) -> None:
    source, gold_name = PLANS[name]
    gold = yaml.safe_load(shared_path("gold", gold_name).read_text(encoding="utf-8"))
    plan = compile_text(_source(source).read_text(encoding="utf-8"), str(source))
    result: dict[str, Any] = _scorer().score(gold, plan.model_dump(mode="json"))
    assert result["deadlines"].f1 >= 0.95, result["deadlines"].misses
    assert result["targets"].f1 >= 0.90, result["targets"].misses
    assert result["cmp_accuracy"] >= 0.95


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_every_item_is_a_slice_of_the_original(name: str, sample_texts: dict[str, str]) -> None:
    original = sample_texts[name]
    plan = compile_text(original, name)
    items = [item for c in plan.walk() for item in (*c.deadlines, *c.targets)]
    assert len(items) > 20
    for item in items:
        assert original[item.span.start : item.span.end] == item.text
